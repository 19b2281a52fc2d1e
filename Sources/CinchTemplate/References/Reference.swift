/// One CloudFormation dynamic reference, parsed: `{{resolve:ssm:/myapp/db-host:3}}`,
/// `{{resolve:ssm-secure:/myapp/db-password}}`,
/// `{{resolve:secretsmanager:prod/db:SecretString:password::VERSION-ID}}`.
///
/// Fields hold the text as written. A reference found inside an `Fn::Sub` string keeps its
/// `${…}` variables (`/myapp/${Env}/dbpassword`); one assembled by `Fn::Join` shows each piece
/// that is not literal text as a `${…}` placeholder. The evaluator substitutes both.
public struct Reference: Sendable, Hashable, CustomStringConvertible {
  /// Which store the reference reads, and how CloudFormation treats the value.
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    /// A Parameter Store `String` or `StringList`.
    case ssm
    /// A Parameter Store `SecureString`; accepted in 11 resource properties only.
    case ssmSecure = "ssm-secure"
    /// A Secrets Manager secret.
    case secretsManager = "secretsmanager"

    /// Whether the value is a secret that CloudFormation keeps out of its own records.
    public var isSecure: Bool { self != .ssm }
  }

  /// How the reference is enclosed: CloudFormation's `{{resolve:…}}`, or cinch's `<<resolve:…>>`
  /// for files where `{{` belongs to another template language (Helm, Jinja, Mustache).
  public enum Delimiter: String, Sendable, Hashable, CaseIterable {
    case braces = "{{}}"
    case angles = "<<>>"

    /// `{{` or `<<`
    public var open: String { self == .braces ? "{{" : "<<" }
    /// `}}` or `>>`
    public var close: String { self == .braces ? "}}" : ">>" }
  }

  public var kind: Kind
  /// The parameter name (`/myapp/db-host`) or the secret id: a name or a whole ARN
  /// (`arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db`).
  public var name: String
  /// `ssm`/`ssm-secure`: the pinned version, nil for the latest (or when a `Fn::Sub` variable
  /// gives it, in which case `text` still has it).
  public var version: Int?
  /// `secretsmanager`: the second segment as written: `"SecretString"`, `""` (the default, also
  /// `SecretString`), or nil when the reference stops after the secret id.
  public var secretString: String?
  /// `secretsmanager`: the key to read from a JSON secret; nil for the whole secret string.
  public var jsonKey: String?
  /// `secretsmanager`: the staging label (`AWSCURRENT`, `AWSPREVIOUS`, …); nil when absent.
  public var versionStage: String?
  /// `secretsmanager`: the version id; nil when absent.
  public var versionId: String?
  public var delimiter: Delimiter
  /// The exact text of the reference in the value that holds it, delimiters included (the
  /// closing one only when written: see `isClosedByInput`).
  public var text: String
  /// The text writes no closer after the opener: it ends with an `Fn::Sub` variable or an
  /// `Fn::Join` piece whose value may close it (`{{resolve:ssm:${N}` with `N` = `/x}}`), so
  /// only the evaluated text tells the reference, and nothing can be written into its closer.
  public var isClosedByInput = false

  public init(
    kind: Kind, name: String, version: Int? = nil, secretString: String? = nil,
    jsonKey: String? = nil, versionStage: String? = nil, versionId: String? = nil,
    delimiter: Delimiter = .braces, text: String
  ) {
    self.kind = kind
    self.name = name
    self.version = version
    self.secretString = secretString
    self.jsonKey = jsonKey
    self.versionStage = versionStage
    self.versionId = versionId
    self.delimiter = delimiter
    self.text = text
  }

  /// Whether the secret id is an ARN (a cross-account secret, or one named exactly).
  public var isARN: Bool { kind == .secretsManager && name.hasPrefix("arn:") }

  public var description: String { text }
}
