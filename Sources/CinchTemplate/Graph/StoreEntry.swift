/// A Parameter Store parameter or a Secrets Manager secret a template reads, named as the
/// template names it: a name (`/myapp/prod/dbpassword`, `prod/db`) or an ARN.
///
/// A name that is still symbolic after evaluation keeps `${…}` placeholders for what it waits
/// on (`/myapp/${Env}/dbpassword`) and is not `isConcrete`.
public struct StoreEntry: Sendable, Hashable, Comparable, CustomStringConvertible {
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    case parameter
    case secret

    /// The service prefix used in ARNs and graph ids: `ssm`, `secretsmanager`.
    public var service: String { self == .parameter ? "ssm" : "secretsmanager" }
  }

  public var kind: Kind
  /// The name or ARN as written, after evaluation.
  public var name: String
  public var isConcrete: Bool

  public init(kind: Kind, name: String, isConcrete: Bool = true) {
    self.kind = kind
    self.name = name
    self.isConcrete = isConcrete
  }

  /// Parameter Store's view of Secrets Manager: `GetParameters` of this path and a secret's id
  /// (with an optional `:VERSION-ID` or `:STAGE`) reads the secret.
  /// https://docs.aws.amazon.com/systems-manager/latest/userguide/integration-ps-secretsmanager.html
  public static let secretsManagerReferencePrefix = "/aws/reference/secretsmanager/"

  /// The secret Parameter Store reads for `/aws/reference/secretsmanager/ID[:SELECTOR]`, nil
  /// for any other name. The selector names a version by id or by staging label; one shaped as
  /// a UUID (what Secrets Manager and the SDKs make version ids) is taken for an id.
  /// https://docs.aws.amazon.com/systems-manager/latest/userguide/integration-ps-secretsmanager.html
  public static func secretBehindParameter(_ name: String) -> (
    id: String, versionStage: String?, versionID: String?
  )? {
    guard name.hasPrefix(secretsManagerReferencePrefix) else { return nil }
    let rest = name.dropFirst(secretsManagerReferencePrefix.count)
    // A secret id here is a name, never an ARN, so the first `:` starts the selector.
    let id = rest.prefix { $0 != ":" }
    guard !id.isEmpty else { return nil }
    let selector = rest.dropFirst(id.count + 1)
    guard !selector.isEmpty else { return (String(id), nil, nil) }
    return isUUID(selector)
      ? (String(id), nil, String(selector)) : (String(id), String(selector), nil)
  }

  private static func isUUID(_ text: Substring) -> Bool {
    let groups = text.split(separator: "-", omittingEmptySubsequences: false)
    return groups.map(\.count) == [8, 4, 4, 4, 12]
      && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
  }

  /// The graph node id: `store:ssm:/myapp/prod/dbpassword`, `store:secretsmanager:prod/db`.
  public var id: String { "store:\(kind.service):\(name)" }

  /// `parameter '/myapp/prod/dbpassword'`, `secret 'prod/db'`
  public var description: String { "\(kind.rawValue) '\(name)'" }

  public static func < (lhs: StoreEntry, rhs: StoreEntry) -> Bool {
    (lhs.kind.rawValue, lhs.name) < (rhs.kind.rawValue, rhs.name)
  }

  /// The ARN's parts when `name` is an ARN of this entry's service.
  public var arn: StoreARN? {
    guard let arn = StoreARN(name), arn.kind == kind else { return nil }
    return arn
  }

  /// The name without its ARN: `/myapp/db` for `arn:aws:ssm:…:parameter/myapp/db`, `prod/db-AbCdEf`
  /// for a secret's complete ARN (the suffix Secrets Manager adds stays: it cannot be told apart
  /// from a name that ends the same way).
  public var plainName: String { arn?.name ?? name }

  /// Whether two entries name the same parameter or secret, as AWS would resolve them: a name and
  /// an ARN of the same name match (for secrets also an ARN whose name adds Secrets Manager's
  /// `-` and six characters); two ARNs match only in the same region and account.
  public func matches(_ other: StoreEntry) -> Bool {
    guard kind == other.kind else { return false }
    if name == other.name { return true }
    guard isConcrete, other.isConcrete else { return false }
    let mine = arn
    let theirs = other.arn
    if let mine, let theirs, mine.region != theirs.region || mine.account != theirs.account {
      return false
    }
    let a = plainName
    let b = other.plainName
    if a == b { return true }
    guard kind == .secret else {
      // `/db` and `db` are one parameter ("/TestParam1, TestParam1 … aren't unique",
      // https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html),
      // and a parameter ARN drops the `/`: both are `parameter/db`.
      return a.trimmingLeadingSlash == b.trimmingLeadingSlash
    }
    // A complete secret ARN ends in `-` and six random characters that the name does not have.
    return (mine != nil && Self.isSuffixed(a, by: b))
      || (theirs != nil && Self.isSuffixed(b, by: a))
  }

  private static func isSuffixed(_ suffixed: String, by base: String) -> Bool {
    guard suffixed.hasPrefix(base + "-") else { return false }
    let suffix = suffixed.dropFirst(base.count + 1)
    return suffix.count == 6 && suffix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
  }
}

/// An ARN that names a Parameter Store parameter or a Secrets Manager secret:
/// `arn:aws:ssm:us-east-1:123456789012:parameter/myapp/db` (the name is `/myapp/db`; a name
/// without a leading `/` appears as `parameter/db`), or
/// `arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf`.
public struct StoreARN: Sendable, Hashable {
  public var partition: String
  public var kind: StoreEntry.Kind
  public var region: String
  public var account: String
  public var name: String

  /// Parses exactly an ARN, nothing after it (no `:json-key` suffix).
  public init?(_ text: String) {
    let fields = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard fields.count == 6, fields[0] == "arn" else { return nil }
    partition = String(fields[1])
    region = String(fields[3])
    account = String(fields[4])
    let resource = fields[5]
    switch fields[2] {
    case "ssm":
      guard resource.hasPrefix("parameter/"), !resource.contains(":") else { return nil }
      let path = resource.dropFirst("parameter/".count)
      guard !path.isEmpty else { return nil }
      kind = .parameter
      name = path.contains("/") ? "/" + path : String(path)
    case "secretsmanager":
      guard resource.hasPrefix("secret:") else { return nil }
      let secret = resource.dropFirst("secret:".count)
      guard !secret.isEmpty, !secret.contains(":") else { return nil }
      kind = .secret
      name = String(secret)
    default:
      return nil
    }
  }

  /// Whether a secret's ARN ends as a complete one does: `-` and six letters or digits, the
  /// suffix Secrets Manager adds to the name. A partial ARN whose name ends that way is one
  /// Secrets Manager may take for complete, and not find the secret by
  /// (https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot.html#ARN_secretnamehyphen).
  public var endsWithSecretSuffix: Bool {
    guard kind == .secret, let dash = name.lastIndex(of: "-") else { return false }
    let suffix = name[name.index(after: dash)...]
    return suffix.count == 6 && suffix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
  }
}

extension String {
  fileprivate var trimmingLeadingSlash: Substring { hasPrefix("/") ? dropFirst() : self[...] }
}
