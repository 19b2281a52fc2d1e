import Foundation
import GRDB
import Synchronization
import Testing

@testable import CinchStore

/// Opening a store written by an older cinch applies the schema steps it lacks, also when
/// several processes (here: connections on threads of their own) open it at the same moment.
@Suite struct StoreUpgradeTests {
  /// Takes the store back to schema step 4, as the previous release left it.
  static func downgrade(_ path: String) async throws {
    let queue = try DatabaseQueue(path: path)
    try await queue.write { db in
      try db.execute(
        sql: """
          CREATE INDEX IF NOT EXISTS audit_log_name ON audit_log(name);
          DROP INDEX IF EXISTS entries_pending_deletion;
          DROP INDEX IF EXISTS vault_leases_token;
          DROP INDEX IF EXISTS vault_tokens_parent;
          DROP INDEX IF EXISTS vault_tokens_expiry;
          DROP INDEX IF EXISTS entry_versions_advanced;
          ALTER TABLE vault_tokens DROP COLUMN num_uses;
          ALTER TABLE vault_tokens DROP COLUMN explicit_max_ttl;
          ALTER TABLE vault_tokens DROP COLUMN parent_accessor;
          ALTER TABLE vault_tokens DROP COLUMN creation_ttl;
          ALTER TABLE vault_tokens DROP COLUMN last_renewal;
          ALTER TABLE audit_log DROP COLUMN version_id;
          DELETE FROM grdb_migrations
            WHERE identifier IN
              ('v5-audit-log-unindexed', 'v6-pending-deletions-indexed', 'v7-token-leases',
               'v8-token-renewals', 'v9-advanced-parameters-indexed', 'v10-audit-version-ids');
          UPDATE store_meta SET value = '4' WHERE key = 'schema_version';
          """)
    }
    try queue.close()
  }

  @Test func connectionsUpgradingTogetherAllSucceed() async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("/a", "v", overwrite: false)
    try fixture.store.close()
    let path = fixture.storePath
    for _ in 1...8 {
      try await Self.downgrade(path)
      let failures = Mutex<[String]>([])
      DispatchQueue.concurrentPerform(iterations: 6) { _ in
        do {
          let pool = try StoreDatabase.openPool(path: path, busyTimeoutSeconds: 30)
          try SQLiteStore.upgrade(pool, path: path)
          try pool.close()
        } catch {
          failures.withLock { $0.append("\(error)") }
        }
      }
      #expect(failures.withLock { $0 } == [])
      let queue = try DatabaseQueue(path: path)
      let applied = try await queue.read { db in
        try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
      }
      try queue.close()
      #expect(applied.sorted() == StoreSchema.identifiers.sorted())
    }
    let store = try await fixture.reopen()
    #expect(try await store.get("/a").value == "v")
    #expect(try await store.verifyAuditLog().isIntact)
  }

  /// Step 8 gave tokens their creation TTL and last renewal: a token from before it keeps the
  /// TTL it has as its creation TTL, and shows no renewal until it is renewed.
  @Test func aTokenFromBeforeStep8KeepsItsTTLAsItsCreationTTL() async throws {
    let fixture = try await StoreFixture.make()
    let (_, made, _) = try await fixture.store.createVaultToken(policies: ["app"], ttl: 600)
    try fixture.store.close()
    try await Self.downgrade(fixture.storePath)
    let store = try await fixture.reopen()
    let token = try #require(try await store.vaultTokens().first { $0.accessor == made.accessor })
    #expect(token.creationTTL == 600)
    #expect(token.lastRenewal == nil)
    let (renewed, _) = try await store.renewVaultToken(accessor: made.accessor, increment: 60)
    #expect(renewed.creationTTL == 600)
    #expect(renewed.ttl == 60)
    let stored = try await store.vaultTokens().first { $0.accessor == made.accessor }
    #expect(stored?.lastRenewal != nil)
  }

  /// The steps a store lacks run in one transaction: a step that fails takes back the steps
  /// before it, so the store is left as it was, not half upgraded.
  @Test func aStepThatFailsLeavesTheStoreAsItWas() async throws {
    let fixture = try await StoreFixture.make()
    try fixture.store.close()
    let steps =
      StoreSchema.steps + [
        StoreSchema.Step("v98-works") { db in try db.execute(sql: "CREATE TABLE made (x)") },
        StoreSchema.Step("v99-always-fails") { db in
          try db.execute(sql: "SELECT * FROM a_table_that_does_not_exist")
        },
      ]
    let pool = try StoreDatabase.openPool(path: fixture.storePath, busyTimeoutSeconds: 1)
    #expect(throws: StoreAccessError.self) {
      try SQLiteStore.upgrade(pool, steps: steps, path: fixture.storePath)
    }
    let (tables, applied) = try await pool.read { db in
      (
        try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE name = 'made'"),
        try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
      )
    }
    try pool.close()
    #expect(tables.isEmpty)
    #expect(applied.sorted() == StoreSchema.identifiers.sorted())
  }

  /// The store file's bytes with the two header fields the WAL's first frame moves (every open
  /// gives an empty WAL one: `StoreDatabase.startWAL`) masked: the file change counter and the
  /// version-valid-for number (https://www.sqlite.org/fileformat.html, 1.3).
  static func bytesBesideTheChangeCounter(_ path: String) -> [UInt8] {
    var bytes = Array(FileManager.default.contents(atPath: path) ?? Data())
    for offset in Array(24..<28) + Array(92..<96) where offset < bytes.count { bytes[offset] = 0 }
    return bytes
  }

  /// A schema step's record removed (`DELETE FROM grdb_migrations …`) while its changes stay is
  /// damage, said as such: until 2026-12-07 the step ran again and SQLite's own words came out
  /// ("duplicate column name: version_id", "table store_meta already exists"). A step missing
  /// before one the store holds (GRDB applied them in order), or the first step (which made
  /// `store_meta`), is found before the key is tried, and the file is left byte for byte; a
  /// step missing at the end, as in a store from an older cinch, is found when it does not
  /// apply, and nothing of the steps is written (opening gave the WAL its first frame).
  @Test(arguments: [
    (
      ["v10-audit-version-ids"], "'v10-audit-version-ids', which does not apply to its tables",
      false
    ),
    (
      ["v9-advanced-parameters-indexed", "v10-audit-version-ids"],
      "'v9-advanced-parameters-indexed', which does not apply to its tables", false
    ),
    (
      [
        "v5-audit-log-unindexed", "v6-pending-deletions-indexed", "v7-token-leases",
        "v8-token-renewals", "v9-advanced-parameters-indexed", "v10-audit-version-ids",
      ],
      "'v6-pending-deletions-indexed', which does not apply to its tables", false
    ),
    (
      ["v5-audit-log-unindexed"],
      "'v5-audit-log-unindexed' but holds the later step 'v6-pending-deletions-indexed'", true
    ),
    (["v1-store"], "'v1-store' but holds the later step 'v2-rotators'", true),
    (StoreSchema.identifiers, "'v1-store', which made its store_meta table", true),
  ])
  func aMissingStepRecordIsDamageAndNothingIsWritten(
    deleted: [String], problem: String, beforeTheKey: Bool
  ) async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("/a", "v", overwrite: false)
    try fixture.store.close()
    let queue = try fixture.rawDatabase()
    try await queue.write { db in
      for identifier in deleted {
        try db.execute(
          sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [identifier])
      }
    }
    try queue.close()
    let path = fixture.storePath
    let otherKey = fixture.directory.file("other.key")
    _ = try KeyFile.create(at: otherKey)
    let before = storeFileBytes(path)
    let beside = Self.bytesBesideTheChangeCounter(path)
    for key in beforeTheKey ? [fixture.keyPath, otherKey] : [fixture.keyPath] {
      do {
        _ = try await SQLiteStore.open(at: path, master: .keyFile(path: key))
        Issue.record("a store whose record lacks a step it holds opened")
      } catch {
        let message = "\(error)"
        #expect(
          message.hasPrefix("store '\(path)' is damaged: its schema record lacks step \(problem)"),
          "\(message)")
        #expect(message.hasSuffix("; restore it from a backup"), "\(message)")
      }
    }
    #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    #expect(!FileManager.default.fileExists(atPath: path + "-shm"))
    if beforeTheKey {
      #expect(storeFileBytes(path) == before)
    } else {
      #expect(Self.bytesBesideTheChangeCounter(path) == beside)
    }
  }

  /// The record alone says a store from an older cinch lacks its last steps; once they apply,
  /// it is upgraded (the concurrent case above), and its record is whole again.
  @Test func aStoreFromAnOlderCinchIsNotDamage() async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("/a", "v", overwrite: false)
    try fixture.store.close()
    try await Self.downgrade(fixture.storePath)
    let store = try await fixture.reopen()
    #expect(try await store.get("/a").value == "v")
    try store.close()
    let applied = try StoreInspection.read(path: fixture.storePath, busyTimeoutSeconds: 1)
      .appliedMigrations
    #expect(applied == Set(StoreSchema.identifiers))
  }
}
