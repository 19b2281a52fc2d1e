/// Turns diagnostics into the text of one output format (`--format human|json|sarif|github`).
///
/// A renderer is a pure function: it prints nothing and reads no file. Source lines come from
/// `sources`, the files already read, keyed by the path as the user named it (the same string
/// as `Diagnostic.file`); a file missing from it is rendered without its source lines.
/// Diagnostics are rendered in the order given (the caller sorts, `Diagnostics.sorted`).
public protocol DiagnosticRenderer: Sendable {
  func render(_ diagnostics: [Diagnostic], sources: [String: SourceFile]) -> String
}

extension DiagnosticRenderer {
  public func render(_ diagnostics: [Diagnostic]) -> String {
    render(diagnostics, sources: [:])
  }
}

extension Diagnostic.Note {
  /// The file a note points into: its own, or, for a note that has a range but names no file,
  /// the file of the diagnostic it belongs to.
  func file(in diagnostic: Diagnostic) -> String? {
    file ?? (range != nil ? diagnostic.file : nil)
  }
}

extension Severity {
  /// The word a person reads: `error`, `warning`, `info`.
  var label: String { rawValue }

  /// SARIF's `level` (§3.27.10), which calls an informational finding a `note`.
  var sarifLevel: String {
    switch self {
    case .error: "error"
    case .warning: "warning"
    case .info: "note"
    }
  }
}
