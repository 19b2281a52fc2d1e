import Testing

@testable import CinchTemplate

@Suite struct ReferenceFinderTests {
  /// A JSON document built by hand (the JSON parser lands separately): a string without
  /// escapes maps exactly; one with escapes falls back to the whole string until the JSON
  /// string source map is wired in.
  @Test func jsonStringsMapWhenVerbatim() {
    let text = #"{"a": "x {{resolve:ssm:/plain}}", "b": "\u0041{{resolve:ssm:/escaped}}"}"#
    let file = SourceFile(path: "t.json", text: text)
    let bytes = Array(text.utf8)
    func range(of needle: String) -> SourceRange {
      let pattern = Array(needle.utf8)
      let start =
        (0...(bytes.count - pattern.count)).first {
          Array(bytes[$0..<($0 + pattern.count)]) == pattern
        } ?? 0
      return file.range(fromByte: start, toByte: start + pattern.count)
    }
    func string(_ source: String, _ value: String) -> Node {
      Node(.scalar(value), style: .doubleQuoted, range: range(of: source))
    }
    let root = Node(
      .mapping([
        Entry(
          key: string(#""a""#, "a"),
          value: string(#""x {{resolve:ssm:/plain}}""#, "x {{resolve:ssm:/plain}}")),
        Entry(
          key: string(#""b""#, "b"),
          value: string(#""\u0041{{resolve:ssm:/escaped}}""#, "A{{resolve:ssm:/escaped}}")),
      ]), style: .flow, range: file.range(fromByte: 0, toByte: bytes.count))
    var diagnostics = Diagnostics()
    let sites = ReferenceFinder.find(
      in: ParsedDocument(file: file, format: .json, root: root), into: &diagnostics)
    #expect(diagnostics.isEmpty)
    #expect(sites.count == 2)
    #expect(file.text(sites[0].range) == "{{resolve:ssm:/plain}}")
    #expect(sites[1].range == range(of: #""\u0041{{resolve:ssm:/escaped}}""#))
  }

  @Test func sitesCarryBothPaths() throws {
    let file = SourceFile(
      path: "t.yaml",
      text:
        "Resources:\n  Db:\n    Properties:\n      P: !If [c, !Sub '{{resolve:ssm:/${Env}/p}}', x]\n"
    )
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(file, into: &diagnostics)
    let site = try #require(ReferenceFinder.find(in: document, into: &diagnostics).first)
    #expect(site.path.description == "Resources/Db/Properties/P")
    #expect(site.syntaxPath.description == "Resources/Db/Properties/P/Fn::If/1/Fn::Sub")
    #expect(site.context == .sub(variables: ["Env"]))
    #expect(site.needsEvaluation)
    #expect(site.file == "t.yaml")
  }

  @Test func aDocumentWithoutATreeHasNoSites() {
    var diagnostics = Diagnostics()
    let file = SourceFile(path: "t.yaml", text: "")
    let sites = ReferenceFinder.find(
      in: ParsedDocument(file: file, format: .yaml, root: nil), into: &diagnostics)
    #expect(sites.isEmpty && diagnostics.isEmpty)
  }
}
