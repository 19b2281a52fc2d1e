import Foundation
import Testing
import _CinchTestSupport

@testable import CinchTemplate

/// The graph of every template in `templates/`, golden: `Tests/Fixtures/graph-templates/<name>/`
/// holds the deploy-time reads the reference scanner finds in it (`reads.txt`, see
/// `GraphFixture`) and `expected/graph.json`, `graph.dot`, `diagnostics.txt`. A template added
/// to `templates/` without a case folder fails here until its baseline is recorded.
@Suite struct TemplatesGraphTests {
  static let stage = "graph-templates"
  static let folder = Fixtures.packageRoot.appendingPathComponent("templates")
  static let names: [String] =
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
    .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted()

  @Test(arguments: names)
  func golden(_ fileName: String) throws {
    let name = String(fileName[..<(fileName.lastIndex(of: ".") ?? fileName.endIndex)])
    var fixture = try GraphFixture(
      stage: Self.stage, name: name, template: Self.folder.appendingPathComponent(fileName))
    let graph = GraphBuilder.build(
      fixture.template, reads: fixture.reads, inputs: fixture.inputs, into: &fixture.diagnostics)
    Fixtures.assertMatches(
      GraphJSONRenderer().render(graph), stage: Self.stage, name: name, expected: "graph.json")
    Fixtures.assertMatches(
      GraphDOTRenderer().render(graph), stage: Self.stage, name: name, expected: "graph.dot")
    Fixtures.assertMatches(
      DiagnosticLines.render(fixture.diagnostics), stage: Self.stage, name: name,
      expected: "diagnostics.txt")
  }
}
