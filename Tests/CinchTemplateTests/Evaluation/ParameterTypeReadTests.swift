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
