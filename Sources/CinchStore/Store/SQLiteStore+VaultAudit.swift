import Foundation
import GRDB

/// A Vault audit device (`sys/audit`): where entries go, and the salt its hashes are keyed by.
package struct VaultAuditDevice: Sendable {
  /// With the trailing slash: `file/`.
  package var path: String
  package var type: String
  package var description: String
  package var options: [String: String]
  /// The HMAC key of `hmac-sha256:` hashes: a random UUID string, as Vault's salt is, sealed in
  /// the store. A device enabled again gets a new salt.
  package var salt: SecretBytes
}

extension SQLiteStore {
  package func vaultAuditDevices() async throws -> [VaultAuditDevice] {
    let storeID = self.storeID
    return try await readSnapshot { db in
      try Row.fetchAll(db, cached: "SELECT * FROM vault_audit_devices ORDER BY path").map { row in
        let path: String = row["path"]
        let options: String = row["options"]
        return VaultAuditDevice(
          path: path, type: row["type"], description: row["description"],
          options: try JSONDecoder().decode([String: String].self, from: Data(options.utf8)),
          salt: try self.openVault(
            Array(row["salt"] as Data), context: Self.auditSaltContext(storeID, path),
            displayName: "audit device '\(path)'"))
      }
    }
  }

  /// Enables a `file` device (`POST sys/audit/:path`); `file_path` is a file, `stdout`, or
  /// `discard`. A file is handed to `testEntry` (its path and the device's `mode`) once the
  /// path is known to be free and before the device is kept: Vault writes a test entry to a new
  /// device (`LogTestMessage`), and a file that takes none is refused by what it throws.
  package func enableVaultAuditDevice(
    path rawPath: String, type: String, description: String, options: [String: String],
    testEntry: @escaping @Sendable (_ file: String, _ mode: String?) throws -> Void
  ) async throws {
    let path = Self.mountPath(rawPath)
    try await performVault("sys/audit/enable", kind: nil, name: path) { db, trail in
      guard type == "file" else {
        throw VaultError.invalid("unknown backend type: \(type)")
      }
      guard let filePath = options["file_path"], !filePath.isEmpty else {
        throw VaultError.invalid("file_path is required")
      }
      try Self.checkAuditOptions(options)
      if try Row.fetchOne(
        db, cached: "SELECT path FROM vault_audit_devices WHERE path = ?", arguments: [path]) != nil
      {
        throw VaultError.invalid("path already in use")
      }
      if filePath != "discard" && filePath != "stdout" {
        try testEntry(filePath, options["mode"])
      }
      let salt = SecretBytes(utf8: UUID().uuidString.lowercased())
      try db.execute(
        cached: """
          INSERT INTO vault_audit_devices (path, type, description, options, salt, created_at)
          VALUES (?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          path, type, description,
          String(decoding: try JSONEncoder().encode(options), as: UTF8.self),
          Data(try self.sealVault(salt, context: Self.auditSaltContext(self.storeID, path))),
          self.vaultNow().timeIntervalSince1970,
        ])
      trail.record(path)
    }
  }

  /// Disables a device (`DELETE sys/audit/:path`); its salt is gone for good.
  package func disableVaultAuditDevice(path rawPath: String) async throws {
    let path = Self.mountPath(rawPath)
    try await performVault("sys/audit/disable", kind: nil, name: path) { db, trail in
      try db.execute(cached: "DELETE FROM vault_audit_devices WHERE path = ?", arguments: [path])
      trail.record(path)
    }
  }

  /// Options a file device takes and cinch honours: `file_path`, `mode`, and the common
  /// options at their defaults (`format=json`, `log_raw=false`, `hmac_accessor=true`,
  /// `elide_list_responses=false`, an empty `prefix`). Anything else is refused with 400 rather
  /// than stored and ignored: `log_raw=true` would write secret values to the file, which
  /// cinch never does; `jsonx`, unhashed accessors, elided lists, a line prefix and Vault
  /// Enterprise's `filter`, `fallback` and `exclude` are not implemented, and an unknown name is
  /// most likely a typo that would leave the device doing something else than asked.
  /// https://developer.hashicorp.com/vault/docs/audit/file
  static func checkAuditOptions(_ options: [String: String]) throws {
    // Go's strconv.ParseBool spellings.
    func bool(_ text: String) -> Bool? {
      switch text {
      case "1", "t", "T", "true", "TRUE", "True": true
      case "0", "f", "F", "false", "FALSE", "False": false
      default: nil
      }
    }
    for (name, value) in options.sorted(by: { $0.key < $1.key }) {
      switch name {
      case "file_path":
        continue
      case "mode":
        guard let mode = mode_t(value, radix: 8) else {
          throw VaultError.invalid("unable to parse 'mode': \(value) is not an octal mode")
        }
        // "File audit devices cannot use file modes with executable permissions (e.g., 0777,
        // 0755)" (developer.hashicorp.com/vault/docs/commands/audit/enable).
        guard mode & 0o111 == 0 else {
          throw VaultError.invalid(
            "mode \(value) is not allowed: file audit devices cannot use file modes with "
              + "executable permissions")
        }
      case "format":
        guard value == "json" else {
          throw VaultError.invalid("format '\(value)' is not supported: cinch writes json")
        }
      case "log_raw", "hmac_accessor", "elide_list_responses":
        guard let flag = bool(value) else {
          throw VaultError.invalid("unable to parse '\(name)': '\(value)' is not a boolean")
        }
        let supported = name == "hmac_accessor"
        guard flag == supported else {
          throw VaultError.invalid(
            name == "log_raw"
              ? "log_raw=true is not supported: cinch writes no secret value to an audit device"
              : "\(name)=\(value) is not supported: cinch serves only \(name)=\(supported)")
        }
      case "prefix":
        guard value.isEmpty else {
          throw VaultError.invalid("prefix is not supported: cinch writes each entry as it is")
        }
      default:
        throw VaultError.invalid("unknown option '\(name)' for a file audit device")
      }
    }
  }

  static func auditSaltContext(_ storeID: [UInt8], _ path: String) -> SealingContext {
    SealingContext(
      storeID: storeID, kind: EntryKind(rawValue: "vault-audit-salt"), name: path, version: 1)
  }
}
