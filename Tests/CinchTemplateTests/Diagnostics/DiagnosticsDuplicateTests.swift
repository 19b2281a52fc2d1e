import Testing

@testable import CinchTemplate

/// Stages that share an evaluator may report the same finding; each is shown once, with the
/// template path when any copy knows it.
@Suite struct DiagnosticsDuplicateTests {
  @Test func aRepeatIsDroppedAndThePathKept() throws {
    let (_, diagnostics) = analyzed(
      """
      Resources:
        T:
          Type: AWS::SSM::Parameter
          Properties:
            Type: String
            Value: !Sub '{{resolve:ssm:/app/${Missing}/x}}'
      """)
    let dangling = diagnostics.items.filter { $0.code == .danglingReference }
    #expect(dangling.count == 1)
    #expect(dangling.first?.path?.description == "Resources/T/Properties/Value")
  }

  @Test func theFirstCopyWithAPathWins() {
    let range = SourceRange(
      start: SourcePosition(offset: 4, line: 1, column: 5),
      end: SourcePosition(offset: 9, line: 1, column: 10))
    var diagnostics = Diagnostics()
    diagnostics.report(Diagnostic(.danglingReference, "x", file: "a.yaml", range: range))
    diagnostics.report(
      Diagnostic(.danglingReference, "x", file: "a.yaml", range: range, path: TemplatePath(["A"])))
    diagnostics.report(
      Diagnostic(.danglingReference, "x", file: "a.yaml", range: range, path: TemplatePath(["B"])))
    diagnostics.report(Diagnostic(.danglingReference, "y", file: "a.yaml", range: range))
    diagnostics.removeDuplicates()
    #expect(diagnostics.items.map(\.message) == ["x", "y"])
    #expect(diagnostics.items.first?.path == TemplatePath(["A"]))
  }
}
