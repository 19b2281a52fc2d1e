import Foundation
import GRDB

/// The mount table (`sys/mounts`): which secrets engine answers under which path.
extension SQLiteStore {
  package func vaultMounts() async throws -> [VaultMount] {
    try await readSnapshot { db in try Self.mounts(db) }
  }

  /// The mount a request path falls under (the longest mount path that prefixes it), and the
  /// rest of the path inside the mount.
  package func vaultMount(for requestPath: String) async throws -> (VaultMount, String)? {
    try await readSnapshot { db in try Self.mount(for: requestPath, db) }
  }

  static func mounts(_ db: Database) throws -> [VaultMount] {
    try Row.fetchAll(db, cached: "SELECT * FROM vault_mounts ORDER BY path").compactMap(mount(row:))
  }

  static func mount(for requestPath: String, _ db: Database) throws -> (VaultMount, String)? {
    let path = requestPath.hasSuffix("/") ? requestPath : requestPath + "/"
    let best = try mounts(db).filter { path.hasPrefix($0.path) }.max {
      $0.path.count < $1.path.count
    }
    guard let best else { return nil }
    return (best, String(requestPath.dropFirst(min(best.path.count, requestPath.count))))
  }

  static func mount(named name: String, type: VaultMount.EngineType, _ db: Database) throws
    -> VaultMount
  {
    guard
      let row = try Row.fetchOne(
        db, cached: "SELECT * FROM vault_mounts WHERE path = ?", arguments: [name + "/"]),
      let mount = mount(row: row), mount.type == type
    else {
      throw VaultError.invalid("no \(type.rawValue) mount at '\(name)/'")
    }
    return mount
  }

  static func mount(row: Row) -> VaultMount? {
    guard let type = VaultMount.EngineType(rawValue: row["type"]) else { return nil }
    let options =
      (try? JSONDecoder().decode(
        [String: String].self, from: Data((row["options"] as String).utf8))) ?? [:]
    let config =
      (try? JSONDecoder().decode(
        KVConfig.self, from: Data((row["config"] as String).utf8))) ?? KVConfig()
    return VaultMount(
      path: row["path"], type: type, description: row["description"], accessor: row["accessor"],
      uuid: row["uuid"], options: options,
      createdAt: Date(timeIntervalSince1970: row["created_at"]), kvConfig: config)
  }

  /// Mounts an engine (`POST sys/mounts/:path`). Paths are unique and never nest, and `sys/`,
  /// `auth/`, `cubbyhole/` and `identity/` are Vault's own.
  package func enableVaultMount(
    path rawPath: String, type: VaultMount.EngineType, description: String = "",
    options: [String: String] = [:]
  ) async throws {
    let path = Self.mountPath(rawPath)
    try await performVault("sys/mounts/enable", kind: nil, name: path) { db, trail in
      guard path != "/" else { throw VaultError.invalid("cannot mount at the root path") }
      for reserved in ["sys/", "auth/", "cubbyhole/", "identity/"] where path.hasPrefix(reserved) {
        throw VaultError.invalid("cannot mount under '\(reserved)'")
      }
      if let existing = try Self.mounts(db).first(where: {
        path.hasPrefix($0.path) || $0.path.hasPrefix(path)
      }) {
        throw VaultError.invalid("path is already in use at \(existing.path)")
      }
      var options = options
      if type == .kv {
        let version = options["version"] ?? "2"
        guard version == "2" else {
          throw VaultError.invalid("cinch serves KV version 2 only, not version \(version)")
        }
        options["version"] = "2"
      }
      let optionsJSON = String(decoding: try JSONEncoder().encode(options), as: UTF8.self)
      let prefix = type == .kv ? "kv" : type.rawValue
      try db.execute(
        cached: """
          INSERT INTO vault_mounts (path, type, description, accessor, uuid, options, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          path, type.rawValue, description,
          "\(prefix)_" + (try Crypto.randomBytes(4)).hex, (try Crypto.randomBytes(16)).hex,
          optionsJSON, self.vaultNow().timeIntervalSince1970,
        ])
      trail.record(path)
    }
  }

  /// Changes a mount's description (`POST sys/mounts/:path/tune`), the one setting of Vault's
  /// tune that cinch's mounts keep.
  package func tuneVaultMount(path rawPath: String, description: String) async throws {
    let path = Self.mountPath(rawPath)
    try await performVault("sys/mounts/tune", kind: nil, name: path) { db, trail in
      try db.execute(
        cached: "UPDATE vault_mounts SET description = ? WHERE path = ?",
        arguments: [description, path])
      guard db.changesCount > 0 else {
        throw VaultError.invalid("No secret engine mount at \(path)")
      }
      trail.record(path)
    }
  }

  /// Unmounts an engine and removes everything it held (`DELETE sys/mounts/:path`); revoking
  /// the leases of a database mount is the caller's job (it needs the database). A path with
  /// no mount is a no-op, as in Vault.
  package func disableVaultMount(path rawPath: String) async throws {
    let path = Self.mountPath(rawPath)
    try await performVault("sys/mounts/disable", kind: nil, name: path) { db, trail in
      guard
        try Row.fetchOne(
          db, cached: "SELECT path FROM vault_mounts WHERE path = ?",
          arguments: [path]) != nil
      else { return }
      for kind in EntryKind.vaultKinds {
        try db.execute(
          cached: "DELETE FROM entries WHERE kind = ? AND lookup_name LIKE ? ESCAPE '\\'",
          arguments: [kind.rawValue, path.likePrefixPattern])
      }
      try db.execute(cached: "DELETE FROM vault_leases WHERE mount = ?", arguments: [path])
      try db.execute(cached: "DELETE FROM vault_mounts WHERE path = ?", arguments: [path])
      trail.record(path)
    }
  }

  /// A KV v2 mount's configuration (`GET <mount>/config`).
  package func kvConfig(mount: String) async throws -> KVConfig {
    try await performVault("kv/config/read", kind: nil, name: mount + "/") { db, _ in
      try Self.mount(named: mount, type: .kv, db).kvConfig
    }
  }

  /// Changes the fields given (`POST <mount>/config`).
  package func setKVConfig(
    mount: String, maxVersions: Int?, casRequired: Bool?, deleteVersionAfter: Int64?
  ) async throws {
    try await performVault("kv/config/write", kind: nil, name: mount + "/") { db, _ in
      var config = try Self.mount(named: mount, type: .kv, db).kvConfig
      if let maxVersions { config.maxVersions = maxVersions }
      if let casRequired { config.casRequired = casRequired }
      if let deleteVersionAfter { config.deleteVersionAfter = deleteVersionAfter }
      try db.execute(
        cached: "UPDATE vault_mounts SET config = ? WHERE path = ?",
        arguments: [String(decoding: try JSONEncoder().encode(config), as: UTF8.self), mount + "/"])
    }
  }

  /// `secret`, `/secret/`, `secret//` → `secret/`.
  package static func mountPath(_ raw: String) -> String {
    var path = raw
    while path.hasPrefix("/") { path.removeFirst() }
    while path.hasSuffix("//") { path.removeLast() }
    return path.hasSuffix("/") ? path : path + "/"
  }
}
