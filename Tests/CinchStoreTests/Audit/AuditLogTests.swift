import Foundation
import GRDB
import Testing

@testable import CinchStore

/// The hash-chained audit log: what it records and what `verify` detects.
@Suite struct AuditLogTests {
  static func populated() async throws -> StoreFixture {
    let fixture = try await StoreFixture.make(
      configuration: StoreConfiguration(caller: "AKIDEXAMPLE"))
    let store = fixture.store
    try await store.put("/a", "1", type: .secureString, overwrite: false)
    try await store.put("/a", "2", type: .secureString)
    _ = try await store.get("/a")
    await expectStoreError("ParameterNotFound") { _ = try await store.get("/missing") }
    _ = try await store.getParameters(GetParametersRequest(names: ["/a", "/nope"]))
    try await store.put("/b", "x", overwrite: false)
    _ = try await store.deleteParameter(DeleteParameterRequest(name: "/b"))
    return fixture
  }

  @Test func everyReadAndWriteIsRecorded() async throws {
    let fixture = try await Self.populated()
    let records = try await fixture.store.auditRecords(name: nil, limit: nil)
    let summary = records.map {
      "\($0.operation) \($0.name ?? "-") \($0.version.map(String.init) ?? "-") \($0.result)"
    }
    #expect(
      summary == [
        "Init - - ok",
        "PutParameter /a 1 ok",
        "PutParameter /a 2 ok",
        "GetParameter /a 2 ok",
        "GetParameter /missing - ParameterNotFound",
        "GetParameters /a 2 ok",
        "GetParameters /nope - ParameterNotFound",
        "PutParameter /b 1 ok",
        "DeleteParameter /b 1 ok",
      ])
    #expect(records.map(\.seq) == Array(1...9))
    #expect(
      records.dropFirst().allSatisfy { $0.caller == "AKIDEXAMPLE" && $0.kind == "ssm-parameter" })
    #expect(records.allSatisfy { $0.time.hasSuffix("Z") && $0.time.count == 24 })
    let forA = try await fixture.store.auditRecords(name: "/a", limit: nil)
    #expect(forA.count == 4)
    #expect(try await fixture.store.auditRecords(name: nil, limit: 2).map(\.seq) == [8, 9])
    let verified = try await fixture.store.verifyAuditLog()
    #expect(verified.rowsChecked == 9 && verified.isIntact)
    #expect(verified.head?.seq == 9 && verified.head?.hash.count == 32)
  }

  /// A head kept from an earlier verify holds the log to it: a later log that still has the
  /// row passes, one that ends before it (an older copy of the store) or has another row there
  /// does not.
  @Test func aWitnessHeadCatchesWhatTheChainCannot() async throws {
    let fixture = try await Self.populated()
    let store = fixture.store
    let earlier = try #require(try await store.verifyAuditLog().head)
    #expect(AuditHead(earlier.description) == earlier)
    _ = try await store.get("/a")
    let later = try #require(try await store.verifyAuditLog(witness: earlier).head)
    #expect(try await store.verifyAuditLog(witness: earlier).isIntact)
    #expect(later.seq == earlier.seq + 1)

    let ahead = AuditHead(seq: later.seq + 1, hash: later.hash)
    #expect(
      try await store.verifyAuditLog(witness: ahead).problems == [
        .behindWitness(witness: ahead.seq, lastSeq: later.seq)
      ])
    let other = AuditHead(seq: earlier.seq, hash: [UInt8](repeating: 7, count: 32))
    #expect(
      try await store.verifyAuditLog(witness: other).problems == [
        .divergesFromWitness(witness: earlier.seq)
      ])
  }

  @Test func witnessTextIsSeqColonSixtyFourHexDigits() {
    let hash = String(repeating: "ab", count: 32)
    #expect(AuditHead("12:\(hash)")?.seq == 12)
    #expect(AuditHead("12:\(hash.uppercased())")?.description == "12:\(hash)")
    for bad in [
      "", "12", "12:", "0:\(hash)", "x:\(hash)", "12:\(hash)00", "12:\(hash.dropLast())g",
    ] {
      #expect(AuditHead(bad) == nil, "\(bad)")
    }
  }

  @Test func aBatchOfCatalogReadsRecordsEveryEntryItDescribed() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.put("/a", "1", type: .secureString, overwrite: false)
    try await store.put("/b", "2", overwrite: false)
    let before = try await store.auditRecords(name: nil, limit: nil).count
    _ = try await store.parameterVersions(of: ["/b", "/missing", "/a"])
    let records = try await store.auditRecords(name: nil, limit: nil).dropFirst(before)
    #expect(
      records.map {
        "\($0.operation) \($0.name ?? "-") \($0.version.map(String.init) ?? "-") \($0.result)"
      }
        == [
          "ListParameterVersions /b 1 ok",
          "ListParameterVersions /missing - ParameterNotFound",
          "ListParameterVersions /a 1 ok",
        ])
    #expect(try await store.verifyAuditLog().problems.isEmpty)
  }

  static func tamper(_ fixture: StoreFixture, _ sql: String) async throws -> AuditVerification {
    try await fixture.rawDatabase().write { db in try db.execute(sql: sql) }
    return try await fixture.store.verifyAuditLog()
  }

  @Test func anEditedRowIsNamed() async throws {
    let fixture = try await Self.populated()
    let result = try await Self.tamper(fixture, "UPDATE audit_log SET result = 'ok' WHERE seq = 5")
    #expect(result.problems == [.edited(seq: 5)])
    #expect(
      result.problems.first?.description == "row 5 was edited: its hash does not match its content")
  }

  @Test func aRemovedRowIsNamed() async throws {
    let fixture = try await Self.populated()
    let result = try await Self.tamper(fixture, "DELETE FROM audit_log WHERE seq = 4")
    #expect(result.problems == [.removed(after: 3, before: 5)])
    #expect(result.problems.first?.description == "rows were removed between row 3 and row 5")
  }

  @Test func reorderedRowsAreNamed() async throws {
    let fixture = try await Self.populated()
    let result = try await Self.tamper(
      fixture,
      """
      UPDATE audit_log SET seq = -1 WHERE seq = 3;
      UPDATE audit_log SET seq = 3 WHERE seq = 4;
      UPDATE audit_log SET seq = 4 WHERE seq = -1;
      """)
    #expect(result.problems.first == .reordered(seq: 3, follows: 4))
    #expect(
      result.problems.first?.description == "row 3 is out of order: it was written after row 4")
    #expect(!result.isIntact)
  }

  @Test func rowsRemovedFromTheEndAreDetected() async throws {
    let fixture = try await Self.populated()
    let result = try await Self.tamper(fixture, "DELETE FROM audit_log WHERE seq >= 8")
    #expect(result.problems == [.truncated(lastSeq: 7, headSeq: 9)])
  }

  @Test func aRehashedChainIsDetectedByItsSealedHead() async throws {
    let fixture = try await Self.populated()
    let storeID = fixture.store.storeID
    // Edit row 6 and recompute every hash from there on, as an attacker without the key could.
    try await fixture.rawDatabase().write { db in
      try db.execute(sql: "UPDATE audit_log SET name = '/z' WHERE seq = 6")
      var previous = AuditChain.genesis(storeID: storeID)
      for row in try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY seq") {
        let record = try AuditChain.record(row)
        let hash = AuditChain.hash(previous: previous, record: record)
        try db.execute(
          sql: "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?",
          arguments: [Data(previous), Data(hash), record.seq])
        previous = hash
      }
    }
    let result = try await fixture.store.verifyAuditLog()
    #expect(result.problems == [.rewritten(headSeq: 9)])
  }

  @Test func aForgedHeadIsDetected() async throws {
    let fixture = try await Self.populated()
    let result = try await Self.tamper(
      fixture, "UPDATE store_meta SET value = zeroblob(72) WHERE key = 'audit_head'")
    #expect(result.problems == [.headForged])
    let missing = try await Self.tamper(fixture, "DELETE FROM store_meta WHERE key = 'audit_head'")
    #expect(missing.problems == [.headMissing])
  }

  @Test func theLogSurvivesRekeyAndReopen() async throws {
    let fixture = try await Self.populated()
    try await fixture.store.rekey(to: .newKeyFile(path: fixture.directory.file("k2")))
    try fixture.store.close()
    let store = try await SQLiteStore.open(
      at: fixture.storePath, master: .keyFile(path: fixture.directory.file("k2")))
    let result = try await store.verifyAuditLog()
    #expect(result.isIntact)
    #expect(result.rowsChecked == 10)
    #expect(try await store.auditRecords(name: nil, limit: 1).first?.operation == "Rekey")
  }

  /// Stores from before schema step 5 had an index on the log's names; opening one drops it
  /// (each read would otherwise write a leaf of it per name) and lookups by name still answer.
  @Test func openingAnOlderStoreDropsTheNameIndexAndKeepsLookupsByName() async throws {
    let fixture = try await Self.populated()
    try fixture.store.close()
    try await StoreUpgradeTests.downgrade(fixture.storePath)

    let store = try await fixture.reopen()
    _ = try await store.get("/a")
    try store.close()
    let check = try DatabaseQueue(path: fixture.storePath)
    let (indexes, version, applied) = try await check.read { db in
      (
        try String.fetchAll(
          db,
          sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log'"),
        try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'schema_version'"),
        try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
      )
    }
    try check.close()
    #expect(indexes.isEmpty)
    #expect(version == String(StoreSchema.version))
    #expect(applied.contains("v5-audit-log-unindexed"))

    let reopened = try await fixture.reopen()
    let forA = try await reopened.auditRecords(name: "/a", limit: nil)
    #expect(
      forA.map(\.operation) == [
        "PutParameter", "PutParameter", "GetParameter", "GetParameters", "GetParameter",
      ])
    #expect(try await reopened.auditRecords(name: "a", limit: 1).map(\.seq) == [forA.last?.seq])
    #expect(try await reopened.verifyAuditLog().isIntact)
  }
}

/// A row about a secret version carries its `VersionId` beside the store's number for it
/// (schema step `v10-audit-version-ids`), covered by the row's hash; rows without one hash as
/// every row did before, so the logs of older stores still verify.
@Suite struct AuditVersionIDTests {
  static let tokenA = "aaaaaaaa-0000-4000-8000-000000000001"
  static let tokenB = "bbbbbbbb-0000-4000-8000-000000000002"

  /// The content of a row without a `VersionId` is byte for byte what cinch hashed before the
  /// field existed (the bytes and hash below were computed by the code of 2026-12-06).
  @Test func aRowWithoutAVersionIdHashesAsBefore() {
    let record = AuditRecord(
      seq: 7, time: "2026-12-07T12:00:00.000Z", operation: "GetSecretValue",
      kind: "secretsmanager-secret", name: "app/db", version: 2, result: "ok", caller: "tester")
    #expect(
      AuditChain.content(record).hex
        == "63696e63682d61756469742d31000000013700000018323032362d31322d30375431323a30303a3030"
        + "2e3030305a0000000e47657453656372657456616c756500000015736563726574736d616e616765722d"
        + "736563726574000000066170702f64620000000132000000026f6b00000006746573746572")
    #expect(
      AuditChain.hash(previous: [UInt8](repeating: 0, count: 32), record: record).hex
        == "8b36eadf3ad4d0f5db2f6382902f1852af377de2eca338f644a0bace3417b1ab")
    var withID = record
    withID.versionID = Self.tokenA
    #expect(AuditChain.content(withID).count > AuditChain.content(record).count)
  }

  /// A store upgraded from before the field: its old rows and the new ones, with their
  /// `VersionId`, verify together; removing or changing a row's `VersionId` is an edit.
  @Test func secretRowsNameTheirVersionIdAndAnUpgradedLogVerifies() async throws {
    let fixture = try await AuditLogTests.populated()
    try fixture.store.close()
    try await StoreUpgradeTests.downgrade(fixture.storePath)
    let store = try await fixture.reopen()
    _ = try await store.createSecret(
      CreateSecretRequest(name: "app/db", clientRequestToken: Self.tokenA, secretString: "one"))
    _ = try await store.putSecretValue(
      PutSecretValueRequest(
        secretID: "app/db", clientRequestToken: Self.tokenB, secretString: "two"))
    _ = try await store.getSecretValue(GetSecretValueRequest(secretID: "app/db"))
    _ = try await store.getSecretValue(
      GetSecretValueRequest(secretID: "app/db", versionStage: "AWSPREVIOUS"))
    let rows = try await store.auditRecords(name: "app/db", limit: nil)
    #expect(
      rows.map { "\($0.operation) \($0.version ?? 0) \($0.versionID ?? "-")" } == [
        "CreateSecret 1 \(Self.tokenA)", "PutSecretValue 2 \(Self.tokenB)",
        "GetSecretValue 2 \(Self.tokenB)", "GetSecretValue 1 \(Self.tokenA)",
      ])
    let parameterRows = try await store.auditRecords(name: "/a", limit: nil)
    #expect(parameterRows.allSatisfy { $0.versionID == nil })
    #expect(try await store.verifyAuditLog().isIntact)

    let seq = try #require(rows.first?.seq)
    for edit in [
      "UPDATE audit_log SET version_id = NULL WHERE seq = \(seq)",
      "UPDATE audit_log SET version_id = '\(Self.tokenB)' WHERE seq = \(seq)",
    ] {
      let copy = try fixture.rawDatabase()
      let original = try await copy.read { db in
        try String.fetchOne(db, sql: "SELECT version_id FROM audit_log WHERE seq = \(seq)")
      }
      try await copy.write { db in try db.execute(sql: edit) }
      #expect(try await store.verifyAuditLog().problems == [.edited(seq: seq)], "\(edit)")
      try await copy.write { db in
        try db.execute(
          sql: "UPDATE audit_log SET version_id = ? WHERE seq = \(seq)", arguments: [original])
      }
      try copy.close()
      #expect(try await store.verifyAuditLog().isIntact)
    }
  }
}

/// A write appends after the row the sealed head records, or not at all: sealing a new head
/// over a cut log would hide the cut from `verify` (until 2026-12-03 any command, a read
/// included, did).
@Suite struct AuditHeadCheckTests {
  static let tampering: [(String, String)] = [
    (
      "rows removed from the end",
      "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)"
    ),
    ("every row removed", "DELETE FROM audit_log"),
    // Not a store `init` is creating: its keys and values are there.
    (
      "every row and the head removed",
      "DELETE FROM audit_log; DELETE FROM store_meta WHERE key = 'audit_head'"
    ),
    ("the head removed", "DELETE FROM store_meta WHERE key = 'audit_head'"),
    ("the head zeroed", "UPDATE store_meta SET value = zeroblob(72) WHERE key = 'audit_head'"),
    ("the head cut short", "UPDATE store_meta SET value = x'00' WHERE key = 'audit_head'"),
    (
      "the head moved to a cut log's end, its MAC kept",
      """
      DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log);
      UPDATE store_meta SET value = (
        SELECT CAST(substr(value, 1, 7) || char(seq) || hash || substr(value, 41, 32) AS BLOB)
        FROM audit_log ORDER BY seq DESC LIMIT 1) WHERE key = 'audit_head';
      """
    ),
    (
      "the last row's hash changed",
      "UPDATE audit_log SET hash = zeroblob(32) WHERE seq = (SELECT max(seq) FROM audit_log)"
    ),
  ]

  @Test(arguments: tampering.indices)
  func aWriteOverALogThatDoesNotEndInItsSealedHeadIsRefused(_ index: Int) async throws {
    let (what, sql) = Self.tampering[index]
    let fixture = try await AuditLogTests.populated()
    let store = fixture.store
    let tampered = try await AuditLogTests.tamper(fixture, sql)
    #expect(!tampered.isIntact, "\(what)")
    let rows = try fixture.rawDatabase().read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY seq")
    }

    let message =
      "the audit log does not match its sealed head; nothing was written: run 'cinch audit verify'"
    await expectStoreError("InternalServerError", message: message) {
      _ = try await store.get("/a")
    }
    await expectStoreError("InternalServerError", message: message) {
      try await store.put("/a", "3")
    }
    await expectStoreError("InternalServerError", message: message) {
      _ = try await store.getSecretValue(GetSecretValueRequest(secretID: "missing"))
    }
    await expectStoreError("InternalServerError", message: message) {
      _ = try await store.getParameters(GetParametersRequest(names: ["/a", "/nope"]))
    }

    // Nothing was written: the log, its head and the value are as the tampering left them.
    let after = try fixture.rawDatabase().read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY seq")
    }
    #expect(after == rows, "\(what)")
    #expect(try await store.verifyAuditLog().problems == tampered.problems, "\(what)")
    let value = try await fixture.rawDatabase().read { db in
      try Int.fetchOne(
        db, sql: "SELECT last_version FROM entries WHERE lookup_name = ?", arguments: ["a"])
    }
    #expect(value == 2)
  }

  /// A store whose log and head are both gone is not a new store: it stays refused, where
  /// `init` (no log, no head) starts the chain.
  @Test func aNewStoreStartsItsChainAndAnIntactOneGoesOn() async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("/a", "1")
    _ = try await fixture.store.get("/a")
    let second = try await fixture.reopen()
    _ = try await second.get("/a")
    let verified = try await fixture.store.verifyAuditLog()
    #expect(verified.isIntact && verified.rowsChecked == 4)
  }
}
