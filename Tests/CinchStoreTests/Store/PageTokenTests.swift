import Foundation
import Testing

@testable import CinchStore

/// Page tokens are opaque and tamper-evident in every listing (Parameter Store, KMS, Secrets
/// Manager): a token changed in any byte, one made up, or one handed to another listing is
/// refused with the service's code, never read as a place to start; a token as issued goes on
/// where its page ended, also in another process.
@Suite struct PageTokenTests {
  /// `token` with each byte of its decoded form changed in turn, cut short, and lengthened.
  static func tampered(_ token: String) throws -> [String] {
    let data = try #require(Data(base64Encoded: token))
    let flipped = data.indices.map { index in
      var copy = data
      copy[index] ^= 0x01
      return copy.base64EncodedString()
    }
    return flipped + [
      data.dropLast().base64EncodedString(), (data + Data("x".utf8)).base64EncodedString(),
    ]
  }

  /// The readable form tokens had until 2026-12-07, which a caller could write for itself.
  static func forged(_ scope: String, _ position: String) -> String {
    Data("cinch-page-1|\(scope)|\(position)".utf8).base64EncodedString()
  }

  static func seeded() async throws -> StoreFixture {
    let fixture = try await StoreFixture.make()
    for name in ["a", "b", "c", "d", "e"] {
      try await fixture.store.put("/app/\(name)", "v-\(name)")
    }
    try await fixture.store.put("/other/x", "v")
    for version in 1...3 { try await fixture.store.put("/h", "v\(version)") }
    return fixture
  }

  @Test func parametersByPath() async throws {
    let fixture = try await Self.seeded()
    let store = fixture.store
    func page(
      _ token: String?, path: String = "/app", recursive: Bool? = nil,
      filters: [ParameterStringFilter]? = nil
    ) async throws -> GetParametersByPathResponse {
      try await store.getParametersByPath(
        GetParametersByPathRequest(
          path: path, recursive: recursive, parameterFilters: filters, maxResults: 2,
          nextToken: token))
    }
    let first = try await page(nil)
    let token = try #require(first.nextToken)
    #expect(try await page(token).parameters.map(\.name) == ["/app/c", "/app/d"])
    #expect(
      try await fixture.reopen().getParametersByPath(
        GetParametersByPathRequest(path: "/app", maxResults: 2, nextToken: token)
      ).parameters.map(\.name) == ["/app/c", "/app/d"])
    for bad in try Self.tampered(token) + [Self.forged("path:/app", "/app/d")] {
      await expectStoreError("InvalidNextToken") { _ = try await page(bad) }
    }
    // A token belongs to the listing that issued it: its path, depth and filters.
    await expectStoreError("InvalidNextToken") { _ = try await page(token, path: "/other") }
    await expectStoreError("InvalidNextToken") { _ = try await page(token, recursive: true) }
    await expectStoreError("InvalidNextToken") {
      _ = try await page(token, filters: [ParameterStringFilter(key: "Type", values: ["String"])])
    }
  }

  @Test func describeParameters() async throws {
    let fixture = try await Self.seeded()
    let store = fixture.store
    func page(_ token: String?, filters: [ParameterStringFilter]? = nil) async throws
      -> DescribeParametersResponse
    {
      try await store.describeParameters(
        DescribeParametersRequest(parameterFilters: filters, maxResults: 2, nextToken: token))
    }
    let token = try #require(try await page(nil).nextToken)
    #expect(try await page(token).parameters.map(\.name) == ["/app/c", "/app/d"])
    for bad in try Self.tampered(token) + [Self.forged("describe", "/app/d")] {
      await expectStoreError("InvalidNextToken") { _ = try await page(bad) }
    }
    await expectStoreError("InvalidNextToken") {
      _ = try await page(
        token, filters: [ParameterStringFilter(key: "Name", option: "BeginsWith", values: ["/x"])])
    }
  }

  @Test func parameterHistory() async throws {
    let fixture = try await Self.seeded()
    let store = fixture.store
    try await store.put("/g", "v1")
    try await store.put("/g", "v2")
    func page(_ token: String?, name: String = "/h") async throws -> GetParameterHistoryResponse {
      try await store.getParameterHistory(
        GetParameterHistoryRequest(name: name, maxResults: 1, nextToken: token))
    }
    let token = try #require(try await page(nil).nextToken)
    #expect(try await page(token).parameters.map(\.version) == [2])
    for bad in try Self.tampered(token) + [Self.forged("history:h", "-5")] {
      await expectStoreError("InvalidNextToken") { _ = try await page(bad) }
    }
    await expectStoreError("InvalidNextToken") { _ = try await page(token, name: "/g") }
  }

  @Test func keysAndAliases() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    var keyIDs: [String] = []
    for index in 0..<3 {
      let key = try await store.createKey(CreateKeyRequest()).keyMetadata
      keyIDs.append(key.keyID)
      _ = try await store.createAlias(
        CreateAliasRequest(aliasName: "alias/k\(index)", targetKeyID: key.keyID))
    }
    let keys = try await store.listKeys(ListKeysRequest(limit: 2))
    let marker = try #require(keys.nextMarker)
    #expect(try await store.listKeys(ListKeysRequest(limit: 2, marker: marker)).keys.count == 2)
    for bad in try Self.tampered(marker) + [Self.forged("keys", "")] {
      await expectStoreError("InvalidMarkerException") {
        _ = try await store.listKeys(ListKeysRequest(limit: 2, marker: bad))
      }
    }
    let aliases = try await store.listAliases(ListAliasesRequest(limit: 2))
    let aliasMarker = try #require(aliases.nextMarker)
    #expect(
      try await store.listAliases(ListAliasesRequest(limit: 2, marker: aliasMarker)).aliases
        .count == 2)
    for bad in try Self.tampered(aliasMarker) + [Self.forged("aliases", "alias/k0"), marker] {
      await expectStoreError("InvalidMarkerException") {
        _ = try await store.listAliases(ListAliasesRequest(limit: 2, marker: bad))
      }
    }
    // The aliases of one key are another listing than every alias.
    await expectStoreError("InvalidMarkerException") {
      _ = try await store.listAliases(
        ListAliasesRequest(keyID: keyIDs[0], limit: 2, marker: aliasMarker))
    }
  }

  @Test func secretsAndTheirVersions() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    for index in 0..<4 {
      _ = try await store.createSecret(
        CreateSecretRequest(name: "s\(index)", secretString: "v\(index)"))
    }
    for index in 0..<3 {
      _ = try await store.putSecretValue(
        PutSecretValueRequest(
          secretID: "s0", secretString: "w\(index)", versionStages: ["L\(index)"]))
    }
    let listed = try await store.listSecrets(ListSecretsRequest(maxResults: 2))
    let token = try #require(listed.nextToken)
    #expect(
      try await store.listSecrets(ListSecretsRequest(maxResults: 2, nextToken: token)).secretList
        .map(\.name) == ["s2", "s3"])
    for bad in try Self.tampered(token) {
      await expectStoreError("InvalidNextTokenException") {
        _ = try await store.listSecrets(ListSecretsRequest(maxResults: 2, nextToken: bad))
      }
    }
    let versions = try await store.listSecretVersionIds(
      ListSecretVersionIdsRequest(secretID: "s0", maxResults: 1))
    let versionToken = try #require(versions.nextToken)
    for bad in try Self.tampered(versionToken) + [Self.forged("versions:s0", "0"), token] {
      await expectStoreError("InvalidNextTokenException") {
        _ = try await store.listSecretVersionIds(
          ListSecretVersionIdsRequest(secretID: "s0", maxResults: 1, nextToken: bad))
      }
    }
  }
}
