import CinchJSON
import Foundation
import Testing

@testable import CinchStore

/// GRDB binds a `String` as a C string, which SQLite reads up to its first NUL (and reads text
/// back the same way): a name holding a NUL was stored, found and deleted as the name before
/// it. The store refuses any text holding one (`StoreArguments`), whichever stage sends it.
@Suite struct NULTextTests {
  static let refusal = "a name or field holding a NUL character (U+0000) cannot be stored"

  @Test func aVaultNameWithANULIsRefusedNotCutShort() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    _ = try await store.kvWrite(
      mount: "secret", path: "victim", data: ["v": "original"], cas: nil)
    await expectStoreError("ValidationException", message: Self.refusal) {
      _ = try await store.kvWrite(
        mount: "secret", path: "victim\u{0}x", data: ["v": "overwritten"], cas: nil)
    }
    await expectStoreError("ValidationException", message: Self.refusal) {
      try await store.kvDeleteMetadata(mount: "secret", path: "victim\u{0}zzz")
    }
    await expectStoreError("ValidationException", message: Self.refusal) {
      _ = try await store.kvWrite(
        mount: "secret", path: "brandnew\u{0}x", data: ["v": "1"], cas: nil)
    }
    let read = try #require(try await store.kvRead(mount: "secret", path: "victim", version: 0))
    #expect(read.data?["v"] == "original")
    #expect(read.metadata.version == 1)
    #expect(try await store.kvRead(mount: "secret", path: "brandnew", version: 0) == nil)

    await expectStoreError("ValidationException", message: Self.refusal) {
      try await store.enableVaultMount(path: "mnt\u{0}x", type: .kv)
    }
    #expect(try await store.vaultMounts().map(\.path) == ["secret/"])
    try await store.enableVaultMount(path: "database", type: .database)
    await expectStoreError("ValidationException", message: Self.refusal) {
      try await store.writeDatabaseRole(
        mount: "database",
        DatabaseRole(
          name: "x\u{0}y", dbName: "pg", creationStatements: ["CREATE ROLE x"],
          revocationStatements: [], defaultTTL: 0, maxTTL: 0))
    }
    #expect(try await store.databaseRoleNames(mount: "database") == [])

    // The refusals are in the log, the NUL shown as U+FFFD, and the log still verifies.
    let names = try await store.auditRecords(name: nil, limit: nil).compactMap(\.name)
    #expect(names.contains("secret/victim\u{FFFD}x"))
    #expect(!names.contains { $0.utf8.contains(0) })
    #expect(try await store.verifyAuditLog(witness: nil).problems.isEmpty)
  }

  /// Parameter and secret names never reach the database with a NUL: their validators refuse
  /// it, as AWS's name patterns do.
  @Test func parameterAndSecretNamesWithANULAreRefused() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.put("/app/db", "original", overwrite: false)
    await expectStoreError("ValidationException") {
      try await store.put("/app/db\u{0}x", "overwritten")
    }
    let parameter = try await store.get("/app/db")
    #expect(parameter.value == "original")
    #expect(parameter.version == 1)

    _ = try await store.createSecret(CreateSecretRequest(name: "app", secretString: "original"))
    do {
      _ = try await store.createSecret(
        CreateSecretRequest(name: "app\u{0}x", secretString: "other"))
      Issue.record("a secret name with a NUL was accepted")
    } catch let error as StoreError {
      #expect(error.httpStatus == 400, "\(error)")
    }
    do {
      _ = try await store.putSecretValue(
        PutSecretValueRequest(secretID: "app\u{0}x", secretString: "overwritten"))
      Issue.record("a secret id with a NUL was accepted")
    } catch let error as StoreError {
      #expect(error.httpStatus == 400, "\(error)")
    }
    let secret = try await store.getSecretValue(GetSecretValueRequest(secretID: "app"))
    #expect(secret.secretString == "original")
  }
}
