import CinchPartitions

/// Where the store pretends to live and who is calling: the facts that go into ARNs,
/// `LastModifiedUser` and the audit log. The library never reads the environment; the CLI builds
/// this from `AWS_REGION` / `AWS_DEFAULT_REGION` and `CINCH_ACCOUNT_ID`.
public struct StoreConfiguration: Sendable, Equatable {
  public var region: String {
    didSet { deriveARNParts() }
  }
  public var accountID: String {
    didSet { deriveARNParts() }
  }
  /// Who performs the operations: an access key id, a user name or an ARN; recorded in the audit
  /// log and, as an ARN, in `LastModifiedUser`. `nil` when unknown.
  public var caller: String?
  /// The caller's identity as an ARN, when it differs from `caller` (the server records the
  /// access key id in the audit log and the user's ARN as `LastModifiedUser`).
  public var callerARN: String?
  /// How long a write waits for other writers (other processes) before giving up with
  /// `TooManyUpdates`.
  public var busyTimeoutSeconds: Double
  /// The parameters of each tier the account may hold (`ParameterLimitExceeded` past them).
  public var parameterLimits: ParameterLimits

  /// `aws`, `aws-cn` or `aws-us-gov`, from the region's name.
  public private(set) var partition = "aws"

  /// `arn:aws:ssm:us-east-1:123456789012:parameter/`: what precedes a parameter name in its ARN.
  /// Kept rather than computed: every decrypted read builds an ARN and checks a name's length
  /// against it, and deriving the partition (four `hasPrefix` on the region) and concatenating
  /// the prefix each time was ~5.5k instructions per read (Docs/Store.md, "The read path").
  public private(set) var parameterARNPrefix = ""

  /// `arn:aws:secretsmanager:us-east-1:123456789012:secret:`: what precedes a secret's name and
  /// suffix in its ARN; kept for the same reason (every secret read builds its ARN).
  public private(set) var secretARNPrefix = ""

  public init(
    region: String = "us-east-1", accountID: String = "123456789012", caller: String? = nil,
    busyTimeoutSeconds: Double = 30, parameterLimits: ParameterLimits = ParameterLimits()
  ) {
    self.region = region
    self.accountID = accountID
    self.caller = caller
    self.busyTimeoutSeconds = busyTimeoutSeconds
    self.parameterLimits = parameterLimits
    deriveARNParts()
  }

  private mutating func deriveARNParts() {
    partition = Partition.of(region: region).name
    parameterARNPrefix = "arn:\(partition):ssm:\(region):\(accountID):parameter/"
    secretARNPrefix = "arn:\(partition):secretsmanager:\(region):\(accountID):secret:"
  }

  /// The ARN a secret id stands for without a secret to look up: the ARN as given, else the
  /// partial ARN of the name (no 6-character suffix), on which IAM decides for a secret that
  /// does not exist.
  package func partialSecretARN(_ secretID: String) -> String {
    secretID.hasPrefix("arn:") ? secretID : secretARNPrefix + secretID
  }

  /// `parameterARNPrefix.utf8.count` (every read checks a name's length against it).
  var parameterARNPrefixLength: Int { parameterARNPrefix.utf8.count }

  /// `arn:aws:kms:us-east-1:123456789012:`
  var kmsARNPrefix: String { "arn:\(partition):kms:\(region):\(accountID):" }

  /// Who a new version records as its creator (reported as `LastModifiedUser`).
  var creator: String? { callerARN ?? caller }

  /// The ARN reported as `LastModifiedUser` for writes by `caller`.
  func userARN(for caller: String?) -> String {
    guard let caller, !caller.isEmpty else { return "arn:\(partition):iam::\(accountID):root" }
    if caller.hasPrefix("arn:") { return caller }
    return "arn:\(partition):iam::\(accountID):user/\(caller)"
  }
}
