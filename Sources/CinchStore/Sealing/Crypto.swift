import COpenSSL

/// The primitives the store is built from, over the system's libcrypto: AES-256-GCM, HKDF-SHA256,
/// HMAC-SHA256, SHA-256, scrypt, the CSPRNG and constant-time comparison.
package enum Crypto {
  package static let keyLength = 32
  package static let nonceLength = 12
  package static let tagLength = 16

  // MARK: Random

  /// `count` bytes from OpenSSL's CSPRNG.
  package static func randomBytes(_ count: Int) throws -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    guard count == 0 || RAND_bytes(&bytes, Int32(count)) == 1 else {
      throw CryptoError.library(operation: "RAND_bytes", detail: lastError())
    }
    return bytes
  }

  /// A fresh random key held in wiped memory.
  package static func randomKey(_ count: Int = keyLength) throws -> SecretBytes {
    try SecretBytes(count: count) { buffer in
      guard let base = buffer.baseAddress,
        RAND_bytes(base.assumingMemoryBound(to: UInt8.self), Int32(count)) == 1
      else {
        throw CryptoError.library(operation: "RAND_bytes", detail: lastError())
      }
    }
  }

  // MARK: Comparison

  package static func constantTimeEquals(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer)
    -> Bool
  {
    guard a.count == b.count else { return false }
    guard a.count > 0, let left = a.baseAddress, let right = b.baseAddress else { return true }
    return CRYPTO_memcmp(left, right, a.count) == 0
  }

  package static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8])
    -> Bool
  {
    a.withUnsafeBytes { left in b.withUnsafeBytes { right in constantTimeEquals(left, right) } }
  }

  // MARK: Hashes and MACs

  package static func sha256(_ data: [UInt8]) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: 32)
    var length: UInt32 = 0
    let ok = data.withUnsafeBytes { input in
      EVP_Digest(input.baseAddress, input.count, &digest, &length, Algorithms.shared.sha256, nil)
    }
    precondition(ok == 1 && length == 32, "SHA-256 is always available in libcrypto")
    return digest
  }

  package static func hmacSHA256(key: SecretBytes, _ data: [UInt8]) -> [UInt8] {
    data.withUnsafeBytes { hmacSHA256(key: key, bytes: $0) }
  }

  package static func hmacSHA256(key: SecretBytes, bytes input: UnsafeRawBufferPointer) -> [UInt8] {
    var mac = [UInt8](repeating: 0, count: 32)
    var length: UInt32 = 0
    key.withUnsafeBytes { keyBytes in
      // HMAC() treats a null data pointer with length 0 as the empty message; give it a byte.
      var empty: UInt8 = 0
      let data = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
      let result = withUnsafeMutablePointer(to: &empty) { emptyPointer in
        HMAC(
          Algorithms.shared.sha256, keyBytes.baseAddress, Int32(keyBytes.count),
          data ?? UnsafePointer(emptyPointer), input.count, &mac, &length)
      }
      precondition(result != nil && length == 32, "HMAC-SHA256 is always available in libcrypto")
    }
    return mac
  }

  // MARK: Key derivation

  /// HKDF-SHA256 (RFC 5869), extract-and-expand.
  package static func hkdfSHA256(
    key: SecretBytes, salt: [UInt8], info: String, length: Int = keyLength
  ) throws -> SecretBytes {
    try hkdfSHA256(key: key, salt: salt, info: Array(info.utf8), length: length)
  }

  package static func hkdfSHA256(
    key: SecretBytes, salt: [UInt8], info: [UInt8], length: Int = keyLength
  ) throws -> SecretBytes {
    let parameters = OpenSSLParameters()
    parameters.utf8("digest", "SHA256")
    key.withUnsafeBytes { parameters.octets("key", $0) }
    salt.withUnsafeBytes { parameters.octets("salt", $0) }
    info.withUnsafeBytes { parameters.octets("info", $0) }
    return try derive(algorithm: "HKDF", parameters: parameters, length: length)
  }

  /// The cost of an scrypt derivation; stored with the salt so a store opens with its own.
  package struct ScryptCost: Sendable, Equatable, Codable {
    package var n: UInt64
    package var r: UInt32
    package var p: UInt32

    package init(n: UInt64, r: UInt32, p: UInt32) {
      self.n = n
      self.r = r
      self.p = p
    }

    /// OWASP's recommended minimum for scrypt: N=2^17, r=8, p=1 (128 MiB).
    package static let interactive = ScryptCost(n: 1 << 17, r: 8, p: 1)

    /// The memory a derivation takes, which libcrypto must be allowed to use.
    var memoryBytes: UInt64 { 128 * UInt64(r) * n * UInt64(p) + 256 * UInt64(r) * UInt64(p) }
  }

  /// scrypt (RFC 7914) through `EVP_KDF` "SCRYPT".
  package static func scrypt(
    passphrase: SecretBytes, salt: [UInt8], cost: ScryptCost, length: Int = keyLength
  ) throws -> SecretBytes {
    let parameters = OpenSSLParameters()
    passphrase.withUnsafeBytes { parameters.octets("pass", $0) }
    salt.withUnsafeBytes { parameters.octets("salt", $0) }
    parameters.uint64("n", cost.n)
    parameters.uint32("r", cost.r)
    parameters.uint32("p", cost.p)
    parameters.uint64("maxmem_bytes", cost.memoryBytes + (16 << 20))
    return try derive(algorithm: "SCRYPT", parameters: parameters, length: length)
  }

  private static func derive(algorithm: String, parameters: OpenSSLParameters, length: Int) throws
    -> SecretBytes
  {
    guard let kdf = EVP_KDF_fetch(nil, algorithm, nil) else {
      throw CryptoError.library(operation: "EVP_KDF_fetch(\(algorithm))", detail: lastError())
    }
    defer { EVP_KDF_free(kdf) }
    guard let context = EVP_KDF_CTX_new(kdf) else {
      throw CryptoError.library(operation: "EVP_KDF_CTX_new", detail: lastError())
    }
    defer { EVP_KDF_CTX_free(context) }
    return try SecretBytes(count: length) { output in
      let status = parameters.withParameters { list in
        EVP_KDF_derive(
          context, output.baseAddress?.assumingMemoryBound(to: UInt8.self), length, list)
      }
      guard status == 1 else {
        throw CryptoError.library(operation: "EVP_KDF_derive(\(algorithm))", detail: lastError())
      }
    }
  }

  // MARK: AES-256-GCM

  /// Encrypts `plaintext` under `key` with a fresh random nonce (or `nonce`, for the transit
  /// engine's convergent keys, whose nonce derives from the plaintext); returns the nonce and
  /// `ciphertext ‖ tag`.
  package static func sealAESGCM(
    key: SecretBytes, plaintext: UnsafeRawBufferPointer, associatedData: [UInt8],
    nonce fixedNonce: [UInt8]? = nil
  ) throws -> (nonce: [UInt8], ciphertextAndTag: [UInt8]) {
    precondition(key.count == keyLength, "AES-256 takes a 32-byte key")
    precondition(fixedNonce.map { $0.count == nonceLength } ?? true, "GCM takes a 12-byte nonce")
    let nonce = try fixedNonce ?? randomBytes(nonceLength)
    guard let context = EVP_CIPHER_CTX_new() else {
      throw CryptoError.library(operation: "EVP_CIPHER_CTX_new", detail: lastError())
    }
    defer { EVP_CIPHER_CTX_free(context) }
    var output = [UInt8](repeating: 0, count: plaintext.count + tagLength)
    try key.withUnsafeBytes { keyBytes in
      guard
        EVP_EncryptInit_ex2(
          context, Algorithms.shared.aes256GCM, keyBytes.bindMemory(to: UInt8.self).baseAddress,
          nonce, nil) == 1
      else { throw CryptoError.library(operation: "EVP_EncryptInit_ex2", detail: lastError()) }
    }
    var written: Int32 = 0
    if !associatedData.isEmpty {
      guard
        EVP_EncryptUpdate(context, nil, &written, associatedData, Int32(associatedData.count)) == 1
      else { throw CryptoError.library(operation: "EVP_EncryptUpdate(aad)", detail: lastError()) }
    }
    var total = 0
    try output.withUnsafeMutableBufferPointer { out in
      guard let outBase = out.baseAddress else { return }
      if plaintext.count > 0 {
        guard
          EVP_EncryptUpdate(
            context, outBase, &written, plaintext.bindMemory(to: UInt8.self).baseAddress,
            Int32(plaintext.count)) == 1
        else { throw CryptoError.library(operation: "EVP_EncryptUpdate", detail: lastError()) }
        total = Int(written)
      }
      guard EVP_EncryptFinal_ex(context, outBase + total, &written) == 1 else {
        throw CryptoError.library(operation: "EVP_EncryptFinal_ex", detail: lastError())
      }
      total += Int(written)
      guard
        EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagLength), outBase + total) == 1
      else { throw CryptoError.library(operation: "EVP_CTRL_GCM_GET_TAG", detail: lastError()) }
    }
    precondition(total == plaintext.count, "GCM is a stream mode")
    return (nonce, output)
  }

  /// Decrypts and authenticates; any change to the key, nonce, ciphertext, tag or associated data
  /// throws `CryptoError.authenticationFailed`.
  package static func openAESGCM(
    key: SecretBytes, nonce: some Collection<UInt8>, ciphertextAndTag: some Collection<UInt8>,
    associatedData: [UInt8]
  ) throws -> SecretBytes {
    precondition(key.count == keyLength, "AES-256 takes a 32-byte key")
    let nonce = Array(nonce)
    let sealed = Array(ciphertextAndTag)
    guard nonce.count == nonceLength, sealed.count >= tagLength else {
      throw CryptoError.authenticationFailed
    }
    let ciphertextCount = sealed.count - tagLength
    guard let context = EVP_CIPHER_CTX_new() else {
      throw CryptoError.library(operation: "EVP_CIPHER_CTX_new", detail: lastError())
    }
    defer { EVP_CIPHER_CTX_free(context) }
    try key.withUnsafeBytes { keyBytes in
      guard
        EVP_DecryptInit_ex2(
          context, Algorithms.shared.aes256GCM, keyBytes.bindMemory(to: UInt8.self).baseAddress,
          nonce, nil) == 1
      else { throw CryptoError.library(operation: "EVP_DecryptInit_ex2", detail: lastError()) }
    }
    var written: Int32 = 0
    if !associatedData.isEmpty {
      guard
        EVP_DecryptUpdate(context, nil, &written, associatedData, Int32(associatedData.count)) == 1
      else { throw CryptoError.authenticationFailed }
    }
    var tag = Array(sealed[ciphertextCount...])
    return try SecretBytes(count: ciphertextCount) { output in
      let outBase = output.bindMemory(to: UInt8.self).baseAddress
      var total = 0
      if ciphertextCount > 0 {
        let status = sealed.withUnsafeBufferPointer { input in
          EVP_DecryptUpdate(context, outBase, &written, input.baseAddress, Int32(ciphertextCount))
        }
        guard status == 1 else { throw CryptoError.authenticationFailed }
        total = Int(written)
      }
      guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagLength), &tag) == 1 else {
        throw CryptoError.library(operation: "EVP_CTRL_GCM_SET_TAG", detail: lastError())
      }
      var scratch = [UInt8](repeating: 0, count: 16)
      guard EVP_DecryptFinal_ex(context, &scratch, &written) == 1 else {
        ERR_clear_error()
        throw CryptoError.authenticationFailed
      }
      total += Int(written)
      precondition(total == ciphertextCount, "GCM is a stream mode")
    }
  }

  // MARK: Errors

  /// The most recent libcrypto error, as text, clearing the queue.
  static func lastError() -> String {
    let code = ERR_get_error()
    ERR_clear_error()
    guard code != 0 else { return "no detail from libcrypto" }
    var buffer = [CChar](repeating: 0, count: 256)
    ERR_error_string_n(code, &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}

/// Algorithm handles fetched once: `EVP_aes_256_gcm()` in OpenSSL 3 re-fetches on every init,
/// which shows up when a lockfile resolves thousands of values.
private final class Algorithms: @unchecked Sendable {
  // Set once at first use and never freed or changed: libcrypto's fetched objects are immutable
  // and safe to share between threads.
  let aes256GCM: OpaquePointer
  let sha256: OpaquePointer

  static let shared = Algorithms()

  private init() {
    guard let cipher = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil),
      let digest = EVP_MD_fetch(nil, "SHA256", nil)
    else {
      fatalError("libcrypto lacks AES-256-GCM or SHA-256: \(Crypto.lastError())")
    }
    aes256GCM = cipher
    sha256 = digest
  }
}
