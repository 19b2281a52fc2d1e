import COpenSSL
import Synchronization

/// The primitives the store is built from, over the system's libcrypto: AES-256-GCM, HKDF-SHA256,
/// HMAC-SHA256, SHA-256, scrypt, the CSPRNG and constant-time comparison.
package enum Crypto {
  package static let keyLength = 32
  package static let nonceLength = 12
  package static let tagLength = 16

  /// Sets libcrypto up: loads it (COpenSSL, ~2.5 M instructions), its configuration, the first
  /// algorithm fetch (which builds a table of every algorithm's names, ~8 M) and the random
  /// generator. Done on first use anyway; a command calls it on a thread of its own at start,
  /// so the work runs while its arguments are parsed instead of on its path.
  package static func prepare() {
    _ = try? randomBytes(1)
  }

  /// Whether libcrypto is set up (`prepare` or any first use has finished): work that would
  /// only wait for it may do something useful first (`SQLiteStore.openOnThisThread`).
  package static var isPrepared: Bool { preparedFlag.load(ordering: .acquiring) }

  fileprivate static let preparedFlag = Atomic<Bool>(false)

  // MARK: Random

  /// `count` bytes from OpenSSL's CSPRNG.
  package static func randomBytes(_ count: Int) throws -> [UInt8] {
    _ = Algorithms.shared
    var bytes = [UInt8](repeating: 0, count: count)
    guard count == 0 || cinch_RAND_bytes(&bytes, Int32(count)) == 1 else {
      throw CryptoError.library(operation: "RAND_bytes", detail: lastError())
    }
    return bytes
  }

  /// A random (version 4) UUID in lower case, the form of AWS request ids, Secrets Manager
  /// version ids and Vault request ids. Foundation's `UUID()` opens and reads `/dev/urandom` on
  /// each call (three system calls per request in `cinch serve`); libcrypto's generator is
  /// seeded once. Falls back to the system generator if libcrypto's fails.
  package static func randomUUIDString() -> String {
    var bytes = (try? randomBytes(16)) ?? (0..<16).map { _ in UInt8.random(in: .min ... .max) }
    bytes[6] = bytes[6] & 0x0F | 0x40  // version 4
    bytes[8] = bytes[8] & 0x3F | 0x80  // RFC 4122 variant
    // Written in place (`cinch serve` makes one per request): 8-4-4-4-12 hex digits.
    return String(unsafeUninitializedCapacity: 36) { text in
      var written = 0
      for (index, byte) in bytes.enumerated() {
        if index == 4 || index == 6 || index == 8 || index == 10 {
          text[written] = UInt8(ascii: "-")
          written += 1
        }
        text[written] = Hex.digit(byte >> 4)
        text[written + 1] = Hex.digit(byte & 0x0f)
        written += 2
      }
      return written
    }
  }

  /// A fresh random key held in wiped memory.
  package static func randomKey(_ count: Int = keyLength) throws -> SecretBytes {
    _ = Algorithms.shared
    return try SecretBytes(count: count) { buffer in
      guard let base = buffer.baseAddress,
        cinch_RAND_bytes(base.assumingMemoryBound(to: UInt8.self), Int32(count)) == 1
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
    return cinch_CRYPTO_memcmp(left, right, a.count) == 0
  }

  package static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8])
    -> Bool
  {
    a.withUnsafeBytes { left in b.withUnsafeBytes { right in constantTimeEquals(left, right) } }
  }

  // MARK: Hashes and MACs

  package static func sha256(_ data: [UInt8]) -> [UInt8] {
    var stream = SHA256Stream()
    data.withUnsafeBytes { stream.update($0) }
    var digest = [UInt8](repeating: 0, count: 32)
    digest.withUnsafeMutableBytes { stream.finish(into: $0) }
    return digest
  }

  /// SHA-256 of `parts` one after another, without joining them into one array first.
  package static func sha256(joining parts: [UInt8]...) -> [UInt8] {
    var stream = SHA256Stream()
    for part in parts { part.withUnsafeBytes { stream.update($0) } }
    var digest = [UInt8](repeating: 0, count: 32)
    digest.withUnsafeMutableBytes { stream.finish(into: $0) }
    return digest
  }

  package static func hmacSHA256(key: SecretBytes, _ data: [UInt8]) -> [UInt8] {
    data.withUnsafeBytes { hmacSHA256(key: key, bytes: $0) }
  }

  package static func hmacSHA256(key: SecretBytes, bytes input: UnsafeRawBufferPointer) -> [UInt8] {
    key.withUnsafeBytes { keyBytes in
      hmacSHA256(keyBytes: keyBytes) { $0.update(input) }
    }
  }

  /// HMAC-SHA256 of `first` followed by `second`.
  package static func hmacSHA256(
    key: SecretBytes, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer
  ) -> [UInt8] {
    key.withUnsafeBytes { keyBytes in
      hmacSHA256(keyBytes: keyBytes) { hash in
        hash.update(first)
        hash.update(second)
      }
    }
  }

  /// HMAC-SHA256 (RFC 2104) over whatever `message` feeds the inner hash:
  /// `SHA-256((K ⊕ opad) ‖ SHA-256((K ⊕ ipad) ‖ message))`, K the key zero-padded to SHA-256's
  /// 64-byte block (hashed first when longer).
  ///
  /// Built on two digest contexts rather than libcrypto's `HMAC()`: in OpenSSL 3 that one-shot
  /// fetches the HMAC implementation by name on every call, ~23 k instructions against ~6 k
  /// here, and it is called for every audited transaction, fingerprint and SigV4 request.
  /// The padded key blocks live on the stack and are wiped before returning.
  static func hmacSHA256(
    keyBytes: UnsafeRawBufferPointer, message: (inout SHA256Stream) -> Void
  ) -> [UInt8] {
    withHMACPads(keyBytes) { inner, outer in
      withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { innerDigest in
        defer { cinch_OPENSSL_cleanse(innerDigest.baseAddress, innerDigest.count) }
        var innerHash = SHA256Stream()
        innerHash.update(inner)
        message(&innerHash)
        innerHash.finish(into: innerDigest)
        var outerHash = SHA256Stream()
        outerHash.update(outer)
        outerHash.update(UnsafeRawBufferPointer(innerDigest))
        var mac = [UInt8](repeating: 0, count: 32)
        mac.withUnsafeMutableBytes { outerHash.finish(into: $0) }
        return mac
      }
    }
  }

  /// Gives `body` the key blocks `K ⊕ ipad` and `K ⊕ opad` (K zero-padded to SHA-256's 64-byte
  /// block, hashed first when longer), on the stack and wiped when `body` returns.
  static func withHMACPads<Result>(
    _ keyBytes: UnsafeRawBufferPointer,
    _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Result
  ) -> Result {
    let block = 64
    return withUnsafeTemporaryAllocation(byteCount: 2 * block, alignment: 8) { scratch in
      defer { cinch_OPENSSL_cleanse(scratch.baseAddress, scratch.count) }
      let inner = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<block])
      let outer = UnsafeMutableRawBufferPointer(rebasing: scratch[block...])
      inner.initializeMemory(as: UInt8.self, repeating: 0)
      if keyBytes.count > block {
        var hashed = SHA256Stream()
        hashed.update(keyBytes)
        hashed.finish(into: inner)
      } else if keyBytes.count > 0 {
        inner.copyMemory(from: keyBytes)
      }
      for index in 0..<block {
        outer[index] = inner[index] ^ 0x5c
        inner[index] ^= 0x36
      }
      return body(UnsafeRawBufferPointer(inner), UnsafeRawBufferPointer(outer))
    }
  }

  // MARK: Key derivation

  /// HKDF-SHA256 (RFC 5869), extract-and-expand.
  package static func hkdfSHA256(
    key: SecretBytes, salt: [UInt8], info: String, length: Int = keyLength
  ) throws -> SecretBytes {
    try hkdfSHA256(key: key, salt: salt, info: Array(info.utf8), length: length)
  }

  /// Computed over `hmacSHA256` instead of `EVP_KDF` "HKDF": the first `EVP_KDF_fetch` of a
  /// process builds libcrypto's whole table of KDFs (~5 M instructions, a third of opening a
  /// store), and the store derives its subkeys on every open. RFC 5869's vectors pin it down.
  package static func hkdfSHA256(
    key: SecretBytes, salt: [UInt8], info: [UInt8], length: Int = keyLength
  ) throws -> SecretBytes {
    let hashLength = 32
    guard length > 0, length <= 255 * hashLength else {
      throw CryptoError.library(
        operation: "HKDF", detail: "output length \(length) is outside 1…\(255 * hashLength)")
    }
    // Extract: PRK = HMAC(salt, IKM). An empty salt is HashLen zero bytes, which HMAC's
    // zero padding makes the same key.
    let pseudorandomKey = SecretBytes(count: hashLength) { prk in
      var mac = salt.withUnsafeBytes { saltBytes in
        key.withUnsafeBytes { ikm in hmacSHA256(keyBytes: saltBytes) { $0.update(ikm) } }
      }
      mac.withUnsafeBytes { prk.copyMemory(from: $0) }
      wipe(&mac)
    }
    // Expand: T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i), OKM the first `length` bytes of T(1) ‖ T(2) ‖ ….
    return SecretBytes(count: length) { output in
      var previous: [UInt8] = []
      var written = 0
      var counter: UInt8 = 1
      while written < length {
        var block = pseudorandomKey.withUnsafeBytes { prk in
          hmacSHA256(keyBytes: prk) { stream in
            previous.withUnsafeBytes { stream.update($0) }
            info.withUnsafeBytes { stream.update($0) }
            withUnsafeBytes(of: counter) { stream.update($0) }
          }
        }
        let take = min(hashLength, length - written)
        block.withUnsafeBytes { bytes in
          UnsafeMutableRawBufferPointer(rebasing: output[written..<(written + take)])
            .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<take]))
        }
        wipe(&previous)
        previous = block  // wiped when the next block replaces it, or below
        block = []
        written += take
        counter &+= 1
      }
      wipe(&previous)
    }
  }

  /// Zeroes an array's bytes in place (key material that passed through a plain array).
  private static func wipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { cinch_OPENSSL_cleanse($0.baseAddress, $0.count) }
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
    guard let kdf = cinch_EVP_KDF_fetch(nil, algorithm, nil) else {
      throw CryptoError.library(operation: "EVP_KDF_fetch(\(algorithm))", detail: lastError())
    }
    defer { cinch_EVP_KDF_free(kdf) }
    guard let context = cinch_EVP_KDF_CTX_new(kdf) else {
      throw CryptoError.library(operation: "EVP_KDF_CTX_new", detail: lastError())
    }
    defer { cinch_EVP_KDF_CTX_free(context) }
    return try SecretBytes(count: length) { output in
      let status = parameters.withParameters { list in
        cinch_EVP_KDF_derive(
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
    guard let context = cinch_EVP_CIPHER_CTX_new() else {
      throw CryptoError.library(operation: "EVP_CIPHER_CTX_new", detail: lastError())
    }
    defer { cinch_EVP_CIPHER_CTX_free(context) }
    var output = [UInt8](repeating: 0, count: plaintext.count + tagLength)
    try key.withUnsafeBytes { keyBytes in
      guard
        cinch_EVP_EncryptInit_ex2(
          context, Algorithms.shared.aes256GCM, keyBytes.bindMemory(to: UInt8.self).baseAddress,
          nonce, nil) == 1
      else { throw CryptoError.library(operation: "EVP_EncryptInit_ex2", detail: lastError()) }
    }
    var written: Int32 = 0
    if !associatedData.isEmpty {
      guard
        cinch_EVP_EncryptUpdate(context, nil, &written, associatedData, Int32(associatedData.count))
          == 1
      else { throw CryptoError.library(operation: "EVP_EncryptUpdate(aad)", detail: lastError()) }
    }
    var total = 0
    try output.withUnsafeMutableBufferPointer { out in
      guard let outBase = out.baseAddress else { return }
      if plaintext.count > 0 {
        guard
          cinch_EVP_EncryptUpdate(
            context, outBase, &written, plaintext.bindMemory(to: UInt8.self).baseAddress,
            Int32(plaintext.count)) == 1
        else { throw CryptoError.library(operation: "EVP_EncryptUpdate", detail: lastError()) }
        total = Int(written)
      }
      guard cinch_EVP_EncryptFinal_ex(context, outBase + total, &written) == 1 else {
        throw CryptoError.library(operation: "EVP_EncryptFinal_ex", detail: lastError())
      }
      total += Int(written)
      guard
        cinch_EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagLength), outBase + total)
          == 1
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
    let nonce = Array(nonce)
    let sealed = Array(ciphertextAndTag)
    return try nonce.withUnsafeBytes { nonceBytes in
      try sealed.withUnsafeBytes { sealedBytes in
        try associatedData.withUnsafeBytes { aad in
          try openAESGCM(
            key: key, nonce: nonceBytes, ciphertextAndTag: sealedBytes, associatedData: aad)
        }
      }
    }
  }

  /// The same over borrowed bytes: the read path opens two of these per value and copied each
  /// input into a fresh array first.
  package static func openAESGCM(
    key: SecretBytes, nonce: UnsafeRawBufferPointer,
    ciphertextAndTag sealed: UnsafeRawBufferPointer,
    associatedData: UnsafeRawBufferPointer
  ) throws -> SecretBytes {
    precondition(key.count == keyLength, "AES-256 takes a 32-byte key")
    guard nonce.count == nonceLength, sealed.count >= tagLength, let sealedBase = sealed.baseAddress
    else { throw CryptoError.authenticationFailed }
    let ciphertextCount = sealed.count - tagLength
    let input = sealedBase.assumingMemoryBound(to: UInt8.self)
    guard let context = cinch_EVP_CIPHER_CTX_new() else {
      throw CryptoError.library(operation: "EVP_CIPHER_CTX_new", detail: lastError())
    }
    defer { cinch_EVP_CIPHER_CTX_free(context) }
    try key.withUnsafeBytes { keyBytes in
      guard
        cinch_EVP_DecryptInit_ex2(
          context, Algorithms.shared.aes256GCM, keyBytes.bindMemory(to: UInt8.self).baseAddress,
          nonce.bindMemory(to: UInt8.self).baseAddress, nil) == 1
      else { throw CryptoError.library(operation: "EVP_DecryptInit_ex2", detail: lastError()) }
    }
    var written: Int32 = 0
    if associatedData.count > 0 {
      guard
        cinch_EVP_DecryptUpdate(
          context, nil, &written, associatedData.bindMemory(to: UInt8.self).baseAddress,
          Int32(associatedData.count)) == 1
      else { throw CryptoError.authenticationFailed }
    }
    return try SecretBytes(count: ciphertextCount) { output in
      let outBase = output.bindMemory(to: UInt8.self).baseAddress
      var total = 0
      if ciphertextCount > 0 {
        guard
          cinch_EVP_DecryptUpdate(context, outBase, &written, input, Int32(ciphertextCount)) == 1
        else { throw CryptoError.authenticationFailed }
        total = Int(written)
      }
      // GCM_SET_TAG copies the tag into the context; it does not write through the pointer.
      let tag = UnsafeMutableRawPointer(mutating: input + ciphertextCount)
      guard cinch_EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagLength), tag) == 1
      else {
        throw CryptoError.library(operation: "EVP_CTRL_GCM_SET_TAG", detail: lastError())
      }
      var scratch: (UInt64, UInt64) = (0, 0)
      let status = withUnsafeMutableBytes(of: &scratch) {
        cinch_EVP_DecryptFinal_ex(context, $0.bindMemory(to: UInt8.self).baseAddress, &written)
      }
      guard status == 1 else {
        cinch_ERR_clear_error()
        throw CryptoError.authenticationFailed
      }
      total += Int(written)
      precondition(total == ciphertextCount, "GCM is a stream mode")
    }
  }

  // MARK: Errors

  /// The most recent libcrypto error, as text, clearing the queue.
  static func lastError() -> String {
    let code = cinch_ERR_get_error()
    cinch_ERR_clear_error()
    guard code != 0 else { return "no detail from libcrypto" }
    var buffer = [CChar](repeating: 0, count: 256)
    cinch_ERR_error_string_n(code, &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}

/// An incremental SHA-256 over libcrypto's low-level functions (`cinch_SHA256_*` in the
/// COpenSSL shim): the state is a plain value, wiped when the digest is taken.
struct SHA256Stream {
  private var context = SHA256_CTX()

  init() {
    precondition(cinch_SHA256_Init(&context) == 1, "SHA-256 init")
  }

  mutating func update(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    precondition(cinch_SHA256_Update(&context, base, bytes.count) == 1, "SHA-256 update")
  }

  /// Writes the 32-byte digest to the start of `digest`; the state is wiped (libcrypto's
  /// `SHA256_Final` cleanses it), so the stream is done.
  mutating func finish(into digest: UnsafeMutableRawBufferPointer) {
    precondition(digest.count >= 32, "a SHA-256 digest is 32 bytes")
    let base = digest.baseAddress?.assumingMemoryBound(to: UInt8.self)
    precondition(cinch_SHA256_Final(base, &context) == 1, "SHA-256 final")
  }

  /// Overwrites the state (for one that is dropped without being finished).
  mutating func wipe() {
    withUnsafeMutableBytes(of: &context) { cinch_OPENSSL_cleanse($0.baseAddress, $0.count) }
  }
}

/// An HMAC-SHA256 key made ready once: the hash states after `K ⊕ ipad` and `K ⊕ opad`, so
/// that a MAC copies them rather than hashing two padded key blocks (~40% of a short
/// message's HMAC). For keys used for many MACs: the store's fingerprint and audit-head keys,
/// a SigV4 signing key. The states are wiped when the key goes away; they are only read, so
/// one key serves any number of threads.
package final class HMACKey: @unchecked Sendable {
  private var inner: SHA256Stream
  private var outer: SHA256Stream

  package init(_ key: SecretBytes) {
    (inner, outer) = key.withUnsafeBytes { Self.padded(keyBytes: $0) }
  }

  /// Reads `keyBytes` during the call only.
  package init(keyBytes: UnsafeRawBufferPointer) {
    (inner, outer) = Self.padded(keyBytes: keyBytes)
  }

  /// The two hash states after the padded key blocks.
  private static func padded(keyBytes: UnsafeRawBufferPointer) -> (SHA256Stream, SHA256Stream) {
    Crypto.withHMACPads(keyBytes) { innerPad, outerPad in
      var inner = SHA256Stream()
      var outer = SHA256Stream()
      inner.update(innerPad)
      outer.update(outerPad)
      return (inner, outer)
    }
  }

  deinit {
    inner.wipe()
    outer.wipe()
  }

  /// HMAC-SHA256 of `message` under this key.
  package func mac(_ message: UnsafeRawBufferPointer) -> [UInt8] {
    mac(message, UnsafeRawBufferPointer(start: nil, count: 0))
  }

  package func mac(_ message: [UInt8]) -> [UInt8] {
    message.withUnsafeBytes { mac($0) }
  }

  /// HMAC-SHA256 of `first` followed by `second`, without joining them in a buffer (a value
  /// stays in its `SecretBytes`).
  package func mac(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: 32)
    digest.withUnsafeMutableBytes { digest in
      var hash = inner
      hash.update(first)
      hash.update(second)
      hash.finish(into: digest)
      var outerHash = outer
      outerHash.update(UnsafeRawBufferPointer(digest))
      outerHash.finish(into: digest)
    }
    return digest
  }
}

/// Algorithm handles fetched once: `EVP_aes_256_gcm()` in OpenSSL 3 re-fetches on every init,
/// which shows up when a lockfile resolves thousands of values.
private final class Algorithms: @unchecked Sendable {
  // Set once at first use and never freed or changed: libcrypto's fetched objects are immutable
  // and safe to share between threads.
  let aes256GCM: OpaquePointer

  static let shared = Algorithms()

  private init() {
    // libcrypto was set up without its atexit handler as it was loaded (COpenSSL/Loader.c).
    guard let cipher = cinch_EVP_CIPHER_fetch(nil, "AES-256-GCM", nil) else {
      fatalError("libcrypto lacks AES-256-GCM: \(Crypto.lastError())")
    }
    aes256GCM = cipher
    Crypto.preparedFlag.store(true, ordering: .releasing)
  }
}
