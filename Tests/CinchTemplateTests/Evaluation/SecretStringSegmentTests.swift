import Testing

@testable import CinchTemplate

/// A `!Sub` whose secret id is a placeholder may take `:SecretString` from the value
/// (`prod/db:SecretString`): E2006 on the text as written stands only while the value is not
/// known, or when the evaluated text is malformed too.
@Suite struct SecretStringSegmentTests {
  static func analyze(_ secretRef: String?) -> (names: [String], codes: [String]) {
    let parameter =
      secretRef.map { "\n    Default: '\($0)'" } ?? ""
    let text = """
      Parameters:
        SecretRef:
          Type: String\(parameter)
      Resources:
        Db:
          Type: AWS::RDS::DBInstance
          Properties:
            MasterUserPassword: !Sub '{{resolve:secretsmanager:${SecretRef}:password}}'
      """
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(SourceFile(path: "t.yaml", text: text), into: &diagnostics)
    let analysis = TemplateAnalyzer.analyze(
      document, inputs: EvaluationInputs(), into: &diagnostics)
    let names = analysis.references.compactMap { reference in
      reference.concrete.map { "\($0.name)[\($0.jsonKey ?? "-")]" }
    }
    return (names, diagnostics.items.map(\.code.id).sorted())
  }

  @Test func theEvaluatedTextDecides() {
    // The parameter holds the segment: a well-formed reference, no finding.
    let held = Self.analyze("prod/db:SecretString")
    #expect(held.names == ["prod/db[password]"])
    #expect(held.codes.isEmpty)
    // It holds the id alone: the JSON key sits where `SecretString` belongs.
    let missing = Self.analyze("prod/db")
    #expect(missing.names.isEmpty)
    #expect(missing.codes == ["E2006"])
    // Not known: judged as written.
    let unknown = Self.analyze(nil)
    #expect(unknown.names.isEmpty)
    #expect(unknown.codes.contains("E2006"))
  }
}
