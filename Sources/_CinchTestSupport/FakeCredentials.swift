/// Credential-shaped test inputs that are never committed whole: the scanner must flag them
/// (so they cannot carry AWS's `…EXAMPLE` marker, which it deliberately leaves alone), yet a key
/// id in the repository would trip every secret scanner that reads it. Each is assembled here,
/// and fixture files hold a same-length placeholder that `expand` replaces, so byte offsets and
/// columns in golden output do not move.
public enum FakeCredentials {
  /// An AWS access key id no account has (`AKIA` and 16 upper-case letters and digits).
  public static let awsAccessKeyID = "AKIA" + "Z7Q2M4N6P8R3T5V1"
  /// An AWS temporary (session) key id no account has.
  public static let awsSessionKeyID = "ASIA" + "Y3K5M7P9R2T4V6X8"

  /// Filler a template writes where a key id goes: access-key-shaped, but no key (one repeated
  /// character, or a long ascending run). The scanner must leave them alone.
  public static let fillerAccessKeyIDs = [
    "AKIA" + String(repeating: "X", count: 16), "AKIA" + String(repeating: "0", count: 16),
    "AKIA" + "1234567890" + "ABCDEF",
  ]
  /// A role's unique id: key-id-shaped, but not a key.
  public static let roleUniqueID = "AROA" + "Z7Q2M4N6P8R3T5V1"

  /// What fixture files write in place of each (20 bytes, like the ids).
  public static let placeholders = [
    ("AKIA_FAKE_ACCESS_KEY", awsAccessKeyID),
    ("ASIA_FAKE_SESSION_ID", awsSessionKeyID),
    ("AKIA_FILLER_XXXXXXXX", fillerAccessKeyIDs[0]),
    ("AKIA_FILLER_12345678", fillerAccessKeyIDs[2]),
  ]

  /// `bytes` with every placeholder replaced by its credential.
  public static func expand(_ bytes: [UInt8]) -> [UInt8] {
    var result = bytes
    for (placeholder, value) in placeholders {
      let needle = Array(placeholder.utf8)
      let replacement = Array(value.utf8)
      var index = 0
      while index + needle.count <= result.count {
        if result[index] == needle[0], Array(result[index..<(index + needle.count)]) == needle {
          result.replaceSubrange(index..<(index + needle.count), with: replacement)
          index += needle.count
        } else {
          index += 1
        }
      }
    }
    return result
  }
}
