package import CinchPartitions

/// What the evaluator is told about a deploy: parameter values and the pseudo-parameters that
/// depend on where the stack goes.
public struct EvaluationInputs: Sendable, Hashable {
  /// Parameter values by key: `--parameters` files merged, then `--parameter-overrides` on top.
  public var parameters: [String: ParameterInput]
  public var region: String
  public var accountID: String
  /// `AWS::StackName`; stays unknown unless given, since nothing sensible defaults it.
  public var stackName: String?
  /// The pseudo-parameters whose value is a default rather than given (`AWS::Region`,
  /// `AWS::AccountId`): a reference whose name is built from one is read with the default and
  /// reported (W2015), since the deploy may well be elsewhere.
  public var assumed: Set<String> = []
  /// Whether the `assumed` pseudo-parameters (and the partition and URL suffix, when the region
  /// is assumed) evaluate as unknown rather than as their defaults: what any deploy might make
  /// of them. Used to tell a place left out by a default from one left out by the template.
  public var leavesAssumedOpen = false

  /// These inputs with `names` (those assumed) left open: what any deploy might make of them.
  func leavingOpen(_ names: Set<String>) -> EvaluationInputs {
    var open = self
    open.assumed = names
    open.leavesAssumedOpen = true
    return open
  }

  /// A parameter value and where it came from (for messages that say which input was wrong).
  public struct ParameterInput: Sendable, Hashable {
    public var value: String
    /// `--parameter-overrides`, or the file and location it was read from.
    public var origin: String
    public var file: String?
    public var range: SourceRange?

    public init(value: String, origin: String, file: String? = nil, range: SourceRange? = nil) {
      self.value = value
      self.origin = origin
      self.file = file
      self.range = range
    }
  }

  /// AWS's defaults: `us-east-1`, and the documentation's example account `123456789012` (the
  /// same account the embedded store puts in its ARNs).
  public init(
    parameters: [String: ParameterInput] = [:], region: String = "us-east-1",
    accountID: String = "123456789012", stackName: String? = nil
  ) {
    self.parameters = parameters
    self.region = region
    self.accountID = accountID
    self.stackName = stackName
  }

  /// The partition `AWS::Partition` and `AWS::URLSuffix` give when not the region's: a stand-in
  /// no template names, for evaluating as if deployed in another partition.
  package var partitionStandIn: Partition?

  /// `aws`, `aws-cn`, `aws-us-gov`, … from the region's prefix.
  public var partition: String { (partitionStandIn ?? Partition.of(region: region)).name }
  public var urlSuffix: String { (partitionStandIn ?? Partition.of(region: region)).urlSuffix }

  /// The value of a pseudo-parameter, or nil when it is not one or not known.
  func pseudoParameter(_ name: String) -> Value? {
    if leavesAssumedOpen, isAssumed(name) {
      return .unknown(Unknown(.pseudoParameter(name), "'\(name)' was not given"))
    }
    return switch name {
    case "AWS::Region": .string(region)
    case "AWS::AccountId": .string(accountID)
    case "AWS::Partition": .string(partition)
    case "AWS::URLSuffix": .string(urlSuffix)
    case "AWS::StackName":
      stackName.map(Value.string)
        ?? .unknown(Unknown(.pseudoParameter(name), "'AWS::StackName' is set by --stack-name"))
    case "AWS::StackId", "AWS::NotificationARNs":
      .unknown(Unknown(.pseudoParameter(name), "'\(name)' is known only at deploy"))
    case "AWS::NoValue": .noValue
    default: nil
    }
  }

  /// Whether a pseudo-parameter's value is only a default: an `assumed` one, or the partition
  /// or URL suffix of an assumed region.
  public func isAssumed(_ name: String) -> Bool {
    assumed.contains(name)
      || (assumed.contains("AWS::Region") && (name == "AWS::Partition" || name == "AWS::URLSuffix"))
  }

  static let pseudoParameterNames: Set<String> = [
    "AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::URLSuffix", "AWS::StackName",
    "AWS::StackId", "AWS::NotificationARNs", "AWS::NoValue",
  ]
}
