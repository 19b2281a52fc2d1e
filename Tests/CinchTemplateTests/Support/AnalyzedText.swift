@testable import CinchTemplate

/// A template given as text (named `t.yaml`), parsed and analysed with `inputs`: what the
/// analyser made of it and every finding, parsing's included.
func analyzed(_ text: String, inputs: EvaluationInputs = EvaluationInputs())
  -> (analysis: TemplateAnalysis, diagnostics: Diagnostics)
{
  var diagnostics = Diagnostics()
  let document = TemplateParser.parse(SourceFile(path: "t.yaml", text: text), into: &diagnostics)
  let analysis = TemplateAnalyzer.analyze(document, inputs: inputs, into: &diagnostics)
  return (analysis, diagnostics)
}
