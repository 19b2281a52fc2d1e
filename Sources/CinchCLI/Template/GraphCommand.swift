import ArgumentParser
import CinchTemplate

/// `cinch graph FILE`: the template's dependency graph, store entries and who reads them
/// included, as Graphviz DOT, Mermaid or JSON.
struct GraphCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "graph",
    abstract: "Print a template's dependency graph (dot, mermaid or json).",
    discussion: """
      Nodes are parameters, conditions, mappings, resources, outputs and store entries; edges \
      are Ref, Fn::GetAtt, ${…} in Fn::Sub, DependsOn, Condition, Fn::FindInMap, and reads of \
      the store at deploy or at run time. Render the dot output with Graphviz: \
      cinch graph stack.yaml | dot -Tsvg > stack.svg
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case dot, mermaid, json
  }

  @Argument(help: "A template file (YAML or JSON); - reads it from standard input.")
  var file: String

  @Option(help: "dot, mermaid or json.")
  var format: Format = .dot

  @OptionGroup(title: "Evaluation") var evaluation: EvaluationOptions
  @OptionGroup(title: "Limits") var limitOptions: ParseLimitOptions

  func run() async throws {
    let run = try TemplateAnalysisRun(
      files: [file], limits: limitOptions.limits, evaluation: evaluation)
    try run.refuseOutputWithoutInputs()
    // A file that is not a CloudFormation template (`Resources: {}`, an empty file) has no
    // graph built: it is drawn as an empty one, which a pipe into `dot` still reads. One that
    // did not parse draws nothing, so `cinch graph t.yaml | dot` does not picture a template
    // with nothing in it.
    let empty = run.documents.first.flatMap { document -> TemplateGraph? in
      guard document.root != nil || !run.diagnostics.hasErrors else { return nil }
      return TemplateGraph(
        file: document.file.path, nodes: [], edges: [], runtimeConsumers: [], deployReads: [])
    }
    if let graph = run.analyses.first?.graph ?? empty {
      switch format {
      case .dot: Output.stdout(GraphDOTRenderer().render(graph))
      case .mermaid: Output.stdout(GraphMermaidRenderer().render(graph))
      case .json: Output.stdout(GraphJSONRenderer().render(graph))
      }
    }
    try run.reportToStandardError()
  }
}

/// `cinch consumers NAME-OR-ARN FILE…`: which resources and outputs read a parameter or secret,
/// at deploy or when they run, across templates.
struct ConsumersCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "consumers",
    abstract: "List the resources and outputs that read a parameter or secret, across templates.",
    discussion: """
      Answers "what must be redeployed when this secret rotates": every resource and output that \
      resolves the entry at deploy, and every resource that reads it when it runs (with the role \
      it reads as).
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, json
  }

  @Argument(help: "A parameter name, secret name, or ARN.")
  var entry: String

  @Argument(help: "Template files (YAML or JSON); - reads one from standard input.")
  var files: [String]

  @Option(help: "table or json.")
  var format: Format = .table

  @OptionGroup(title: "Evaluation") var evaluation: EvaluationOptions
  @OptionGroup(title: "Limits") var limitOptions: ParseLimitOptions

  func run() async throws {
    try StandardInputPath.checkReadOnce(files)
    let run = try TemplateAnalysisRun(
      files: files, limits: limitOptions.limits, evaluation: evaluation)
    try run.refuseOutputWithoutInputs()
    let consumers = TemplateGraph.consumers(named: entry, in: run.analyses.compactMap(\.graph))
    switch format {
    case .table:
      if consumers.isEmpty {
        // Said only of templates that were all read: one that was not might read it.
        if !run.anInputFailed { Output.stderr("no template reads '\(entry)'\n") }
      } else {
        let rows = consumers.map { consumer in
          [
            "\(consumer.file):\(consumer.range.map { "\($0.start.line):\($0.start.column)" } ?? "1:1")",
            consumer.kind.rawValue, consumer.name,
            consumer.timing == .deploy ? "deploy" : "run time",
            consumer.role?.description ?? "-",
            consumer.path.description + (consumer.isActive ? "" : " (not read on this deploy)"),
          ]
        }
        Output.stdout(
          TextTable.render(
            header: ["LOCATION", "KIND", "NAME", "READS AT", "ROLE", "PATH"], rows: rows))
      }
    case .json:
      Output.stdout(ConsumerJSON.render(consumers))
    }
    try run.reportToStandardError()
  }
}
