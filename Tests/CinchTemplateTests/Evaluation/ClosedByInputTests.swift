import Testing

@testable import CinchTemplate

/// A reference whose closer only a parameter's value writes (`!Sub '{{resolve:ssm:${N}'` with
/// `N` = `/x}}`) is the reference the evaluated text makes, as CloudFormation reads it: read
/// when the value closes it, never closed (E2011) when the value does not, and waiting on the
/// parameter (W2015) when it has no value.
@Suite struct ClosedByInputTests {
  static func template(default value: String?) -> String {
    """
    Parameters:
      N:
        Type: String
    \(value.map { "    Default: '\($0)'" } ?? "")
    Resources:
      R:
        Type: AWS::S3::Bucket
        Properties:
          A: !Join ['', ['{{resolve:ssm:', !Ref N]]
          B: !Sub '{{resolve:ssm:${N}'
    """
  }

  @Test func aValueThatClosesTheReferenceIsRead() {
    let (analysis, diagnostics) = analyzed(Self.template(default: "/x}}"))
    #expect(diagnostics.items.filter { $0.severity != .info }.isEmpty, "\(diagnostics.items)")
    #expect(analysis.references.map { $0.concrete?.name } == ["/x", "/x"])
    #expect(
      analysis.references.map { $0.concrete?.text } == ["{{resolve:ssm:/x}}", "{{resolve:ssm:/x}}"])
  }

  @Test func aValueThatBringsTextAfterTheCloserLeavesItOutside() {
    let (analysis, diagnostics) = analyzed(Self.template(default: "/x:2}} and more"))
    #expect(!diagnostics.hasErrors, "\(diagnostics.items)")
    #expect(analysis.references.map { $0.concrete?.version } == [2, 2])
  }

  @Test func aValueThatDoesNotCloseItIsNeverClosed() {
    let (analysis, diagnostics) = analyzed(Self.template(default: "/x"))
    #expect(analysis.references.allSatisfy { $0.concrete == nil })
    #expect(
      diagnostics.items.filter { $0.code == .unterminatedReference }.map(\.message) == [
        "'{{resolve:ssm:/x' (evaluated): '{{resolve:' is never closed with '}}'",
        "'{{resolve:ssm:/x' (evaluated): '{{resolve:' is never closed with '}}'",
      ])
  }

  @Test func withoutAValueItWaitsOnTheParameter() {
    let (analysis, diagnostics) = analyzed(Self.template(default: nil))
    #expect(!diagnostics.hasErrors, "\(diagnostics.items)")
    #expect(
      analysis.references.map(\.state) == [
        .waiting(on: [.parameter("N")]), .waiting(on: [.parameter("N")]),
      ])
    #expect(
      diagnostics.items.filter { $0.code == .referenceNotEvaluated }.map(\.message) == [
        "reference '{{resolve:ssm:${N}' waits on parameter 'N', whose value must close it "
          + "(no '}}' is written); set it with --parameter-overrides N=…",
        "reference '{{resolve:ssm:${N}' waits on parameter 'N', whose value must close it "
          + "(no '}}' is written); set it with --parameter-overrides N=…",
      ])
  }

  /// Only what follows the opener may close it, and a pseudo-parameter's value holds no brace.
  @Test func anOpenerNothingMayCloseIsStillNeverClosed() {
    let (analysis, diagnostics) = analyzed(
      """
      Parameters:
        N: {Type: String, Default: '/x}}'}
      Resources:
        R:
          Type: AWS::S3::Bucket
          Properties:
            A: !Sub '{{resolve:ssm:/x'
            B: !Join ['', ['{{resolve:ssm:/x', '/y']]
            C: !Sub '{{resolve:ssm:/app/${AWS::Region}/db'
            D: !Join ['', [!Ref N, '{{resolve:ssm:/x']]
      """)
    #expect(analysis.references.isEmpty)
    #expect(
      diagnostics.items.filter { $0.code == .unterminatedReference }.map(\.message)
        == Array(repeating: "'{{resolve:' is never closed with '}}'", count: 4))
  }
}
