import CinchTemplate

/// One statement of an identity policy written in a template, as far as the template says: what
/// the evaluator could not settle stays unknown, and every question asked of it answers
/// yes, no or unknown.
struct IAMStatement: Sendable {
  enum Effect: Sendable, Hashable {
    case allow
    case deny
  }

  /// One value of `Action` or `Resource` (or their `Not` forms), where it is written.
  struct Element: Sendable {
    var pattern: IAMPattern
    /// `!Ref X` or `!GetAtt X.Y` written as the value: the same expression the policy
    /// generator uses for a secret the template creates.
    var expression: PolicyResource.Expression?
    var range: SourceRange
    var path: TemplatePath
    /// False for a value in an `Fn::If` branch whose condition is not known.
    var certain: Bool
  }

  /// `Action` or `NotAction`, `Resource` or `NotResource`.
  struct Values: Sendable {
    var negated: Bool
    var elements: [Element]
    /// The element as written (its key's value), for findings about the whole of it.
    var range: SourceRange
    var path: TemplatePath
  }

  /// nil when it is not known.
  var effect: Effect?
  /// nil when the statement has neither form, or its value cannot be read.
  var actions: Values?
  var resources: Values?
  /// Whether the statement has a `Condition`, and its keys, lowercased (nil when the
  /// condition's keys cannot be read).
  var hasCondition: Bool
  var conditionKeys: Set<String>?
  /// False when the statement may not be in force: in an `Fn::If` branch or a resource whose
  /// condition is unknown, or in a policy that may not be attached.
  var certain: Bool
  var file: String
  var range: SourceRange
  var path: TemplatePath
  /// The `Effect` value, where findings point at the statement.
  var effectRange: SourceRange?

  /// Whether the statement covers a request for `action` on `resource`, conditions aside.
  func applies(to action: IAMPattern, on resource: RequiredResource) -> Truth {
    let conditions: Truth = hasCondition ? .unknown : .yes
    let inForce: Truth = certain ? .yes : .unknown
    return matches(action: action) && matches(resource: resource) && conditions && inForce
  }

  /// Whether `Action` (or `NotAction`) takes in `action`.
  func matches(action: IAMPattern) -> Truth {
    guard let actions else { return .unknown }
    let listed = Truth.any(actions.elements.map { $0.pattern.matches(action) && $0.inForce })
    return actions.negated ? !listed : listed
  }

  func matches(resource: RequiredResource) -> Truth {
    guard let resources else { return .unknown }
    let listed = Truth.any(resources.elements.map { resource.matched(by: $0) && $0.inForce })
    return resources.negated ? !listed : listed
  }
}

extension IAMStatement.Element {
  var inForce: Truth { certain ? .yes : .unknown }
}

/// What a request names as its resource: an ARN pattern standing for the ARNs it may be (a
/// secret's `NAME-??????`), and, for an entry the template creates, the expression that names
/// it there.
///
/// The ARN is built from the region and account `check` is told, which are AWS's examples
/// unless the user gives them. A statement is therefore taken to miss the resource only when
/// it misses it in every partition, region and account (`anywhere`): a role whose ARNs name the
/// real account is never called wrong for it.
struct RequiredResource: Sendable {
  var pattern: IAMPattern
  /// `pattern` with its partition, region and account fields left open.
  var anywhere: IAMPattern
  var expression: PolicyResource.Expression?
  /// How findings name it.
  var description: String
  /// The template's resources each of which stands for an entry of its own
  /// (`IAMCoverageRules.entryTypes`): a statement naming another of them misses this one.
  var entryResources: Set<String> = []

  init(arn: String, expression: PolicyResource.Expression?, description: String) {
    pattern = .resource(arn)
    let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
      .map(String.init)
    if fields.count == 6, fields[0] == "arn" {
      anywhere = .resource(
        pieces: [
          .text("arn:"), .field, .text(":\(fields[2]):"), .field, .text(":"), .field,
          .text(":" + fields[5]),
        ], display: "arn:*:\(fields[2]):*:*:\(fields[5])")
    } else {
      anywhere = pattern
    }
    self.expression = expression
    self.description = description
  }

  func matched(by element: IAMStatement.Element) -> Truth {
    if let expression, let other = element.expression {
      if other == expression { return .yes }
      // Two entries of the template have two ARNs: a statement on `!Ref OtherSecret` does not
      // reach `!Ref DbSecret` (a `SecretTargetAttachment`'s `Ref` may, being its secret's).
      if other.resourceName != expression.resourceName,
        entryResources.contains(other.resourceName),
        entryResources.contains(expression.resourceName)
      {
        return .no
      }
    }
    if element.pattern.isExact && element.pattern.covers(pattern) { return .yes }
    return element.pattern.intersects(anywhere) ? .unknown : .no
  }
}
