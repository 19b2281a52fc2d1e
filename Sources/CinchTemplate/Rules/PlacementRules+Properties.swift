/// The property tables the placement rules match on. Paths are property paths below a
/// resource's `Properties`; `*` stands for a list index.
extension PlacementRules {
  /// The 11 resource properties where CloudFormation accepts `ssm-secure` (AWS's documented
  /// list, as of this writing). Anywhere else the change set fails with "SSM Secure reference
  /// is not supported in: […]".
  static let ssmSecureProperties: [String: [[String]]] = [
    "AWS::DirectoryService::MicrosoftAD": [["Password"]],
    "AWS::DirectoryService::SimpleAD": [["Password"]],
    "AWS::ElastiCache::ReplicationGroup": [["AuthToken"]],
    "AWS::IAM::User": [["LoginProfile", "Password"]],
    "AWS::KinesisFirehose::DeliveryStream": [["RedshiftDestinationConfiguration", "Password"]],
    "AWS::OpsWorks::App": [["AppSource", "Password"]],
    "AWS::OpsWorks::Stack": [
      ["CustomCookbooksSource", "Password"], ["RdsDbInstances", "*", "DbPassword"],
    ],
    "AWS::RDS::DBCluster": [["MasterUserPassword"]],
    "AWS::RDS::DBInstance": [["MasterUserPassword"]],
    "AWS::Redshift::Cluster": [["MasterUserPassword"]],
  ]

  /// EC2 user data, where CloudFormation resolves no reference ("Dynamic references are also
  /// not supported in … Amazon EC2 UserData properties",
  /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html):
  /// every property that hands user data to the instances EC2 launches, not only an
  /// instance's own. `*` stands for any index of a list.
  static let userDataProperties: [String: [String]] = [
    "AWS::EC2::Instance": ["UserData"],
    "AWS::EC2::LaunchTemplate": ["LaunchTemplateData", "UserData"],
    "AWS::AutoScaling::LaunchConfiguration": ["UserData"],
    "AWS::EC2::SpotFleet": [
      "SpotFleetRequestConfigData", "LaunchSpecifications", "*", "UserData",
    ],
  ]

  /// SAM properties whose string the transform reads itself, and where it rejects a dynamic
  /// reference: an S3 URI of code or a layer ("Unsupported dynamic reference detected in
  /// 'CodeUri'", samtranslator/model/s3_utils/uri_parser.py) and a Serverless Application
  /// Repository application ("Serverless Application Repostiory does not support dynamic
  /// reference in 'ApplicationId' property", samtranslator/plugins/application/
  /// serverless_app_plugin.py). The object forms of `CodeUri` and `ContentUri` are passed on.
  static let samLocationProperties: [String: [String]] = [
    "AWS::Serverless::Function": ["CodeUri"],
    "AWS::Serverless::LayerVersion": ["ContentUri"],
    "AWS::Serverless::Application": ["Location", "ApplicationId"],
  ]

  /// The section of SAM's `Globals` for each resource type.
  static let samGlobalsSections: [String: String] = [
    "AWS::Serverless::Function": "Function", "AWS::Serverless::LayerVersion": "LayerVersion",
  ]

  /// Properties that expect a secret's ARN or id (or, for ECS and Batch `ValueFrom`, a
  /// parameter or secret ARN): a `secretsmanager` reference there hands over the secret's value
  /// instead. Matched on any path component; names ending in `SecretArn`, `SecretARN` or
  /// `SecretId` match too (`CredentialsSecretArn`, `MasterUserSecretId`, …).
  static let secretIdentifierProperties: Set<String> = [
    "SecretArn", "SecretARN", "SecretId", "SecretArnList", "SecretsManagerArn",
    "SecretsManagerSecretId", "SecretsManagerSecretArn", "SecretsManagerOracleAsmSecretId",
    "SecretsManagerSecurityDbEncryptionSecretId", "SecretsManagerConfiguration",
    "AwsSecretStoreArn", "CredentialsParameter", "ValueFrom",
  ]

  static func expectsSecretIdentifier(_ component: String) -> Bool {
    secretIdentifierProperties.contains(component) || component.hasSuffix("SecretArn")
      || component.hasSuffix("SecretARN") || component.hasSuffix("SecretId")
  }

  /// Properties that hold a password or a token of the same weight: the names of the
  /// documented `ssm-secure` properties (`Password`, `MasterUserPassword`, `DbPassword`,
  /// `AuthToken`, which also cover Amazon MQ users, DMS endpoints, DocumentDB and OpenSearch
  /// master users), the other credential names of the resource specification
  /// (`AdminPassword`, `AdminUserPassword` of Redshift Serverless, `AccountPassword` of AppStream
  /// directory configs, `ADDomainJoinPassword`, `CrossRealmTrustPrincipalPassword` and
  /// `KdcAdminPassword` of EMR Kerberos), and OAuth credentials (`AccessToken` and `OauthToken`
  /// of Amplify, `OAuthToken` of CodePipeline GitHub sources, `ClientSecret` of AppFlow and
  /// EventBridge connections). Exact names only: `PasswordPolicy`, `ManageMasterUserPassword`
  /// and `PasswordResetRequired` are settings, not secrets.
  static let passwordProperties: Set<String> = [
    "Password", "MasterUserPassword", "DbPassword", "AuthToken", "AdminPassword",
    "AdminUserPassword", "AccountPassword", "ADDomainJoinPassword",
    "CrossRealmTrustPrincipalPassword", "KdcAdminPassword", "AccessToken", "OauthToken",
    "OAuthToken", "ClientSecret",
  ]

  /// Checked for every property key, so a last-letter test goes before the set lookup.
  static func isPasswordProperty(_ name: String) -> Bool {
    switch name.utf8.last {
    case UInt8(ascii: "d"), UInt8(ascii: "n"), UInt8(ascii: "t"): passwordProperties.contains(name)
    default: false
    }
  }

  static func isCustomResource(_ type: String) -> Bool {
    type.hasPrefix("Custom::") || type == "AWS::CloudFormation::CustomResource"
  }

  /// Whether `path` (below `Properties`) matches `pattern`, `*` matching a list index.
  static func matches(_ path: ArraySlice<String>, _ pattern: [String]) -> Bool {
    guard path.count == pattern.count else { return false }
    return zip(path, pattern).allSatisfy { component, expected in
      expected == "*"
        ? component.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } : component == expected
    }
  }
}
