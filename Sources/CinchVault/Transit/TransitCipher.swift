import CinchStore
import Foundation

/// Transit's ciphertexts: `vault:v<version>:` + base64(nonce ‖ AES-256-GCM ciphertext ‖ tag),
/// as Vault writes them, so a ciphertext made by cinch decrypts in Vault given the same key
/// and the other way round. Derived keys are HKDF-SHA256 of the version's key with the context
/// as info; convergent keys take their nonce from HMAC-SHA256(derived key, plaintext).
enum TransitCipher {
  static func encrypt(
    _ plaintext: [UInt8], keyring: TransitKeyring, version requested: Int, context: [UInt8]?,
    associatedData: [UInt8]
  ) throws -> (ciphertext: String, version: Int) {
    let info = keyring.info
    if requested < 0 { throw VaultError.invalid("requested version for encryption is negative") }
    if requested > info.latestVersion {
      throw VaultError.invalid(
        "requested version for encryption is higher than the latest key version")
    }
    let version = requested == 0 ? info.latestVersion : requested
    if info.minEncryptionVersion > 0, version < info.minEncryptionVersion {
      throw VaultError.invalid(
        "requested version for encryption is less than the minimum encryption key version")
    }
    guard let material = keyring.material[version] else {
      throw VaultError.invalid(
        "requested version for encryption is less than the minimum decryption key version")
    }
    let key = try derive(material, info: info, context: context)
    var nonce: [UInt8]?
    if info.convergent {
      nonce = Array(Crypto.hmacSHA256(key: key, plaintext).prefix(Crypto.nonceLength))
    }
    let sealed = try plaintext.withUnsafeBytes {
      try Crypto.sealAESGCM(key: key, plaintext: $0, associatedData: associatedData, nonce: nonce)
    }
    let payload = Data(sealed.nonce + sealed.ciphertextAndTag).base64EncodedString()
    return ("vault:v\(version):" + payload, version)
  }

  static func decrypt(
    _ ciphertext: String, keyring: TransitKeyring, context: [UInt8]?, associatedData: [UInt8]
  ) throws -> (plaintext: SecretBytes, version: Int) {
    let info = keyring.info
    guard ciphertext.hasPrefix("vault:v") else {
      throw VaultError.invalid("invalid ciphertext: no prefix")
    }
    let fields = ciphertext.dropFirst("vault:v".count).split(
      separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
    guard fields.count == 2 else {
      throw VaultError.invalid("invalid ciphertext: wrong number of fields")
    }
    guard var version = Int(fields[0]) else {
      throw VaultError.invalid("invalid ciphertext: version number could not be decoded")
    }
    if version == 0 { version = 1 }
    if version > info.latestVersion {
      throw VaultError.invalid("invalid ciphertext: version is too new")
    }
    guard version >= info.minDecryptionVersion, let material = keyring.material[version] else {
      throw VaultError.invalid("ciphertext or signature version is disallowed by policy (too old)")
    }
    guard let payload = Data(base64Encoded: String(fields[1])) else {
      throw VaultError.invalid("invalid ciphertext: could not decode base64")
    }
    let bytes = Array(payload)
    guard bytes.count >= Crypto.nonceLength + Crypto.tagLength else {
      throw VaultError.invalid("cipher: message authentication failed")
    }
    let key = try derive(material, info: info, context: context)
    do {
      let plaintext = try Crypto.openAESGCM(
        key: key, nonce: bytes[..<Crypto.nonceLength],
        ciphertextAndTag: bytes[Crypto.nonceLength...], associatedData: associatedData)
      return (plaintext, version)
    } catch {
      throw VaultError.invalid("cipher: message authentication failed")
    }
  }

  static func derive(_ material: SecretBytes, info: TransitKeyInfo, context: [UInt8]?) throws
    -> SecretBytes
  {
    guard info.derived else { return material }
    guard let context, !context.isEmpty else {
      throw VaultError.invalid(
        "missing 'context' for key derivation; the key was created using a derived key, which "
          + "means additional, per-request information must be included in order to perform "
          + "operations with the key")
    }
    return try Crypto.hkdfSHA256(key: material, salt: [], info: context)
  }

  /// Decodes standard base64 as Go's `StdEncoding.DecodeString` does: line breaks (`\r`,
  /// `\n`) are skipped, so the 76-column lines of `base64` decode; a failure reads
  /// `illegal base64 data at input byte N`.
  static func base64(_ text: String) throws -> [UInt8] {
    let lineBreak: (Character) -> Bool = { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
    let unwrapped = text.contains(where: lineBreak) ? text.filter { !lineBreak($0) } : text
    if let data = Data(base64Encoded: unwrapped) { return Array(data) }
    let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\r\n")
    let position =
      text.firstIndex { !alphabet.contains($0) }
      .map { text.distance(from: text.startIndex, to: $0) } ?? max(0, text.count - 1)
    throw VaultError.invalid("illegal base64 data at input byte \(position)")
  }
}
