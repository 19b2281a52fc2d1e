import CinchPartitions
import CinchStore

/// The ARNs IAM evaluates a request against, named as AWS names them: a parameter
/// (`arn:aws:ssm:REGION:ACCOUNT:parameter/NAME`; a public one has no account), a secret (its full ARN, looked up without
/// auditing; a secret that does not exist yet or is missing is named by its partial ARN, so a
/// policy cannot be probed for which secrets exist), a KMS key or alias.
struct ResourceNames: Sendable {
  var store: SQLiteStore
  var configuration: StoreConfiguration

  init(store: SQLiteStore) {
    self.store = store
    self.configuration = store.configuration
  }

  private func prefix(_ service: String) -> String {
    "\(configuration.partition):\(service):\(configuration.region):\(configuration.accountID)"
  }
  private var ssmPrefix: String { prefix("ssm") }
  private var secretsPrefix: String { prefix("secretsmanager") }
  private var kmsPrefix: String { prefix("kms") }

  /// A parameter's ARN from a name or ARN, without a `:version` / `:label` selector, and
  /// without the spaces at either end that Parameter Store drops before it reads or writes
  /// (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html):
  /// the ARN a policy is held to is the parameter's the request reaches, so `' /prod/db'` is
  /// refused where `/prod/db` is.
  func parameter(_ requested: String) -> String {
    let reference = ParameterNameRules.trimmed(requested)
    if reference.hasPrefix("arn:") {
      guard let slash = reference.range(of: ":parameter/") else { return reference }
      let tail = reference[slash.upperBound...]
      let name = tail.split(separator: ":", maxSplits: 1).first.map(String.init) ?? String(tail)
      return String(reference[..<slash.upperBound]) + name
    }
    let name = reference.split(separator: ":", maxSplits: 1).first.map(String.init) ?? reference
    let relative = name.hasPrefix("/") ? String(name.dropFirst()) : name
    // AWS's public parameters belong to no account, in their ARN and so in the policies that
    // grant them (`arn:aws:ssm:us-east-1::parameter/aws/service/…`, as `cinch policy` writes).
    if ParameterName.isPublic(name) {
      return "arn:\(configuration.partition):ssm:\(configuration.region)::parameter/\(relative)"
    }
    return "arn:\(ssmPrefix):parameter/\(relative)"
  }

  /// Every parameter in the region and account (`DescribeParameters`).
  var allParameters: String { "arn:\(ssmPrefix):*" }

  /// A secret's full ARN when it exists, else its partial ARN (the name, or the ARN given).
  func secret(_ secretID: String) async -> String {
    if let arn = await store.secretARN(secretID) { return arn }
    return configuration.partialSecretARN(secretID)
  }

  /// The ARN a secret about to be created will have, its random suffix as `??????`.
  func newSecret(_ name: String) -> String {
    "arn:\(secretsPrefix):secret:\(name)-??????"
  }

  /// A service's endpoint host in this region, as `kms:ViaService` names it:
  /// `ssm.eu-west-1.amazonaws.com`, `secretsmanager.cn-north-1.amazonaws.com.cn`
  /// (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
  func viaService(_ endpointPrefix: String) -> String {
    "\(endpointPrefix).\(configuration.region).\(Partition.of(region: configuration.region).urlSuffix)"
  }

  /// The key a key operation (`DescribeKey`) is authorized against: the key's ARN also when
  /// the request names it by an alias, since "you cannot use an alias to identify a KMS key in
  /// the Resource element" (https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html);
  /// a Deny on the key is not bypassed through its alias. An alias that names no key stays
  /// the alias's ARN.
  func kmsKeyBehind(_ keyID: String) async -> String {
    await store.keyARN(keyID) ?? kmsKey(keyID)
  }

  /// A KMS key's ARN from a key id, key ARN, alias name or alias ARN.
  func kmsKey(_ keyID: String) -> String {
    if keyID.hasPrefix("arn:") { return keyID }
    if keyID.hasPrefix("alias/") { return "arn:\(kmsPrefix):\(keyID)" }
    return "arn:\(kmsPrefix):key/\(keyID)"
  }
}
