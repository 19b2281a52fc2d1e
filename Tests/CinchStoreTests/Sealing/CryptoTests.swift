import COpenSSL
import Foundation
import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchStore

/// The primitives against published test vectors, so a wrong parameter name or a dangling
/// `OSSL_PARAM` pointer shows up as a wrong answer.
@Suite struct CryptoTests {
  static func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
      let next = text.index(index, offsetBy: 2)
      bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
      index = next
    }
    return bytes
  }

  static func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
  }

  /// Version 4, RFC 4122 variant, lower case, parsed back by Foundation to the same text, and
  /// not repeated over a thousand draws.
  @Test func randomUUIDStringsAreVersion4InLowerCase() throws {
    var seen: Set<String> = []
    for _ in 0..<1_000 {
      let text = Crypto.randomUUIDString()
      let uuid = try #require(UUID(uuidString: text))
      #expect(uuid.uuidString.lowercased() == text)
      #expect(text.utf8.allSatisfy { Array("0123456789abcdef-".utf8).contains($0) })
      let bytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
      #expect(bytes[6] >> 4 == 4)
      #expect(bytes[8] >> 6 == 0b10)
      seen.insert(text)
    }
    #expect(seen.count == 1_000)
  }

  @Test func sha256MatchesFIPS180Vector() {
    #expect(
      Self.hex(Crypto.sha256(Array("abc".utf8)))
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }

  @Test func hmacMatchesRFC4231TestCase2() {
    let mac = Crypto.hmacSHA256(
      key: SecretBytes(utf8: "Jefe"), Array("what do ya want for nothing?".utf8))
    #expect(Self.hex(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
  }

  /// RFC 4231 test cases 2 and 6 through a prepared key, and one key shared by threads.
  @Test func preparedHMACKeysMatchRFC4231() async {
    let jefe = HMACKey(SecretBytes(utf8: "Jefe"))
    #expect(
      Self.hex(jefe.mac(Array("what do ya want for nothing?".utf8)))
        == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    let long = HMACKey(SecretBytes(copying: [UInt8](repeating: 0xaa, count: 131)))
    let message = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
    let expected = "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
    let results = await withTaskGroup(of: String.self) { group in
      for _ in 0..<8 { group.addTask { Self.hex(long.mac(message)) } }
      return await group.reduce(into: []) { $0.append($1) }
    }
    #expect(results == Array(repeating: expected, count: 8))
  }

  @Test func hkdfMatchesRFC5869TestCase1() throws {
    let okm = try Crypto.hkdfSHA256(
      key: SecretBytes(copying: [UInt8](repeating: 0x0b, count: 22)),
      salt: Self.hex("000102030405060708090a0b0c"), info: Self.hex("f0f1f2f3f4f5f6f7f8f9"),
      length: 42)
    #expect(
      okm.withUnsafeBytes { Self.hex($0) }
        == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
  }

  @Test func hmacMatchesRFC4231TestCase6KeyLongerThanABlock() {
    let mac = Crypto.hmacSHA256(
      key: SecretBytes(copying: [UInt8](repeating: 0xaa, count: 131)),
      Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
    #expect(Self.hex(mac) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
  }

  @Test func hkdfMatchesRFC5869TestCase2LongInputsThreeBlocks() throws {
    let okm = try Crypto.hkdfSHA256(
      key: SecretBytes(copying: (0x00...0x4f).map { UInt8($0) }),
      salt: (0x60...0xaf).map { UInt8($0) }, info: (0xb0...0xff).map { UInt8($0) }, length: 82)
    #expect(
      okm.withUnsafeBytes { Self.hex($0) }
        == "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
        + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
        + "cc30c58179ec3e87c14c01d5c1f3434f1d87")
  }

  @Test func hkdfMatchesRFC5869TestCase3EmptySaltAndInfo() throws {
    let okm = try Crypto.hkdfSHA256(
      key: SecretBytes(copying: [UInt8](repeating: 0x0b, count: 22)), salt: [], info: [UInt8](),
      length: 42)
    #expect(
      okm.withUnsafeBytes { Self.hex($0) }
        == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
        + "9d201395faa4b61a96c8")
  }

  @Test func hkdfRefusesLengthsRFC5869Forbids() {
    #expect(throws: CryptoError.self) {
      try Crypto.hkdfSHA256(key: SecretBytes(utf8: "k"), salt: [], info: [UInt8](), length: 0)
    }
    #expect(throws: CryptoError.self) {
      try Crypto.hkdfSHA256(
        key: SecretBytes(utf8: "k"), salt: [], info: [UInt8](), length: 255 * 32 + 1)
    }
  }

  /// Our HMAC and HKDF against libcrypto's own (`HMAC()` and `EVP_KDF` "HKDF") on keys around
  /// the 64-byte block boundary, empty and long messages, and output lengths across blocks.
  @Test func hmacAndHKDFAgreeWithLibcrypto() throws {
    let bytes = Gen<UInt8>.value(in: 0...255).array(of: 0...150)
    let cases = zip(bytes, bytes, Gen<Int>.value(in: 1...100))
    try seededCheck(cases, count: 300) { (key: [UInt8], message: [UInt8], length: Int) in
      try Self.checkAgainstLibcrypto(key: key, message: message, length: length)
    }
  }

  static func checkAgainstLibcrypto(key: [UInt8], message: [UInt8], length: Int) throws {
    var expected = [UInt8](repeating: 0, count: 32)
    var macLength: UInt32 = 0
    let keyCopy = key.isEmpty ? [0] : key
    let messageCopy = message.isEmpty ? [0] : message
    _ = cinch_HMAC(
      cinch_EVP_sha256(), keyCopy, Int32(key.count), messageCopy, message.count, &expected,
      &macLength)
    #expect(Crypto.hmacSHA256(key: SecretBytes(copying: key), message) == expected)
    // A prepared key, used twice: its states are copied, not consumed.
    let prepared = HMACKey(SecretBytes(copying: key))
    #expect(prepared.mac(message) == expected)
    #expect(prepared.mac(message) == expected)

    let info = Array(key.reversed())
    let ours = try Crypto.hkdfSHA256(
      key: SecretBytes(copying: key), salt: message, info: info, length: length)
    let theirs = libcryptoHKDF(key: key, salt: message, info: info, length: length)
    #expect(ours.withUnsafeBytes { Array($0) } == theirs)
  }

  /// libcrypto's `EVP_KDF` "HKDF", which the store used before computing it itself.
  static func libcryptoHKDF(key: [UInt8], salt: [UInt8], info: [UInt8], length: Int) -> [UInt8] {
    let parameters = OpenSSLParameters()
    parameters.utf8("digest", "SHA256")
    key.withUnsafeBytes { parameters.octets("key", $0) }
    salt.withUnsafeBytes { parameters.octets("salt", $0) }
    info.withUnsafeBytes { parameters.octets("info", $0) }
    let kdf = cinch_EVP_KDF_fetch(nil, "HKDF", nil)
    defer { cinch_EVP_KDF_free(kdf) }
    let context = cinch_EVP_KDF_CTX_new(kdf)
    defer { cinch_EVP_KDF_CTX_free(context) }
    var output = [UInt8](repeating: 0, count: length)
    let status = parameters.withParameters { cinch_EVP_KDF_derive(context, &output, length, $0) }
    #expect(status == 1, "libcrypto's HKDF refused the case")
    return output
  }

  @Test func scryptMatchesRFC7914Vector() throws {
    let key = try Crypto.scrypt(
      passphrase: SecretBytes(utf8: "password"), salt: Array("NaCl".utf8),
      cost: Crypto.ScryptCost(n: 1024, r: 8, p: 16), length: 64)
    #expect(
      key.withUnsafeBytes { Self.hex($0) }
        == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff1"
        + "09279d9830dac727afb94a83ee6d8360cbdfa2cc0640")
  }

  @Test func aesGCMOpensGCMSpecTestCase14() throws {
    // AES-256, zero key, zero IV, one zero block (McGrew & Viega, test case 14).
    let plaintext = try Crypto.openAESGCM(
      key: SecretBytes(copying: [UInt8](repeating: 0, count: 32)),
      nonce: [UInt8](repeating: 0, count: 12),
      ciphertextAndTag: Self.hex(
        "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919"),
      associatedData: [])
    #expect(plaintext.withUnsafeBytes { Array($0) } == [UInt8](repeating: 0, count: 16))
  }

  @Test func aesGCMRoundTripsAndRejectsWrongAssociatedData() throws {
    let key = try Crypto.randomKey()
    let message = Array("attack at dawn".utf8)
    let sealed = try message.withUnsafeBytes {
      try Crypto.sealAESGCM(key: key, plaintext: $0, associatedData: [1, 2, 3])
    }
    let opened = try Crypto.openAESGCM(
      key: key, nonce: sealed.nonce, ciphertextAndTag: sealed.ciphertextAndTag,
      associatedData: [1, 2, 3])
    #expect(opened.withUnsafeBytes { Array($0) } == message)
    #expect(throws: CryptoError.authenticationFailed) {
      try Crypto.openAESGCM(
        key: key, nonce: sealed.nonce, ciphertextAndTag: sealed.ciphertextAndTag,
        associatedData: [1, 2, 4])
    }
  }

  @Test func randomKeysDiffer() throws {
    let a = try Crypto.randomKey()
    let b = try Crypto.randomKey()
    #expect(a.count == 32)
    #expect(!a.constantTimeEquals(b))
    #expect(a.constantTimeEquals(SecretBytes(copying: a.withUnsafeBytes { Array($0) })))
  }

  @Test func secretBytesNeverPrintThemselves() {
    let secret = SecretBytes(utf8: "canary-7f3a")
    #expect(secret.description == "<redacted>")
    #expect("\(secret)" == "<redacted>")
    #expect(String(reflecting: secret) == "<redacted>")
    var dumped = ""
    dump(secret, to: &dumped)
    #expect(!dumped.contains("canary"))
    #expect(secret.utf8String() == "canary-7f3a")
  }
}
