import Foundation

/// Where the master key of an existing store comes from. Each case knows how to describe itself
/// in an error (`key file '.cinch/master.key'`, `the key in CINCH_MASTER_KEY`), because a wrong
/// key must be reported as one line that names the source that was tried.
public enum MasterKeySource: Sendable, CustomStringConvertible {
  /// A file of exactly 32 bytes, as `cinch init` writes it.
  case keyFile(path: String)
  /// 32 raw bytes from elsewhere (`CINCH_MASTER_KEY`, base64); `origin` names the source.
  case key(SecretBytes, origin: String)
  /// A passphrase, stretched with scrypt and the salt kept in the store.
  case passphrase(SecretBytes, origin: String)

  /// Decodes a base64 master key such as `CINCH_MASTER_KEY`.
  public static func base64Key(_ text: String, origin: String) throws -> MasterKeySource {
    .key(try decodeBase64Key(text, origin: origin), origin: origin)
  }

  static func decodeBase64Key(_ text: String, origin: String) throws -> SecretBytes {
    guard var data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines))
    else {
      throw StoreAccessError.invalidKey(origin: origin, reason: "it is not base64")
    }
    defer { data.resetBytes(in: 0..<data.count) }
    guard data.count == Crypto.keyLength else {
      throw StoreAccessError.invalidKey(
        origin: origin, reason: "it decodes to \(data.count) bytes, not \(Crypto.keyLength)")
    }
    return SecretBytes(copying: data)
  }

  public var description: String {
    switch self {
    case .keyFile(let path): "key file '\(path)'"
    case .key(_, let origin): "the key in \(origin)"
    case .passphrase(_, let origin): "the passphrase from \(origin)"
    }
  }

  var isPassphrase: Bool {
    if case .passphrase = self { return true }
    return false
  }
}

/// How `cinch init` and `cinch rekey` get a new master key.
public enum MasterKeyProvision: Sendable, CustomStringConvertible {
  /// Generate 32 random bytes into a new file, created with mode 0600; never overwrite.
  case newKeyFile(path: String)
  /// Use 32 bytes the caller has (from `CINCH_MASTER_KEY`).
  case key(SecretBytes, origin: String)
  /// Stretch a passphrase with scrypt under a new random salt kept in the store.
  case passphrase(SecretBytes, origin: String)

  public var description: String {
    switch self {
    case .newKeyFile(let path): "new key file '\(path)'"
    case .key(_, let origin): "the key in \(origin)"
    case .passphrase(_, let origin): "the passphrase from \(origin)"
    }
  }
}
