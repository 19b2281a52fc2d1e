/// Which identity a policy is for.
public enum PolicyProfile: String, Sendable, Hashable, CaseIterable, Comparable {
  /// Whoever deploys the stack (or CloudFormation's service role): it resolves every dynamic
  /// reference and every `AWS::SSM::Parameter::Value<…>` parameter.
  case deploy
  /// A pull-request job that checks references exist: metadata only, never a value.
  case validate
  /// The roles resources run as when they read the store themselves (an ECS task's execution
  /// role, a CodeBuild project's service role), and application roles reading a path.
  case consumers

  private var rank: Int {
    switch self {
    case .deploy: 0
    case .validate: 1
    case .consumers: 2
    }
  }

  public static func < (lhs: PolicyProfile, rhs: PolicyProfile) -> Bool { lhs.rank < rhs.rank }
}
