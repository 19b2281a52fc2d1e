import ArgumentParser
import CinchTemplate

/// `cinch check FILE…`: every rule that needs only the templates (and, with a store or a lock,
/// the rules that need those too), for editors and pull requests.
struct CheckCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check templates: syntax, reference grammar and placement, evaluation, the graph.",
    discussion: """
      Exit status: 0 when no finding is an error, 1 when one is, 2 when a file cannot be read \
      or the command line is wrong.
      """)

  @Argument(help: "Template files (YAML or JSON).")
  var files: [String]

  @OptionGroup var output: DiagnosticOutputOptions
  @OptionGroup(title: "Evaluation") var evaluation: EvaluationOptions
  @OptionGroup(title: "Limits") var limitOptions: ParseLimitOptions

  func run() async throws {
    let run = try TemplateAnalysisRun(files: files, limits: limitOptions.limits, evaluation: evaluation)
    try output.emit(run.diagnostics, documents: run.documents, files: files.count)
  }
}
