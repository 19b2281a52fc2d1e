import Foundation
import GRDB

/// A parameter's row in `entries`.
struct ParameterEntry: Sendable {
  var id: Int64
  var name: String
  var key: String
  var lastVersion: Int

  static let columns = "id, name, lookup_name, last_version"

  /// From a stepped statement whose first four columns are `columns`.
  init(_ columns: SteppedStatement.Columns) throws(StoreDamage) {
    id = try columns.storedInteger(0, "id")
    name = try columns.storedText(1, "name")
    key = try columns.storedText(2, "lookup_name")
    lastVersion = try columns.storedInt(3, "last_version")
  }

  /// `init(_:)`, its damage named by the parameter's name, or the key it was found by when
  /// the name is what is damaged.
  static func read(_ columns: SteppedStatement.Columns, key: String?) throws -> ParameterEntry {
    do {
      return try ParameterEntry(columns)
    } catch {
      throw error.storeError(
        table: "entries", kind: .parameter, name: (try? columns.storedText(1, "name")) ?? key)
    }
  }

  static func fetch(_ db: Database, key: String) throws -> ParameterEntry? {
    try SteppedStatement(db, sql: fetchSQL).withRow(
      [.text(EntryKind.parameter.rawValue), .text(key)]
    ) { columns in try columns.map { try read($0, key: key) } }
  }

  static let fetchSQL = "SELECT \(columns) FROM entries WHERE kind = ? AND lookup_name = ?"

  /// Entries whose lookup name is `key`-ordered after `after`, optionally within a key range,
  /// in that order, until `body` returns false. Read row by row: a page of 10 parameters after
  /// a page token reads 11 rows, not every entry after the token (which made paging through
  /// 4,000 parameters quadratic: 1.3 s for `get-parameters-by-path --recursive`).
  static func forEach(
    _ db: Database, after: String?, from lower: String? = nil, below upper: String? = nil,
    _ body: (ParameterEntry) throws -> Bool
  ) throws {
    var sql = "SELECT \(columns) FROM entries WHERE kind = ?"
    var arguments: [SteppedStatement.Argument] = [.text(EntryKind.parameter.rawValue)]
    for (condition, value) in [
      ("lookup_name > ?", after), ("lookup_name >= ?", lower), ("lookup_name < ?", upper),
    ] {
      guard let value else { continue }
      sql += " AND " + condition
      arguments.append(.text(value))
    }
    sql += " ORDER BY lookup_name"
    try SteppedStatement(db, sql: sql).forEachRow(arguments) {
      try body(try read($0, key: $0.text(2)))
    }
  }

  var parameterName: ParameterName { ParameterName(stored: name) }
}

/// One retained version of a parameter, value still sealed.
struct ParameterVersionRecord: Sendable {
  var version: Int
  var createdAt: Date
  var createdBy: String?
  var keyRef: String?
  var sealed: [UInt8]
  var type: ParameterType
  var description: String?
  var allowedPattern: String?
  var tier: ParameterTier
  var dataType: ParameterDataType

  static let columns =
    "version, created_at, created_by, key_ref, sealed, type, description, allowed_pattern, tier, data_type"

  /// From a stepped statement whose columns from `offset` on are `columns`. A `sealed` that
  /// is not a blob is read as bytes all the same: it does not open, and says so.
  init(_ columns: SteppedStatement.Columns, from offset: Int32) throws(StoreDamage) {
    version = try columns.storedInt(offset, "version")
    createdAt = try columns.storedTime(offset + 1, "created_at")
    createdBy = try columns.storedOptionalText(offset + 2, "created_by")
    keyRef = try columns.storedOptionalText(offset + 3, "key_ref")
    sealed = columns.blob(offset + 4) ?? []
    type = ParameterType(rawValue: try columns.storedOptionalText(offset + 5, "type") ?? "")
    description = try columns.storedOptionalText(offset + 6, "description")
    allowedPattern = try columns.storedOptionalText(offset + 7, "allowed_pattern")
    tier = ParameterTier(
      rawValue: try columns.storedOptionalText(offset + 8, "tier")
        ?? ParameterTier.standard.rawValue)
    dataType = ParameterDataType(
      rawValue: try columns.storedOptionalText(offset + 9, "data_type")
        ?? ParameterDataType.text.rawValue)
  }

  /// `init(_:from:)`, its damage named by the parameter's `name` and the version's number
  /// (as SQLite reads it, whatever its type).
  static func read(_ columns: SteppedStatement.Columns, from offset: Int32, name: String?) throws
    -> ParameterVersionRecord
  {
    do {
      return try ParameterVersionRecord(columns, from: offset)
    } catch {
      throw error.storeError(
        table: "entry_versions", kind: .parameter, name: name,
        version: Int(columns.integer(offset)))
    }
  }

  /// `init(_:from:)` for a version of the entry `entry`, its damage named by the entry's name.
  static func read(_ columns: SteppedStatement.Columns, entry: Int64, _ db: Database) throws
    -> ParameterVersionRecord
  {
    do {
      return try ParameterVersionRecord(columns, from: 0)
    } catch {
      throw error.storeError(
        table: "entry_versions", entry: entry, version: Int(columns.integer(0)), db)
    }
  }

  static func fetch(_ db: Database, entry: Int64, version: Int) throws -> ParameterVersionRecord? {
    try SteppedStatement(db, sql: fetchSQL).withRow([.integer(entry), .integer(version)]) {
      columns in try columns.map { try read($0, entry: entry, db) }
    }
  }

  static let fetchSQL =
    "SELECT \(columns) FROM entry_versions WHERE entry_id = ? AND version = ?"

  static func fetchAll(_ db: Database, entry: Int64, from version: Int = 0) throws
    -> [ParameterVersionRecord]
  {
    var records: [ParameterVersionRecord] = []
    try SteppedStatement(db, sql: fetchAllSQL).forEachRow([.integer(entry), .integer(version)]) {
      records.append(try read($0, entry: entry, db))
    }
    return records
  }

  static let fetchAllSQL =
    "SELECT \(columns) FROM entry_versions WHERE entry_id = ? AND version >= ? ORDER BY version"

  func context(storeID: [UInt8], key: String) -> SealingContext {
    SealingContext(
      storeID: storeID, kind: .parameter, name: key, version: version, detail: type.rawValue)
  }

  /// The `KeyId` AWS reports: only for `SecureString`.
  var reportedKeyID: String? { type == .secureString ? keyRef : nil }
}

/// Labels of an entry (parameter labels, secret staging labels): label → version.
enum EntryLabels {
  static func fetch(_ db: Database, entry: Int64) throws -> [String: Int] {
    var labels: [String: Int] = [:]
    try SteppedStatement(db, sql: "SELECT label, version FROM entry_labels WHERE entry_id = ?")
      .forEachRow([.integer(entry)]) { columns in
        labels[columns.text(0) ?? ""] = Int(columns.integer(1))
      }
    return labels
  }

  /// version → labels, each list sorted.
  static func byVersion(_ labels: [String: Int]) -> [Int: [String]] {
    var result: [Int: [String]] = [:]
    for (label, version) in labels { result[version, default: []].append(label) }
    return result.mapValues { $0.sorted() }
  }
}

/// Tags of an entry.
enum EntryTags {
  static func fetch(_ db: Database, entry: Int64) throws -> [String: String] {
    var tags: [String: String] = [:]
    for row in try Row.fetchAll(
      db, cached: "SELECT tag_key, tag_value FROM entry_tags WHERE entry_id = ?", arguments: [entry]
    ) {
      tags[row["tag_key"]] = row["tag_value"]
    }
    return tags
  }

  static func set(_ db: Database, entry: Int64, _ tags: [Tag]) throws {
    for tag in tags {
      try db.execute(
        cached: "INSERT INTO entry_tags (entry_id, tag_key, tag_value) VALUES (?, ?, ?) "
          + "ON CONFLICT(entry_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value",
        arguments: [entry, tag.key, tag.value])
    }
  }
}
