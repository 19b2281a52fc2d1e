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
}
