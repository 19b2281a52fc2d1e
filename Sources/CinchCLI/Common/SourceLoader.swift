import CinchTemplate

/// Reads and parses the files a command names: I/O at the edge, once per file.
struct SourceLoader: Sendable {
  let limits: ParseLimits
  /// Whether a large YAML file is parsed on two threads: for one file at a time, not when
  /// several are parsed side by side.
  var pipelined = false

  /// Parses each path; a file that cannot be read becomes an `E0001` diagnostic so that one
  /// missing file does not hide the findings in the others.
  func load(_ paths: [String], into diagnostics: inout Diagnostics) -> [ParsedDocument] {
    paths.compactMap { load($0, into: &diagnostics) }
  }

  /// Parses one path (`-`: standard input, as `<stdin>`); nil (and a diagnostic) when it
  /// cannot be read.
  func load(_ given: String, into diagnostics: inout Diagnostics) -> ParsedDocument? {
    let path = StandardInputPath.displayName(given)
    let file: SourceFile
    do {
      file =
        given == StandardInputPath.argument
        ? try SourceFile(standardInputNamed: path, limit: limits.maxFileSize)
        : try SourceFile(path: path, limit: limits.maxFileSize)
    } catch .tooLarge(_, let size, let limit) {
      diagnostics.report(
        Diagnostic(.fileTooLarge, "file is \(size) bytes, over the limit of \(limit)", file: path))
      return nil
    } catch {
      diagnostics.report(Diagnostic(.fileUnreadable, error.reason, file: path))
      return nil
    }
    return TemplateParser.parse(file, limits: limits, pipelined: pipelined, into: &diagnostics)
  }
}

extension SourceFileError {
  /// The reason without the path, for diagnostics that carry the path themselves.
  var reason: String {
    switch self {
    case .notFound: "no such file"
    case .unreadable(_, let reason): "cannot read: \(reason)"
    case .tooLarge(_, let size, let limit): "file is \(size) bytes, over the limit of \(limit)"
    }
  }
}
