import Foundation
import GRDB

/// A secret's metadata, kept as JSON in `entries.attributes`. Dates are seconds since 1970.
struct SecretAttributes: Codable, Sendable {
  var arnSuffix: String
  var description: String?
  /// The `KmsKeyId` as given; nil for the AWS-managed `alias/aws/secretsmanager`.
  var kmsKeyRef: String?
  var lastChangedDate: Double
  var lastAccessedDate: Double?
  /// When `DeleteSecret` scheduled the deletion.
  var deletedDate: Double?
  /// When the recovery window ends and the secret is removed for good.
  var deletionDate: Double?
  var rotationEnabled: Bool?
  var rotationLambdaARN: String?
  var rotationRules: RotationRules?
  var lastRotatedDate: Double?
  var passwordPolicy: PasswordPolicy?
  var rotationFailure: RotationFailure?
  /// When the rotation configuration last changed: a secret that never rotated counts its first
  /// window from here.
  var rotationScheduledFrom: Double?
}

/// Per-version facts beside the sealed value, as JSON in `entry_versions.attributes`.
struct SecretVersionAttributes: Codable, Sendable {
  var lastAccessedDate: Double?
  /// The top-level keys of a JSON-object `SecretString` (for metadata-only checks).
  var jsonKeys: [String]?
}

/// A secret's row in `entries`.
struct SecretEntry: Sendable {
  var id: Int64
  var name: String
  var createdAt: Date
  var lastVersion: Int
  var attributes: SecretAttributes

  /// Columns by position, in the order of `columns`.
  init(row: Row) throws {
    id = row[0]
    name = row[1]
    createdAt = Date(timeIntervalSince1970: row[2])
    lastVersion = row[3]
    let json: String = row[4]
    attributes = try SecretAttributes.decode(stored: json)
  }

  static let columns = "id, name, created_at, last_version, attributes"

  /// From a stepped statement whose first five columns are `columns`.
  init(_ columns: SteppedStatement.Columns) throws {
    id = columns.integer(0)
    name = columns.text(1) ?? ""
    createdAt = Date(timeIntervalSince1970: columns.double(2))
    lastVersion = Int(columns.integer(3))
    attributes = try SecretAttributes.decode(stored: columns.text(4) ?? "{}")
  }

  static func fetch(_ db: Database, name: String) throws -> SecretEntry? {
    try Row.fetchOne(
      db, cached: "SELECT \(columns) FROM entries WHERE kind = ? AND lookup_name = ?",
      arguments: [EntryKind.secret.rawValue, name]
    ).map(SecretEntry.init(row:))
  }

  static func fetchAll(_ db: Database) throws -> [SecretEntry] {
    try Row.fetchAll(
      db, cached: "SELECT \(columns) FROM entries WHERE kind = ? ORDER BY created_at, id",
      arguments: [EntryKind.secret.rawValue]
    ).map(SecretEntry.init(row:))
  }

  func arn(_ configuration: StoreConfiguration) -> String {
    SecretNameRules.arn(name: name, suffix: attributes.arnSuffix, configuration)
  }

  var isDeleted: Bool { attributes.deletedDate != nil }

  func save(_ db: Database) throws {
    let json = try attributes.storedJSON()
    try db.execute(
      cached: "UPDATE entries SET attributes = ?, last_version = ? WHERE id = ?",
      arguments: [json, lastVersion, id])
  }

  static func encode(_ attributes: SecretAttributes) throws -> String {
    try attributes.storedJSON()
  }
}

/// One version of a secret, its value still sealed (nil for the empty version a rotation
/// creates before `createSecret` fills it).
struct SecretVersionRecord: Sendable {
  var version: Int
  var versionID: String
  var createdAt: Date
  var createdBy: String?
  var keyRef: String?
  var sealed: [UInt8]?
  var valueType: SecretValueType?
  var attributes: SecretVersionAttributes

  static let columns =
    "version, version_id, created_at, created_by, key_ref, sealed, type, attributes"

  /// Columns by position, in the order of `columns`.
  init(row: Row) throws {
    version = row[0]
    versionID = row[1]
    createdAt = Date(timeIntervalSince1970: row[2])
    createdBy = row[3]
    keyRef = row[4]
    sealed = (row[5] as Data?).map(Array.init)
    valueType = (row[6] as String?).flatMap(SecretValueType.init(rawValue:))
    let json: String = row[7]
    attributes = try SecretVersionAttributes.decode(stored: json)
  }

  /// From a stepped statement whose columns are `columns`.
  init(_ columns: SteppedStatement.Columns) throws {
    version = Int(columns.integer(0))
    versionID = columns.text(1) ?? ""
    createdAt = Date(timeIntervalSince1970: columns.double(2))
    createdBy = columns.text(3)
    keyRef = columns.text(4)
    sealed = columns.blob(5)
    valueType = columns.text(6).flatMap(SecretValueType.init(rawValue:))
    attributes = try SecretVersionAttributes.decode(stored: columns.text(7) ?? "{}")
  }

  static func fetchAll(_ db: Database, entry: Int64) throws -> [SecretVersionRecord] {
    var records: [SecretVersionRecord] = []
    try SteppedStatement(
      db, sql: "SELECT \(columns) FROM entry_versions WHERE entry_id = ? ORDER BY version"
    ).forEachRow([.integer(entry)]) { records.append(try SecretVersionRecord($0)) }
    return records
  }

  static func fetch(_ db: Database, entry: Int64, versionID: String) throws -> SecretVersionRecord?
  {
    try Row.fetchOne(
      db,
      cached: "SELECT \(columns) FROM entry_versions WHERE entry_id = ? AND version_id = ?",
      arguments: [entry, versionID]
    ).map(SecretVersionRecord.init(row:))
  }

  static func fetch(_ db: Database, entry: Int64, version: Int) throws -> SecretVersionRecord? {
    try Row.fetchOne(
      db,
      cached: "SELECT \(columns) FROM entry_versions WHERE entry_id = ? AND version = ?",
      arguments: [entry, version]
    ).map(SecretVersionRecord.init(row:))
  }

  /// The associated data of this version's sealed value: the store, the kind, the secret's name
  /// and internal version number, and (as the kind's detail) the value type, the `VersionId` and
  /// the ARN suffix, so a value moved to another version id, another incarnation of the name or
  /// from string to binary fails to open.
  static func context(
    storeID: [UInt8], entry: SecretEntry, version: Int, versionID: String, type: SecretValueType
  ) -> SealingContext {
    SealingContext(
      storeID: storeID, kind: .secret, name: entry.name, version: version,
      detail: "\(type.rawValue)|\(versionID)|\(entry.attributes.arnSuffix)")
  }

  func saveAttributes(_ db: Database, entry: Int64) throws {
    let json = attributes.storedJSON()
    try db.execute(
      cached: "UPDATE entry_versions SET attributes = ? WHERE entry_id = ? AND version = ?",
      arguments: [json, entry, version])
  }
}

/// Changes to a secret's staging labels (label → internal version number; `EntryLabels` reads
/// them).
enum SecretStages {
  static func set(_ db: Database, entry: Int64, label: String, version: Int) throws {
    try db.execute(
      cached: "INSERT INTO entry_labels (entry_id, label, version) VALUES (?, ?, ?) "
        + "ON CONFLICT(entry_id, label) DO UPDATE SET version = excluded.version",
      arguments: [entry, label, version])
  }

  static func remove(_ db: Database, entry: Int64, label: String) throws {
    try db.execute(
      cached: "DELETE FROM entry_labels WHERE entry_id = ? AND label = ?",
      arguments: [entry, label])
  }
}
