public import CinchTemplate

/// Findings a template says to leave alone, in its `Metadata`, the way cfn-lint reads
/// `Metadata: {cfn-lint: {config: {ignore_checks: [...]}}}`:
///
/// ```yaml
/// Metadata:
///   cinch:
///     ignore: [W3003]               # the whole file
/// Resources:
///   Legacy:
///     Type: AWS::RDS::DBInstance
///     Metadata:
///       cinch:
///         ignore: [E2032, pin-behind]   # this resource only
/// ```
///
/// Codes are given by id or name. A resource's list covers findings whose template path is
/// under the resource, or (for a finding without a path under a resource) whose span lies inside
/// its text (`span(of:in:)`). A name that
/// is no code is reported (W1009) rather than silently ignored.
public struct Suppressions: Sendable {
  struct Scope: Sendable {
    var codes: Set<DiagnosticCode>
    /// nil: the whole file.
    var logicalID: String?
    var range: SourceRange?
  }

  private var scopes: [String: [Scope]] = [:]

  /// Nothing suppressed.
  public init() {}

  public init(_ analyses: [TemplateAnalysis], into diagnostics: inout Diagnostics) {
    for analysis in analyses {
      let file = analysis.file.path
      if let list = analysis.document.root?["Metadata"]?["cinch"]?["ignore"] {
        let codes = Self.codes(list, file: file, into: &diagnostics)
        scopes[file, default: []].append(Scope(codes: codes))
      }
      for resource in analysis.template.resources {
        guard let list = resource.metadata?["cinch"]?["ignore"] else { continue }
        let codes = Self.codes(list, file: file, into: &diagnostics)
        scopes[file, default: []].append(
          Scope(
            codes: codes, logicalID: resource.logicalID,
            range: analysis.document.format == .yaml
              ? Self.span(of: resource, in: analysis.file) : resource.node.range))
      }
    }
  }

  public var isEmpty: Bool { scopes.isEmpty }

  public func suppresses(_ diagnostic: Diagnostic) -> Bool {
    guard diagnostic.code.canBeSuppressed, let file = diagnostic.file, let scopes = scopes[file]
    else { return false }
    return scopes.contains { scope in
      guard scope.codes.contains(diagnostic.code) else { return false }
      guard let logicalID = scope.logicalID else { return true }
      // A finding placed only roughly by its path (a comment's is the `Resources` mapping it
      // sits in) is the resource's when its text is; any other path says whose it is.
      if let path = diagnostic.path, path.components != ["Resources"] {
        return path.components.count >= 2 && path[0] == "Resources" && path[1] == logicalID
      }
      guard let range = diagnostic.range, let inside = scope.range else { return false }
      return inside.start.offset <= range.start.offset && range.end.offset <= inside.end.offset
    }
  }

  /// The text a YAML resource's list covers: its value, the rest of the line its value ends
  /// on (a comment after the last value), and the comment lines after it indented below its
  /// name (`    # …` before the next resource; blank lines between them too): what a reader
  /// sees as the resource's. A JSON template has no comments: its resources end at their `}`.
  static func span(of resource: Template.Resource, in file: SourceFile) -> SourceRange {
    let range = resource.node.range
    let bytes = file.bytes
    let newline = UInt8(ascii: "\n")
    var end = range.end.offset
    while end < bytes.count, bytes[end] != newline { end += 1 }
    let nameColumn = resource.keyRange.start.column
    // Where a comment line indented deeper than the resource's name ends; `blank` when the
    // line holds only blanks; nil for anything else.
    enum Line { case comment(end: Int), blank(end: Int) }
    func line(from start: Int) -> Line? {
      var index = start
      while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == 0x09 {
        index += 1
      }
      var lineEnd = index
      while lineEnd < bytes.count, bytes[lineEnd] != newline { lineEnd += 1 }
      if index == lineEnd || bytes[index] == UInt8(ascii: "\r") { return .blank(end: lineEnd) }
      guard index - start + 1 > nameColumn, bytes[index] == UInt8(ascii: "#") else { return nil }
      return .comment(end: lineEnd)
    }
    // `scan` is the newline that ends a line taken or passed; each step moves past one more.
    var scan = end
    while scan < bytes.count, let next = line(from: scan + 1) {
      switch next {
      case .comment(let lineEnd):
        end = lineEnd
        scan = lineEnd
      case .blank(let lineEnd):
        scan = lineEnd
      }
    }
    guard end > range.end.offset else { return range }
    return SourceRange(start: range.start, end: file.position(atByte: end))
  }

  /// `ignore: [E2020, ssm-secure-placement]` or `ignore: E2020`.
  private static func codes(_ node: Node, file: String, into diagnostics: inout Diagnostics)
    -> Set<DiagnosticCode>
  {
    let items = node.sequence ?? [node]
    var codes = Set<DiagnosticCode>()
    for item in items {
      guard let text = item.scalar, !item.isNull else {
        diagnostics.report(
          Diagnostic(
            .unknownSuppression,
            "'ignore' takes diagnostic codes (E2020) or names (ssm-secure-placement)",
            file: file, range: item.range))
        continue
      }
      guard let code = DiagnosticCode.named(text) else {
        diagnostics.report(
          Diagnostic(
            .unknownSuppression,
            "'\(text)' is not a diagnostic code or name; nothing is suppressed by it",
            file: file, range: item.range))
        continue
      }
      guard code.canBeSuppressed else {
        diagnostics.report(
          Diagnostic(
            .unknownSuppression,
            "\(code.id) (\(code.name)) is an input error and cannot be suppressed: a file that "
              + "is not read as written is not checked",
            file: file, range: item.range))
        continue
      }
      codes.insert(code)
    }
    return codes
  }
}
