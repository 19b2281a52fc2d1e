import CinchTemplate
import Testing

@testable import CinchCompiler

/// The AWS managed policies `check` knows: which ARNs name them, and that each entry holds only
/// what the IAM rules ask about, as its documentation promises.
@Suite struct AWSManagedPoliciesTests {
  @Test(arguments: [
    "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    "arn:aws-cn:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    "arn:aws-us-gov:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
  ])
  func anyPartitionNamesTheSamePolicy(_ arn: String) {
    #expect(AWSManagedPolicies.policy(arn: arn)?.name == "AmazonECSTaskExecutionRolePolicy")
  }

  @Test(arguments: [
    // Another path than the policy's, or none: no such AWS policy.
    "arn:aws:iam::aws:policy/AmazonECSTaskExecutionRolePolicy",
    "arn:aws:iam::aws:policy/service-role/AmazonSSMManagedInstanceCore",
    // The account's own policy of the same name.
    "arn:aws:iam::123456789012:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    // Names compare as written.
    "arn:aws:iam::aws:policy/amazonssmmanagedinstancecore",
    // AWS policies cinch does not carry, and text that is no policy ARN.
    "arn:aws:iam::aws:policy/AmazonECS_FullAccess",
    "arn::iam::aws:policy/AmazonSSMReadOnlyAccess",
    "arn:aws:iam::aws:role/AmazonSSMReadOnlyAccess",
    "arn:aws:iam::aws:policy/",
    "AmazonSSMReadOnlyAccess",
  ])
  func otherTextNamesNone(_ arn: String) {
    #expect(AWSManagedPolicies.policy(arn: arn) == nil)
  }

  @Test func awsNamespaceIsToldFromTheAccounts() {
    #expect(
      AWSManagedPolicies.awsManagedPathAndName(
        "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")
        == "job-function/ViewOnlyAccess")
    #expect(AWSManagedPolicies.awsManagedPathAndName("arn:aws:iam::123456789012:policy/a") == nil)
  }

  @Test func theRequestedPoliciesAreKnown() {
    let names = Set(AWSManagedPolicies.all.map(\.name))
    for name in [
      "AmazonECSTaskExecutionRolePolicy", "AWSLambdaBasicExecutionRole",
      "AWSLambdaVPCAccessExecutionRole", "AWSXRayDaemonWriteAccess",
      "AmazonSSMManagedInstanceCore", "CloudWatchAgentServerPolicy",
      "AmazonEC2ContainerRegistryReadOnly", "SecretsManagerReadWrite", "AmazonSSMReadOnlyAccess",
    ] {
      #expect(names.contains(name), "\(name) is not known")
    }
    #expect(AWSManagedPolicies.known.count == AWSManagedPolicies.all.count)
  }

  /// Every kept action takes in a read, a rotation's write or a decrypt, and nothing else: the
  /// catalogue is cut to what the rules ask, not a copy of the policies.
  @Test func entriesHoldOnlyReadActions() {
    let asked = [
      "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath",
      "ssm:GetParameterHistory", "secretsmanager:GetSecretValue",
      "secretsmanager:DescribeSecret", "secretsmanager:PutSecretValue",
      "secretsmanager:UpdateSecretVersionStage", "kms:Decrypt",
    ].map(IAMPattern.action)
    for policy in AWSManagedPolicies.all {
      #expect(policy.version.hasPrefix("v"))
      for statement in policy.statements {
        #expect(!statement.actions.isEmpty && !statement.resources.isEmpty)
        for action in statement.actions {
          let pattern = IAMPattern.action(action)
          #expect(
            asked.contains { pattern.matches($0) == .yes },
            "\(policy.name): '\(action)' reads nothing")
        }
      }
    }
  }

  /// What the two policies that matter most allow, through the same matching the rules use.
  @Test func instanceCoreReadsParametersAndTaskExecutionNothing() {
    let core = AWSManagedPolicies.policy(
      arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")
    let getParameters = IAMPattern.action("ssm:GetParameters")
    let parameter = IAMPattern.resource("arn:aws:ssm:us-east-1:123456789012:parameter/app/db")
    #expect(
      core?.statements.contains {
        $0.actions.contains { IAMPattern.action($0).matches(getParameters) == .yes }
          && $0.resources.contains { IAMPattern.resource($0).matches(parameter) == .yes }
      } == true)
    #expect(
      core?.statements.contains {
        $0.actions.contains {
          IAMPattern.action($0).matches(.action("secretsmanager:GetSecretValue")) != .no
        }
      } == false)
    let execution = AWSManagedPolicies.policy(
      arn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")
    #expect(execution?.statements.isEmpty == true)
  }

  // MARK: Read from a template

  static func policies(_ arns: String, region: String = "us-east-1") -> IAMPolicies {
    let text = """
      Resources:
        Role:
          Type: AWS::IAM::Role
          Properties:
            AssumeRolePolicyDocument: {Statement: []}
            ManagedPolicyArns:
      \(arns)
      """
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(
      SourceFile(path: "stack.yaml", text: text), into: &diagnostics)
    let inputs = EvaluationInputs(region: region)
    let analysis = TemplateAnalyzer.analyze(document, inputs: inputs, into: &diagnostics)
    return IAMPolicyReader.read(analysis.template, inputs: inputs)
  }

  /// Every way a template writes the ARN names the policy; its statements go to the role alone,
  /// never among the template's own (which W6008 reads).
  @Test(arguments: [
    "        - arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    "        - !Sub arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore",
    "        - !Sub 'arn:${AWS::Partition}:iam::aws:policy/${Name}'\n"
      + "Parameters: {Name: {Type: String, Default: AmazonSSMManagedInstanceCore}}",
    "        - !Join ['', ['arn:', !Ref AWS::Partition, ':iam::aws:policy/AmazonSSMManagedInstanceCore']]",
    "        - {'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore'}",
  ])
  func theReaderKnowsThePolicyHoweverWritten(_ arns: String) throws {
    let policies = Self.policies(arns)
    let role = try #require(policies.roles["Role"])
    #expect(role.isComplete)
    #expect(role.awsManagedPolicies == ["AmazonSSMManagedInstanceCore"])
    #expect(role.statements.count == 1)
    #expect(role.statements.first?.certain == true)
    #expect(policies.statements.isEmpty)
  }

  @Test func theStacksPartitionNamesItToo() throws {
    let arns = "        - !Sub arn:${AWS::Partition}:iam::aws:policy/AmazonSSMReadOnlyAccess"
    let role = try #require(Self.policies(arns, region: "cn-north-1").roles["Role"])
    #expect(role.isComplete && role.awsManagedPolicies == ["AmazonSSMReadOnlyAccess"])
  }

  /// An unknown policy, the account's, or an ARN that waits on an input leaves the role open;
  /// a known one in a branch not known to be taken counts, but not for certain.
  @Test func otherPoliciesLeaveTheRoleOpen() throws {
    for arns in [
      "        - arn:aws:iam::aws:policy/AmazonECS_FullAccess",
      "        - !Sub arn:aws:iam::${AWS::AccountId}:policy/AmazonSSMReadOnlyAccess",
      "        - !Sub 'arn:aws:iam::aws:policy/${Name}'\nParameters: {Name: {Type: String}}",
    ] {
      let role = try #require(Self.policies(arns).roles["Role"])
      #expect(!role.isComplete, "\(arns)")
    }
    let branch = """
              - !If [Core, arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore, !Ref AWS::NoValue]
      Parameters: {On: {Type: String}}
      Conditions: {Core: !Equals [!Ref On, "yes"]}
      """
    let role = try #require(Self.policies(branch).roles["Role"])
    #expect(role.isComplete)
    #expect(role.statements.map(\.certain) == [false])
  }
}
