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
    for secret in ["TopSecretPw1", "k9Z", "Pa$$ w0rd:1:2"] {
      aNameFromANoEchoParameterIsNotRead(value, secret: secret)
    }
  }

  /// Short values, and values that would make the evaluated name malformed (whose diagnostic
  /// would quote the evaluated text), included.
  private func aNameFromANoEchoParameterIsNotRead(_ value: String, secret: String) {
    var inputs = EvaluationInputs()
    inputs.parameters["Secret"] = .init(value: secret, origin: "test")
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
    #expect(!diagnostics.items.contains { $0.message.contains(secret) })
  }

  /// The rule follows where values flow, not what text matches: a NoEcho value that happens to
  /// be part of a name (`admin`) does not stop the read, and a NoEcho parameter that only
  /// chooses (a condition, a Select index, a mapping key) puts nothing of its value in the name.
  @Test(arguments: [
    "!Sub '{{resolve:ssm:/app/admin/${Env}}}'",
    "!Sub ['{{resolve:ssm:/app/${Name}}}', {Name: !FindInMap [Names, !Ref User, key]}]",
    "!Select [!Ref Index, ['{{resolve:ssm:/app/a}}', '{{resolve:ssm:/app/b}}']]",
    "!Sub 'user=${User} {{resolve:ssm:/app/${Env}}}'",
  ])
  func aNoEchoParameterThatDoesNotFlowIntoTheNameIsRead(_ value: String) {
    var inputs = EvaluationInputs()
    inputs.parameters["User"] = .init(value: "admin", origin: "test")
    inputs.parameters["Index"] = .init(value: "1", origin: "test")
    let (analysis, diagnostics) = analyzed(
      """
      Parameters:
        User: {Type: String, NoEcho: true}
        Index: {Type: Number, NoEcho: true}
        Env: {Type: String, Default: prod}
      Mappings:
        Names:
          admin: {key: admin-name}
      Resources:
        A:
          Type: AWS::SSM::Parameter
          Properties:
            Type: String
            Value: \(value)
      """, inputs: inputs)
    #expect(analysis.references.contains { $0.concrete != nil })
    #expect(!diagnostics.items.map(\.code).contains(.noEchoInReference))
  }

  /// The value reaches the name through a Sub variable map, a Select, an If branch or a join.
  @Test(arguments: [
    "!Sub ['{{resolve:ssm:/app/${Name}}}', {Name: !Ref Secret}]",
    "!Sub ['{{resolve:ssm:/app/${Name}}}', {Name: !Select [0, [!Ref Secret, x]]}]",
    "!Join ['', ['{{resolve:ssm:/app/', !If [Always, !Ref Secret, x], '}}']]",
    "!Sub ['{{resolve:ssm:/app/${Name}}}', {Name: !Join ['-', [a, !Ref Secret]]}]",
  ])
  func aNoEchoValueThatFlowsIntoTheNameStopsTheRead(_ value: String) {
    var inputs = EvaluationInputs()
    inputs.parameters["Secret"] = .init(value: "pw", origin: "test")
    let (analysis, diagnostics) = analyzed(
      """
      Parameters:
        Secret: {Type: String, NoEcho: true}
      Conditions:
        Always: !Equals [a, a]
      Resources:
        A:
          Type: AWS::SSM::Parameter
          Properties:
            Type: String
            Value: \(value)
      """, inputs: inputs)
    #expect(analysis.references.allSatisfy { $0.concrete == nil })
    #expect(diagnostics.items.map(\.code).contains(.noEchoInReference))
  }
}
