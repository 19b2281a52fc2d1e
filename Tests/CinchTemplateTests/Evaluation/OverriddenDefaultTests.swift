import Testing

@testable import CinchTemplate

/// A parameter's `Default` is used only when no value is given: a reference written there is
/// read by a deploy without one, and not by a deploy that gives the parameter a value.
@Suite struct OverriddenDefaultTests {
  static let template = """
    Parameters:
      DbPassword:
        Type: String
        NoEcho: true
        Default: '{{resolve:secretsmanager:prod/db:SecretString:password}}'
      DbUser:
        Type: String
        Default: '{{resolve:secretsmanager:prod/db:SecretString:username}}'
    Resources:
      Db:
        Type: AWS::RDS::DBInstance
        Properties:
          MasterUsername: !Ref DbUser
          MasterUserPassword: !Ref DbPassword
    """

  static func read(_ inputs: EvaluationInputs = EvaluationInputs()) -> [String?] {
    analyzed(template, inputs: inputs).analysis.references.map { $0.concrete?.jsonKey }
  }

  @Test func aDefaultsReferenceIsReadOnlyWhenTheParameterHasNoValue() {
    #expect(Self.read() == ["password", "username"])
    var inputs = EvaluationInputs()
    inputs.parameters["DbPassword"] = .init(value: "given", origin: "--parameter-overrides")
    #expect(Self.read(inputs) == [nil, "username"])
  }
}
