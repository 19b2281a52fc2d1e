import Testing

@testable import CinchTemplate

/// W2015 says how to give what a reference's name waits on, in the option that gives it, and
/// says nothing of what only a deploy knows.
@Suite struct WaitingReferenceTests {
  static func warnings(_ value: String) -> [String] {
    let (_, diagnostics) = analyzed(
      """
      Parameters:
        Env: {Type: String}
      Resources:
        Bucket: {Type: AWS::S3::Bucket}
        P:
          Type: AWS::SSM::Parameter
          Properties:
            Type: String
            Value: !Sub '\(value)'
      """)
    return diagnostics.items.filter { $0.code == .referenceNotEvaluated }.map(\.message)
  }

  @Test func eachInputIsNamedWithItsOption() {
    #expect(
      Self.warnings("{{resolve:ssm:/app/${Env}/${AWS::StackName}}}") == [
        "reference '{{resolve:ssm:/app/${Env}/${AWS::StackName}}}' waits on parameter 'Env', "
          + "pseudo-parameter 'AWS::StackName'; set it with --parameter-overrides Env=… "
          + "--stack-name …"
      ])
    #expect(Self.warnings("{{resolve:ssm:/app/${AWS::StackId}}}").isEmpty)
    #expect(Self.warnings("{{resolve:ssm:/app/${Bucket.Arn}}}").isEmpty)
  }

  /// A condition decided with a default (the region, the account) leaves a reference out that
  /// the deploy may read: it is reported, and only it (not one the template itself leaves out).
  @Test func aReferenceLeftOutByADefaultIsReported() {
    let template = """
      Parameters:
        Env: {Type: String, Default: prod}
      Conditions:
        InUsEast1: !Equals [!Ref AWS::Region, us-east-1]
        InAwsPartition: !Equals [!Ref AWS::Partition, aws]
        InMainAccount: !Equals [!Ref AWS::AccountId, '111111111111']
        IsProd: !Equals [!Ref Env, prod]
      Mappings:
        RegionMap:
          us-east-1: {Queue: '{{resolve:ssm:/queues/us}}'}
          eu-west-1: {Queue: '{{resolve:ssm:/queues/eu}}'}
      Resources:
        Q:
          Type: AWS::SQS::Queue
          Properties:
            QueueName: !If [InUsEast1, '{{resolve:ssm:/us/name}}', '{{resolve:ssm:/eu/name}}']
            DelaySeconds: !If [IsProd, '{{resolve:ssm:/prod/delay}}', '{{resolve:ssm:/dev/delay}}']
            Policy: !If [InAwsPartition, x, '{{resolve:ssm:/cn/policy}}']
            RedrivePolicy: !FindInMap [RegionMap, !Ref AWS::Region, Queue]
        Main:
          Type: AWS::SQS::Queue
          Condition: InMainAccount
          Properties:
            QueueName: '{{resolve:ssm:/main/name}}'
      """
    var inputs = EvaluationInputs()
    inputs.assumed = ["AWS::Region", "AWS::AccountId"]
    let (analysis, diagnostics) = analyzed(template, inputs: inputs)
    #expect(
      analysis.references.compactMap { $0.concrete?.name } == [
        "/queues/us", "/us/name", "/prod/delay",
      ])
    let warnings = diagnostics.items.filter { $0.code == .referenceNotEvaluated }
    #expect(
      warnings.map(\.message) == [
        "reference '{{resolve:ssm:/eu/name}}' is not read: a condition decided with the default "
          + "region 'us-east-1' leaves it out, and the deploy may go the other way; set "
          + "--region (or AWS_REGION) to check it",
        "reference '{{resolve:ssm:/cn/policy}}' is not read: a condition decided with the "
          + "default region 'us-east-1' leaves it out, and the deploy may go the other way; set "
          + "--region (or AWS_REGION) to check it",
        "reference '{{resolve:ssm:/main/name}}' is not read: a condition decided with the "
          + "default account '123456789012' leaves it out, and the deploy may go the other way; "
          + "set --account-id (or CINCH_ACCOUNT_ID) to check it",
      ])
    // Given, the region and account decide: nothing to report.
    let (_, given) = analyzed(template)
    #expect(!given.items.contains { $0.code == .referenceNotEvaluated })
  }

  /// A lookup that finds its entry with the default region leaves its `DefaultValue` out: the
  /// warning names the lookup as what decided, not only a condition.
  @Test func aDefaultValueLeftOutByTheDefaultRegionIsSaid() {
    let template = """
      Transform: AWS::LanguageExtensions
      Mappings:
        Hosts:
          us-east-1: {Name: /app/east/host}
      Resources:
        Q:
          Type: AWS::SSM::Parameter
          Properties:
            Type: String
            Value: !FindInMap [Hosts, !Ref AWS::Region, Name, DefaultValue: '{{resolve:ssm:/app/fallback}}']
      """
    var inputs = EvaluationInputs()
    inputs.assumed = ["AWS::Region", "AWS::AccountId"]
    let (_, diagnostics) = analyzed(template, inputs: inputs)
    #expect(
      diagnostics.items.filter { $0.code == .referenceNotEvaluated }.map(\.message) == [
        "reference '{{resolve:ssm:/app/fallback}}' is not read: a condition or mapping lookup "
          + "decided with the default region 'us-east-1' leaves it out, and the deploy may go "
          + "the other way; set --region (or AWS_REGION) to check it"
      ])
  }
}
