package import Foundation

/// A transit key ring's settings and versions, without material (`GET transit/keys/:name`).
package struct TransitKeyInfo: Sendable, Hashable {
  package var name: String
  package var type: String
  package var derived: Bool
  package var convergent: Bool
  package var exportable: Bool
  package var deletionAllowed: Bool
  package var allowPlaintextBackup: Bool
  /// At least 1.
  package var minDecryptionVersion: Int
  /// 0: the latest.
  package var minEncryptionVersion: Int
  package var latestVersion: Int
  /// Version → creation time.
  package var versions: [Int: Date]
}

/// A key ring with the material of every version still allowed to decrypt, for one operation.
package struct TransitKeyring: Sendable {
  package var info: TransitKeyInfo
  package var material: [Int: SecretBytes]
}

/// The settings `keys/:name/config` changes; nil leaves one as it is.
package struct TransitKeyConfig: Sendable, Hashable {
  package var minDecryptionVersion: Int?
  package var minEncryptionVersion: Int?
  package var deletionAllowed: Bool?
  package var exportable: Bool?
  package var allowPlaintextBackup: Bool?

  package init(
    minDecryptionVersion: Int? = nil, minEncryptionVersion: Int? = nil,
    deletionAllowed: Bool? = nil, exportable: Bool? = nil, allowPlaintextBackup: Bool? = nil
  ) {
    self.minDecryptionVersion = minDecryptionVersion
    self.minEncryptionVersion = minEncryptionVersion
    self.deletionAllowed = deletionAllowed
    self.exportable = exportable
    self.allowPlaintextBackup = allowPlaintextBackup
  }
}

/// The key ring's record in `entries.attributes`.
struct TransitKeyAttributes: Codable, Sendable {
  var type: String
  var derived: Bool
  var convergent: Bool
  var exportable: Bool
  var deletionAllowed: Bool
  var allowPlaintextBackup: Bool
  var minDecryptionVersion: Int
  var minEncryptionVersion: Int
  var latestVersion: Int
}
