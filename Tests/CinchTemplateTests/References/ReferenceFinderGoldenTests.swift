import Foundation
import Testing
import _CinchTestSupport

@testable import CinchTemplate

/// Golden runs of the finder over whole files: `Tests/Fixtures/references/<case>/input.yaml`
/// (or `input.json`) → `expected/sites.txt` and `expected/diagnostics.txt`.
@Suite struct ReferenceFinderGoldenTests {
  static let stage = "references"

  @Test(arguments: Fixtures.cases(stage))
  func golden(_ name: String) throws {
    let url = try #require(Fixtures.file(Self.stage, name, prefix: "input"))
    let file = SourceFile(path: url.lastPathComponent, bytes: Array(try Data(contentsOf: url)))
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(file, into: &diagnostics)
    let sites = ReferenceFinder.find(in: document, into: &diagnostics)
    Fixtures.assertMatches(
      SiteRendering.render(sites, file: file), stage: Self.stage, name: name, expected: "sites.txt")
    Fixtures.assertMatches(
      DiagnosticLines.render(diagnostics), stage: Self.stage, name: name,
      expected: "diagnostics.txt")
  }
}
