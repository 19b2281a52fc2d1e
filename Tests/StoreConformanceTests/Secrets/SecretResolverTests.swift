import CinchStore
import Foundation
import Testing

/// `SecretResolver`: many selectors in one call, each answered on its own, in the order asked.
@Suite struct SecretResolverTests {
  @Test(arguments: Backend.allCases) func eachSelectorIsAnsweredSeparately(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    let db = try await store.create("app/db", "v1", token: tokenA)
    try await store.putValue("app/db", "v2", token: tokenB)
    _ = try await store.createSecret(
      CreateSecretRequest(name: "app/cert", secretBinary: Data([0, 1, 2, 255])))
    try await store.create("app/gone", "x")
    _ = try await store.deleteSecret(DeleteSecretRequest(secretID: "app/gone"))
    // Enough secrets to need more than one batch.
    for index in 0..<22 { try await store.create("bulk/\(index)", "b\(index)") }

    let selectors =
      [
        SecretSelector(secretID: "app/db"),
        SecretSelector(secretID: db.arn),
        SecretSelector(secretID: String(db.arn.dropLast(7))),
        SecretSelector(secretID: "app/db", versionStage: "AWSPREVIOUS"),
        SecretSelector(secretID: "app/db", versionID: tokenB, versionStage: "AWSCURRENT"),
        SecretSelector(secretID: "app/missing"),
        SecretSelector(secretID: "app/cert"),
        SecretSelector(secretID: "app/gone"),
        SecretSelector(secretID: "app/db", versionStage: "NOPE"),
        SecretSelector(secretID: "app/db"),
      ] + (0..<22).map { SecretSelector(secretID: "bulk/\($0)") }
    let results = try await store.resolveSecrets(selectors)
    #expect(results.count == selectors.count)

    func resolved(_ index: Int) -> ResolvedSecret? {
      if case .resolved(let secret) = results[index] { return secret }
      return nil
    }
    func failure(_ index: Int) -> StoreError? {
      if case .failed(_, let error) = results[index] { return error }
      return nil
    }
    for index in [0, 1, 2, 9] {
      let secret = try #require(resolved(index))
      #expect(secret.selector == selectors[index])
      #expect(secret.name == "app/db")
      #expect(secret.arn == db.arn)
      #expect(secret.versionID == tokenB)
      #expect(secret.versionStages == ["AWSCURRENT"])
      #expect(secret.valueType == .string)
      #expect(secret.value.utf8String() == "v2")
    }
    #expect(resolved(3)?.versionID == tokenA)
    #expect(resolved(3)?.value.utf8String() == "v1")
    #expect(resolved(4)?.value.utf8String() == "v2")
    #expect(failure(5)?.code == "ResourceNotFoundException")
    let cert = try #require(resolved(6))
    #expect(cert.valueType == .binary)
    cert.value.withUnsafeBytes { #expect(Array($0) == [0, 1, 2, 255]) }
    #expect(failure(7)?.code == "InvalidRequestException")
    #expect(failure(8)?.code == "ResourceNotFoundException")
    for index in 0..<22 {
      #expect(resolved(10 + index)?.value.utf8String() == "b\(index)")
    }
  }

  @Test(arguments: Backend.allCases) func catalogAnswersManySecretsInTheOrderAsked(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    let db = try await store.create("cat/db", "v1", token: tokenA)
    try await store.putValue("cat/db", "v2", token: tokenB)
    try await store.create("cat/gone", "x")
    _ = try await store.deleteSecret(DeleteSecretRequest(secretID: "cat/gone"))
    let ids = ["cat/missing", "cat/db", db.arn, "cat/gone", String(db.arn.dropLast(7))]
    let batch = try await store.secretVersions(of: ids)
    #expect(batch.count == ids.count)
    for (id, answer) in zip(ids, batch) {
      switch answer {
      case .success(let list):
        // Compared by what a check reads: moto's dates may move between two calls.
        let single = try await store.secretVersions(id)
        #expect(list.name == single.name && list.arn == single.arn, "\(id)")
        let staged = { (list: SecretVersionList) in
          Set(list.versions.map { "\($0.versionID) \($0.stages.sorted())" })
        }
        #expect(staged(list) == staged(single), "\(id)")
        #expect((list.deletedDate == nil) == (single.deletedDate == nil), "\(id)")
      case .failure(let error):
        await expectStoreError(error.code) { _ = try await store.secretVersions(id) }
      }
    }
    #expect(batch[0].failureCode == "ResourceNotFoundException")
    #expect((try? batch[1].get())?.versions.count == 2)
    #expect((try? batch[3].get())?.deletedDate != nil)
    #expect(try await store.secretVersions(of: []).isEmpty)
  }
}
