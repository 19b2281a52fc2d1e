import Foundation
import GRDB

/// An audit row about to be written.
struct AuditEvent: Sendable {
  var operation: String
  var kind: EntryKind?
  var name: String?
  var version: Int?
  var result: String
  /// A secret version's `VersionId`.
  var versionID: String? = nil
}

/// The events one operation produces; the operation wrapper appends them in its transaction.
struct AuditTrail: Sendable {
  let operation: String
  let kind: EntryKind?
  var events: [AuditEvent] = []

  init(operation: String, kind: EntryKind?) {
    self.operation = operation
    self.kind = kind
  }

  mutating func record(
    _ name: String?, version: Int? = nil, result: String = "ok", kind: EntryKind? = nil,
    versionID: String? = nil
  ) {
    events.append(
      AuditEvent(
        operation: operation, kind: kind ?? self.kind, name: name, version: version, result: result,
        versionID: versionID))
  }
}

/// The hash-chained, append-only audit table.
///
/// Each row stores `hash = SHA-256(prev_hash ‖ content)`, where `content` is the row's fields
/// (its sequence number included) length-prefixed, and `prev_hash` is the previous row's hash
/// (for the first row, a hash of the store id). Editing a row breaks its own hash; removing or
/// moving rows breaks the links. Removing rows from the end leaves a consistent chain, so the
/// last row's sequence number and hash are also kept in `store_meta.audit_head` with an
/// HMAC under a key derived from the store key: a verifier with the master key detects a
/// truncated or wholly rewritten log too.
enum AuditChain {
  static func genesis(storeID: [UInt8]) -> [UInt8] {
    Crypto.sha256(Array("cinch-audit-genesis-1".utf8) + storeID)
  }

  static func content(_ record: AuditRecord) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(
      64 + record.time.utf8.count + record.operation.utf8.count + (record.name?.utf8.count ?? 0)
        + record.result.utf8.count + (record.caller?.utf8.count ?? 0))
    bytes += "cinch-audit-1".utf8
    func field(_ value: String?) {
      guard let value else {
        bytes += [0xff, 0xff, 0xff, 0xff]
        return
      }
      let length = UInt32(value.utf8.count)
      bytes.append(UInt8(truncatingIfNeeded: length >> 24))
      bytes.append(UInt8(truncatingIfNeeded: length >> 16))
      bytes.append(UInt8(truncatingIfNeeded: length >> 8))
      bytes.append(UInt8(truncatingIfNeeded: length))
      bytes += value.utf8
    }
    field(String(record.seq))
    field(record.time)
    field(record.operation)
    field(record.kind)
    field(record.name)
    field(record.version.map(String.init))
    field(record.result)
    field(record.caller)
    // Added with schema step `v10-audit-version-ids`, and only when there is one: a row without
    // it (every row written before, every row not about a secret version) hashes as it always
    // did, so an older log still verifies; a row with it is covered like its other fields.
    if let versionID = record.versionID { field(versionID) }
    return bytes
  }

  static func hash(previous: [UInt8], record: AuditRecord) -> [UInt8] {
    Crypto.sha256(joining: previous, content(record))
  }

  static func headMAC(seq: Int, hash: [UInt8], key: HMACKey) -> [UInt8] {
    key.mac(Array("cinch-audit-head-1".utf8) + bigEndian(seq) + hash)
  }

  static func bigEndian(_ value: Int) -> [UInt8] {
    let value = UInt64(bitPattern: Int64(value))
    return stride(from: 56, through: 0, by: -8).map {
      UInt8(truncatingIfNeeded: value >> UInt64($0))
    }
  }

  /// A row's time: UTC, ISO 8601 with milliseconds (`2026-11-30T16:54:04.212Z`).
  static func timestamp(_ date: Date) -> String {
    CivilTime.utcMilliseconds(date)
  }

  /// Appends `events` after the current last row and moves the sealed head.
  static func append(
    _ events: [AuditEvent], caller: String?, at date: Date, _ db: Database, vault: KeyVault
  ) throws {
    try append([(caller, events)], at: date, db, vault: vault)
  }

  /// Appends the events of several callers, in order, and moves the sealed head once (a batch
  /// of reads, `ReadBatcher`).
  static func append(
    _ groups: [(caller: String?, events: [AuditEvent])], at date: Date, _ db: Database,
    vault: KeyVault
  ) throws {
    guard groups.contains(where: { !$0.events.isEmpty }) else { return }
    var (seq, previous) = try sealedEnd(
      db, vault: vault, startsStore: groups.first?.events.first?.operation == "Init")
    let time = timestamp(date)
    let insert = try SteppedStatement(
      db,
      sql: """
        INSERT INTO audit_log (seq, time, operation, kind, name, version, result, caller,
          version_id, prev_hash, hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    for (caller, events) in groups {
      try appendRows(
        events, caller: caller, time: time, seq: &seq, previous: &previous, insert: insert)
    }
    let mac = headMAC(seq: seq, hash: previous, key: vault.auditKey)
    let head = bigEndian(seq) + previous + mac
    try SteppedStatement(db, sql: StoreMeta.setSQL).run([.text(StoreMeta.auditHead), .blob(head)])
    vault.knownAuditHead.withLock { $0 = head }
  }

  private static func appendRows(
    _ events: [AuditEvent], caller: String?, time: String, seq: inout Int,
    previous: inout [UInt8], insert: SteppedStatement
  ) throws {
    for event in events {
      seq += 1
      let record = AuditRecord(
        seq: seq, time: time, operation: event.operation, kind: event.kind?.rawValue,
        name: event.name.map(Self.bounded), version: event.version,
        result: event.result, caller: caller, versionID: event.versionID)
      let hash = hash(previous: previous, record: record)
      try insert.run([
        .integer(record.seq), .text(record.time), .text(record.operation), .text(record.kind),
        .text(record.name), .integer(record.version), .text(record.result), .text(record.caller),
        .text(record.versionID), .blob(previous), .blob(hash),
      ])
      previous = hash
    }
  }

  /// A name as the log keeps it: at most 2,048 characters (a refused request may carry any
  /// text), and a NUL, which only a refused request carries (`StoreArguments`), as U+FFFD: the
  /// log is read back through GRDB, which ends a text at its first NUL, so `audit verify` would
  /// find the row edited. Counting UTF-8 bytes first spares the character walk for every
  /// ordinary name.
  static func bounded(_ name: String) -> String {
    var name = name
    if name.utf8.contains(0) {
      name = String(
        String.UnicodeScalarView(name.unicodeScalars.map { $0 == "\0" ? "\u{FFFD}" : $0 }))
    }
    return name.utf8.count <= 2048 ? name : String(name.prefix(2048))
  }

  /// The last row's number and hash, to append after, once they are known to be the ones the
  /// sealed head records; (0, genesis) for a store whose log and head are both still to be
  /// written, and only for the `Init` row that starts them (`startsStore`): a log and head
  /// both removed from a store in use are a wiped log, not a new one. Anything else (rows removed from the end, the whole log emptied, the
  /// head removed, changed or sealed under another key) is refused, and the operation's
  /// transaction rolls back: a write never seals a new head over a log that no longer ends
  /// where the old one says (until 2026-12-03 it did, and any command, a read included, hid a
  /// truncation from `audit verify`).
  ///
  /// One cached statement reads the last row with the head. The head's MAC is checked as well,
  /// so a head whose number and hash were edited to fit a cut log is not sealed again.
  static func sealedEnd(_ db: Database, vault: KeyVault, startsStore: Bool = false) throws -> (
    Int, [UInt8]
  ) {
    let end = try SteppedStatement(db, sql: sealedEndSQL).withRow([]) { columns in
      columns.map { (seq: Int($0.integer(0)), hash: $0.blob(1), head: $0.blob(2)) }
    }
    guard let end else {
      // An empty log: only `init` starts one, in a store that has no head yet.
      guard startsStore, try StoreMeta.data(db, StoreMeta.auditHead) == nil else {
        throw StoreError.auditHeadMismatch
      }
      return (0, genesis(storeID: vault.storeID))
    }
    guard let hash = end.hash, let head = end.head, head.count == 8 + 32 + 32,
      head[0..<8].elementsEqual(bigEndian(end.seq)), head[8..<40].elementsEqual(hash)
    else { throw StoreError.auditHeadMismatch }
    // The head this process sealed (or checked) last is not checked again: the same bytes carry
    // the same good MAC. Any other head is.
    if vault.knownAuditHead.withLock({ $0 != head }) {
      guard
        Crypto.constantTimeEquals(
          Array(head[40..<72]), headMAC(seq: end.seq, hash: hash, key: vault.auditKey))
      else { throw StoreError.auditHeadMismatch }
      vault.knownAuditHead.withLock { $0 = head }
    }
    return (end.seq, hash)
  }

  /// The last row and the sealed head, as one row; none when the log is empty.
  static let sealedEndSQL = """
    SELECT seq, hash, (SELECT value FROM store_meta WHERE key = '\(StoreMeta.auditHead)')
    FROM audit_log ORDER BY seq DESC LIMIT 1
    """

  /// A row of the log; one whose fields are not of the types cinch writes is damaged (and
  /// `verify` reports it as edited).
  static func record(_ row: Row) throws(StoreDamage) -> AuditRecord {
    AuditRecord(
      seq: try row.storedInt("seq"), time: try row.storedText("time"),
      operation: try row.storedText("operation"), kind: try row.storedOptionalText("kind"),
      name: try row.storedOptionalText("name"), version: try row.storedOptionalInt("version"),
      result: try row.storedText("result"), caller: try row.storedOptionalText("caller"),
      versionID: try row.storedOptionalText("version_id"))
  }

  /// A hash column's bytes, whatever SQLite holds there (anything but a blob matches no hash).
  private static func hashBytes(_ row: Row, _ column: String) -> [UInt8] {
    switch (row[column] as DatabaseValue? ?? .null).storage {
    case .blob(let data): Array(data)
    case .string(let text): Array(text.utf8)
    default: []
    }
  }

  /// Walks the whole log and the sealed head, and holds it to `witness` when one is given.
  static func verify(_ db: Database, vault: KeyVault, witness: AuditHead? = nil) throws
    -> AuditVerification
  {
    let rows = try Row.fetchAll(
      db, cached: "SELECT * FROM audit_log ORDER BY seq")
    var hashes: [[UInt8]: Int] = [:]
    // `seq` is the table's rowid: always an integer.
    for row in rows { hashes[hashBytes(row, "hash")] = row["seq"] }

    var problems: [AuditProblem] = []
    if let witness {
      // A row's number is its place: the witness's row, if still there, has its hash.
      let lastSeq: Int? = rows.last?["seq"]
      if let row = rows.first(where: { ($0["seq"] as Int) == witness.seq }) {
        if hashBytes(row, "hash") != witness.hash {
          problems.append(.divergesFromWitness(witness: witness.seq))
        }
      } else if lastSeq.map({ $0 < witness.seq }) ?? true {
        problems.append(.behindWitness(witness: witness.seq, lastSeq: lastSeq))
      } else {
        problems.append(.divergesFromWitness(witness: witness.seq))
      }
    }

    var expectedPrevious = genesis(storeID: vault.storeID)
    var previousSeq: Int?
    for row in rows {
      let storedPrevious = hashBytes(row, "prev_hash")
      let storedHash = hashBytes(row, "hash")
      guard let record = try? record(row) else {
        problems.append(.edited(seq: row["seq"]))
        expectedPrevious = storedHash
        previousSeq = row["seq"]
        continue
      }
      if storedPrevious != expectedPrevious {
        if let follows = hashes[storedPrevious], follows != previousSeq {
          problems.append(.reordered(seq: record.seq, follows: follows))
        } else if record.seq > (previousSeq ?? 0) + 1 {
          problems.append(.removed(after: previousSeq, before: record.seq))
        } else {
          problems.append(.unlinked(seq: record.seq, previous: previousSeq))
        }
      } else if hash(previous: storedPrevious, record: record) != storedHash {
        problems.append(.edited(seq: record.seq))
      }
      expectedPrevious = storedHash
      previousSeq = record.seq
    }

    guard let head = try StoreMeta.data(db, StoreMeta.auditHead), head.count == 8 + 32 + 32 else {
      problems.append(.headMissing)
      return AuditVerification(rowsChecked: rows.count, problems: problems)
    }
    let headSeq = Int(head[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    let headHash = Array(head[8..<40])
    let mac = Array(head[40..<72])
    guard Crypto.constantTimeEquals(mac, headMAC(seq: headSeq, hash: headHash, key: vault.auditKey))
    else {
      problems.append(.headForged)
      return AuditVerification(rowsChecked: rows.count, problems: problems)
    }
    let lastSeq: Int? = rows.last?["seq"]
    if let lastSeq, lastSeq > headSeq {
      problems.append(.appendedWithoutKey(after: headSeq))
    } else if lastSeq.map({ $0 < headSeq }) ?? true {
      problems.append(.truncated(lastSeq: lastSeq, headSeq: headSeq))
    } else if expectedPrevious != headHash {
      problems.append(.rewritten(headSeq: headSeq))
    }
    return AuditVerification(
      rowsChecked: rows.count, problems: problems,
      head: AuditHead(seq: headSeq, hash: headHash))
  }
}
