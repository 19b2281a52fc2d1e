import Foundation
import GRDB
import Testing

@testable import CinchStore

/// The canary and tamper tests of the store, for secrets.
@Suite struct SecretSecurityTests {
  static let canary = "CANARY-5e2d8b41-secret-never-on-disk"

  @Test func secretValuesNeverReachTheFilesOrTheAuditLog() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("leak/json", #"{"password":"\#(Self.canary)"}"#)
    _ = try await store.createSecret(
      CreateSecretRequest(name: "leak/binary", secretBinary: Data((Self.canary + "-bin").utf8)))
    for index in 1...4 { try await store.putValue("leak/json", Self.canary + "-v\(index)") }
    _ = try await store.value("leak/json")
    _ = try await store.batchGetSecretValue(
      BatchGetSecretValueRequest(secretIDList: ["leak/json", "leak/binary", "missing"]))
    _ = try await store.resolveSecrets([SecretSelector(secretID: "leak/json")])
    _ = try await store.rotateSecret(
      RotateSecretRequest(secretID: "leak/json", rotationLambdaARN: lambda("password")))
    _ = try await store.deleteSecret(DeleteSecretRequest(secretID: "leak/binary"))
    let needle = Array("CANARY-5e2d8b41".utf8)
    #expect(!storeFileBytes(fixture.storePath).contains(bytes: needle))
    try store.close()
    #expect(!storeFileBytes(fixture.storePath).contains(bytes: needle))
    let reopened = try await fixture.reopen()
    let records = try await reopened.auditRecords(name: nil, limit: nil)
    #expect(records.contains { $0.operation == "BatchGetSecretValue" })
    #expect(records.contains { $0.operation == "ResolveSecrets" })
    let encoded = String(decoding: try JSONEncoder().encode(records), as: UTF8.self)
    #expect(!encoded.contains("CANARY"))
    #expect(try await reopened.verifyAuditLog().isIntact)
  }

  @Test func everyFlippedByteOfASealedSecretIsRejected() async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.create("t", "tamper-me", token: tokenA)
    let database = try fixture.rawDatabase()
    let original = try await database.read { db in
      try Data.fetchOne(db, sql: "SELECT sealed FROM entry_versions") ?? Data()
    }
    #expect(original.count == "tamper-me".utf8.count + 105)
    for index in 0..<original.count {
      var flipped = original
      flipped[index] ^= 0x01
      let tampered = flipped
      try await database.write { db in
        try db.execute(sql: "UPDATE entry_versions SET sealed = ?", arguments: [tampered])
      }
      await expectStoreError(
        "InternalServerError",
        message: "the sealed value of 't' version 1 does not open: it was altered, or copied from "
          + "another entry or store"
      ) { _ = try await fixture.store.value("t") }
    }
    try await database.write { db in
      try db.execute(sql: "UPDATE entry_versions SET sealed = ?", arguments: [original])
    }
    #expect(try await fixture.store.value("t") == "tamper-me")
  }

  @Test func swappedVersionIdsTypesAndNamesDoNotOpen() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("s", "one", token: tokenA)
    try await store.putValue("s", "two", token: tokenB)
    let database = try fixture.rawDatabase()
    // Swapping the version ids of two rows would serve one version's value for the other.
    try await database.write { db in
      try db.execute(
        sql: "UPDATE entry_versions SET version_id = 'x' WHERE version_id = ?", arguments: [tokenA])
      try db.execute(
        sql: "UPDATE entry_versions SET version_id = ? WHERE version_id = ?",
        arguments: [tokenA, tokenB])
      try db.execute(
        sql: "UPDATE entry_versions SET version_id = ? WHERE version_id = 'x'", arguments: [tokenB])
    }
    await expectStoreError("InternalServerError") {
      _ = try await store.value("s", versionID: tokenA)
    }
    await expectStoreError("InternalServerError") {
      _ = try await store.value("s", versionID: tokenB)
    }
    try await database.write { db in
      try db.execute(
        sql: "UPDATE entry_versions SET version_id = 'x' WHERE version_id = ?", arguments: [tokenA])
      try db.execute(
        sql: "UPDATE entry_versions SET version_id = ? WHERE version_id = ?",
        arguments: [tokenA, tokenB])
      try db.execute(
        sql: "UPDATE entry_versions SET version_id = ? WHERE version_id = 'x'", arguments: [tokenB])
    }
    #expect(try await store.value("s", versionID: tokenA) == "one")
    // A string relabelled binary, a secret renamed, a parameter's blob moved into a secret.
    try await database.write { db in
      try db.execute(
        sql: "UPDATE entry_versions SET type = 'SecretBinary' WHERE version_id = ?",
        arguments: [tokenA])
    }
    await expectStoreError("InternalServerError") {
      _ = try await store.value("s", versionID: tokenA)
    }
    try await database.write { db in
      try db.execute(sql: "UPDATE entries SET lookup_name = 'r', name = 'r' WHERE name = 's'")
    }
    await expectStoreError("InternalServerError") { _ = try await store.value("r") }
    try await store.put("/p", "parameter-value", type: .secureString, overwrite: false)
    try await store.create("q", "secret-value")
    try await database.write { db in
      try db.execute(
        sql: """
          UPDATE entry_versions SET sealed = (
            SELECT v.sealed FROM entry_versions v JOIN entries e ON e.id = v.entry_id
            WHERE e.name = '/p')
          WHERE entry_id = (SELECT id FROM entries WHERE name = 'q')
          """)
    }
    await expectStoreError("InternalServerError") { _ = try await store.value("q") }
  }

  @Test func theCatalogNeverOpensAValue() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("c", #"{"user":"u","password":"p"}"#, token: tokenA)
    try await store.putValue("c", "plain", token: tokenB, stages: ["AWSPENDING"])
    // Break every sealed value: metadata still reads.
    try await fixture.rawDatabase().write { db in
      try db.execute(sql: "UPDATE entry_versions SET sealed = zeroblob(length(sealed))")
    }
    let list = try await store.secretVersions("c")
    #expect(list.versions.map(\.versionID) == [tokenA, tokenB])
    #expect(list.version(staged: "AWSCURRENT")?.jsonKeys == ["password", "user"])
    #expect(list.version(id: tokenB)?.jsonKeys == nil)
    #expect(list.version(id: tokenB)?.stages == ["AWSPENDING"])
    let resolved = try await store.resolveSecrets([
      SecretSelector(secretID: "c"), SecretSelector(secretID: "missing"),
    ])
    guard case .failed(_, let first) = resolved[0], case .failed(_, let second) = resolved[1] else {
      Issue.record("expected two failures")
      return
    }
    #expect(first.code == "InternalServerError")
    #expect(second.code == "ResourceNotFoundException")
  }

  @Test func theResolverAnswersEachSelector() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("a", "alpha", token: tokenA)
    try await store.putValue("a", "alpha2", token: tokenB)
    _ = try await store.createSecret(CreateSecretRequest(name: "b", secretBinary: Data([0, 1, 2])))
    let results = try await store.resolveSecrets([
      SecretSelector(secretID: "a"),
      SecretSelector(secretID: "a", versionStage: "AWSPREVIOUS"),
      SecretSelector(secretID: "a", versionID: tokenB, versionStage: "AWSPREVIOUS"),
      SecretSelector(secretID: "b"),
    ])
    guard case .resolved(let current) = results[0], case .resolved(let previous) = results[1],
      case .failed(_, let mismatch) = results[2], case .resolved(let binary) = results[3]
    else {
      Issue.record("unexpected resolutions")
      return
    }
    #expect(current.value.utf8String() == "alpha2" && current.versionID == tokenB)
    #expect(previous.value.utf8String() == "alpha" && previous.versionStages == ["AWSPREVIOUS"])
    #expect(mismatch.code == "InvalidRequestException")
    #expect(binary.valueType == .binary && binary.value.withUnsafeBytes { Array($0) } == [0, 1, 2])
    #expect("\(current.value)" == "<redacted>")
  }
}
