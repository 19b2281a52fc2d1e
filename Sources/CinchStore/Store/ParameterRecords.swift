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
  init(_ columns: SteppedStatement.Columns) {
    id = columns.integer(0)
    name = columns.text(1) ?? ""
    key = columns.text(2) ?? ""
    lastVersion = Int(columns.integer(3))
  }

  static func fetch(_ db: Database, key: String) throws -> ParameterEntry? {
    try SteppedStatement(db, sql: fetchSQL).withRow(
      [.text(EntryKind.parameter.rawValue), .text(key)]
    ) { columns in columns.map(ParameterEntry.init) }
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
    try SteppedStatement(db, sql: sql).forEachRow(arguments) { try body(ParameterEntry($0)) }
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

  /// Columns by position, in the order of `columns`.
  init(row: Row) {
    version = row[0]
    createdAt = Date(timeIntervalSince1970: row[1])
    createdBy = row[2]
    keyRef = row[3]
    sealed = (row[4] as Data?).map(Array.init) ?? []
    type = ParameterType(rawValue: row[5] ?? "")
    description = row[6]
    allowedPattern = row[7]
    tier = ParameterTier(rawValue: row[8] ?? ParameterTier.standard.rawValue)
    dataType = ParameterDataType(rawValue: row[9] ?? ParameterDataType.text.rawValue)
  }

  /// From a stepped statement whose columns from `offset` on are `columns`.
  init(_ columns: SteppedStatement.Columns, from offset: Int32) {
    version = Int(columns.integer(offset))
    createdAt = Date(timeIntervalSince1970: columns.double(offset + 1))
    createdBy = columns.text(offset + 2)
    keyRef = columns.text(offset + 3)
    sealed = columns.blob(offset + 4) ?? []
    type = ParameterType(rawValue: columns.text(offset + 5) ?? "")
    description = columns.text(offset + 6)
    allowedPattern = columns.text(offset + 7)
    tier = ParameterTier(rawValue: columns.text(offset + 8) ?? ParameterTier.standard.rawValue)
    dataType = ParameterDataType(
      rawValue: columns.text(offset + 9) ?? ParameterDataType.text.rawValue)
  }

  static func fetch(_ db: Database, entry: Int64, version: Int) throws -> ParameterVersionRecord? {
    try Row.fetchOne(
      db,
      cached: "SELECT \(columns) FROM entry_versions WHERE entry_id = ? AND version = ?",
      arguments: [entry, version]
    ).map(ParameterVersionRecord.init(row:))
  }

  static func fetchAll(_ db: Database, entry: Int64, from version: Int = 0) throws
    -> [ParameterVersionRecord]
  {
    var records: [ParameterVersionRecord] = []
    try SteppedStatement(db, sql: fetchAllSQL).forEachRow([.integer(entry), .integer(version)]) {
      records.append(ParameterVersionRecord($0, from: 0))
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

/// Opaque page tokens: the lookup name (or number) to continue after, base64-encoded with a
/// prefix that says which listing issued it.
enum PageToken {
  static func make(_ scope: String, _ position: String) -> String {
    Data("cinch-page-1|\(scope)|\(position)".utf8).base64EncodedString()
  }

  static func read(_ token: String?, scope: String) -> String?? {
    guard let token else { return .some(nil) }
    guard let data = Data(base64Encoded: token) else { return nil }
    let text = String(decoding: data, as: UTF8.self)
    let prefix = "cinch-page-1|\(scope)|"
    guard text.hasPrefix(prefix) else { return nil }
    return .some(String(text.dropFirst(prefix.count)))
  }
}
