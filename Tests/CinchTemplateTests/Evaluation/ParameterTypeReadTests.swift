import Testing

@testable import CinchTemplate

/// An `AWS::SSM::Parameter::Value<…>` parameter names the parameter CloudFormation reads: by
/// name, or by full ARN for one shared from another account, which dynamic references cannot
/// name (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-supplied-parameter-types.html).
@Suite struct ParameterTypeReadTests {
  static func read(_ value: String) -> (names: [String], codes: [String]) {
    let (analysis, diagnostics) = analyzed(
      """
      Parameters:
        Shared:
          Type: AWS::SSM::Parameter::Value<String>
          Default: '\(value)'
      Resources:
        P:
          Type: AWS::SSM::Parameter
          Properties: {Type: String, Value: !Ref Shared}
      """)
    return (analysis.references.compactMap { $0.concrete?.name }, diagnostics.items.map(\.code.id))
  }

  @Test func aSharedParameterIsReadByItsARN() {
    let arn = "arn:aws:ssm:us-east-1:111122223333:parameter/shared/db-host"
    #expect(Self.read(arn) == ([arn], []))
    #expect(Self.read("/shared/db-host") == (["/shared/db-host"], []))
  }

  @Test(arguments: [
    "arn:aws:ssm:us-east-1:111122223333:parameter/",
    "arn:aws:ssm:us-east-1::parameter/shared/db-host",
    "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf",
  ])
  func anARNThatNamesNoSharedParameterIsAnError(_ value: String) {
    let (names, codes) = Self.read(value)
    #expect(names.isEmpty)
    #expect(codes.contains("E2002"))
  }
}

/// A value given on the command line is not in the template: the read is placed at the
/// parameter's name, not at the `Default` it replaces; one from a parameters file at its place
/// there.
@Suite struct ParameterTypeReadSiteTests {
  static let template = """
    Parameters:
      ImageId:
        Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
        Default: /myapp/default/ami
    Resources:
      I:
        Type: AWS::EC2::Instance
        Properties: {ImageId: !Ref ImageId}
    """

  static func site(_ input: EvaluationInputs.ParameterInput?) -> ReferenceSite? {
    var inputs = EvaluationInputs()
    inputs.parameters["ImageId"] = input
    return analyzed(template, inputs: inputs).analysis.references.first?.site
  }

  @Test func theDefaultIsReadAtTheDefault() throws {
    let site = try #require(Self.site(nil))
    #expect(site.reference.name == "/myapp/default/ami")
    #expect(site.file == "t.yaml")
    #expect(site.range.start.line == 4 && site.range.start.column == 14)
    #expect(site.path.description == "Parameters/ImageId/Default")
  }

  @Test func anOverrideIsReadAtTheParameterNotAtTheDefault() throws {
    let site = try #require(
      Self.site(.init(value: "/myapp/other/ami", origin: "--parameter-overrides")))
    #expect(site.reference.name == "/myapp/other/ami")
    #expect(site.file == "t.yaml")
    #expect(site.range.start.line == 2 && site.range.start.column == 3)
    #expect(site.path.description == "Parameters/ImageId")
  }

  @Test func aParametersFileValueIsReadWhereTheFileGivesIt() throws {
    let range = SourceRange(
      start: SourcePosition(offset: 40, line: 3, column: 22),
      end: SourcePosition(offset: 56, line: 3, column: 38))
    let site = try #require(
      Self.site(
        .init(
          value: "/myapp/file/ami", origin: "params.json:3:22", file: "params.json", range: range)
      ))
    #expect(site.file == "params.json")
    #expect(site.range == range)
    #expect(site.path.description == "Parameters/ImageId")
  }
}

/// A name built from the region or the account that was not given is read with the default and
/// reported (W2015) with the option that gives it; given, nothing is reported.
@Suite struct AssumedPseudoParameterTests {
  static let template = """
    Resources:
      P:
        Type: AWS::SSM::Parameter
        Properties:
          Type: String
          Value: !Sub '{{resolve:ssm:/acct/${AWS::AccountId}/x}}'
      Q:
        Type: AWS::SSM::Parameter
        Properties:
          Type: String
          Value: !Join ['', ['{{resolve:ssm:/', !Ref 'AWS::Region', '/y}}']]
      R:
        Type: AWS::SSM::Parameter
        Properties:
          Type: String
          Value: !Sub 'in ${AWS::Region}: {{resolve:ssm:/z}}'
    """

  @Test func aDefaultThatMakesANameIsReported() {
    var inputs = EvaluationInputs()
    inputs.assumed = ["AWS::Region", "AWS::AccountId"]
    let (analysis, diagnostics) = analyzed(Self.template, inputs: inputs)
    #expect(
      analysis.references.compactMap { $0.concrete?.name } == [
        "/acct/123456789012/x", "/us-east-1/y", "/z",
      ])
    let warnings = diagnostics.items.filter { $0.code == .referenceNotEvaluated }
    #expect(warnings.map { $0.range?.start.line } == [6, 11])
    #expect(
      warnings.first?.message.hasSuffix("set it with --account-id (or CINCH_ACCOUNT_ID)") == true)
  }

  @Test func givenValuesAreNotReported() {
    let (_, diagnostics) = analyzed(Self.template)
    #expect(!diagnostics.items.contains { $0.code == .referenceNotEvaluated })
  }
}

/// Systems Manager has no SecureString parameters in the China Regions: an `ssm-secure`
/// reference deployed there fails (E2020); `ssm` and `secretsmanager` are read as anywhere.
@Suite struct ChinaRegionTests {
  static let template = """
    Resources:
      Db:
        Type: AWS::RDS::DBInstance
        Properties:
          MasterUsername: '{{resolve:ssm:/db/user}}'
          MasterUserPassword: '{{resolve:ssm-secure:/db/password:3}}'
          DBName: '{{resolve:secretsmanager:db:SecretString:name}}'
    """

  @Test(arguments: ["cn-north-1", "cn-northwest-1"])
  func ssmSecureIsRefusedInChina(_ region: String) {
    let (_, diagnostics) = analyzed(Self.template, inputs: EvaluationInputs(region: region))
    let refused = diagnostics.items.filter { $0.code == .ssmSecurePlacement }
    #expect(refused.map { $0.range?.start.line } == [6])
  }

  @Test func elsewhereItIsRead() {
    let (_, diagnostics) = analyzed(Self.template, inputs: EvaluationInputs(region: "eu-west-1"))
    #expect(!diagnostics.items.contains { $0.code == .ssmSecurePlacement })
  }
}

/// Partitions share nothing: a stack deployed in one cannot read a secret whose ARN names
/// another (E2013), once the region is known; with the region only a default, nothing is said.
@Suite struct SecretPartitionTests {
  static let template = """
    Resources:
      Db:
        Type: AWS::RDS::DBInstance
        Properties:
          MasterUsername: '{{resolve:secretsmanager:arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:db:SecretString:user}}'
          MasterUserPassword: '{{resolve:secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:db:SecretString:password}}'
    """

  @Test func anARNOfAnotherPartitionIsRefused() {
    let (_, diagnostics) = analyzed(Self.template, inputs: EvaluationInputs(region: "eu-west-1"))
    let refused = diagnostics.items.filter { $0.code == .invalidSecretARN }
    #expect(refused.map { $0.range?.start.line } == [5])
    #expect(refused.first?.message.contains("partition 'aws-cn'") == true)
    #expect(refused.first?.message.contains("eu-west-1") == true)
  }

  @Test func inItsOwnPartitionItIsRead() {
    let (_, diagnostics) = analyzed(Self.template, inputs: EvaluationInputs(region: "cn-north-1"))
    #expect(
      diagnostics.items.filter { $0.code == .invalidSecretARN }.map { $0.range?.start.line } == [6])
  }

  @Test func anAssumedRegionSaysNothing() {
    var inputs = EvaluationInputs()
    inputs.assumed.insert("AWS::Region")
    let (_, diagnostics) = analyzed(Self.template, inputs: inputs)
    #expect(!diagnostics.items.contains { $0.code == .invalidSecretARN })
  }
}
