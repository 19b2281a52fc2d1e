import Foundation
import Testing
import _CinchTestSupport

@testable import CinchTemplate

/// One template that trips each placement rule and one that passes it:
/// `Tests/Fixtures/placement/<CODE>-<name>-trips|passes/input.yaml` → `expected/diagnostics.txt`
/// (every diagnostic of parse, finder and rules, so a rule firing where it should not shows).
@Suite struct PlacementRulesGoldenTests {
  static let stage = "placement"

  static func check(_ file: SourceFile) -> Diagnostics {
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(file, into: &diagnostics)
    let sites = ReferenceFinder.find(in: document, into: &diagnostics)
    let template = TemplateReader.read(document, into: &diagnostics)
    PlacementRules.check(template, sites: sites, into: &diagnostics)
    return diagnostics
  }

  @Test(arguments: Fixtures.cases(stage))
  func golden(_ name: String) throws {
    let url = try #require(Fixtures.file(Self.stage, name, prefix: "input"))
    let file = SourceFile(path: "input.yaml", bytes: Array(try Data(contentsOf: url)))
    let diagnostics = Self.check(file)
    Fixtures.assertMatches(
      DiagnosticLines.render(diagnostics), stage: Self.stage, name: name,
      expected: "diagnostics.txt")
    // The case's name says which rule it is about and whether it must fire.
    let code = try #require(DiagnosticCode.named(String(name.prefix(5))))
    let fired = diagnostics.items.contains { $0.code == code }
    #expect(fired == name.hasSuffix("-trips"), "\(code.id) \(fired ? "fired" : "did not fire")")
  }

  @Test func everyPlacementRuleHasBothCases() {
    let cases = Set(Fixtures.cases(Self.stage))
    let codes: [DiagnosticCode] = [
      .ssmSecurePlacement, .referenceInInit, .referenceInUserData, .secretInMetadata,
      .versionRequiredInParameters, .secureInParametersOrOutputs, .secretInOutputs,
      .referenceInLogicalID, .secretWhereARNExpected, .tooManyReferences, .insecurePassword,
      .secretInCustomResource, .passwordInTemplate, .referenceInResourceAttribute,
      .referenceTextTransformed, .referenceValueNotSplit,
    ]
    for code in codes {
      #expect(cases.contains("\(code.id)-\(code.name)-trips"), "\(code.id) has no tripping case")
      #expect(cases.contains("\(code.id)-\(code.name)-passes"), "\(code.id) has no passing case")
    }
  }
}
