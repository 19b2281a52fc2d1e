import Foundation

/// The master key's derived keys and the facts needed to check it: the only place the raw
/// master key is handled.
///
/// The master key never seals anything directly: HKDF-SHA256 (salt = the store id) derives the
/// wrapping key that wraps each KMS-style key's material, the store key and the key check value.
struct MasterKey {
  let wrapKey: SecretBytes

  init(raw: SecretBytes, storeID: [UInt8]) throws {
    wrapKey = try Crypto.hkdfSHA256(key: raw, salt: storeID, info: "cinch/v1/master-wrap")
  }

  /// The 32 bytes whose sealed copy (`store_meta.key_check`) tells a right key from a wrong one.
  static var checkValue: SecretBytes {
    SecretBytes(copying: Crypto.sha256(Array("cinch key check v1".utf8)))
  }

  static func checkContext(storeID: [UInt8]) -> SealingContext {
    SealingContext(storeID: storeID, kind: .keyCheck, name: "", version: 0)
  }

  static func storeKeyContext(storeID: [UInt8]) -> SealingContext {
    SealingContext(storeID: storeID, kind: .storeKey, name: "", version: 0)
  }

  static func kmsKeyContext(storeID: [UInt8], keyID: String) -> SealingContext {
    SealingContext(storeID: storeID, kind: .kmsKey, name: keyID, version: 0)
  }

  /// How the master key was obtained, recorded in the store so `open` knows whether to run
  /// scrypt.
  enum Mode: String {
    case key
    case passphrase
  }

  /// What a key source other than a passphrase is told about a store locked with one.
  static let lockedWithAPassphrase = "the store is locked with a passphrase; set CINCH_PASSPHRASE"

  /// Turns a source into the raw key for a store, given its recorded mode and KDF parameters.
  static func raw(
    from source: MasterKeySource, mode: Mode, salt: [UInt8]?, cost: Crypto.ScryptCost?,
    storePath: String
  ) throws -> SecretBytes {
    switch (source, mode) {
    case (.keyFile(let path), .key):
      return try KeyFile.read(at: path)
    case (.key(let key, _), .key):
      return key
    case (.passphrase(let passphrase, _), .passphrase):
      guard let salt, let cost else {
        throw StoreAccessError.notAStore(path: storePath, reason: "the passphrase salt is missing")
      }
      return try Crypto.scrypt(passphrase: passphrase, salt: salt, cost: cost)
    // A key file that is not there is the first mistake, named as on a store locked with a key
    // (until 2026-12-08 it read "wrong master key: key file … does not unlock store").
    case (.keyFile(let path), .passphrase) where KeyFile.isMissing(at: path):
      throw StoreAccessError.keyFileNotFound(path: path, hint: lockedWithAPassphrase)
    case (_, .passphrase):
      throw StoreAccessError.wrongKey(
        source: source.description, store: storePath, hint: lockedWithAPassphrase)
    case (.passphrase, .key):
      throw StoreAccessError.wrongKey(
        source: source.description, store: storePath,
        hint: "the store is locked with a key, not a passphrase")
    }
  }
}
