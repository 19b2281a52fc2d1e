import Testing

@testable import CinchTemplate

/// A reference whose name is built from a NoEcho parameter is not read, so its value never
/// reaches a name that `refs`, the lockfile or a diagnostic would show.
@Suite struct NoEchoReferenceTests {
  /// `sections` (Parameters and the like), then one resource whose `Value` is `value`,
  /// analysed with `inputs` as parameter values.
  static func analyzedValue(
    _ value: String, after sections: String, inputs values: [String: String]
  ) -> (analysis: TemplateAnalysis, diagnostics: Diagnostics) {
    var inputs = EvaluationInputs()
    for (name, value) in values { inputs.parameters[name] = .init(value: value, origin: "test") }
    return analyzed(
      sections + """

        Resources:
          A:
            Type: AWS::SSM::Parameter
            Properties:
              Type: String
              Value: \(value)
        """, inputs: inputs)
  }

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
    let (analysis, diagnostics) = Self.analyzedValue(
      value,
      after: """
        Parameters:
          Secret: {Type: String, NoEcho: true}
        """, inputs: ["Secret": secret])
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
    let (analysis, diagnostics) = Self.analyzedValue(
      value,
      after: """
        Parameters:
          User: {Type: String, NoEcho: true}
          Index: {Type: Number, NoEcho: true}
          Env: {Type: String, Default: prod}
        Mappings:
          Names:
            admin: {key: admin-name}
        """, inputs: ["User": "admin", "Index": "1"])
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
    let (analysis, diagnostics) = Self.analyzedValue(
      value,
      after: """
        Parameters:
          Secret: {Type: String, NoEcho: true}
        Conditions:
          Always: !Equals [a, a]
        """, inputs: ["Secret": "pw"])
    #expect(analysis.references.allSatisfy { $0.concrete == nil })
    #expect(diagnostics.items.map(\.code).contains(.noEchoInReference))
  }
}
