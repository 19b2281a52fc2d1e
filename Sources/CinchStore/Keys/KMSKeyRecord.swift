import Foundation
import GRDB

/// A row of `kms_keys`: a KMS-style key whose material (wrapped by the master key) wraps the data
/// keys of the values sealed under it.
struct KMSKeyRecord: Sendable {
  static let managedKeyManager = "AWS"
  static let customerKeyManager = "CUSTOMER"
  static let enabledState = "Enabled"

  /// The AWS-managed keys `cinch init` creates, with the descriptions AWS gives them.
  static let managedAliases: [(alias: String, description: String)] = [
    ("alias/aws/ssm", "Default key that protects my SSM parameters when no other key is defined"),
    (
      "alias/aws/secretsmanager",
      "Default key that protects my Secrets Manager data when no other key is defined"
    ),
  ]

  var keyID: String
  var keyIDBytes: [UInt8]
  var description: String
  var keyManager: String
  var keyState: String
  var keyUsage: String
  var keySpec: String
  var origin: String
  var createdAt: Date
  var material: [UInt8]

  /// A row of `kms_keys`; a damaged one is `StoreError.storeDamaged`, naming the key.
  init(row: Row) throws {
    do throws(StoreDamage) {
      keyID = try row.storedText("key_id")
      keyIDBytes = try row.storedBlob("key_id_bytes")
      description = try row.storedText("description")
      keyManager = try row.storedText("key_manager")
      keyState = try row.storedText("key_state")
      keyUsage = try row.storedText("key_usage")
      keySpec = try row.storedText("key_spec")
      origin = try row.storedText("origin")
      createdAt = try row.storedTime("created_at")
      material = try row.storedBlob("material")
    } catch {
      throw error.storeError(
        table: "kms_keys", kind: .kmsKey, name: try? row.storedText("key_id"))
    }
  }

  init(
    keyID: String, keyIDBytes: [UInt8], description: String, keyManager: String,
    createdAt: Date, material: [UInt8]
  ) {
    self.keyID = keyID
    self.keyIDBytes = keyIDBytes
    self.description = description
    self.keyManager = keyManager
    self.keyState = Self.enabledState
    self.keyUsage = "ENCRYPT_DECRYPT"
    self.keySpec = "SYMMETRIC_DEFAULT"
    self.origin = "AWS_KMS"
    self.createdAt = createdAt
    self.material = material
  }

  func insert(_ db: Database) throws {
    try db.execute(
      cached: """
        INSERT INTO kms_keys (key_id, key_id_bytes, description, key_manager, key_state,
          key_usage, key_spec, origin, created_at, material)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        keyID, Data(keyIDBytes), description, keyManager, keyState, keyUsage, keySpec, origin,
        createdAt.timeIntervalSince1970, Data(material),
      ])
  }

  func arn(_ configuration: StoreConfiguration) -> String {
    configuration.kmsARNPrefix + "key/" + keyID
  }

  func metadata(_ configuration: StoreConfiguration) -> KeyMetadata {
    KeyMetadata(
      awsAccountID: configuration.accountID, keyID: keyID, arn: arn(configuration),
      creationDate: createdAt, enabled: keyState == Self.enabledState, description: description,
      keyUsage: keyUsage, keyState: keyState, origin: origin, keyManager: keyManager,
      customerMasterKeySpec: keySpec, keySpec: keySpec, encryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
      multiRegion: false)
  }

  // MARK: Finding keys the way KMS does

  static func fetch(_ db: Database, keyID: String) throws -> KMSKeyRecord? {
    try Row.fetchOne(db, cached: "SELECT * FROM kms_keys WHERE key_id = ?", arguments: [keyID])
      .map(KMSKeyRecord.init(row:))
  }

  static func fetch(_ db: Database, keyIDBytes: [UInt8]) throws -> KMSKeyRecord? {
    try Row.fetchOne(
      db, cached: "SELECT * FROM kms_keys WHERE key_id_bytes = ?", arguments: [Data(keyIDBytes)]
    ).map(KMSKeyRecord.init(row:))
  }

  static func isKeyID(_ text: Substring) -> Bool {
    let groups = text.split(separator: "-", omittingEmptySubsequences: false)
    guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
    return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
  }

  /// Resolves a key id, key ARN, alias name or alias ARN, with KMS's errors
  /// (`NotFoundException: Invalid keyId …`, `Key '…' does not exist`, `Alias … is not found.`).
  static func resolve(_ identifier: String, _ db: Database, _ configuration: StoreConfiguration)
    throws -> KMSKeyRecord
  {
    let prefix = configuration.kmsARNPrefix
    if identifier.hasPrefix("alias/")
      || (identifier.hasPrefix("arn:") && identifier.contains(":alias/"))
    {
      let aliasName: String
      if identifier.hasPrefix("alias/") {
        aliasName = identifier
      } else if identifier.hasPrefix(prefix + "alias/") {
        aliasName = String(identifier.dropFirst(prefix.count))
      } else {
        throw StoreError.kmsNotFound("Alias \(identifier) is not found.")
      }
      guard
        let keyID = try String.fetchOne(
          db, cached: "SELECT key_id FROM kms_aliases WHERE alias_name = ?", arguments: [aliasName]),
        let record = try fetch(db, keyID: keyID)
      else {
        throw StoreError.kmsNotFound("Alias \(prefix)\(aliasName) is not found.")
      }
      return record
    }
    let keyID: Substring
    if identifier.hasPrefix("arn:") && identifier.contains(":key/") {
      guard identifier.hasPrefix(prefix + "key/") else {
        throw StoreError.kmsNotFound("Key '\(identifier)' does not exist")
      }
      keyID = identifier.dropFirst(prefix.count + 4)
    } else {
      keyID = Substring(identifier)
    }
    guard isKeyID(keyID) else { throw StoreError.kmsNotFound("Invalid keyId \(identifier)") }
    guard let record = try fetch(db, keyID: keyID.lowercased()) else {
      throw StoreError.kmsNotFound("Key '\(prefix)key/\(keyID)' does not exist")
    }
    return record
  }

  /// A new random key id in UUID form, and its 16 bytes.
  static func newKeyID() throws -> (String, [UInt8]) {
    var bytes = try Crypto.randomBytes(16)
    bytes[6] = (bytes[6] & 0x0f) | 0x40
    bytes[8] = (bytes[8] & 0x3f) | 0x80
    let chars = Array(bytes.hex)
    let text = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }.joined(
      separator: "-")
    return (text, bytes)
  }
}
