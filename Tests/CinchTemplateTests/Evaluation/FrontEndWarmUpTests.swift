import Testing

@testable import CinchTemplate

/// The warm-up only helps while its templates go through the whole front end: they must parse,
/// evaluate and make a graph, with a reference of every kind, literal and composed.
@Suite struct FrontEndWarmUpTests {
  @Test func theWarmUpTemplatesGoThroughTheWholeFrontEnd() throws {
    for (path, text) in [
      ("warm-up.yaml", FrontEndWarmUp.template), ("warm-up.json", FrontEndWarmUp.json),
    ] {
      var diagnostics = Diagnostics()
      let document = TemplateParser.parse(SourceFile(path: path, text: text), into: &diagnostics)
      let analysis = TemplateAnalyzer.analyze(
        document, inputs: EvaluationInputs(), into: &diagnostics)
      #expect(!diagnostics.hasErrors, "\(path): \(diagnostics.items.map(\.message))")
      #expect(analysis.graph != nil, "\(path) made no graph")
      #expect(analysis.references.contains { $0.concrete != nil && $0.site.needsEvaluation })
    }
    var diagnostics = Diagnostics()
    let yaml = TemplateAnalyzer.analyze(
      TemplateParser.parse(
        SourceFile(path: "warm-up.yaml", text: FrontEndWarmUp.template), into: &diagnostics),
      inputs: EvaluationInputs(), into: &diagnostics)
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
  }
}
