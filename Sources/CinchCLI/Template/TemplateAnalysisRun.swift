import ArgumentParser
import CinchCompiler
import CinchTemplate
import Foundation

/// The common front half of the template commands: load every file, analyse each one with the
/// same inputs.
struct TemplateAnalysisRun {
  var documents: [ParsedDocument] = []
  var analyses: [TemplateAnalysis] = []
  var diagnostics = Diagnostics()
  var inputs = EvaluationInputs()
  /// Whether the parameter values given (a `--parameters` file, a `file://` of overrides) could
  /// not all be read: the templates were evaluated without some of them.
  var inputsFailed = false
  /// What the templates leave out of their findings (`Metadata: cinch: ignore`), and how many
  /// findings that took out of `diagnostics`.
  private(set) var suppressions = Suppressions()
  private(set) var suppressedCount = 0

  init(files: [String], limits: ParseLimits, evaluation: EvaluationOptions, graph: Bool = true)
    throws
  {
    try self.init(files: files, limits: limits, settings: evaluation.settings(), graph: graph)
  }

  /// `referencesKnown` is given every template's analysis as soon as its references are
  /// evaluated, before the graphs are finished, with the inputs: work that needs only the
  /// references (asking the store about them) can run beside the rest of the analysis.
  /// `pipelinedParse`: one large YAML template is parsed on two threads (`SourceLoader`).
  init(
    files: [String], limits: ParseLimits, settings: EvaluationSettings, graph: Bool = true,
    pipelinedParse: Bool = true,
    referencesKnown: ([TemplateAnalyzer.Started], EvaluationInputs) -> Void = { _, _ in }
  ) throws {
    let inputs = try settings.inputs(into: &diagnostics)
    self.inputs = inputs
    inputsFailed = diagnostics.hasErrors
    // Each file is read, parsed and analysed on its own, so files are spread over the cores;
    // findings join in the order one thread would have made them (every file's reading, then
    // every file's analysis).
    let paths = Self.distinct(files)
    let loader = SourceLoader(limits: limits, pipelined: pipelinedParse && paths.count == 1)
    let started = paths.parallelMap { path in
      var loading = Diagnostics()
      let document = loader.load(path, into: &loading)
      let analysis = document.flatMap { document in
        document.root == nil
          ? nil : TemplateAnalyzer.start(document, inputs: inputs, options: .init(graph: graph))
      }
      return (document: document, analysis: analysis, loading: loading)
    }
    referencesKnown(started.compactMap(\.analysis), inputs)
    let files = started.parallelMap { file in
      var analysing = Diagnostics()
      let analysis = file.analysis.map { TemplateAnalyzer.finish($0, into: &analysing) }
      return (
        document: file.document, analysis: analysis, loading: file.loading, analysing: analysing
      )
    }
    for file in files { diagnostics.append(contentsOf: file.loading) }
    for file in files { diagnostics.append(contentsOf: file.analysing) }
    documents = files.compactMap(\.document)
    analyses = files.compactMap(\.analysis)
    reportUndeclaredParameters(inputs)
    // What a template leaves out of its findings is left out of every command's, not only
    // check's: lock and render stop on errors, and refs or graph would exit 1 on them.
    suppressions = Suppressions(analyses, into: &diagnostics)
    if !suppressions.isEmpty {
      let before = diagnostics.items.count
      diagnostics = diagnostics.filtering { [suppressions] in !suppressions.suppresses($0) }
      suppressedCount = before - diagnostics.items.count
    }
  }

  /// The files in the order given, each once: `stack.yaml ../app/stack.yaml` (or a link to it)
  /// names one file, whose findings and sites would otherwise all come twice. A path that does
  /// not resolve is kept as given (and reported as unreadable), and so is `-`, standard input.
  static func distinct(_ files: [String]) -> [String] {
    var seen = Set<String>()
    return files.filter { path in
      guard path != StandardInputPath.argument, let resolved = realpath(path, nil) else {
        return seen.insert(path).inserted
      }
      defer { free(resolved) }
      return seen.insert(String(cString: resolved)).inserted
    }
  }

  /// What `refs`, `graph` and `consumers` print is evaluated with the values given: with one
  /// of them unread it would show another deploy's names (the defaults') as this one's, to a
  /// pipe or a file that keeps it. Nothing is printed then, only why (exit 1).
  func refuseOutputWithoutInputs() throws {
    guard inputsFailed else { return }
    Output.stderr(
      "cinch: nothing printed: the parameter values given could not all be read (below)\n")
    try reportToStandardError()
    throw ExitCode(ExitStatus.findings)
  }

  /// Whether a file could not be read or parsed: whatever is built from the rest is incomplete.
  var anInputFailed: Bool {
    diagnostics.items.contains { $0.severity == .error && $0.code.family == .input }
  }

  /// A value for a parameter that no template declares is almost always a typo.
  private mutating func reportUndeclaredParameters(_ inputs: EvaluationInputs) {
    let templates = analyses.filter(\.template.isCloudFormation)
    guard !templates.isEmpty else { return }
    let declared = Set(templates.flatMap { $0.template.parameters.map(\.name) })
    for (name, input) in inputs.parameters.sorted(by: { $0.key < $1.key })
    where !declared.contains(name) {
      diagnostics.report(
        Diagnostic(
          .undeclaredParameter,
          "no template declares parameter '\(name)' (given by \(input.origin))",
          file: input.file, range: input.range))
    }
  }
}

extension TemplateAnalysisRun {
  /// For commands whose output is something other than findings (refs, graph, consumers): the
  /// findings go to stderr in the human format, and the exit status says whether any is an error.
  func reportToStandardError() throws {
    if !diagnostics.items.isEmpty {
      var sources: [String: SourceFile] = [:]
      for document in documents { sources[document.file.path] = document.file }
      let (items, secrets) = ExcerptSecrets.findings(diagnostics, sources: sources)
      Output.stderr(
        HumanDiagnosticRenderer(colored: Output.colorEnabled(for: 2)).render(
          items, sources: sources, secrets: secrets)
          + "\n")
    }
    if diagnostics.items.contains(where: { $0.code == .fileUnreadable }) {
      throw ExitCode(ExitStatus.failure)
    }
    if diagnostics.hasErrors { throw ExitCode(ExitStatus.findings) }
  }
}
