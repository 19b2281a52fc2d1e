import CinchTemplate
import Foundation
import Testing
import _CinchTestSupport

/// Every renderer over every case in `Tests/Fixtures/diagnostics/`.
@Suite struct DiagnosticRendererGoldenTests {
  static let cases = Fixtures.cases(DiagnosticFixture.stage)

  static let sarif = SARIFDiagnosticRenderer(
    toolVersion: "1.2.3", baseDirectory: DiagnosticFixture.baseDirectory)

  @Test func thereAreCases() {
    #expect(Self.cases.count >= 5)
  }

  @Test(arguments: cases) func human(_ name: String) throws {
    let fixture = try DiagnosticFixture(name)
    let output = HumanDiagnosticRenderer(colored: false).render(
      fixture.diagnostics, sources: fixture.sources)
    Fixtures.assertMatches(
      output, stage: DiagnosticFixture.stage, name: name, expected: "human.txt")
    #expect(!output.contains("\u{1B}"))
  }

  @Test(arguments: cases) func humanColored(_ name: String) throws {
    let fixture = try DiagnosticFixture(name)
    let output = HumanDiagnosticRenderer(colored: true).render(
      fixture.diagnostics, sources: fixture.sources)
    Fixtures.assertMatches(
      output, stage: DiagnosticFixture.stage, name: name, expected: "human-color.txt")
    // Without its escape sequences the coloured text is the plain text.
    let plain = HumanDiagnosticRenderer(colored: false).render(
      fixture.diagnostics, sources: fixture.sources)
    #expect(Self.strippingANSI(output) == plain)
  }

  @Test(arguments: cases) func json(_ name: String) throws {
    let fixture = try DiagnosticFixture(name)
    let output = JSONDiagnosticRenderer().render(fixture.diagnostics, sources: fixture.sources)
    Fixtures.assertMatches(
      output, stage: DiagnosticFixture.stage, name: name, expected: "json.json")

    // It is JSON, and what it says is what the diagnostics say.
    let array = try #require(
      try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
    #expect(array.count == fixture.diagnostics.count)
    for (object, diagnostic) in zip(array, fixture.diagnostics) {
      #expect(object["code"] as? String == diagnostic.code.id)
      #expect(object["message"] as? String == diagnostic.message)
      #expect(object["severity"] as? String == diagnostic.severity.rawValue)
      #expect((object["line"] as? Int) == diagnostic.range?.start.line)
      #expect((object["endColumn"] as? Int) == diagnostic.range?.end.column)
      #expect((object["path"] as? String) == diagnostic.path?.description)
      #expect((object["notes"] as? [Any])?.count == diagnostic.notes.count)
    }
  }

  @Test(arguments: cases) func sarif(_ name: String) throws {
    let fixture = try DiagnosticFixture(name)
    let output = Self.sarif.render(fixture.diagnostics, sources: fixture.sources)
    Fixtures.assertMatches(
      output, stage: DiagnosticFixture.stage, name: name, expected: "sarif.json")
    try SARIFRequirements.check(output, diagnostics: fixture.diagnostics)
  }

  @Test(
    .enabled(
      if: SARIFSchema.unavailableReason == nil,
      Comment(rawValue: SARIFSchema.unavailableReason ?? "")),
    arguments: cases)
  func sarifIsValidAgainstTheSchema(_ name: String) throws {
    let fixture = try DiagnosticFixture(name)
    let output = Self.sarif.render(fixture.diagnostics, sources: fixture.sources)
    let problems = try SARIFSchema.validate(output)
    #expect(problems.isEmpty, "\(name): SARIF schema violations:\n\(problems)")
  }

  @Test(arguments: cases) func github(_ name: String) throws {
    let fixture = try DiagnosticFixture(name)
    let output = GitHubDiagnosticRenderer(baseDirectory: DiagnosticFixture.baseDirectory)
      .render(fixture.diagnostics, sources: fixture.sources)
    Fixtures.assertMatches(
      output, stage: DiagnosticFixture.stage, name: name, expected: "github.txt")
    let lines = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.count == fixture.diagnostics.count)
    for line in lines {
      #expect(
        line.hasPrefix("::error ") || line.hasPrefix("::warning ") || line.hasPrefix("::notice "))
    }
  }

  static func strippingANSI(_ text: String) -> String {
    var result = ""
    var scalars = text.unicodeScalars.makeIterator()
    while let scalar = scalars.next() {
      if scalar == "\u{1B}" {
        while let next = scalars.next(), next != "m" {}
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}
