public import CinchTemplate

/// A parameter or secret version whose KMS key a policy needs to know.
public struct EncryptionKeyQuery: Sendable, Hashable {
  public var entry: StoreEntry
  /// A pinned parameter version; nil for the latest.
  public var version: Int?
  /// A secret's staging label (nil for `AWSCURRENT`), or a parameter's label (`/app/db:live`).
  public var versionStage: String?
  /// A secret's version id.
  public var versionID: String?

  public init(
    entry: StoreEntry, version: Int? = nil, versionStage: String? = nil, versionID: String? = nil
  ) {
    self.entry = entry
    self.version = version
    self.versionStage = versionStage
    self.versionID = versionID
  }

  /// ` (version 3)`, ` (version id 1c55…)`, ` (stage AWSPREVIOUS)`, or nothing for the
  /// latest: what was asked for, as the entry may be there without it.
  /// `version 3`, `version id 1c55…`, `a version labelled AWSPREVIOUS`; for a query that names
  /// none, the version read then.
  var selectorNoun: String {
    if let version { return "version \(version)" }
    if let versionID { return "version id \(versionID)" }
    if let versionStage { return "a version labelled \(versionStage)" }
    return entry.kind == .secret ? "a version labelled AWSCURRENT" : "a version"
  }

  var selectorDescription: String {
    if let version { return " (version \(version))" }
    if let versionID { return " (version id \(versionID))" }
    if let versionStage {
      return entry.kind == .secret ? " (stage \(versionStage))" : " (label \(versionStage))"
    }
    return ""
  }
}

/// A KMS key as a policy names it.
public struct EncryptionKey: Sendable, Hashable, Comparable {
  /// The key's ARN in the policy's partition, region and account (or the ARN the store records,
  /// for a key of another account).
  public var arn: String
  /// What the store records for the entry: `alias/myapp`, a key id, an ARN.
  public var recordedAs: String
  /// False for the AWS-managed `aws/ssm` and `aws/secretsmanager` keys, whose key policies
  /// already let the account's principals use them through their service.
  public var isCustomerManaged: Bool

  public init(arn: String, recordedAs: String, isCustomerManaged: Bool) {
    self.arn = arn
    self.recordedAs = recordedAs
    self.isCustomerManaged = isCustomerManaged
  }

  public static func < (lhs: EncryptionKey, rhs: EncryptionKey) -> Bool { lhs.arn < rhs.arn }
}

/// What is known about an entry's key.
public enum EncryptionKeyState: Sendable, Hashable {
  /// No store was consulted, or none knows this kind of entry.
  case unknown
  /// The store has no such entry.
  case notFound
  /// The store has the entry, but not the version, version id or stage asked for.
  case versionNotFound
  /// A `String` or `StringList` parameter: nothing to decrypt.
  case unencrypted
  case key(EncryptionKey)
  /// The store names the key (`keyID`, as recorded), but KMS would not describe it (`reason`:
  /// the error code, `AccessDeniedException` without `kms:DescribeKey`, `NotFoundException`
  /// for a deleted key), so whether it is customer-managed is not known.
  case undescribed(keyID: String, reason: String)
}

/// The keys of the entries a set of templates reads, looked up before policies are generated
/// (the generator itself does no I/O).
public struct EncryptionKeys: Sendable, Hashable {
  public var entries: [EncryptionKeyQuery: EncryptionKeyState]
  /// The customer-managed keys of the parameters under each `--runtime-path`.
  public var paths: [String: [EncryptionKey]]
  /// Whether a store was consulted at all.
  public var isConfigured: Bool

  public init(
    entries: [EncryptionKeyQuery: EncryptionKeyState] = [:], paths: [String: [EncryptionKey]] = [:],
    isConfigured: Bool = false
  ) {
    self.entries = entries
    self.paths = paths
    self.isConfigured = isConfigured
  }

  /// Nothing known: no store.
  public static let none = EncryptionKeys()

  public func state(of query: EncryptionKeyQuery) -> EncryptionKeyState {
    entries[query] ?? .unknown
  }
}

/// The questions a generation will ask about keys: every entry version, and every path.
public struct EncryptionKeyQueries: Sendable, Hashable {
  public var entries: Set<EncryptionKeyQuery>
  public var paths: Set<String>

  public init(entries: Set<EncryptionKeyQuery> = [], paths: Set<String> = []) {
    self.entries = entries
    self.paths = paths
  }
}
