import Foundation
import Testing
import _CinchTestSupport

@testable import CinchTemplate

/// The graph of each template, golden: `Tests/Fixtures/graph/<case>/input.yaml` (optional
/// `inputs.txt`, `reads.txt`; see `GraphFixture`) → `expected/graph.json`, `graph.dot`,
/// `graph.mmd` and `diagnostics.txt`.
@Suite struct GraphGoldenTests {
  static let stage = "graph"

  static func build(_ name: String) throws -> (TemplateGraph, Diagnostics) {
    var fixture = try GraphFixture(stage: stage, name: name)
    let graph = GraphBuilder.build(
      fixture.template, reads: fixture.reads, inputs: fixture.inputs, into: &fixture.diagnostics)
    return (graph, fixture.diagnostics)
  }

  @Test(arguments: Fixtures.cases(stage))
  func golden(_ name: String) throws {
    let (graph, diagnostics) = try Self.build(name)
    Fixtures.assertMatches(
      GraphJSONRenderer().render(graph), stage: Self.stage, name: name, expected: "graph.json")
    Fixtures.assertMatches(
      GraphDOTRenderer().render(graph), stage: Self.stage, name: name, expected: "graph.dot")
    Fixtures.assertMatches(
      GraphMermaidRenderer().render(graph), stage: Self.stage, name: name, expected: "graph.mmd")
    Fixtures.assertMatches(
      DiagnosticLines.render(diagnostics), stage: Self.stage, name: name,
      expected: "diagnostics.txt")
  }

  /// The JSON is JSON, and says what the graph holds.
  @Test(arguments: Fixtures.cases(stage))
  func jsonParses(_ name: String) throws {
    let (graph, _) = try Self.build(name)
    let data = Data(GraphJSONRenderer().render(graph).utf8)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let nodes = try #require(object["nodes"] as? [[String: Any]])
    let edges = try #require(object["edges"] as? [[String: Any]])
    #expect(nodes.compactMap { $0["id"] as? String } == graph.nodes.map(\.id))
    #expect(edges.count == graph.edges.count)
    let ids = Set(graph.nodes.map(\.id))
    for edge in edges {
      #expect(ids.contains(edge["from"] as? String ?? ""))
      #expect(ids.contains(edge["to"] as? String ?? ""))
    }
  }

  /// Graphviz accepts every DOT file (`make deps` installs it).
  @Test(arguments: Fixtures.cases(stage))
  func dotRenders(_ name: String) throws {
    let (graph, _) = try Self.build(name)
    let dot = try #require(
      ["/usr/bin/dot", "/usr/local/bin/dot", "/opt/homebrew/bin/dot"].first {
        FileManager.default.isExecutableFile(atPath: $0)
      }, "Graphviz 'dot' is not installed; run 'make deps'")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: dot)
    process.arguments = ["-Tsvg"]
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    input.fileHandleForWriting.write(Data(GraphDOTRenderer().render(graph).utf8))
    try input.fileHandleForWriting.close()
    let svg = output.fileHandleForReading.readDataToEndOfFile()
    let messages = String(
      decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "dot failed: \(messages)")
    #expect(messages.isEmpty, "dot warned: \(messages)")
    #expect(String(decoding: svg, as: UTF8.self).contains("<svg"))
  }
}
