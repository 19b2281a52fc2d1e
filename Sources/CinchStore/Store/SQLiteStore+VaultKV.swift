package import CinchJSON
import Foundation
import GRDB

/// The KV secrets engine, version 2, on the embedded store (Docs/Vault.md). A key is an entry of
/// kind `vault-kv` named `<mount>/<path>`; its metadata lives in `entries.attributes`, each
/// version in `entry_versions` with the data (a JSON object) sealed and the version's times and
/// `destroyed` flag beside it. Rules follow Vault's code where its docs differ (Docs/Vault.md).
extension SQLiteStore {
  /// Versions kept when neither the key nor the mount sets `max_versions`.
  static let kvDefaultMaxVersions = 10

  /// Writes a new version (`POST <mount>/data/<path>`).
  package func kvWrite(mount: String, path: String, data: JSONObject, cas: Int?) async throws
    -> KVVersionMetadata
  {
    let name = "\(mount)/\(path)"
    return try await performVault("kv/write", kind: .vaultKV, name: name) { db, trail in
      let config = try Self.mount(named: mount, type: .kv, db).kvConfig
      let now = self.vaultNow()
      var entry =
        try KVEntry.fetch(db, name: name)
        ?? KVEntry.create(db, name: name, at: now)
      try Self.checkCAS(cas, entry: entry.attributes, config: config)
      let written = try self.addVersion(&entry, data: data, config: config, at: now, db)
      trail.record(name, version: written.version)
      return written
    }
  }

  /// Reads version `version` (0: the current one) (`GET <mount>/data/<path>`). Nil when the key
  /// or the version does not exist (pruned versions included).
  package func kvRead(mount: String, path: String, version: Int) async throws -> KVRead? {
    let name = "\(mount)/\(path)"
    return try await performVault("kv/read", kind: .vaultKV, name: name) { db, trail in
      _ = try Self.mount(named: mount, type: .kv, db)
      guard let entry = try KVEntry.fetch(db, name: name) else { return nil }
      let number = version == 0 ? entry.attributes.currentVersion : version
      guard let read = try self.read(entry, version: number, db) else { return nil }
      trail.record(name, version: number)
      return read
    }
  }

  /// Applies a JSON merge patch to the current version and writes the result as a new version
  /// (`PATCH <mount>/data/<path>`).
  package func kvPatch(mount: String, path: String, patch: JSONObject, cas: Int?) async throws
    -> KVPatchOutcome
  {
    let name = "\(mount)/\(path)"
    return try await performVault("kv/patch", kind: .vaultKV, name: name) { db, trail in
      let config = try Self.mount(named: mount, type: .kv, db).kvConfig
      guard var entry = try KVEntry.fetch(db, name: name), entry.attributes.currentVersion > 0
      else { return .missing }
      try Self.checkCAS(cas, entry: entry.attributes, config: config)
      guard let current = try self.read(entry, version: entry.attributes.currentVersion, db)
      else { return .missing }
      guard let data = current.data else { return .currentUnavailable(current.metadata) }
      let merged = JSONMergePatch.apply(.object(patch), to: .object(data)).objectValue ?? [:]
      let written = try self.addVersion(
        &entry, data: merged, config: config, at: self.vaultNow(), db)
      trail.record(name, version: written.version)
      return .written(written)
    }
  }

  /// Soft-deletes `versions`, or the current version when nil (`DELETE <mount>/data/<path>`,
  /// `POST <mount>/delete/<path>`). Missing keys and versions, destroyed versions and versions
  /// already deleted are left alone.
  package func kvDelete(mount: String, path: String, versions: [Int]?) async throws {
    let name = "\(mount)/\(path)"
    try await performVault("kv/delete", kind: .vaultKV, name: name) { db, trail in
      _ = try Self.mount(named: mount, type: .kv, db)
      guard let entry = try KVEntry.fetch(db, name: name) else { return }
      let now = self.vaultNow()
      for number in versions ?? [entry.attributes.currentVersion] {
        guard var version = try KVVersionRow.fetch(db, entry: entry.id, version: number),
          !version.attributes.destroyed
        else { continue }
        if let deletion = version.attributes.deletionTime, deletion <= now.timeIntervalSince1970 {
          continue
        }
        version.attributes.deletionTime = now.timeIntervalSince1970
        try version.saveAttributes(db, entry: entry.id)
        trail.record(name, version: number)
      }
    }
  }

  /// Clears the deletion of `versions` that are not destroyed (`POST <mount>/undelete/<path>`);
  /// a `delete_version_after` in force sets a new deletion time from now.
  package func kvUndelete(mount: String, path: String, versions: [Int]) async throws {
    let name = "\(mount)/\(path)"
    try await performVault("kv/undelete", kind: .vaultKV, name: name) { db, trail in
      let config = try Self.mount(named: mount, type: .kv, db).kvConfig
      guard let entry = try KVEntry.fetch(db, name: name) else { return }
      let now = self.vaultNow()
      let after = Self.effectiveDeleteVersionAfter(
        mount: config.deleteVersionAfter, key: entry.attributes.deleteVersionAfter)
      for number in versions {
        guard var version = try KVVersionRow.fetch(db, entry: entry.id, version: number),
          !version.attributes.destroyed
        else { continue }
        version.attributes.deletionTime = after.map {
          now.timeIntervalSince1970 + Double($0) / 1e9
        }
        try version.saveAttributes(db, entry: entry.id)
        trail.record(name, version: number)
      }
    }
  }

  /// Destroys `versions`: the sealed data is removed for good, the metadata says `destroyed`
  /// (`PUT <mount>/destroy/<path>`).
  package func kvDestroy(mount: String, path: String, versions: [Int]) async throws {
    let name = "\(mount)/\(path)"
    try await performVault("kv/destroy", kind: .vaultKV, name: name) { db, trail in
      _ = try Self.mount(named: mount, type: .kv, db)
      guard let entry = try KVEntry.fetch(db, name: name) else { return }
      for number in versions {
        guard var version = try KVVersionRow.fetch(db, entry: entry.id, version: number),
          !version.attributes.destroyed
        else { continue }
        version.attributes.destroyed = true
        try version.saveAttributes(db, entry: entry.id)
        try db.execute(
          cached: "UPDATE entry_versions SET sealed = NULL WHERE entry_id = ? AND version = ?",
          arguments: [entry.id, number])
        trail.record(name, version: number)
      }
    }
  }

  /// A key's metadata (`GET <mount>/metadata/<path>`); nil when there is no such key.
  package func kvMetadata(mount: String, path: String) async throws -> KVKeyMetadata? {
    let name = "\(mount)/\(path)"
    return try await performVault("kv/metadata/read", kind: .vaultKV, name: name) { db, _ in
      _ = try Self.mount(named: mount, type: .kv, db)
      guard let entry = try KVEntry.fetch(db, name: name) else { return nil }
      let versions = try KVVersionRow.fetchAll(db, entry: entry.id).map {
        (
          $0.version,
          KVKeyMetadata.Version(
            createdTime: Date(timeIntervalSince1970: $0.attributes.createdTime),
            deletionTime: $0.attributes.deletionTime.map(Date.init(timeIntervalSince1970:)),
            destroyed: $0.attributes.destroyed)
        )
      }
      let attributes = entry.attributes
      return KVKeyMetadata(
        casRequired: attributes.casRequired,
        createdTime: Date(timeIntervalSince1970: attributes.createdTime),
        currentVersion: attributes.currentVersion, customMetadata: attributes.customMetadata,
        deleteVersionAfter: attributes.deleteVersionAfter, maxVersions: attributes.maxVersions,
        oldestVersion: attributes.oldestVersion,
        updatedTime: Date(timeIntervalSince1970: attributes.updatedTime), versions: versions)
    }
  }

  /// Changes a key's settings, creating the key (with no version) when it is absent
  /// (`POST <mount>/metadata/<path>`); with `createIfMissing` false (a metadata PATCH) a missing
  /// key is left alone and the result is false. Writes no version.
  package func kvWriteMetadata(
    mount: String, path: String, update: KVMetadataUpdate, createIfMissing: Bool = true
  ) async throws -> Bool {
    let name = "\(mount)/\(path)"
    return try await performVault("kv/metadata/write", kind: .vaultKV, name: name) { db, _ in
      _ = try Self.mount(named: mount, type: .kv, db)
      let now = self.vaultNow()
      var entry: KVEntry
      if let existing = try KVEntry.fetch(db, name: name) {
        entry = existing
      } else if createIfMissing {
        entry = try KVEntry.create(db, name: name, at: now)
      } else {
        return false
      }
      if let maxVersions = update.maxVersions { entry.attributes.maxVersions = maxVersions }
      if let casRequired = update.casRequired { entry.attributes.casRequired = casRequired }
      if let after = update.deleteVersionAfter { entry.attributes.deleteVersionAfter = after }
      if let custom = update.customMetadata {
        var merged = createIfMissing ? [:] : (entry.attributes.customMetadata ?? [:])
        for (key, value) in custom { merged[key] = value }
        // Vault keeps KeyMetadata as protobuf, where an empty map is not kept: emptied (by
        // `{}` or by a patch removing the last key), it reads back null.
        entry.attributes.customMetadata = merged.isEmpty ? nil : merged
      }
      entry.attributes.updatedTime = now.timeIntervalSince1970
      try entry.save(db)
      return true
    }
  }

  /// Removes a key and every version (`DELETE <mount>/metadata/<path>`).
  package func kvDeleteMetadata(mount: String, path: String) async throws {
    let name = "\(mount)/\(path)"
    try await performVault("kv/metadata/delete", kind: .vaultKV, name: name) { db, _ in
      _ = try Self.mount(named: mount, type: .kv, db)
      try db.execute(
        cached: "DELETE FROM entries WHERE kind = ? AND lookup_name = ?",
        arguments: [EntryKind.vaultKV.rawValue, name])
    }
  }

  /// The names under a folder (`LIST <mount>/metadata/<folder>`): keys, and sub-folders with a
  /// trailing `/`, sorted. With `excludeDeleted`, keys whose current version is deleted are
  /// left out.
  package func kvList(mount: String, folder: String, excludeDeleted: Bool = false) async throws
    -> [String]
  {
    let prefix = "\(mount)/\(folder)"
    return try await performVault("kv/list", kind: .vaultKV, name: prefix) { db, _ in
      _ = try Self.mount(named: mount, type: .kv, db)
      let rows = try Row.fetchAll(
        db,
        cached: """
          SELECT id, lookup_name, last_version FROM entries
          WHERE kind = ? AND lookup_name LIKE ? ESCAPE '\\'
          """,
        arguments: [EntryKind.vaultKV.rawValue, prefix.likePrefixPattern])
      let now = self.vaultNow()
      var names = Set<String>()
      for row in rows {
        let full: String = row["lookup_name"]
        let rest = full.dropFirst(prefix.count)
        if let slash = rest.firstIndex(of: "/") {
          names.insert(String(rest[...slash]))
          continue
        }
        if excludeDeleted,
          let version = try KVVersionRow.fetch(
            db, entry: row["id"], version: row["last_version"]),
          version.attributes.destroyed
            || version.attributes.deletionTime.map({ $0 <= now.timeIntervalSince1970 }) ?? false
        {
          continue
        }
        names.insert(String(rest))
      }
      return names.sorted()
    }
  }

  // MARK: Steps

  /// Vault's `validateCheckAndSetOption`.
  static func checkCAS(_ cas: Int?, entry: KVKeyAttributes, config: KVConfig) throws {
    if let cas {
      guard cas == entry.currentVersion else {
        throw VaultError.invalid("check-and-set parameter did not match the current version")
      }
    } else if config.casRequired || entry.casRequired {
      throw VaultError.invalid("check-and-set parameter required for this call")
    }
  }

  /// The smaller non-zero of the mount's and the key's `delete_version_after`; nil when neither
  /// sets one or either disables it (negative).
  static func effectiveDeleteVersionAfter(mount: Int64, key: Int64) -> Int64? {
    if mount < 0 || key < 0 { return nil }
    return [mount, key].filter { $0 > 0 }.min()
  }

  /// Seals and stores `data` as the next version, then applies the retention rule (Vault's
  /// `AddVersion`: the limit is the greater of the key's and the mount's `max_versions`, 10
  /// when both are 0).
  func addVersion(
    _ entry: inout KVEntry, data: JSONObject, config: KVConfig, at now: Date, _ db: Database
  ) throws -> KVVersionMetadata {
    let number = entry.attributes.currentVersion + 1
    let after = Self.effectiveDeleteVersionAfter(
      mount: config.deleteVersionAfter, key: entry.attributes.deleteVersionAfter)
    let attributes = KVVersionAttributes(
      createdTime: now.timeIntervalSince1970,
      deletionTime: after.map { now.timeIntervalSince1970 + Double($0) / 1e9 })
    let context = SealingContext(
      storeID: storeID, kind: .vaultKV, name: entry.name, version: number)
    let sealed = try sealVault(
      SecretBytes(utf8: JSONValue.object(data).compact()), context: context)
    try db.execute(
      cached: """
        INSERT INTO entry_versions (entry_id, version, created_at, created_by, sealed, attributes)
        VALUES (?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        entry.id, number, now.timeIntervalSince1970, configuration.caller, Data(sealed),
        try KVVersionRow.encode(attributes),
      ])
    entry.attributes.currentVersion = number
    entry.attributes.updatedTime = now.timeIntervalSince1970
    let limit = max(entry.attributes.maxVersions, config.maxVersions)
    let keep = limit > 0 ? limit : Self.kvDefaultMaxVersions
    if number - entry.attributes.oldestVersion >= keep {
      let last = number - keep
      try db.execute(
        cached: "DELETE FROM entry_versions WHERE entry_id = ? AND version <= ?",
        arguments: [entry.id, last])
      entry.attributes.oldestVersion = last + 1
    }
    try entry.save(db)
    return KVVersionMetadata(
      version: number, createdTime: now,
      deletionTime: attributes.deletionTime.map(Date.init(timeIntervalSince1970:)),
      destroyed: false, customMetadata: entry.attributes.customMetadata)
  }

  /// A version with its data opened, or its metadata alone when deleted or destroyed.
  func read(_ entry: KVEntry, version number: Int, _ db: Database) throws -> KVRead? {
    guard number > 0, let version = try KVVersionRow.fetch(db, entry: entry.id, version: number)
    else { return nil }
    let metadata = KVVersionMetadata(
      version: number, createdTime: Date(timeIntervalSince1970: version.attributes.createdTime),
      deletionTime: version.attributes.deletionTime.map(Date.init(timeIntervalSince1970:)),
      destroyed: version.attributes.destroyed, customMetadata: entry.attributes.customMetadata)
    guard !metadata.destroyed, !metadata.isDeleted(at: vaultNow()), let sealed = version.sealed
    else { return KVRead(metadata: metadata, data: nil) }
    let context = SealingContext(
      storeID: storeID, kind: .vaultKV, name: entry.name, version: number)
    let plain = try openVault(sealed, context: context, displayName: entry.name)
    guard let object = try? JSONValueParser.parse(plain.utf8String()).objectValue else {
      throw StoreError.sealedValueRejected(kind: .vaultKV, name: entry.name, version: number)
    }
    return KVRead(metadata: metadata, data: object)
  }
}

/// A KV key's row in `entries`.
struct KVEntry: Sendable {
  var id: Int64
  var name: String
  var attributes: KVKeyAttributes

  static func fetch(_ db: Database, name: String) throws -> KVEntry? {
    guard
      let row = try Row.fetchOne(
        db, cached: "SELECT id, name, attributes FROM entries WHERE kind = ? AND lookup_name = ?",
        arguments: [EntryKind.vaultKV.rawValue, name])
    else { return nil }
    let json: String = row["attributes"]
    return KVEntry(
      id: row["id"], name: row["name"],
      attributes: try JSONDecoder().decode(KVKeyAttributes.self, from: Data(json.utf8)))
  }

  static func create(_ db: Database, name: String, at now: Date) throws -> KVEntry {
    let attributes = KVKeyAttributes(
      createdTime: now.timeIntervalSince1970, updatedTime: now.timeIntervalSince1970)
    let json = String(decoding: try JSONEncoder().encode(attributes), as: UTF8.self)
    try db.execute(
      cached: """
        INSERT INTO entries (kind, lookup_name, name, created_at, last_version, attributes)
        VALUES (?, ?, ?, ?, 0, ?)
        """,
      arguments: [EntryKind.vaultKV.rawValue, name, name, now.timeIntervalSince1970, json])
    return KVEntry(id: db.lastInsertedRowID, name: name, attributes: attributes)
  }

  func save(_ db: Database) throws {
    let json = String(decoding: try JSONEncoder().encode(attributes), as: UTF8.self)
    try db.execute(
      cached: "UPDATE entries SET attributes = ?, last_version = ? WHERE id = ?",
      arguments: [json, attributes.currentVersion, id])
  }
}

/// A KV version's row in `entry_versions`.
struct KVVersionRow: Sendable {
  var version: Int
  var sealed: [UInt8]?
  var attributes: KVVersionAttributes

  init(row: Row) throws {
    version = row["version"]
    sealed = (row["sealed"] as Data?).map(Array.init)
    let json: String = row["attributes"]
    attributes = try JSONDecoder().decode(KVVersionAttributes.self, from: Data(json.utf8))
  }

  static func fetch(_ db: Database, entry: Int64, version: Int) throws -> KVVersionRow? {
    try Row.fetchOne(
      db,
      cached: "SELECT version, sealed, attributes FROM entry_versions "
        + "WHERE entry_id = ? AND version = ?",
      arguments: [entry, version]
    ).map(KVVersionRow.init(row:))
  }

  static func fetchAll(_ db: Database, entry: Int64) throws -> [KVVersionRow] {
    try Row.fetchAll(
      db,
      cached: "SELECT version, sealed, attributes FROM entry_versions WHERE entry_id = ? "
        + "ORDER BY version",
      arguments: [entry]
    ).map(KVVersionRow.init(row:))
  }

  static func encode(_ attributes: KVVersionAttributes) throws -> String {
    String(decoding: try JSONEncoder().encode(attributes), as: UTF8.self)
  }

  func saveAttributes(_ db: Database, entry: Int64) throws {
    try db.execute(
      cached: "UPDATE entry_versions SET attributes = ? WHERE entry_id = ? AND version = ?",
      arguments: [try Self.encode(attributes), entry, version])
  }
}
