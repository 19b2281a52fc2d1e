import Foundation
import GRDB

/// The transit engine's keys on the embedded store: a key ring is an entry of kind
/// `vault-transit-key` named `<mount>/<name>`, each key version's material sealed in
/// `entry_versions`. Data passed through transit is never stored.
extension SQLiteStore {
  /// The key types cinch implements.
  package static let transitKeyTypes: Set<String> = ["aes256-gcm96"]
  /// Vault's other (open-source) types: valid names cinch does not implement.
  package static let transitOtherKeyTypes: Set<String> = [
    "aes128-gcm96", "chacha20-poly1305", "ed25519", "ecdsa-p256", "ecdsa-p384", "ecdsa-p521",
    "rsa-2048", "rsa-3072", "rsa-4096", "hmac",
  ]

  /// Creates a key ring with version 1; an existing key is returned unchanged (`existed`).
  package func transitCreateKey(
    mount: String, name: String, type: String, derived: Bool, convergent: Bool,
    exportable: Bool, allowPlaintextBackup: Bool
  ) async throws -> (info: TransitKeyInfo, existed: Bool) {
    let entryName = "\(mount)/\(name)"
    return try await performVault("transit/keys/create", kind: .vaultTransitKey, name: entryName) {
      db, trail in
      _ = try Self.mount(named: mount, type: .transit, db)
      if let existing = try TransitEntry.fetch(db, name: entryName) {
        return (try existing.info(name: name, db), true)
      }
      let entry = try self.createTransitKey(
        name: entryName, type: type, derived: derived, convergent: convergent,
        exportable: exportable, allowPlaintextBackup: allowPlaintextBackup, db)
      trail.record(entryName, version: 1)
      return (try entry.info(name: name, db), false)
    }
  }

  /// A key ring's settings, or nil.
  package func transitKey(mount: String, name: String) async throws -> TransitKeyInfo? {
    let entryName = "\(mount)/\(name)"
    return try await performVault("transit/keys/read", kind: .vaultTransitKey, name: entryName) {
      db, _ in
      _ = try Self.mount(named: mount, type: .transit, db)
      return try TransitEntry.fetch(db, name: entryName)?.info(name: name, db)
    }
  }

  /// Runs `body` with the key ring and its usable material, for `operation` (audited under
  /// that name) and in its transaction: what `body` throws (a ciphertext that does not open, a
  /// version too new) is the operation's audited result, not `ok`. A missing key is 400
  /// `encryption key not found`. With `creating`, a missing key is created as it describes
  /// (checked first, in the same transaction: an invalid description fails only when a key has
  /// to be made), as `encrypt` does.
  package func withTransitKeyring<T: Sendable>(
    mount: String, name: String, operation: String, creating newKey: TransitNewKey? = nil,
    _ body: @escaping @Sendable (TransitKeyring) throws -> T
  ) async throws -> T {
    let entryName = "\(mount)/\(name)"
    return try await performVault(
      "transit/\(operation)", kind: .vaultTransitKey, name: entryName
    ) { db, trail in
      _ = try Self.mount(named: mount, type: .transit, db)
      var entry = try TransitEntry.fetch(db, name: entryName)
      if entry == nil, let newKey {
        try newKey.validate()
        entry = try self.createTransitKey(
          name: entryName, type: newKey.type, derived: newKey.derived,
          convergent: newKey.convergent, exportable: false, allowPlaintextBackup: false, db)
      }
      guard let entry else { throw VaultError.invalid("encryption key not found") }
      let info = try entry.info(name: name, db)
      var material: [Int: SecretBytes] = [:]
      for row in try Row.fetchAll(
        db,
        cached: "SELECT version, sealed FROM entry_versions WHERE entry_id = ? AND version >= ?",
        arguments: [entry.id, info.minDecryptionVersion])
      {
        let version: Int = row["version"]
        guard let sealed = row["sealed"] as Data? else { continue }
        material[version] = try self.openVault(
          Array(sealed),
          context: SealingContext(
            storeID: self.storeID, kind: .vaultTransitKey, name: entryName, version: version),
          displayName: entryName)
      }
      trail.record(entryName)
      return try body(TransitKeyring(info: info, material: material))
    }
  }

  /// Adds a version (`keys/:name/rotate`); a missing key is 400 `key not found`.
  package func transitRotate(mount: String, name: String) async throws -> TransitKeyInfo {
    let entryName = "\(mount)/\(name)"
    return try await performVault("transit/keys/rotate", kind: .vaultTransitKey, name: entryName) {
      db, trail in
      _ = try Self.mount(named: mount, type: .transit, db)
      guard var entry = try TransitEntry.fetch(db, name: entryName) else {
        throw VaultError.invalid("key not found")
      }
      entry.attributes.latestVersion += 1
      try self.addTransitVersion(entry, version: entry.attributes.latestVersion, db)
      try entry.save(db)
      trail.record(entryName, version: entry.attributes.latestVersion)
      return try entry.info(name: name, db)
    }
  }

  /// Changes settings (`keys/:name/config`) with Vault's rules; returns the key and warnings.
  package func transitConfigure(mount: String, name: String, _ config: TransitKeyConfig)
    async throws -> (TransitKeyInfo, [String])
  {
    let entryName = "\(mount)/\(name)"
    return try await performVault("transit/keys/config", kind: .vaultTransitKey, name: entryName) {
      db, trail in
      _ = try Self.mount(named: mount, type: .transit, db)
      guard var entry = try TransitEntry.fetch(db, name: entryName) else {
        throw VaultError.invalid("no existing key named \(name) could be found")
      }
      var warnings: [String] = []
      var attributes = entry.attributes
      if var minimum = config.minDecryptionVersion {
        if minimum < 0 { throw VaultError.invalid("min decryption version cannot be negative") }
        if minimum == 0 {
          minimum = 1
          warnings.append(
            "since Vault 0.3, transit key numbering starts at 1; forcing minimum to 1")
        }
        if minimum > attributes.latestVersion {
          throw VaultError.invalid(
            "cannot set min decryption version of \(minimum), latest key version is "
              + "\(attributes.latestVersion)")
        }
        attributes.minDecryptionVersion = minimum
      }
      if let minimum = config.minEncryptionVersion {
        if minimum < 0 { throw VaultError.invalid("min encryption version cannot be negative") }
        if minimum > attributes.latestVersion {
          throw VaultError.invalid(
            "cannot set min encryption version of \(minimum), latest key version is "
              + "\(attributes.latestVersion)")
        }
        attributes.minEncryptionVersion = minimum
      }
      if attributes.minEncryptionVersion > 0,
        attributes.minEncryptionVersion < attributes.minDecryptionVersion
      {
        throw VaultError.invalid(
          "cannot set min encryption/decryption values; min encryption version of "
            + "\(attributes.minEncryptionVersion) must be greater than or equal to min "
            + "decryption version of \(attributes.minDecryptionVersion)")
      }
      if let deletionAllowed = config.deletionAllowed {
        attributes.deletionAllowed = deletionAllowed
      }
      if let exportable = config.exportable {
        if attributes.exportable && !exportable {
          throw VaultError.invalid("export cannot be disabled on a key that already has it enabled")
        }
        attributes.exportable = exportable
      }
      if let backup = config.allowPlaintextBackup {
        if attributes.allowPlaintextBackup && !backup {
          throw VaultError.invalid(
            "plaintext backup cannot be disabled on a key that already has it enabled")
        }
        attributes.allowPlaintextBackup = backup
      }
      entry.attributes = attributes
      try entry.save(db)
      trail.record(entryName)
      return (try entry.info(name: name, db), warnings)
    }
  }

  /// Deletes a key ring (`DELETE keys/:name`), only when `deletion_allowed`.
  package func transitDeleteKey(mount: String, name: String) async throws {
    let entryName = "\(mount)/\(name)"
    try await performVault("transit/keys/delete", kind: .vaultTransitKey, name: entryName) {
      db, trail in
      _ = try Self.mount(named: mount, type: .transit, db)
      guard let entry = try TransitEntry.fetch(db, name: entryName) else {
        throw VaultError.invalid("error deleting policy \(name): could not delete key; not found")
      }
      guard entry.attributes.deletionAllowed else {
        throw VaultError.invalid(
          "error deleting policy \(name): deletion is not allowed for this key")
      }
      try db.execute(cached: "DELETE FROM entries WHERE id = ?", arguments: [entry.id])
      trail.record(entryName)
    }
  }

  /// The key names of a transit mount, sorted.
  package func transitListKeys(mount: String) async throws -> [String] {
    let prefix = mount + "/"
    return try await performVault("transit/keys/list", kind: .vaultTransitKey, name: prefix) {
      db, _ in
      _ = try Self.mount(named: mount, type: .transit, db)
      return try String.fetchAll(
        db,
        cached: "SELECT lookup_name FROM entries WHERE kind = ? AND lookup_name LIKE ? ESCAPE '\\' "
          + "ORDER BY lookup_name",
        arguments: [EntryKind.vaultTransitKey.rawValue, prefix.likePrefixPattern]
      ).map { String($0.dropFirst(prefix.count)) }
    }
  }

  // MARK: Steps

  func createTransitKey(
    name: String, type: String, derived: Bool, convergent: Bool, exportable: Bool,
    allowPlaintextBackup: Bool, _ db: Database
  ) throws -> TransitEntry {
    let attributes = TransitKeyAttributes(
      type: type, derived: derived, convergent: convergent, exportable: exportable,
      deletionAllowed: false, allowPlaintextBackup: allowPlaintextBackup,
      minDecryptionVersion: 1, minEncryptionVersion: 0, latestVersion: 1)
    let now = vaultNow().timeIntervalSince1970
    try db.execute(
      cached: """
        INSERT INTO entries (kind, lookup_name, name, created_at, last_version, attributes)
        VALUES (?, ?, ?, ?, 1, ?)
        """,
      arguments: [
        EntryKind.vaultTransitKey.rawValue, name, name, now, try TransitEntry.encode(attributes),
      ])
    let entry = TransitEntry(id: db.lastInsertedRowID, name: name, attributes: attributes)
    try addTransitVersion(entry, version: 1, db)
    return entry
  }

  func addTransitVersion(_ entry: TransitEntry, version: Int, _ db: Database) throws {
    let material = try Crypto.randomKey()
    let sealed = try sealVault(
      material,
      context: SealingContext(
        storeID: storeID, kind: .vaultTransitKey, name: entry.name, version: version))
    try db.execute(
      cached: """
        INSERT INTO entry_versions (entry_id, version, created_at, created_by, sealed)
        VALUES (?, ?, ?, ?, ?)
        """,
      arguments: [
        entry.id, version, Double(Int(vaultNow().timeIntervalSince1970)), configuration.caller,
        Data(sealed),
      ])
  }
}

struct TransitEntry: Sendable {
  var id: Int64
  var name: String
  var attributes: TransitKeyAttributes

  static func fetch(_ db: Database, name: String) throws -> TransitEntry? {
    guard
      let row = try Row.fetchOne(
        db, cached: "SELECT id, name, attributes FROM entries WHERE kind = ? AND lookup_name = ?",
        arguments: [EntryKind.vaultTransitKey.rawValue, name])
    else { return nil }
    let json: String = row["attributes"]
    return TransitEntry(
      id: row["id"], name: row["name"],
      attributes: try JSONDecoder().decode(TransitKeyAttributes.self, from: Data(json.utf8)))
  }

  static func encode(_ attributes: TransitKeyAttributes) throws -> String {
    String(decoding: try JSONEncoder().encode(attributes), as: UTF8.self)
  }

  func save(_ db: Database) throws {
    try db.execute(
      cached: "UPDATE entries SET attributes = ?, last_version = ? WHERE id = ?",
      arguments: [try Self.encode(attributes), attributes.latestVersion, id])
  }

  func info(name: String, _ db: Database) throws -> TransitKeyInfo {
    var versions: [Int: Date] = [:]
    for row in try Row.fetchAll(
      db, cached: "SELECT version, created_at FROM entry_versions WHERE entry_id = ?",
      arguments: [id])
    {
      versions[row["version"]] = Date(timeIntervalSince1970: row["created_at"])
    }
    return TransitKeyInfo(
      name: name, type: attributes.type, derived: attributes.derived,
      convergent: attributes.convergent, exportable: attributes.exportable,
      deletionAllowed: attributes.deletionAllowed,
      allowPlaintextBackup: attributes.allowPlaintextBackup,
      minDecryptionVersion: attributes.minDecryptionVersion,
      minEncryptionVersion: attributes.minEncryptionVersion,
      latestVersion: attributes.latestVersion, versions: versions)
  }
}
