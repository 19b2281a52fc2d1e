import CinchTemplate

/// The identity policies a template writes, read by `IAMPolicyReader`: every statement, and for
/// each `AWS::IAM::Role` of the template the statements attached to it.
struct IAMPolicies: Sendable {
  /// What a role is allowed, as far as the template shows it.
  struct Role: Sendable {
    var statements: [IAMStatement] = []
    /// False when something attached to the role is not in the template or cannot be read: a
    /// managed policy by ARN (the account's, or one of AWS's that `AWSManagedPolicies` does not
    /// know), a policy document that is a string or an unknown expression. What the role lacks
    /// cannot then be told.
    var isComplete = true
    /// The AWS managed policies of `AWSManagedPolicies` the role lists, by name: their
    /// statements are among `statements`.
    var awsManagedPolicies: [String] = []
  }

  /// Every statement of every identity policy the template writes (roles', users', groups',
  /// `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy`, `AWS::IAM::RolePolicy`); not the statements
  /// of AWS managed policies, which are only in the roles that list them.
  var statements: [IAMStatement] = []
  var roles: [String: Role] = [:]
  /// An `AWS::SecretsManager::ResourcePolicy` is in the template: a secret's own policy may
  /// allow what the role's does not.
  var hasSecretResourcePolicy = false
}

extension IAMPolicies.Role {
  /// Whether the role may make a request for `action` on `resource`: `.no` when it is certain
  /// the request is refused, with the explicit `Deny` that refuses it if one does.
  /// `resourcePolicies`: the resource may have a policy of its own that allows the role.
  /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
  func verdict(action: String, resource: RequiredResource, resourcePolicies: Bool)
    -> (allowed: Truth, denial: IAMStatement?)
  {
    let pattern = IAMPattern.action(action)
    var allowed = Truth.no
    var denied = Truth.no
    var denial: IAMStatement?
    for statement in statements {
      let applies = statement.applies(to: pattern, on: resource)
      switch statement.effect {
      case .allow?: allowed = allowed || applies
      case .deny?:
        denied = denied || applies
        if applies == .yes, denial == nil { denial = statement }
      case nil:
        allowed = allowed || (applies && .unknown)
        denied = denied || (applies && .unknown)
      }
    }
    // An explicit deny wins over every allow, a resource policy's too.
    if denied == .yes { return (.no, denial) }
    // A resource-based policy may allow what the identity's does not.
    if resourcePolicies && allowed == .no { allowed = .unknown }
    return (denied == .no ? allowed : allowed && .unknown, nil)
  }
}
