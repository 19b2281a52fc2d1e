import Testing

@testable import CinchTemplate

/// The warm-up only helps while its templates go through the whole front end: they must parse,
/// evaluate and make a graph, with a reference of every kind, literal and composed.
@Suite struct FrontEndWarmUpTests {
  static func analyze(_ path: String, _ text: String) -> (TemplateAnalysis, Diagnostics) {
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(SourceFile(path: path, text: text), into: &diagnostics)
    let analysis = TemplateAnalyzer.analyze(
      document, inputs: EvaluationInputs(), into: &diagnostics)
    return (analysis, diagnostics)
  }

  @Test func theWarmUpTemplatesGoThroughTheWholeFrontEnd() throws {
    let (yaml, yamlFindings) = Self.analyze("warm-up.yaml", FrontEndWarmUp.template)
    let (json, jsonFindings) = Self.analyze("warm-up.json", FrontEndWarmUp.json)
    for (path, analysis, diagnostics) in [
      ("warm-up.yaml", yaml, yamlFindings), ("warm-up.json", json, jsonFindings),
    ] {
      #expect(!diagnostics.hasErrors, "\(path): \(diagnostics.items.map(\.message))")
      #expect(analysis.graph != nil, "\(path) made no graph")
      #expect(analysis.references.contains { $0.concrete != nil && $0.site.needsEvaluation })
    }
    let kinds = Set(yaml.references.compactMap(\.concrete?.kind))
    #expect(kinds == [.ssm, .ssmSecure, .secretsManager])
    #expect(yaml.references.contains { if case .join = $0.site.context { true } else { false } })
    #expect(
      yaml.references.contains {
        if case .inactive = $0.state {
          false
        } else {
          $0.site.path.components.first == "Parameters"
        }
      })
    #expect(yaml.references.contains { !$0.isWritten })
  }
}
