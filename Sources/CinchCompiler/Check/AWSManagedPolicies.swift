/// What a few AWS managed policies allow, so that `check` can judge a role whose only policies
/// from outside the template are among them (nearly every ECS execution role carries
/// `AmazonECSTaskExecutionRolePolicy`, nearly every instance role `AmazonSSMManagedInstanceCore`).
///
/// Each entry is the policy's default version as AWS publishes it, cut to what the IAM rules ask
/// about: of its `Allow` statements (none of these policies has a `Deny`, and none of the kept
/// statements has a `Condition`), the ones whose actions take in reading a parameter's or a
/// secret's value, rotating a secret, or decrypting either (an `ssm:GetParameter*` action, a
/// `secretsmanager:` action, `kms:Decrypt`, or a wildcard covering one: `ssm:Get*`,
/// `secretsmanager:*`, `*`), each with only those actions. A policy with none of them is listed
/// with no statements: it is known to allow no read. Every other policy from outside the
/// template leaves the role's verdict open, as before.
///
/// AWS adds permissions to its managed policies and does not take them away: an entry here can
/// only fall behind by allowing less than the policy now does. Each entry names the page and
/// version it was read from, to be checked again when AWS publishes a new version.
/// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html
enum AWSManagedPolicies {
  /// An `Allow` statement without a condition.
  struct Statement: Sendable, Hashable {
    var actions: [String]
    var resources: [String]
  }

  struct Policy: Sendable, Hashable {
    /// The part of the ARN after `policy/`: its path and name (`service-role/AWSLambdaBasicExecutionRole`).
    var pathAndName: String
    /// The policy's default version when it was read (`v3`).
    var version: String
    var statements: [Statement]

    /// The name alone, as findings show it.
    var name: String { String(pathAndName.split(separator: "/").last ?? "") }
  }

  /// The policy an ARN names, when it is one of these: `arn:PARTITION:iam::aws:policy/PATH/NAME`,
  /// in any partition, path and name compared as written.
  static func policy(arn: String) -> Policy? {
    guard let pathAndName = awsManagedPathAndName(arn) else { return nil }
    return known[pathAndName]
  }

  /// `PATH/NAME` of an ARN in AWS's own policy namespace (`iam::aws:policy/`), whatever the
  /// partition; nil for the account's policies and for text that is no such ARN.
  static func awsManagedPathAndName(_ arn: String) -> String? {
    let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard fields.count == 6, fields[0] == "arn", !fields[1].isEmpty, fields[2] == "iam",
      fields[3].isEmpty, fields[4] == "aws", fields[5].hasPrefix("policy/")
    else { return nil }
    let pathAndName = fields[5].dropFirst("policy/".count)
    return pathAndName.isEmpty ? nil : String(pathAndName)
  }

  static let known: [String: Policy] = Dictionary(
    uniqueKeysWithValues: all.map { ($0.pathAndName, $0) })

  static let all: [Policy] = [
    // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonECSTaskExecutionRolePolicy.html
    // v1 (2017-11-16). The one statement allows ecr:GetAuthorizationToken,
    // ecr:BatchCheckLayerAvailability, ecr:GetDownloadUrlForLayer, ecr:BatchGetImage,
    // logs:CreateLogStream, logs:PutLogEvents on "*": no read. The document as printed in
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
    // (which gives the permissions for secrets separately); the version as the IAM API reports
    // it, mirrored at https://github.com/zoph-io/MAMIP/blob/main/policies/AmazonECSTaskExecutionRolePolicy
    Policy(
      pathAndName: "service-role/AmazonECSTaskExecutionRolePolicy", version: "v1", statements: []),

    // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaBasicExecutionRole.html
    // v1: logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents on "*". No read.
    Policy(pathAndName: "service-role/AWSLambdaBasicExecutionRole", version: "v1", statements: []),

    // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaVPCAccessExecutionRole.html
    // v3: logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents and the ec2 network
    // interface actions on "*". No read.
    Policy(
      pathAndName: "service-role/AWSLambdaVPCAccessExecutionRole", version: "v3", statements: []),

    // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSXRayDaemonWriteAccess.html
    // v2: xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets,
    // GetSamplingStatisticSummaries on "*". No read.
    Policy(pathAndName: "AWSXRayDaemonWriteAccess", version: "v2", statements: []),

    // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEC2ContainerRegistryReadOnly.html
    // v3: ecr:Get*/Describe*/List*/BatchGetImage actions on "*". No read.
    Policy(pathAndName: "AmazonEC2ContainerRegistryReadOnly", version: "v3", statements: []),

    // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html
    // v2: the first statement allows, among fifteen ssm: actions for the agent,
    // ssm:GetParameter and ssm:GetParameters on "*" (the others, ssmmessages: and
    // ec2messages:, read nothing). Every parameter's value, to any role that carries it.
    Policy(
      pathAndName: "AmazonSSMManagedInstanceCore", version: "v2",
      statements: [Statement(actions: ["ssm:GetParameter", "ssm:GetParameters"], resources: ["*"])]
    ),

    // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/CloudWatchAgentServerPolicy.html
    // v3 (2024-02-06): statement CWASSMServerPermissions allows ssm:GetParameter on
    // arn:aws:ssm:*:*:parameter/AmazonCloudWatch-* (the agent's configuration, which
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/create-iam-roles-for-cloudwatch-agent.html
    // says must be named AmazonCloudWatch-… for this policy to read it);
    // CWACloudWatchServerPermissions reads nothing. Document and version as the IAM API reports
    // them, mirrored at https://github.com/zoph-io/MAMIP/blob/main/policies/CloudWatchAgentServerPolicy
    Policy(
      pathAndName: "CloudWatchAgentServerPolicy", version: "v3",
      statements: [
        Statement(
          actions: ["ssm:GetParameter"], resources: ["arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*"]
        )
      ]),

    // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/SecretsManagerReadWrite.html
    // v5 (2024-02-22): statement BasePermissions allows secretsmanager:* (with read-only kms:,
    // rds:, redshift: and other actions that read no value) on "*". The other statements
    // (lambda:, serverlessrepo:, s3:GetObject, cloudformation: tagging) read nothing. v6
    // (2026-08-25, as mirrored at https://github.com/zoph-io/MAMIP) keeps BasePermissions.
    Policy(
      pathAndName: "SecretsManagerReadWrite", version: "v5",
      statements: [Statement(actions: ["secretsmanager:*"], resources: ["*"])]),

    // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMReadOnlyAccess.html
    // v1: ssm:Describe*, ssm:Get*, ssm:List* on "*"; ssm:Get* takes in every GetParameter action.
    Policy(
      pathAndName: "AmazonSSMReadOnlyAccess", version: "v1",
      statements: [Statement(actions: ["ssm:Get*"], resources: ["*"])]),
  ]
}
