import ArgumentParser
import CinchTemplate

/// `cinch refs FILE…`: every dynamic reference, where it is and what it reads.
struct RefsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "refs",
    abstract: "List every dynamic reference in templates, with its evaluated name.",
    discussion: """
      Names built with !Sub or !Join are evaluated with the parameter values given; a reference \
      whose name still depends on an unset parameter shows what it waits on. Problems found \
      while reading go to stderr; the exit status is 1 when any is an error.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, json
  }

  @Argument(help: "Template files (YAML or JSON); - reads one from standard input.")
  var files: [String]

  @Option(help: "table or json.")
  var format: Format = .table

  @OptionGroup(title: "Evaluation") var evaluation: EvaluationOptions
  @OptionGroup(title: "Limits") var limitOptions: ParseLimitOptions

  func run() async throws {
    try StandardInputPath.checkReadOnce(files)
    let run = try TemplateAnalysisRun(
      files: files, limits: limitOptions.limits, evaluation: evaluation, graph: false)
    defer { KeptUntilExit.keep(run) }
    try run.refuseOutputWithoutInputs()
    let rows = run.analyses.flatMap { analysis in
      analysis.references.map { ReferenceRow($0, file: analysis.file) }
    }
    switch format {
    case .table: Output.stdout(ReferenceRow.table(rows))
    case .json: Output.stdout(ReferenceRow.json(rows))
    }
    // Findings are not this command's output: they go to stderr, in the human format.
    try run.reportToStandardError()
  }
}
