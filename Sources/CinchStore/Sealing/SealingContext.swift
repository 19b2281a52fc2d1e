/// What a sealed blob is bound to. The bytes of `associatedData` go into every GCM operation on
/// the blob, so a value copied to another store, another kind of entry, another name or another
/// version fails authentication instead of opening as the wrong thing.
package struct SealingContext: Sendable, Equatable {
  package var storeID: [UInt8]
  package var kind: EntryKind
  /// The entry's lookup name (for a parameter, the normalised name: `/X` and `X` are one entry).
  package var name: String
  package var version: Int
  /// Kind-specific facts the reader acts on: for a parameter its `Type`, so that a `SecureString`
  /// row relabelled `String` (which would be returned without `WithDecryption`) fails to open.
  package var detail: String

  package init(storeID: [UInt8], kind: EntryKind, name: String, version: Int, detail: String = "") {
    self.storeID = storeID
    self.kind = kind
    self.name = name
    self.version = version
    self.detail = detail
  }

  /// `"cinch-seal-1"` then each field length-prefixed (4-byte big-endian length), the version as
  /// 8 bytes big-endian: unambiguous, so no two contexts share an encoding.
  package var associatedData: [UInt8] {
    let prefix = "cinch-seal-1".utf8
    var bytes: [UInt8] = []
    bytes.reserveCapacity(
      prefix.count + 16 + storeID.count + kind.rawValue.utf8.count + name.utf8.count + 8
        + detail.utf8.count)
    bytes += prefix
    func length(_ count: Int) {
      let length = UInt32(count)
      bytes.append(UInt8(truncatingIfNeeded: length >> 24))
      bytes.append(UInt8(truncatingIfNeeded: length >> 16))
      bytes.append(UInt8(truncatingIfNeeded: length >> 8))
      bytes.append(UInt8(truncatingIfNeeded: length))
    }
    length(storeID.count)
    bytes += storeID
    length(kind.rawValue.utf8.count)
    bytes += kind.rawValue.utf8
    length(name.utf8.count)
    bytes += name.utf8
    let version = UInt64(bitPattern: Int64(version))
    for shift in stride(from: 56, through: 0, by: -8) {
      bytes.append(UInt8(truncatingIfNeeded: version >> UInt64(shift)))
    }
    length(detail.utf8.count)
    bytes += detail.utf8
    return bytes
  }
}

/// The kind of a named entry in the store: the first thing the associated data binds.
public struct EntryKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
  public let rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }

  /// An SSM Parameter Store parameter.
  public static let parameter = EntryKind(rawValue: "ssm-parameter")
  /// A Secrets Manager secret.
  public static let secret = EntryKind(rawValue: "secretsmanager-secret")
  /// A Vault KV v2 path.
  public static let vaultKV = EntryKind(rawValue: "vault-kv")
  /// The secret of an access key `cinch serve` accepts.
  package static let accessKey = EntryKind(rawValue: "iam-access-key")
  /// An IAM-style inline policy of a user (`cinch iam put-user-policy`).
  package static let userPolicy = EntryKind(rawValue: "iam-user-policy")
  /// Key material of a KMS-style key, wrapped by the master key.
  package static let kmsKey = EntryKind(rawValue: "kms-key")
  /// The store's own key (fingerprints, audit head), wrapped by the master key.
  package static let storeKey = EntryKind(rawValue: "store-key")
  /// The sealed constant that tells a wrong master key from a right one.
  package static let keyCheck = EntryKind(rawValue: "key-check")

  public var description: String { rawValue }
}
