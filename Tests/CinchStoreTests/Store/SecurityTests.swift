import Foundation
import GRDB
import Testing

@testable import CinchStore

/// What an attacker with the store file (and without the master key) can and cannot do.
@Suite struct SecurityTests {
  static let canary = "CANARY-9c1f2e7a-never-on-disk"

  @Test func canaryValuesNeverReachTheFiles() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.put("/leak/secure", Self.canary, type: .secureString, overwrite: false)
    // Every type is sealed, not only SecureString.
    try await store.put("/leak/plain", Self.canary + "-string", overwrite: false)
    try await store.put("/leak/list", Self.canary + ",b", type: .stringList, overwrite: false)
    for version in 2...5 {
      try await store.put("/leak/secure", Self.canary + "-v\(version)", type: .secureString)
    }
    _ = try await store.get("/leak/secure")
    _ = try await store.getParameterHistory(
      GetParameterHistoryRequest(name: "/leak/secure", withDecryption: true))
    _ = try await store.deleteParameter(DeleteParameterRequest(name: "/leak/plain"))
    let needle = Array("CANARY-9c1f2e7a".utf8)
    // While the store is open (WAL and shared memory present) and after it closed.
    #expect(!storeFileBytes(fixture.storePath).contains(bytes: needle))
    try store.close()
    #expect(!storeFileBytes(fixture.storePath).contains(bytes: needle))
    let reopened = try await fixture.reopen()
    let records = try await reopened.auditRecords(name: nil, limit: nil)
    #expect(records.count > 10)
    let encoded = String(decoding: try JSONEncoder().encode(records), as: UTF8.self)
    #expect(!encoded.contains("CANARY"))
  }

  @Test func everyFlippedByteOfASealedValueIsRejected() async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("/t/secret", "tamper-me", type: .secureString, overwrite: false)
    try fixture.store.close()
    let database = try fixture.rawDatabase()
    let original = try await database.read { db in
      try Data.fetchOne(db, sql: "SELECT sealed FROM entry_versions") ?? Data()
    }
    #expect(original.count == "tamper-me".utf8.count + 105)
    let store = try await fixture.reopen()
    for index in 0..<original.count {
      var flipped = original
      flipped[index] ^= 0x01
      let tampered = flipped
      try await database.write { db in
        try db.execute(sql: "UPDATE entry_versions SET sealed = ?", arguments: [tampered])
      }
      await expectStoreError(
        "InternalServerError",
        message: "the sealed value of '/t/secret' version 1 does not open: it was altered, or "
          + "copied from another entry or store"
      ) {
        _ = try await store.get("/t/secret")
      }
    }
    try await database.write { db in
      try db.execute(sql: "UPDATE entry_versions SET sealed = ?", arguments: [original])
    }
    #expect(try await store.get("/t/secret").value == "tamper-me")
  }

  @Test func aSealedValueCopiedToAnotherRowIsRejected() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.put("/a", "alpha", type: .secureString, overwrite: false)
    try await store.put("/b", "beta", type: .secureString, overwrite: false)
    try await store.put("/b", "beta2", type: .secureString)
    let database = try fixture.rawDatabase()
    // /a's value into /b's version 1; /b's version 2 into its version 1.
    try await database.write { db in
      try db.execute(
        sql: """
          UPDATE entry_versions SET sealed = (
            SELECT v.sealed FROM entry_versions v JOIN entries e ON e.id = v.entry_id
            WHERE e.name = '/a')
          WHERE entry_id = (SELECT id FROM entries WHERE name = '/b') AND version = 1
          """)
    }
    await expectStoreError("InternalServerError") { _ = try await store.get("/b:1") }
    try await database.write { db in
      try db.execute(
        sql: """
          UPDATE entry_versions SET sealed = (
            SELECT sealed FROM entry_versions WHERE version = 2)
          WHERE entry_id = (SELECT id FROM entries WHERE name = '/b') AND version = 1
          """)
    }
    await expectStoreError("InternalServerError") { _ = try await store.get("/b:1") }
    // Renaming the entry does not carry its values along.
    try await database.write { db in
      try db.execute(sql: "UPDATE entries SET lookup_name = 'c', name = '/c' WHERE name = '/a'")
    }
    await expectStoreError("InternalServerError") { _ = try await store.get("/c") }
    // Neither does moving it to another store.
    #expect(try await store.get("/b").value == "beta2")
  }

  @Test func relabellingASecureStringAsAStringDoesNotExposeIt() async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("/s", "hidden", type: .secureString, overwrite: false)
    let database = try fixture.rawDatabase()
    try await database.write { db in
      try db.execute(sql: "UPDATE entry_versions SET type = 'String'")
    }
    await expectStoreError("InternalServerError") {
      _ = try await fixture.store.get("/s", decrypt: false)
    }
  }

  @Test func alteredKeyMaterialIsDetected() async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("/s", "hidden", type: .secureString, overwrite: false)
    try fixture.store.close()
    let database = try fixture.rawDatabase()
    try await database.write { db in
      try db.execute(sql: "UPDATE kms_keys SET material = randomblob(length(material))")
    }
    let store = try await fixture.reopen()
    await expectStoreError("InternalServerError") { _ = try await store.get("/s") }
  }

  @Test func aValueFromAnotherStoreDoesNotOpen() async throws {
    let first = try await StoreFixture.make()
    let second = try await StoreFixture.make()
    try await first.store.put("/x", "from-first", type: .secureString, overwrite: false)
    try await second.store.put("/x", "from-second", type: .secureString, overwrite: false)
    let sealed = try await first.rawDatabase().read { db in
      try Data.fetchOne(db, sql: "SELECT sealed FROM entry_versions") ?? Data()
    }
    try await second.rawDatabase().write { db in
      try db.execute(sql: "UPDATE entry_versions SET sealed = ?", arguments: [sealed])
    }
    await expectStoreError("InternalServerError") { _ = try await second.store.get("/x") }
  }

  @Test func writesAreDurableCommits() async throws {
    let fixture = try await StoreFixture.make()
    let mode = try await fixture.store.pool.write { db in
      try Int.fetchOne(db, sql: "PRAGMA synchronous")
    }
    #expect(mode == 2)  // FULL
    let journal = try await fixture.store.pool.read { db in
      try String.fetchOne(db, sql: "PRAGMA journal_mode")
    }
    #expect(journal == "wal")
  }
}
