import CinchStore
import Foundation
import Testing

/// `ParameterResolver` and `ParameterCatalog`, what lock and check use, on every backend.
@Suite struct ResolverTests {
  @Test(arguments: Backend.allCases) func resolvesEachReferenceAndReportsEachFailure(
    _ backend: Backend
  ) async throws {
    let subject = try await backend.makeStore()
    let store = subject.store
    for index in 1...12 {
      try await store.put("/app/p\(index)", "value \(index)", overwrite: false)
    }
    try await store.put("/app/p1", "value 1b")
    try await store.put("/app/secret", "s3cr3t", type: .secureString, overwrite: false)
    try await store.put("top", "t", overwrite: false)
    _ = try await store.labelParameterVersion(
      LabelParameterVersionRequest(name: "/app/p1", parameterVersion: 1, labels: ["stable"]))
    let references =
      (1...12).map { "/app/p\($0)" } + [
        "/app/p1:1", "/app/p1:stable", "/app/p1:9", "/app/missing", "/app/secret",
        subject.arn("/app/p2"), "/top", "top", "/app/p1",
      ]
    let results = try await store.resolveParameters(references)
    #expect(results.count == references.count)
    var values: [String: String] = [:]
    var versions: [String: Int] = [:]
    var failures: [String: String] = [:]
    var keys: [String: String] = [:]
    for result in results {
      switch result {
      case .resolved(let parameter):
        values[parameter.reference] = parameter.value.utf8String()
        versions[parameter.reference] = parameter.version
        keys[parameter.reference] = parameter.keyID
      case .failed(let reference, let error):
        failures[reference] = error.code
      }
    }
    for index in 2...12 { #expect(values["/app/p\(index)"] == "value \(index)") }
    #expect(values["/app/p1"] == "value 1b")
    #expect(versions["/app/p1"] == 2)
    #expect(values["/app/p1:1"] == "value 1")
    #expect(values["/app/p1:stable"] == "value 1")
    #expect(versions["/app/p1:stable"] == 1)
    #expect(values["/app/secret"] == "s3cr3t")
    // The key is reported for SecureStrings only.
    #expect(keys == ["/app/secret": "alias/aws/ssm"])
    #expect(values[subject.arn("/app/p2")] == "value 2")
    #expect(values["/top"] == "t")
    #expect(values["top"] == "t")
    #expect(
      failures == ["/app/p1:9": "ParameterVersionNotFound", "/app/missing": "ParameterNotFound"])
    // The answers come in the order asked.
    let order = results.map { result -> String in
      switch result {
      case .resolved(let parameter): parameter.reference
      case .failed(let reference, _): reference
      }
    }
    #expect(order == references)
  }

  @Test(arguments: Backend.allCases) func catalogListsVersionsAndLabelsWithoutValues(
    _ backend: Backend
  ) async throws {
    let subject = try await backend.makeStore()
    let store = subject.store
    try await store.put("/c/x", "1", type: .secureString, overwrite: false)
    try await store.put("/c/x", "2", type: .secureString)
    try await store.put("/c/x", "3", type: .secureString)
    _ = try await store.labelParameterVersion(
      LabelParameterVersionRequest(name: "/c/x", parameterVersion: 2, labels: ["prod"]))
    let list = try await store.parameterVersions("/c/x")
    #expect(list.name == "/c/x")
    await conforming(.describeParametersOmitsTheARN, on: backend) {
      #expect(list.arn == subject.arn("/c/x"))
    }
    #expect(list.versions.map(\.version) == [1, 2, 3])
    #expect(list.version(labelled: "prod")?.version == 2)
    #expect(list.latest?.type == .secureString)
    #expect(list.latest?.keyID == "alias/aws/ssm")
    await expectStoreError("ParameterNotFound") { _ = try await store.parameterVersions("/c/none") }
  }

  @Test(arguments: Backend.allCases) func catalogAnswersManyInTheOrderAskedEachOnItsOwn(
    _ backend: Backend
  ) async throws {
    let subject = try await backend.makeStore()
    let store = subject.store
    try await store.put("/m/a", "1", overwrite: false)
    try await store.put("/m/a", "2")
    try await store.put("/m/b", "s", type: .secureString, overwrite: false)
    let references = ["/m/b", "/m/none", "/m/a", subject.arn("/m/a"), "bad name with spaces"]
    let batch = try await store.parameterVersions(of: references)
    #expect(batch.count == references.count)
    for (reference, answer) in zip(references, batch) {
      switch answer {
      case .success(let list):
        #expect(list == (try await store.parameterVersions(reference)), "\(reference)")
      case .failure(let error):
        await expectStoreError(error.code) { _ = try await store.parameterVersions(reference) }
      }
    }
    #expect((try? batch[0].get())?.latest?.type == .secureString)
    #expect((try? batch[2].get())?.versions.map(\.version) == [1, 2])
    #expect(batch[1].failureCode == "ParameterNotFound")
    #expect(batch[4].failureCode != nil)
    #expect(try await store.parameterVersions(of: []).isEmpty)
  }
}

extension Result where Failure == StoreError {
  /// The error code of a failed answer, nil for a success.
  var failureCode: String? {
    if case .failure(let error) = self { return error.code }
    return nil
  }
}
