public import CinchTemplate

/// What one reference site becomes in a rendered file: its exact pinned form, or (inline mode)
/// the value it resolves to.
public struct Substitution: Sendable, Hashable {
  public enum Replacement: Sendable, Hashable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
  {
    /// Pin mode: the reference text becomes `{{resolve:ssm:/a/b:7}}`,
    /// `{{resolve:secretsmanager:ID:SecretString:KEY::VERSION-ID}}`.
    case pin(PinnedReference)
    /// Inline mode: the reference text is replaced by the value, quoted for where it lands.
    case value(String)

    /// Never the value: a substitution may end up in a log or a test failure.
    public var description: String {
      switch self {
      case .pin(let pin): "pin(\(pin))"
      case .value: "value(<redacted>)"
      }
    }

    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .enum) }
  }

  public var site: ReferenceSite
  public var replacement: Replacement
  /// The reference the site evaluates to, when known. A `${…}` variable or an `Fn::Join`
  /// piece may carry ':' into it, so that it has more segments than the text as written; a
  /// pin then goes after all of them.
  public var reads: Reference?

  public init(site: ReferenceSite, replacement: Replacement, reads: Reference? = nil) {
    self.site = site
    self.replacement = replacement
    self.reads = reads
  }

  public static func pin(
    _ site: ReferenceSite, _ pin: PinnedReference, reads: Reference? = nil
  ) -> Substitution {
    Substitution(site: site, replacement: .pin(pin), reads: reads)
  }

  public static func value(_ site: ReferenceSite, _ value: String) -> Substitution {
    Substitution(site: site, replacement: .value(value))
  }
}

/// The exact version a reference is pinned to.
public enum PinnedReference: Sendable, Hashable, CustomStringConvertible {
  /// `ssm` and `ssm-secure`: the parameter version (1 and up).
  case version(Int)
  /// `secretsmanager`: the secret version's VersionId.
  case versionId(String)

  public var description: String {
    switch self {
    case .version(let version): "version \(version)"
    case .versionId(let id): "version id \(id)"
    }
  }
}
