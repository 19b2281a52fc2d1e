/// Keyed fingerprints of values for lockfiles: nothing about a value can be learnt from its
/// fingerprint without the store's key. A fingerprint is bound to the entry the value was read
/// from (`ValueFingerprint.entry`): a value keeps its fingerprint from version to version of its
/// entry, so a changed value shows, while equal values of two entries give different ones, so a
/// committed lockfile does not tell which passwords are shared.
public protocol ValueFingerprinter: Sendable {
  func fingerprint(of value: SecretBytes, entry: String) -> String
}

/// The message a lockfile fingerprint is the HMAC-SHA256 of: the entry's name, length-prefixed
/// (4 bytes, big-endian) so that no name and value can pass for another pair, then the value.
package enum ValueFingerprint {
  package static let prefix = "hmac-sha256:"

  /// `ssm:NAME` for a parameter (either reference kind), `secretsmanager:NAME` for a secret and
  /// `secretsmanager:NAME#KEY` for one of its JSON keys.
  package static func entry(kind: String, name: String, jsonKey: String? = nil) -> String {
    "\(kind):\(name)" + (jsonKey.map { "#" + $0 } ?? "")
  }

  /// `hmac-sha256:<hex>` of `value` read from `entry`, `mac` being the HMAC-SHA256 of its two
  /// arguments, one after the other, under the fingerprint key.
  package static func of(
    _ value: SecretBytes, entry: String,
    mac: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> [UInt8]
  ) -> String {
    let digest = header(entry: entry).withUnsafeBytes { header in
      value.withUnsafeBytes { mac(header, $0) }
    }
    return prefix + digest.hex
  }

  /// The bytes that precede the value.
  static func header(entry: String) -> [UInt8] {
    let name = Array(entry.utf8)
    let length = UInt32(truncatingIfNeeded: name.count)
    return [
      UInt8(length >> 24), UInt8(truncatingIfNeeded: length >> 16),
      UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length),
    ] + name
  }
}
