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

/// Keys are the same key only when their code points are: YAML and JSON tell `é` (U+00E9) from
/// `e` + U+0301, though Swift's `String ==` calls them equal.
@Suite struct CodePointKeyTests {
  static func diagnostics(_ text: String, path: String) -> Diagnostics {
    var diagnostics = Diagnostics()
    _ = TemplateParser.parse(SourceFile(path: path, text: text), into: &diagnostics)
    return diagnostics
  }

  static func keys(count: Int) -> [String] { (0..<count).map { "K\($0)" } }

  /// Below and above the parsers' switch from a scan to an index (8 keys).
  @Test(arguments: [0, 12])
  func canonicallyEquivalentKeysAreDistinct(others: Int) {
    let names = Self.keys(count: others) + ["\u{e9}", "e\u{301}"]
    let yaml = names.map { "\($0): 1\n" }.joined()
    let json = "{" + names.map { "\"\($0)\": 1" }.joined(separator: ", ") + "}"
    #expect(Self.diagnostics(yaml, path: "t.yaml").isEmpty)
    #expect(Self.diagnostics(json, path: "t.json").isEmpty)
  }

  @Test(arguments: [0, 12])
  func theSameCodePointsAreADuplicate(others: Int) {
    let names = Self.keys(count: others) + ["e\u{301}", "x", "e\u{301}"]
    let yaml = names.map { "\($0): 1\n" }.joined()
    let json = "{" + names.map { "\"\($0)\": 1" }.joined(separator: ", ") + "}"
    #expect(Self.diagnostics(yaml, path: "t.yaml").items.map(\.code) == [.duplicateKey])
    #expect(Self.diagnostics(json, path: "t.json").items.map(\.code) == [.duplicateKey])
  }
}
