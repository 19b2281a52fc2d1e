/// GitHub Actions workflow commands, one line per diagnostic, which the runner turns into
/// annotations on the pull request:
///
/// ```
/// ::error file=templates/rds.yaml,line=14,col=60,endLine=14,endColumn=65,title=E2003 version-not-a-number::version …
/// ```
///
/// `::warning` for warnings and `::notice` for informational findings. GitHub accepts `col` and
/// `endColumn` only on a single-line annotation, and its `endColumn` is the last column of the
/// annotation (it defaults to `col`), so a range on one line gives the column before its
/// exclusive end and a range over several lines gives lines only (the last being the line before
/// an end at a first column). Notes follow the message on
/// lines of their own. Escaping is the runner's: `%`, CR and LF in the message; those and `:`
/// and `,` in property values. Control characters and bidirectional overrides from a template
/// (a fork's pull request writes them) become U+FFFD, as in the human format, so no escape
/// sequence reaches the job's log.
///
/// GitHub matches `file` against paths relative to the repository root, so files are named
/// relative to `baseDirectory` (the CLI passes `GITHUB_WORKSPACE`, else its current directory)
/// when they lie below it; every path is normalized (`./a/../b.yaml` is `b.yaml`).
public struct GitHubDiagnosticRenderer: DiagnosticRenderer {
  /// The repository root; nil to keep paths as named (only normalized).
  public var baseDirectory: String?
  /// The directory a relative `Diagnostic.file` is relative to; defaults to `baseDirectory`.
  public var workingDirectory: String?

  public init(baseDirectory: String? = nil, workingDirectory: String? = nil) {
    self.baseDirectory = baseDirectory
    self.workingDirectory = workingDirectory
  }

  public func render(_ diagnostics: [Diagnostic], sources: [String: SourceFile]) -> String {
    diagnostics.map { line(for: $0) + "\n" }.joined()
  }

  private func line(for diagnostic: Diagnostic) -> String {
    var properties: [(String, String)] = []
    if let file = diagnostic.file {
      properties.append(("file", Self.sanitizedFileName(displayed(file))))
      if let range = diagnostic.range {
        properties.append(("line", String(range.start.line)))
        if range.end.line == range.start.line {
          properties.append(("col", String(range.start.column)))
          properties.append(("endLine", String(range.end.line)))
          properties.append(("endColumn", String(max(range.start.column, range.end.column - 1))))
        } else {
          // An end at a line's first column is the end of the line before (a block scalar's
          // text ends with its line break).
          let last = range.end.column == 1 ? range.end.line - 1 : range.end.line
          properties.append(("endLine", String(max(range.start.line, last))))
        }
      }
    }
    properties.append(("title", "\(diagnostic.code.id) \(diagnostic.code.name)"))

    let clean = HumanDiagnosticRenderer.sanitized
    var message = clean(diagnostic.message)
    for note in diagnostic.notes {
      message += "\n"
      if let file = note.file(in: diagnostic) {
        message += clean(displayed(file))
        if let range = note.range { message += ":\(range.start.line):\(range.start.column)" }
        message += ": "
      }
      message += "note: " + clean(note.message)
    }

    let command =
      switch diagnostic.severity {
      case .error: "error"
      case .warning: "warning"
      case .info: "notice"
      }
    let list = properties.map { "\($0.0)=\(Self.escapeProperty($0.1))" }.joined(separator: ",")
    return "::\(command) \(list)::\(Self.escapeData(message))"
  }

  func displayed(_ file: String) -> String {
    guard let baseDirectory else {
      let path = PathComponents(file)
      let joined = path.components.joined(separator: "/")
      return path.isAbsolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
    return DisplayPath(file, base: baseDirectory, working: workingDirectory ?? baseDirectory).text
  }

  /// A file name as `file=` gives it: line breaks kept for the runner's escaping (`%0A`, which
  /// it turns back into the name's own character, so the annotation finds the file), every
  /// other control character U+FFFD, as in a message.
  static func sanitizedFileName(_ name: String) -> String {
    var result = ""
    for scalar in name.unicodeScalars {
      if scalar == "\n" || scalar == "\r" {
        result.unicodeScalars.append(scalar)
      } else {
        result += HumanDiagnosticRenderer.sanitized(String(scalar))
      }
    }
    return result
  }

  /// The runner's escaping of a command's message.
  static func escapeData(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "%": result += "%25"
      case "\r": result += "%0D"
      case "\n": result += "%0A"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  /// The runner's escaping of a property value: the message's, plus `:` and `,`.
  static func escapeProperty(_ text: String) -> String {
    var result = ""
    for scalar in escapeData(text).unicodeScalars {
      switch scalar {
      case ":": result += "%3A"
      case ",": result += "%2C"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}
