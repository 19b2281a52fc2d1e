import CinchPartitions
import CinchTemplate

/// Where the policies apply: the partition, region and account whose ARNs they name, and the
/// DNS suffix of that partition's endpoints (for `kms:ViaService`).
public struct PolicyTarget: Sendable, Hashable {
  public var partition: String
  public var region: String
  public var accountID: String
  /// `amazonaws.com`, `amazonaws.com.cn` in the China regions, `amazonaws.eu` in the European
  /// Sovereign Cloud.
  public var urlSuffix: String

  public init(partition: String, region: String, accountID: String, urlSuffix: String) {
    self.partition = partition
    self.region = region
    self.accountID = accountID
    self.urlSuffix = urlSuffix
  }

  /// The partition and URL suffix the region belongs to, unless `partition` names another.
  public init(region: String, accountID: String, partition: String? = nil) {
    let known = Partition.of(region: region)
    self.init(
      partition: partition ?? known.name, region: region, accountID: accountID,
      urlSuffix: partition.map(Self.urlSuffix(ofPartition:)) ?? known.urlSuffix)
  }

  /// The endpoint suffix of a partition by name.
  /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html
  public static func urlSuffix(ofPartition partition: String) -> String {
    Partition.named(partition)?.urlSuffix ?? Partition.standard.urlSuffix
  }

  /// Wherever the stack is deployed: its ARNs name the partition, region and account with the
  /// pseudo-parameters, for `!Sub` in a template (`PolicyResource.portableARN`).
  static let stack = PolicyTarget(
    partition: "${AWS::Partition}", region: "${AWS::Region}", accountID: "${AWS::AccountId}",
    urlSuffix: "${AWS::URLSuffix}")

  // MARK: ARNs

  /// A Parameter Store parameter's ARN. The resource is `parameter/` and the name without its
  /// leading `/` (`/myapp/db` → `parameter/myapp/db`, `/db` and `db` → `parameter/db`, the same
  /// parameter). AWS's public parameters (`/aws/service/…`) belong to no account: their ARNs
  /// leave the account empty.
  /// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html
  public func parameterARN(_ name: String) -> String {
    let trimmed = name.hasPrefix("/") ? String(name.dropFirst()) : name
    let account = Self.isPublicParameter(name) ? "" : accountID
    return "arn:\(partition):ssm:\(region):\(account):parameter/\(trimmed)"
  }

  /// Whether a name is one of AWS's public parameters, readable by every account, or the path
  /// above them (`--runtime-path /aws/service/`).
  public static func isPublicParameter(_ name: String) -> Bool {
    name == "/aws/service" || name.hasPrefix("/aws/service/")
  }

  /// The ARNs a secret named `name` can have in this account and region: Secrets Manager ends
  /// every secret's ARN with `-` and six random characters, so a name matches
  /// `secret:NAME-??????` and nothing else (a plain `*` would also match `NAME-other-…`).
  /// https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html
  public func secretARNPattern(_ name: String) -> String {
    "arn:\(partition):secretsmanager:\(region):\(accountID):secret:\(name)-??????"
  }

  /// The key's ARN in this account and region.
  public func keyARN(_ keyID: String) -> String {
    "arn:\(partition):kms:\(region):\(accountID):key/\(keyID)"
  }

  /// The `kms:ViaService` value of a service in this region: its endpoint host,
  /// `ssm.eu-west-1.amazonaws.com`, `secretsmanager.cn-north-1.amazonaws.com.cn`.
  /// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
  public func viaService(_ service: String) -> String {
    "\(service).\(region).\(urlSuffix)"
  }
}
