public import CinchTemplate

/// What a statement's `Resource` names: an ARN (or ARN pattern), or, for a parameter or secret
/// the template itself creates, the template expression that gives its ARN.
public struct PolicyResource: Sendable, Hashable, Comparable, CustomStringConvertible {
  public enum Expression: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `!Ref Secret` (a secret's `Ref` is its ARN).
    case ref(String)
    /// `!GetAtt Db.MasterUserSecret.SecretArn`
    case getAtt(resource: String, attribute: String)

    /// The logical id of the resource it names.
    public var resourceName: String {
      switch self {
      case .ref(let name), .getAtt(let name, _): name
      }
    }

    /// As CloudFormation YAML writes it.
    public var description: String {
      switch self {
      case .ref(let name): "!Ref \(name)"
      case .getAtt(let resource, let attribute): "!GetAtt \(resource).\(attribute)"
      }
    }

    public static func < (lhs: Expression, rhs: Expression) -> Bool {
      lhs.description < rhs.description
    }
  }

  /// The ARN or pattern an IAM JSON document uses; nil when only the template knows it (a
  /// secret the stack creates without a `Name`).
  public var arn: String?
  /// For CloudFormation output: the expression to use instead of `arn`.
  public var expression: Expression?
  /// Whether the template gave the ARN itself (a reference by ARN, an ARN from a mapping or a
  /// parameter's value) with nothing in it from the pseudo-parameters: it names that
  /// partition, region and account wherever the stack is deployed, so CloudFormation output
  /// keeps it as written.
  public var isWritten = false
  /// `arn` as the stack writes it wherever it goes (`PortableNames`), for CloudFormation
  /// output: what the template builds from `AWS::Region`, `AWS::AccountId`, … (or a
  /// parameter) written as `${AWS::Region}`, `${AWS::AccountId}`, … (`${Env}`), and, for an
  /// ARN cinch makes from such a name, its partition, region and account too; the rest as the
  /// template writes it. Nil when the name builds on none of them.
  public var portableARN: String?

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

  public var description: String { expression?.description ?? arn ?? "?" }

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
  /// Values only the template can write (`!Ref Secret`, the ARN of a secret it creates without
  /// a name), sorted, without repeats. Only the consumers' CloudFormation output writes them;
  /// elsewhere what they name is left out, as a resource only the template can name is
  /// (`writable`).
  public var expressions: [PolicyResource.Expression]
  /// The values the consumers' CloudFormation output writes beside the expressions, when not
  /// all of `values`: a value that only stands, outside the template, for what an expression
  /// names (a secret the template creates under a name built from its parameters:
  /// `prod/app-??????` as evaluated, `!Ref Secret` in every stack) is left out. Sorted.
  public var templateValues: [String]?

  public init(
    _ test: String, _ key: String, _ values: [String],
    expressions: [PolicyResource.Expression] = [], templateValues: [String]? = nil
  ) {
    self.test = test
    self.key = key
    self.values = Array(Set(values)).sorted()
    self.expressions = Array(Set(expressions)).sorted()
    self.templateValues = templateValues.map { Array(Set($0)).sorted() }
  }

  /// The condition as a policy outside the template holds it: without the expressions, or nil
  /// when they are all it allows (the statement then grants nothing that policy can name).
  public var writable: PolicyCondition? {
    guard !expressions.isEmpty else { return self }
    return values.isEmpty ? nil : PolicyCondition(test, key, values)
  }

  /// This condition with `other`'s values and expressions too.
  func adding(_ other: PolicyCondition) -> PolicyCondition {
    PolicyCondition(
      test, key, values + other.values, expressions: expressions + other.expressions,
      templateValues: templateValues == nil && other.templateValues == nil
        ? nil : (templateValues ?? values) + (other.templateValues ?? other.values))
  }

  /// `StringLike` when a value holds a wildcard, `StringEquals` otherwise.
  public static func matching(_ key: String, _ value: String) -> PolicyCondition {
    PolicyCondition(
      value.contains("*") || value.contains("?") ? "StringLike" : "StringEquals", key, [value])
  }

  public static func < (lhs: PolicyCondition, rhs: PolicyCondition) -> Bool {
    func text(_ condition: PolicyCondition) -> String {
      (condition.values + condition.expressions.map(\.description)).joined(separator: "\u{0}")
    }
    return (lhs.test, lhs.key, text(lhs)) < (rhs.test, rhs.key, text(rhs))
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
