import Testing

@testable import CinchTemplate

/// A reference whose name is built from a NoEcho parameter is not read, so its value never
/// reaches a name that `refs`, the lockfile or a diagnostic would show.
@Suite struct NoEchoReferenceTests {
  @Test(arguments: [
    "!Sub '{{resolve:ssm:/app/${Secret}}}'",
    "!Join ['', ['{{resolve:ssm:/app/', !Ref Secret, '}}']]",
  ])
  func aNameFromANoEchoParameterIsNotRead(_ value: String) {
    var inputs = EvaluationInputs()
    inputs.parameters["Secret"] = .init(value: "TopSecretPw1", origin: "test")
    let (analysis, diagnostics) = analyzed(
      """
      Parameters:
        Secret: {Type: String, NoEcho: true}
      Resources:
        A:
          Type: AWS::SSM::Parameter
          Properties:
            Type: String
            Value: \(value)
      """, inputs: inputs)
    #expect(analysis.references.allSatisfy { $0.concrete == nil })
    #expect(diagnostics.items.map(\.code).contains(.noEchoInReference))
    #expect(!diagnostics.items.contains { $0.message.contains("TopSecretPw1") })
  }
}
