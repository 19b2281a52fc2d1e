import CinchTemplate
import Testing

/// How `TemplateParser` chooses between JSON and YAML for a file that opens like JSON.
@Suite struct TemplateFormatTests {
  static func parse(_ text: String) -> (ParsedDocument, Diagnostics) {
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(
      SourceFile(path: "t.json", text: text), into: &diagnostics)
    return (document, diagnostics)
  }

  @Test func wellFormedJSONIsJSONWithoutFindings() {
    let (document, diagnostics) = Self.parse(#"{"Resources": {"A": {"Type": "X"}}}"#)
    #expect(document.format == .json)
    #expect(diagnostics.isEmpty)
  }

  /// CloudFormation refuses these ("JSON not well-formed"), so `check` must not call the
  /// file clean; the YAML tree is kept so the rest of the template is still checked.
  @Test(arguments: [
    ("{\"Resources\": {\"A\": {\"Type\": \"X\",\n }}}\n", "trailing comma", 1, 33),
    ("{\"Resources\": {\"A\": {\"Type\": \"a\tb\"}}}\n", "control character", 1, 32),
    ("{Resources: {A: {Type: X}}}\n", "expected a string key", 1, 2),
    ("{\"Resources\": {\"A\": {\"Type\": 'X'}}} # note\n", "double quotes", 1, 30),
  ])
  func malformedJSONThatReadsAsYAMLIsAWarning(
    text: String, reason: String, line: Int, column: Int
  ) throws {
    let (document, diagnostics) = Self.parse(text)
    #expect(document.format == .yaml)
    #expect(document.root != nil)
    #expect(!diagnostics.hasErrors)
    let warning = try #require(diagnostics.items.first { $0.code == .jsonReadAsYAML })
    #expect(warning.severity == .warning)
    #expect(warning.message.hasPrefix("not well-formed JSON ("))
    #expect(warning.message.contains(reason))
    #expect(warning.message.hasSuffix("; read as YAML"))
    #expect(warning.range?.start.line == line)
    #expect(warning.range?.start.column == column)
  }

  @Test func malformedEverywhereIsTheJSONError() {
    let (document, diagnostics) = Self.parse(#"{"Resources": {"A": ["#)
    #expect(document.format == .json)
    #expect(document.root == nil)
    #expect(diagnostics.items.map(\.code) == [.jsonSyntax])
  }
}
