import Foundation
import Testing

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

  @Test func hkdfMatchesRFC5869TestCase1() throws {
    let okm = try Crypto.hkdfSHA256(
      key: SecretBytes(copying: [UInt8](repeating: 0x0b, count: 22)),
      salt: Self.hex("000102030405060708090a0b0c"), info: Self.hex("f0f1f2f3f4f5f6f7f8f9"),
      length: 42)
    #expect(
      okm.withUnsafeBytes { Self.hex($0) }
        == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
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
