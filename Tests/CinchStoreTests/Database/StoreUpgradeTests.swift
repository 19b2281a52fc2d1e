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
          let applied = try StoreInspection.read(path: path, busyTimeoutSeconds: 30)
            .appliedMigrations
          let pool = try StoreDatabase.openPool(path: path, busyTimeoutSeconds: 30)
          try SQLiteStore.upgrade(pool, with: StoreSchema.migrator, applied: applied)
          try pool.close()
        } catch {
          failures.withLock { $0.append("\(error)") }
        }
      }
      #expect(failures.withLock { $0 } == [])
      let queue = try DatabaseQueue(path: path)
      let applied = try await queue.read { db in try StoreSchema.migrator.appliedIdentifiers(db) }
      try queue.close()
      #expect(applied == Set(StoreSchema.migrator.migrations))
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

  @Test func aStepThatFailsIsReportedNotRetriedForever() async throws {
    let fixture = try await StoreFixture.make()
    try fixture.store.close()
    var migrator = StoreSchema.migrator
    migrator.registerMigration("v99-always-fails") { db in
      try db.execute(sql: "SELECT * FROM a_table_that_does_not_exist")
    }
    let applied = try StoreInspection.read(path: fixture.storePath, busyTimeoutSeconds: 1)
      .appliedMigrations
    let pool = try StoreDatabase.openPool(path: fixture.storePath, busyTimeoutSeconds: 1)
    #expect(throws: DatabaseError.self) {
      try SQLiteStore.upgrade(pool, with: migrator, applied: applied)
    }
    try pool.close()
  }
}
