package import Foundation

/// A transit key ring's settings and versions, without material (`GET transit/keys/:name`).
package struct TransitKeyInfo: Sendable, Hashable {
  package var name: String
  package var type: String
  package var derived: Bool
  package var convergent: Bool
  package var exportable: Bool
  package var deletionAllowed: Bool
  package var allowPlaintextBackup: Bool
  /// At least 1.
  package var minDecryptionVersion: Int
  /// 0: the latest.
  package var minEncryptionVersion: Int
  package var latestVersion: Int
  /// Version → creation time.
  package var versions: [Int: Date]
}

/// A key ring with the material of every version still allowed to decrypt, for one operation.
package struct TransitKeyring: Sendable {
  package var info: TransitKeyInfo
  package var material: [Int: SecretBytes]
}

/// The settings `keys/:name/config` changes; nil leaves one as it is.
package struct TransitKeyConfig: Sendable, Hashable {
  package var minDecryptionVersion: Int?
  package var minEncryptionVersion: Int?
  package var deletionAllowed: Bool?
  package var exportable: Bool?
  package var allowPlaintextBackup: Bool?

  package init(
    minDecryptionVersion: Int? = nil, minEncryptionVersion: Int? = nil,
    deletionAllowed: Bool? = nil, exportable: Bool? = nil, allowPlaintextBackup: Bool? = nil
  ) {
    self.minDecryptionVersion = minDecryptionVersion
    self.minEncryptionVersion = minEncryptionVersion
    self.deletionAllowed = deletionAllowed
    self.exportable = exportable
    self.allowPlaintextBackup = allowPlaintextBackup
  }
}

/// The key `encrypt` creates when its key is missing (Vault's upsert): the request's `type`
/// and `convergent_encryption`, derived when the request carries a context. Checked only when
/// the key has to be created, as Vault checks them only for a create operation.
package struct TransitNewKey: Sendable, Hashable {
  package var type: String
  package var derived: Bool
  package var convergent: Bool

  package init(type: String, derived: Bool, convergent: Bool) {
    self.type = type
    self.derived = derived
    self.convergent = convergent
  }

  /// Vault's checks in `path_encrypt.go`; the types Vault would create here and cinch does not
  /// implement are refused as `keys/:name` refuses them.
  package func validate() throws {
    if convergent && !derived {
      throw VaultError.invalid(
        "convergent encryption requires derivation to be enabled, so context is required")
    }
    if SQLiteStore.transitKeyTypes.contains(type) { return }
    switch type {
    case "ecdsa-p256", "ecdsa-p384", "ecdsa-p521":
      throw VaultError.invalid("key type \(type) not supported for this operation")
    case "aes128-gcm96", "chacha20-poly1305": throw VaultError.unimplementedKeyType(type)
    default: throw VaultError.invalid("unknown key type \(type)")
    }
  }
}

extension VaultError {
  /// A transit key type Vault knows and cinch does not implement.
  package static func unimplementedKeyType(_ type: String) -> VaultError {
    .invalid("key type \(type) is not supported by cinch; use aes256-gcm96")
  }
}

/// The key ring's record in `entries.attributes`.
struct TransitKeyAttributes: Codable, Sendable {
  var type: String
  var derived: Bool
  var convergent: Bool
  var exportable: Bool
  var deletionAllowed: Bool
  var allowPlaintextBackup: Bool
  var minDecryptionVersion: Int
  var minEncryptionVersion: Int
  var latestVersion: Int
}
