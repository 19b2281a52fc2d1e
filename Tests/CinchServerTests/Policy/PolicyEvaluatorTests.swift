import CinchStore
import Testing

@testable import CinchServer

struct PolicyEvaluatorTests {
  func decide(
    _ document: String, _ action: String, _ resource: String, _ context: [String: String] = [:]
  ) throws -> PolicyDecision {
    PolicyEvaluator.decide(
      [try PolicyDocument(parsing: document)], action: action, resource: resource,
      context: context)
  }

  let describeOnly = """
    {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ssm:DescribeParameters", "Resource": "*"}}
    """

  @Test func describeOnlyAllowsNothingElse() throws {
    #expect(
      try decide(describeOnly, "ssm:DescribeParameters", "arn:aws:ssm:us-east-1:1:*") == .allowed)
    #expect(
      try decide(describeOnly, "ssm:GetParameter", "arn:aws:ssm:us-east-1:1:parameter/a")
        == .implicitlyDenied)
  }

  @Test func actionsAreCaseInsensitiveResourcesAreNot() throws {
    let policy = """
      {"Statement": [{"Effect": "Allow", "Action": ["SSM:get*"], "Resource": "arn:aws:ssm:*:*:parameter/App/*"}]}
      """
    #expect(
      try decide(policy, "ssm:GetParameter", "arn:aws:ssm:eu-west-1:1:parameter/App/db") == .allowed
    )
    #expect(
      try decide(policy, "ssm:GetParameter", "arn:aws:ssm:eu-west-1:1:parameter/app/db")
        == .implicitlyDenied)
    #expect(
      try decide(policy, "ssm:PutParameter", "arn:aws:ssm:eu-west-1:1:parameter/App/db")
        == .implicitlyDenied)
  }

  @Test func questionMarkIsOneCharacterAsInSecretSuffixes() throws {
    let policy = """
      {"Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
        "Resource": "arn:aws:secretsmanager:us-east-1:1:secret:prod/db-??????"}]}
      """
    #expect(
      try decide(
        policy, "secretsmanager:GetSecretValue",
        "arn:aws:secretsmanager:us-east-1:1:secret:prod/db-AbC123")
        == .allowed)
    #expect(
      try decide(
        policy, "secretsmanager:GetSecretValue",
        "arn:aws:secretsmanager:us-east-1:1:secret:prod/db-AbC12")
        == .implicitlyDenied)
    #expect(
      try decide(
        policy, "secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:1:secret:prod/db"
      )
        == .implicitlyDenied)
  }

  @Test func explicitDenyWins() throws {
    let policy = """
      {"Statement": [
        {"Effect": "Allow", "Action": "ssm:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "ssm:GetParameter*", "Resource": "arn:aws:ssm:us-east-1:1:parameter/prod/*"}]}
      """
    #expect(
      try decide(policy, "ssm:GetParameters", "arn:aws:ssm:us-east-1:1:parameter/prod/db")
        == .explicitlyDenied)
    #expect(
      try decide(policy, "ssm:GetParameters", "arn:aws:ssm:us-east-1:1:parameter/dev/db")
        == .allowed)
  }

  @Test func notActionAndNotResource() throws {
    let policy = """
      {"Statement": [{"Effect": "Allow", "NotAction": "ssm:Delete*", "NotResource": "arn:aws:ssm:us-east-1:1:parameter/locked"}]}
      """
    #expect(
      try decide(policy, "ssm:GetParameter", "arn:aws:ssm:us-east-1:1:parameter/a") == .allowed)
    #expect(
      try decide(policy, "ssm:DeleteParameter", "arn:aws:ssm:us-east-1:1:parameter/a")
        == .implicitlyDenied)
    #expect(
      try decide(policy, "ssm:GetParameter", "arn:aws:ssm:us-east-1:1:parameter/locked")
        == .implicitlyDenied)
  }

  /// The statement `cinch policy` writes for a reference to AWSCURRENT: a request without a
  /// stage gets AWSCURRENT, so it is allowed; another stage or a version id is not.
  @Test func versionStageConditionsAsThePolicyGeneratorWritesThem() throws {
    let policy = """
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"],
        "Resource": ["arn:aws:secretsmanager:us-east-1:1:secret:prod/*"],
        "Condition": {"StringEqualsIfExists": {"secretsmanager:VersionStage": ["AWSCURRENT"]},
                      "Null": {"secretsmanager:VersionId": ["true"]}}}]}
      """
    let arn = "arn:aws:secretsmanager:us-east-1:1:secret:prod/db-AbC123"
    #expect(try decide(policy, "secretsmanager:GetSecretValue", arn) == .allowed)
    #expect(
      try decide(
        policy, "secretsmanager:GetSecretValue", arn, ["secretsmanager:versionstage": "AWSCURRENT"])
        == .allowed)
    #expect(
      try decide(
        policy, "secretsmanager:GetSecretValue", arn, ["secretsmanager:versionstage": "AWSPREVIOUS"]
      )
        == .implicitlyDenied)
    #expect(
      try decide(policy, "secretsmanager:GetSecretValue", arn, ["secretsmanager:versionid": "v1"])
        == .implicitlyDenied)
  }

  @Test func negatedOperatorsPassWhenTheKeyIsMissing() throws {
    let condition = try PolicyCondition(
      operator: "StringNotEquals", key: "secretsmanager:VersionStage", values: ["x"])
    #expect(condition.holds(in: [:]))
    #expect(!condition.holds(in: ["secretsmanager:versionstage": "x"]))
    let like = try PolicyCondition(
      operator: "StringLike", key: "secretsmanager:versionstage", values: ["pre*"])
    #expect(!like.holds(in: [:]))
    #expect(like.holds(in: ["secretsmanager:versionstage": "prefix"]))
  }

  @Test(arguments: [
    (#"{"Statement": []}"#, "Policy document must contain a 'Statement'."),
    (
      #"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "ssm:*", "Resource": "*"}}"#,
      "Policy document should not specify a principal."
    ),
    (
      #"{"Statement": {"Effect": "Allow", "Action": "GetParameter", "Resource": "*"}}"#,
      "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
    ),
    (
      #"{"Statement": {"Effect": "Allow", "Action": "ssm:*"}}"#,
      "Each statement needs exactly one of 'Resource' and 'NotResource'."
    ),
    (
      #"{"Statement": {"Effect": "Allow", "Action": "ssm:*", "Resource": "*", "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2020-01-01"}}}}"#,
      "Policy document contains a condition operator cinch serve does not enforce: 'DateGreaterThan'."
    ),
    // A key no request carries would make a Deny on it never apply (AWS applies it).
    (
      #"{"Statement": {"Effect": "Deny", "Action": "ssm:*", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/env": "prod"}}}}"#,
      "Policy document contains a condition key cinch serve does not supply: 'aws:ResourceTag/env'."
    ),
    (
      #"{"Statement": {"Effect": "Deny", "Action": "ssm:*", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}}}"#,
      "Policy document contains a condition key cinch serve does not supply: 'aws:RequestedRegion'."
    ),
    ("not json", "Syntax errors in policy."),
    // IAM's own refusals: a resource that is no ARN, an action with two colons.
    (
      #"{"Statement": {"Effect": "Deny", "Action": "ssm:GetParameter", "Resource": "/app/p1"}}"#,
      #"Resource /app/p1 must be in ARN format or "*"."#
    ),
    (
      #"{"Statement": {"Effect": "Deny", "Action": "ssm:Get:Parameter", "Resource": "*"}}"#,
      "Actions/Condition can contain only one colon."
    ),
    // A policy variable would be matched as its own text: a Deny with one would never apply.
    (
      #"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "ssm:*", "Resource": "arn:aws:ssm:us-east-1:123456789012:parameter/${aws:username}/*"}}"#,
      "Policy variables such as ${aws:username} are not supported by cinch serve: write out the names they stand for."
    ),
    (
      #"{"Statement": {"Effect": "Deny", "Action": "ssm:*", "Resource": "*", "Condition": {"StringEquals": {"secretsmanager:VersionStage": "${aws:username}"}}}}"#,
      "Policy variables such as ${aws:username} are not supported by cinch serve: write out the names they stand for."
    ),
  ])
  func malformedDocumentsAreRefused(document: String, message: String) {
    #expect(throws: StoreError(code: "MalformedPolicyDocument", message: message)) {
      try PolicyDocument(parsing: document)
    }
  }
}
