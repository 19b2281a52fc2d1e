import ArgumentParser
import CinchTemplate
import Foundation

/// `--format human|json|sarif|github` and the rest of how findings are reported, shared by every
/// command that reports diagnostics.
struct DiagnosticOutputOptions: ParsableArguments {
  enum Format: String, ExpressibleByArgument, CaseIterable {
    case human, json, sarif, github
  }

  @Option(
    help: "How findings are printed: human, json, sarif (2.1.0) or github (workflow annotations).")
  var format: Format = .human

  /// Where a "fix the errors …" line points the reader: at the findings that follow it, or at
  /// the machine-readable report that carries them.
  var wherePrinted: String {
    format == .human ? "below" : "in the \(format.rawValue) output"
  }

  /// Prints the findings and ends the command with cinch's exit status: 2 when a file could not
  /// be read, 1 when any finding is an error, else success. `detail` is added to the human
  /// summary line in parentheses (what was checked against what, what was suppressed), and
  /// makes the line print even for one clean file.
  /// `credentialsScanned`: the files whose findings include the credential scan's (E2034, the
  /// templates `check` read), whose excerpts need no scan of their own (`ExcerptSecrets`).
  func emit(
    _ diagnostics: Diagnostics, documents: [ParsedDocument], files: Int? = nil,
    summary: Bool = true, detail: String = "", credentialsScanned: Set<String> = [],
    to descriptor: Int32 = 1
  ) throws {
    var sources: [String: SourceFile] = [:]
    for document in documents { sources[document.file.path] = document.file }
    // Every format: a credential a message quotes (a reference's name) is masked there too.
    let (items, secrets) = ExcerptSecrets.findings(
      diagnostics, sources: sources, credentialsScanned: credentialsScanned)
    let workingDirectory = FileManager.default.currentDirectoryPath
    // The current directory is the real path (getcwd); the workspace is resolved the same way
    // (a symlinked or relative GITHUB_WORKSPACE), or files below it would not be found there.
    let baseDirectory =
      ProcessEnvironment.current["GITHUB_WORKSPACE"].flatMap { $0.isEmpty ? nil : $0 }
      .map(Self.realPath) ?? workingDirectory
    switch format {
    case .human:
      let colored = Output.colorEnabled(for: descriptor)
      let text = HumanDiagnosticRenderer(colored: colored).render(
        items, sources: sources, secrets: secrets)
      let fileCount = files ?? documents.count
      let summarized = summary && (!items.isEmpty || fileCount > 1 || !detail.isEmpty)
      // A blank line between the findings and the summary; none after the last finding.
      if !text.isEmpty { Output.write(text + (summarized ? "\n" : ""), to: descriptor) }
      if summarized {
        let suffix = detail.isEmpty ? "" : " (\(detail))"
        Output.write(Self.summaryLine(items, files: fileCount) + suffix + "\n", to: descriptor)
      }
    case .json:
      Output.write(JSONDiagnosticRenderer().render(items, sources: sources), to: descriptor)
    case .sarif:
      Output.write(
        SARIFDiagnosticRenderer(
          toolVersion: CinchVersion.current, baseDirectory: baseDirectory,
          workingDirectory: workingDirectory
        ).render(items, sources: sources), to: descriptor)
    case .github:
      Output.write(
        GitHubDiagnosticRenderer(baseDirectory: baseDirectory, workingDirectory: workingDirectory)
          .render(items, sources: sources), to: descriptor)
    }
    // A file that could not be read is an I/O failure (2), not a finding about its content.
    if diagnostics.items.contains(where: { $0.code == .fileUnreadable }) {
      throw ExitCode(ExitStatus.failure)
    }
    if diagnostics.hasErrors { throw ExitCode(ExitStatus.findings) }
  }

  /// `path` with every symlink resolved (relative to the current directory), or as given when
  /// it does not exist.
  static func realPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// `2 errors, 1 warning in 3 files` (or `no problems in 3 files`).
  static func summaryLine(_ items: [Diagnostic], files: Int) -> String {
    let errors = items.filter { $0.severity == .error }.count
    let warnings = items.filter { $0.severity == .warning }.count
    let notes = items.filter { $0.severity == .info }.count
    var parts: [String] = []
    if errors > 0 { parts.append(errors == 1 ? "1 error" : "\(errors) errors") }
    if warnings > 0 { parts.append(warnings == 1 ? "1 warning" : "\(warnings) warnings") }
    if notes > 0 { parts.append(notes == 1 ? "1 note" : "\(notes) notes") }
    let scope = files == 1 ? "in 1 file" : "in \(files) files"
    return parts.isEmpty ? "no problems \(scope)" : parts.joined(separator: ", ") + " " + scope
  }
}
