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

  static func auditSaltContext(_ storeID: [UInt8], _ path: String) -> SealingContext {
    SealingContext(
      storeID: storeID, kind: EntryKind(rawValue: "vault-audit-salt"), name: path, version: 1)
  }
}
