import CinchTemplate
import Foundation
import Testing
import _CinchTestSupport

/// Golden files under `Tests/Fixtures/parser-json/<case>/`, as for YAML: `input.json` parses to
/// `expected/nodes.txt` (`<no tree>` when the parse stops) and `expected/diagnostics.txt`
/// (empty when nothing is reported). Cases named `error-*` must stop the parse; the others must
/// return a tree whose every position agrees with `SourceFile`.
@Suite struct JSONParserFixtureTests {
  static let stage = "parser-json"

  @Test(arguments: Fixtures.cases(stage))
  func golden(_ name: String) throws {
    let url = try #require(Fixtures.file(Self.stage, name, prefix: "input"))
    let file = SourceFile(path: "input.json", bytes: Array(try Data(contentsOf: url)))
    var diagnostics = Diagnostics()
    let root = JSONParser.parse(file, into: &diagnostics)
    Fixtures.assertMatches(
      root.map(NodeDump.render) ?? "<no tree>\n", stage: Self.stage, name: name,
      expected: "nodes.txt")
    Fixtures.assertMatches(
      DiagnosticLines.render(diagnostics), stage: Self.stage, name: name,
      expected: "diagnostics.txt")
    #expect(name.hasPrefix("error-") == (root == nil))
    if let root {
      JSONParserTests.expectPositionsMatchSourceFile(root, in: file)
    } else {
      #expect(diagnostics.hasErrors, "no tree came back without an error")
    }
  }

  @Test func stageHasCases() {
    #expect(Fixtures.cases(Self.stage).count >= 40)
  }
}
