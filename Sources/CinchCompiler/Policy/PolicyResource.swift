public import CinchTemplate

/// What a statement's `Resource` names: an ARN (or ARN pattern), or, for a parameter or secret
/// the template itself creates, the template expression that gives its ARN.
public struct PolicyResource: Sendable, Hashable, Comparable, CustomStringConvertible {
  public enum Expression: Sendable, Hashable {
    /// `!Ref Secret` (a secret's `Ref` is its ARN).
    case ref(String)
    /// `!GetAtt Db.MasterUserSecret.SecretArn`
    case getAtt(resource: String, attribute: String)
  }

  /// The ARN or pattern an IAM JSON document uses; nil when only the template knows it (a
  /// secret the stack creates without a `Name`).
  public var arn: String?
  /// For CloudFormation output: the expression to use instead of `arn`.
  public var expression: Expression?
  /// Whether the template wrote the ARN itself (a reference by ARN): it names that region and
  /// account wherever the stack is deployed, so CloudFormation output keeps it as written.
  public var isWritten = false

  public init(arn: String, isWritten: Bool = false) {
    self.arn = arn
    self.expression = nil
    self.isWritten = isWritten
  }

  public init(expression: Expression, arn: String?) {
    self.arn = arn
    self.expression = expression
  }

  /// Every resource (`"*"`), for the few actions AWS cannot scope.
  public static let any = PolicyResource(arn: "*")

  public var isAny: Bool { expression == nil && arn == "*" }

  public var description: String {
    switch expression {
    case .ref(let name)?: "!Ref \(name)"
    case .getAtt(let resource, let attribute)?: "!GetAtt \(resource).\(attribute)"
    case nil: arn ?? "?"
    }
  }

  public static func < (lhs: PolicyResource, rhs: PolicyResource) -> Bool {
    (lhs.arn ?? "~", lhs.description, lhs.isWritten ? 1 : 0)
      < (rhs.arn ?? "~", rhs.description, rhs.isWritten ? 1 : 0)
  }
}

/// One condition of a statement: `"StringEquals": {"kms:ViaService": ["ssm.eu-west-1.amazonaws.com"]}`.
/// Several values of one key match any of them; several conditions must all match.
public struct PolicyCondition: Sendable, Hashable, Comparable {
  /// `StringEquals`, `StringLike`, `StringEqualsIfExists`, `Null`
  public var test: String
  public var key: String
  /// Sorted, without repeats.
  public var values: [String]

  public init(_ test: String, _ key: String, _ values: [String]) {
    self.test = test
    self.key = key
    self.values = Array(Set(values)).sorted()
  }

  /// `StringLike` when a value holds a wildcard, `StringEquals` otherwise.
  public static func matching(_ key: String, _ value: String) -> PolicyCondition {
    PolicyCondition(
      value.contains("*") || value.contains("?") ? "StringLike" : "StringEquals", key, [value])
  }

  public static func < (lhs: PolicyCondition, rhs: PolicyCondition) -> Bool {
    (lhs.test, lhs.key, lhs.values.joined(separator: "\u{0}"))
      < (rhs.test, rhs.key, rhs.values.joined(separator: "\u{0}"))
  }
}

/// Where a template needs a statement: the reference or property, for `--explain`.
public struct PolicyReason: Sendable, Hashable, Comparable {
  public var file: String
  public var range: SourceRange?
  /// `Resources/Db/Properties/MasterUserPassword`; nil for command-line input.
  public var path: TemplatePath?
  /// What is written there: the reference, the property's value, `--runtime-path /myapp/prod/`.
  public var detail: String

  public init(file: String, range: SourceRange?, path: TemplatePath?, detail: String) {
    self.file = file
    self.range = range
    self.path = path
    self.detail = detail
  }

  /// `templates/stack.yaml:12:7`
  public var location: String {
    guard let range else { return file }
    return "\(file):\(range.start.line):\(range.start.column)"
  }

  public static func < (lhs: PolicyReason, rhs: PolicyReason) -> Bool {
    (lhs.file, lhs.range?.start.offset ?? -1, lhs.detail)
      < (rhs.file, rhs.range?.start.offset ?? -1, rhs.detail)
  }
}
