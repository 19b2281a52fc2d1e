import Foundation
import Testing
import _CinchTestSupport

@testable import CinchTemplate

/// Golden dumps of located nodes: `Tests/Fixtures/parser-yaml/<case>/input.yaml` →
/// `expected/nodes.txt` (the tree) and `expected/diagnostics.txt`.
@Suite struct YAMLParserGoldenTests {
  static let stage = "parser-yaml"

  @Test(arguments: Fixtures.cases(stage))
  func golden(_ name: String) throws {
    let url = try #require(Fixtures.file(Self.stage, name, prefix: "input"))
    let file = SourceFile(path: "input.yaml", bytes: Array(try Data(contentsOf: url)))
    var diagnostics = Diagnostics()
    let root = YAMLParser.parse(file, into: &diagnostics)
    Fixtures.assertMatches(
      root.map(NodeDump.render) ?? "<no tree>\n", stage: Self.stage, name: name,
      expected: "nodes.txt")
    Fixtures.assertMatches(
      DiagnosticLines.render(diagnostics), stage: Self.stage, name: name,
      expected: "diagnostics.txt")
  }
}

/// One line per diagnostic, `line:col-line:col CODE message`, with notes indented below.
enum DiagnosticLines {
  static func render(_ diagnostics: Diagnostics) -> String {
    var output = ""
    for diagnostic in diagnostics.items {
      let location = diagnostic.range.map { "\($0.start)-\($0.end)" } ?? "-"
      let path = diagnostic.path.map { " @\($0)" } ?? ""
      output += "\(location) \(diagnostic.code.id) \(diagnostic.message)\(path)\n"
      for note in diagnostic.notes {
        let noteLocation = note.range.map { "\($0.start)-\($0.end)" } ?? "-"
        output += "  note \(noteLocation) \(note.message)\n"
      }
    }
    return output
  }
}
