import ArgumentParser
import CinchTemplate

/// `cinch parse FILE…`: reads templates and reports what the front end finds, optionally with
/// the located tree it built. The cheapest way to see what cinch read.
struct ParseCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "parse",
    abstract: "Parse templates and report syntax problems; --dump prints the located tree.")

  @Argument(
    help:
      "Template files (YAML or JSON; the format is read from the content); - reads one from standard input."
  )
  var files: [String]

  @Flag(help: "Print every node with its kind, style, tag and line:column span.")
  var dump = false

  @OptionGroup var diagnosticOptions: DiagnosticOutputOptions
  @OptionGroup(title: "Limits") var limitOptions: ParseLimitOptions

  func run() async throws {
    try StandardInputPath.checkReadOnce(files)
    var diagnostics = Diagnostics()
    let documents = SourceLoader(limits: limitOptions.limits, pipelined: true).load(
      files, into: &diagnostics)
    defer { KeptUntilExit.keep(documents) }
    if dump {
      for document in documents {
        guard let root = document.root else { continue }
        if documents.count > 1 {
          Output.stdout("# \(document.file.path) (\(document.format.rawValue))\n")
        }
        Output.stdout(NodeDump.render(root))
      }
    }
    try diagnosticOptions.emit(
      diagnostics, documents: documents, files: files.count, summary: !dump)
  }
}
