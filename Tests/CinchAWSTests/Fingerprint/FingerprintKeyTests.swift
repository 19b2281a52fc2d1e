import CinchStore
import Foundation
import Testing

@testable import CinchAWS

@Suite struct FingerprintKeyTests {
  static func directory() throws -> String {
    let path = FileManager.default.temporaryDirectory.path + "/cinch-fp-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  @Test func theProjectKeyIsCreated0600OnceAndReused() throws {
    let directory = try Self.directory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let first = try FingerprintKey.load(environment: [:], directory: directory)
    let path = directory + "/.cinch/fingerprint.key"
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    let again = try FingerprintKey.load(environment: [:], directory: directory)
    let value = SecretBytes(utf8: "hunter2")
    let entry = "ssm:/app/db"
    #expect(
      first.fingerprint(of: value, entry: entry) == again.fingerprint(of: value, entry: entry))
    #expect(first.fingerprint(of: value, entry: entry).hasPrefix("hmac-sha256:"))
    #expect(!first.fingerprint(of: value, entry: entry).contains("hunter2"))
    #expect(
      first.fingerprint(of: value, entry: entry)
        != first.fingerprint(of: SecretBytes(utf8: "hunter3"), entry: entry))
    // The same value in another entry: another fingerprint (no lockfile shows shared values).
    #expect(
      first.fingerprint(of: value, entry: entry)
        != first.fingerprint(of: value, entry: "ssm:/app/cache"))
    // Another key gives other fingerprints.
    let otherDirectory = try Self.directory()
    defer { try? FileManager.default.removeItem(atPath: otherDirectory) }
    let other = try FingerprintKey.load(environment: [:], directory: otherDirectory)
    #expect(
      other.fingerprint(of: value, entry: entry) != first.fingerprint(of: value, entry: entry))
  }

  @Test func theEnvironmentNamesTheKey() throws {
    let key = Data(repeating: 7, count: 32).base64EncodedString()
    let fromVariable = try FingerprintKey.load(
      environment: ["CINCH_FINGERPRINT_KEY": key], directory: "/nonexistent")
    // HMAC-SHA256 with 32 bytes of 7 over "abc", computed independently.
    #expect(fromVariable.origin == "CINCH_FINGERPRINT_KEY")
    #expect(
      fromVariable.fingerprint(of: SecretBytes(utf8: "abc"), entry: "ssm:/x")
        == "hmac-sha256:"
        + SigV4.hex(
          Crypto.hmacSHA256(
            key: SecretBytes(copying: Data(repeating: 7, count: 32)),
            [0, 0, 0, 6] + Array("ssm:/xabc".utf8))))
    #expect(throws: FingerprintKeyError.self) {
      try FingerprintKey.load(environment: ["CINCH_FINGERPRINT_KEY": "c2hvcnQ="], directory: ".")
    }
    #expect(throws: FingerprintKeyError("fingerprint key file '/nonexistent/key' not found")) {
      try FingerprintKey.load(
        environment: ["CINCH_FINGERPRINT_KEY_FILE": "/nonexistent/key"], directory: ".")
    }
    #expect(throws: FingerprintKeyError.self) {
      try FingerprintKey.load(environment: [:], directory: "/nonexistent", create: false)
    }
  }
}
