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
  /// Whether the secret was ever given tags: once it was, `DescribeSecret` and `ListSecrets`
  /// answer `"Tags": []` after the last one is removed, where a secret never tagged has no
  /// `Tags` at all (AWS's answers as recorded in localstack/localstack#10477 and the
  /// AWS-validated snapshot of localstack/localstack#10579).
  var tagged: Bool?
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

  static let columns = "id, name, created_at, last_version, attributes"

  /// From a stepped statement whose first five columns are `columns`; a damaged row is
  /// `StoreError.storeDamaged`, naming the secret (by the name it was asked for, `name`, when
  /// its own is what is damaged).
  init(_ columns: SteppedStatement.Columns, name asked: String? = nil) throws {
    do throws(StoreDamage) {
      id = try columns.storedInteger(0, "id")
      name = try columns.storedText(1, "name")
      createdAt = try columns.storedTime(2, "created_at")
      lastVersion = try columns.storedInt(3, "last_version")
      let json = try columns.storedText(4, "attributes")
      attributes = try StoreDamage.json("attributes") {
        try SecretAttributes.decode(stored: json).checkingTimes()
      }
    } catch {
      throw error.storeError(
        table: "entries", kind: .secret, name: (try? columns.storedText(1, "name")) ?? asked)
    }
  }

  static func fetch(_ db: Database, name: String) throws -> SecretEntry? {
    try SteppedStatement(
      db, sql: "SELECT \(columns) FROM entries WHERE kind = ? AND lookup_name = ?"
    ).withRow([.text(EntryKind.secret.rawValue), .text(name)]) { columns in
      try columns.map { try SecretEntry($0, name: name) }
    }
  }

  static func fetchAll(_ db: Database) throws -> [SecretEntry] {
    var entries: [SecretEntry] = []
    try SteppedStatement(
      db, sql: "SELECT \(columns) FROM entries WHERE kind = ? ORDER BY created_at, id"
    ).forEachRow([.text(EntryKind.secret.rawValue)]) { entries.append(try SecretEntry($0)) }
    return entries
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

  /// From a stepped statement whose columns are `columns`. A `sealed` that is not a blob is
  /// read as bytes all the same: it does not open, and says so.
  init(_ columns: SteppedStatement.Columns) throws(StoreDamage) {
    version = try columns.storedInt(0, "version")
    versionID = try columns.storedText(1, "version_id")
    createdAt = try columns.storedTime(2, "created_at")
    createdBy = try columns.storedOptionalText(3, "created_by")
    keyRef = try columns.storedOptionalText(4, "key_ref")
    sealed = columns.blob(5)
    valueType = try columns.storedOptionalText(6, "type").flatMap(SecretValueType.init(rawValue:))
    let json = try columns.storedText(7, "attributes")
    attributes = try StoreDamage.json("attributes") {
      try SecretVersionAttributes.decode(stored: json).checkingTimes()
    }
  }

  /// `init(_:)` for a version of the secret `entry`, its damage named by the secret's name.
  static func read(_ columns: SteppedStatement.Columns, entry: Int64, _ db: Database) throws
    -> SecretVersionRecord
  {
    do {
      return try SecretVersionRecord(columns)
    } catch {
      throw error.storeError(
        table: "entry_versions", entry: entry, version: Int(columns.integer(0)), db)
    }
  }

  static func fetchAll(_ db: Database, entry: Int64) throws -> [SecretVersionRecord] {
    var records: [SecretVersionRecord] = []
    try SteppedStatement(
      db, sql: "SELECT \(columns) FROM entry_versions WHERE entry_id = ? ORDER BY version"
    ).forEachRow([.integer(entry)]) { records.append(try read($0, entry: entry, db)) }
    return records
  }

  static func fetch(_ db: Database, entry: Int64, versionID: String) throws -> SecretVersionRecord?
  {
    try SteppedStatement(
      db, sql: "SELECT \(columns) FROM entry_versions WHERE entry_id = ? AND version_id = ?"
    ).withRow([.integer(entry), .text(versionID)]) { columns in
      try columns.map { try read($0, entry: entry, db) }
    }
  }

  static func fetch(_ db: Database, entry: Int64, version: Int) throws -> SecretVersionRecord? {
    try SteppedStatement(
      db, sql: "SELECT \(columns) FROM entry_versions WHERE entry_id = ? AND version = ?"
    ).withRow([.integer(entry), .integer(Int64(version))]) { columns in
      try columns.map { try read($0, entry: entry, db) }
    }
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
