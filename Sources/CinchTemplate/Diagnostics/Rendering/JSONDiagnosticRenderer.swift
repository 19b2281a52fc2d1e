import CinchJSON

/// Diagnostics as a JSON array, for scripts and editors:
///
/// ```json
/// [
///   {
///     "file": "templates/rds.yaml",
///     "line": 14,
///     "column": 60,
///     "endLine": 14,
///     "endColumn": 66,
///     "code": "E2003",
///     "name": "version-not-a-number",
///     "severity": "error",
///     "message": "…",
///     "path": "Resources/Db/Properties/MasterUserPassword",
///     "notes": []
///   }
/// ]
/// ```
///
/// Every key is always present, in this order; what is unknown is `null`. Lines and columns are
/// 1-based, columns counted in Unicode scalars; `endLine`/`endColumn` is the position just past
/// the range. A note has `file`, `line`, `column`, `endLine`, `endColumn` and `message`.
public struct JSONDiagnosticRenderer: DiagnosticRenderer {
  public init() {}

  public func render(_ diagnostics: [Diagnostic], sources: [String: SourceFile]) -> String {
    JSONValue.array(diagnostics.map(Self.object)).pretty()
  }

  static func object(_ diagnostic: Diagnostic) -> JSONValue {
    let range = diagnostic.range
    return .object(
      [("file", .string(diagnostic.file))]
        + position(range)
        + [
          ("code", .string(diagnostic.code.id)),
          ("name", .string(diagnostic.code.name)),
          ("severity", .string(diagnostic.severity.label)),
          ("message", .string(diagnostic.message)),
          ("path", .string(diagnostic.path?.description)),
          (
            "notes",
            .array(
              diagnostic.notes.map { note in
                .object(
                  [("file", .string(note.file(in: diagnostic)))]
                    + position(note.range)
                    + [("message", .string(note.message))])
              })
          ),
        ])
  }

  private static func position(_ range: SourceRange?) -> [(String, JSONValue)] {
    [
      ("line", .int(range?.start.line)),
      ("column", .int(range?.start.column)),
      ("endLine", .int(range?.end.line)),
      ("endColumn", .int(range?.end.column)),
    ]
  }
}
