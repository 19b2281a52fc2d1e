import Foundation
import GRDB

/// The plumbing the Vault-compatible engines share: their operation wrapper, sealing, the clock.
extension SQLiteStore {
  /// `perform` for Vault operations: one write transaction, a savepoint rolled back when the
  /// body throws a `VaultError` (or a `StoreError`), and the audit rows (the failure's status
  /// when it failed) appended in the same transaction.
  func performVault<T: Sendable>(
    _ operation: String, kind: EntryKind?, name: String?,
    _ body: @escaping @Sendable (Database, inout AuditTrail) throws -> T
  ) async throws -> T {
    let caller = configuration.caller
    let vault = self.vault
    let outcome: Result<T, any Error> = try await writeWithRetry { db in
      var trail = AuditTrail(operation: operation, kind: kind)
      var result: T?
      do {
        try db.inSavepoint {
          result = try body(db, &trail)
          return .commit
        }
      } catch let error as VaultError {
        var failure = AuditTrail(operation: operation, kind: kind)
        failure.record(name, result: error.auditResult)
        try AuditChain.append(failure.events, caller: caller, at: Date(), db, vault: vault)
        return .failure(error)
      } catch let error as StoreError {
        var failure = AuditTrail(operation: operation, kind: kind)
        failure.record(name, result: error.code)
        try AuditChain.append(failure.events, caller: caller, at: Date(), db, vault: vault)
        return .failure(error)
      }
      guard let result else { preconditionFailure("a committed savepoint ran its body") }
      if trail.events.isEmpty { trail.record(name) }
      try AuditChain.append(trail.events, caller: caller, at: Date(), db, vault: vault)
      return .success(result)
    }
    return try outcome.get()
  }

  /// Now, to the microsecond, on the store's clock.
  func vaultNow() -> Date {
    VaultTime.now(offset: clockOffset)
  }

  /// The id bytes the Vault key is named by in sealed blobs.
  static let vaultKeyID: [UInt8] = Array("cinch-vault-key1".utf8)

  /// The key that wraps the data key of every sealed Vault value (KV versions, transit key
  /// material, database passwords, token ids, audit salts): derived from the store key, which
  /// the master key wraps, so a rekey keeps it.
  func vaultKey() throws -> SecretBytes {
    try Crypto.hkdfSHA256(key: vault.storeKey, salt: storeID, info: "cinch/v1/vault-seal")
  }

  /// Seals `bytes` under a fresh data key wrapped by the Vault key.
  func sealVault(_ bytes: SecretBytes, context: SealingContext) throws -> [UInt8] {
    let key = try vaultKey()
    return try bytes.withUnsafeBytes {
      try Envelope.seal($0, keyID: Self.vaultKeyID, keyMaterial: key, context: context)
    }
  }

  /// Opens a sealed Vault value; a failure names the entry, never the value.
  func openVault(_ sealed: [UInt8], context: SealingContext, displayName: String) throws
    -> SecretBytes
  {
    do {
      guard try Envelope.keyID(of: sealed) == Self.vaultKeyID else {
        throw CryptoError.authenticationFailed
      }
      return try Envelope.open(sealed, keyMaterial: try vaultKey(), context: context)
    } catch is CryptoError {
      throw StoreError.sealedValueRejected(
        kind: context.kind, name: displayName, version: context.version)
    }
  }

  /// A keyed hash (HMAC-SHA256 under a key derived from the store key): how token ids are
  /// looked up without being stored.
  func vaultLookupHash(_ text: String, purpose: String) throws -> [UInt8] {
    let key = try Crypto.hkdfSHA256(
      key: vault.storeKey, salt: storeID, info: "cinch/v1/vault-\(purpose)")
    return Crypto.hmacSHA256(key: key, Array(text.utf8))
  }
}

extension EntryKind {
  /// A transit key ring (one version per key version, the material sealed).
  package static let vaultTransitKey = EntryKind(rawValue: "vault-transit-key")
  /// A database secrets engine connection (the admin password sealed).
  package static let vaultDatabaseConnection = EntryKind(rawValue: "vault-database-connection")
  /// A database secrets engine role (no secret: SQL templates and TTLs).
  package static let vaultDatabaseRole = EntryKind(rawValue: "vault-database-role")
  /// The kinds removed with their mount.
  static let vaultKinds: [EntryKind] = [
    .vaultKV, .vaultTransitKey, .vaultDatabaseConnection, .vaultDatabaseRole,
  ]
}

extension String {
  /// This string as a `LIKE` prefix pattern (with `ESCAPE '\'`).
  var likePrefixPattern: String {
    var pattern = ""
    for character in self {
      if character == "%" || character == "_" || character == "\\" { pattern.append("\\") }
      pattern.append(character)
    }
    return pattern + "%"
  }
}
