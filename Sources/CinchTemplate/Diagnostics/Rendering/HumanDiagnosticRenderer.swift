/// The format a person reads in a terminal, as compilers print it:
///
/// ```
/// templates/rds.yaml:14:60: error[E2003]: version 'latest' of '/myapp/prod/dbpassword' is not a number
///       MasterUserPassword: '{{resolve:ssm-secure:/myapp/prod/dbpassword:latest}}'
///                                                                      ^~~~~~
/// templates/rds.yaml:3:3: note: 'Env' is declared here
///   Env:
///   ^~~
/// ```
///
/// The caret sits under the range on its first line. The header's column counts Unicode
/// scalars; the caret line pads by the cells a terminal draws (two for an East Asian wide
/// character or an emoji, none for a combining mark: `DisplayWidth.terminal`) and keeps the
/// tabs before the caret, so the caret lines up however wide the terminal draws a tab.
/// Diagnostics are separated by a blank line; nothing follows the last one (the CLI adds its
/// summary). Colour (ANSI, bold and red/yellow/cyan) only when `colored` is set: the CLI
/// decides (a terminal, and no `NO_COLOR`).
public struct HumanDiagnosticRenderer: DiagnosticRenderer {
  public var colored: Bool
  /// Source lines longer than this many scalars are cut to a window around the caret
  /// (a minified JSON template is one line of up to a megabyte).
  public var maxLineWidth: Int

  public init(colored: Bool = false, maxLineWidth: Int = 160) {
    self.colored = colored
    self.maxLineWidth = max(maxLineWidth, 20)
  }

  public func render(_ diagnostics: [Diagnostic], sources: [String: SourceFile]) -> String {
    // A secret's span is masked in every excerpt that shows its line, not only its own.
    var secrets: [String: [SourceRange]] = [:]
    for diagnostic in diagnostics where diagnostic.sensitive {
      if let file = diagnostic.file, let range = diagnostic.range {
        secrets[file, default: []].append(range)
      }
    }
    return diagnostics.map { render($0, sources: sources, secrets: secrets) }
      .joined(separator: "\n")
  }

  private func render(
    _ diagnostic: Diagnostic, sources: [String: SourceFile], secrets: [String: [SourceRange]]
  ) -> String {
    var output = ""
    let style = Self.style(diagnostic.severity)
    header(
      file: diagnostic.file, range: diagnostic.range,
      label: "\(diagnostic.severity.label)[\(diagnostic.code.id)]:", labelStyle: style,
      message: diagnostic.message, messageStyle: Style.bold, to: &output)
    excerpt(
      file: diagnostic.file, range: diagnostic.range, sources: sources, caretStyle: style,
      secrets: secrets, to: &output)
    for note in diagnostic.notes {
      let file = note.file(in: diagnostic)
      header(
        file: file, range: note.range, label: "note:", labelStyle: Style.note,
        message: note.message, messageStyle: nil, to: &output)
      excerpt(
        file: file, range: note.range, sources: sources, caretStyle: Style.note,
        secrets: secrets, to: &output)
    }
    return output
  }

  /// `file:line:col: label message`, with as much of the location as is known.
  private func header(
    file: String?, range: SourceRange?, label: String, labelStyle: String, message: String,
    messageStyle: String?, to output: inout String
  ) {
    var location = file.map(Self.sanitized) ?? ""
    if let range, file != nil {
      location += ":\(range.start.line):\(range.start.column)"
    }
    if !location.isEmpty {
      output += paint(location + ":", Style.bold) + " "
    }
    output += paint(label, labelStyle) + " "
    output += messageStyle.map { paint(Self.sanitized(message), $0) } ?? Self.sanitized(message)
    output += "\n"
  }

  /// The source line of the range's start and a caret line under the range. Text inside the
  /// ranges of sensitive diagnostics (`secrets`) prints as `*`, one for each scalar, so a secret
  /// is located but never shown.
  private func excerpt(
    file: String?, range: SourceRange?, sources: [String: SourceFile], caretStyle: String,
    secrets: [String: [SourceRange]], to output: inout String
  ) {
    guard let file, let range, let source = sources[file],
      range.start.line >= 1, range.start.line <= source.lineStarts.count
    else { return }
    let line = Array(source.lineText(range.start.line).unicodeScalars)
    let start = min(max(range.start.column - 1, 0), line.count)
    let end =
      range.end.line == range.start.line
      ? min(max(range.end.column - 1, start), line.count) : line.count

    // The window of the line that is shown: all of it, or `maxLineWidth` scalars starting a
    // little before the caret, each cut end marked with `…` (one scalar, so columns hold).
    var low = 0
    var high = line.count
    if line.count > maxLineWidth {
      low = max(0, min(start - maxLineWidth / 4, line.count - maxLineWidth))
      if low < 8 { low = 0 }  // not worth an ellipsis
      high = min(line.count, low + maxLineWidth)
    }
    let hidden = Self.hiddenColumns(
      line: range.start.line, length: line.count, secrets: secrets[file] ?? [])
    var text = low > 0 ? "…" : ""
    var caretLine = low > 0 ? " " : ""
    var underline = 0
    for index in low..<high {
      let masked = line[index] != "\t" && hidden.contains { $0.contains(index) }
      let shown = masked ? "*" : Self.displayable(line[index])
      text.unicodeScalars.append(shown)
      if index < start {
        if shown == "\t" {
          caretLine.append("\t")
        } else {
          caretLine += String(repeating: " ", count: DisplayWidth.terminal(shown))
        }
      } else if index < end {
        underline += DisplayWidth.terminal(shown)
      }
    }
    if high < line.count { text += "…" }
    let caret = "^" + String(repeating: "~", count: max(0, underline - 1))

    output += text + "\n"
    output += caretLine + paint(caret, caretStyle) + "\n"
  }

  /// The 0-based scalar columns of `line` that lie inside any of `secrets`.
  static func hiddenColumns(line: Int, length: Int, secrets: [SourceRange]) -> [Range<Int>] {
    secrets.compactMap { secret in
      guard secret.start.line <= line, line <= secret.end.line else { return nil }
      let low = secret.start.line == line ? max(secret.start.column - 1, 0) : 0
      let high = secret.end.line == line ? min(max(secret.end.column - 1, 0), length) : length
      return low < high ? low..<high : nil
    }
  }

  private func paint(_ text: String, _ style: String) -> String {
    colored && !text.isEmpty ? "\u{1B}[\(style)m\(text)\u{1B}[0m" : text
  }

  private enum Style {
    static let bold = "1"
    static let error = "1;31"
    static let warning = "1;33"
    static let info = "1;36"
    static let note = "1;36"
  }

  private static func style(_ severity: Severity) -> String {
    switch severity {
    case .error: Style.error
    case .warning: Style.warning
    case .info: Style.info
    }
  }

  /// A scalar that is safe to print on a terminal: control characters (other than tab) and the
  /// bidirectional overrides and isolates that can make a line read differently from its bytes
  /// become U+FFFD, one scalar for one, so carets stay aligned.
  static func displayable(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    switch scalar.value {
    case 0x09: scalar
    case 0x00..<0x20, 0x7F..<0xA0, 0x202A...0x202E, 0x2066...0x2069: "\u{FFFD}"
    default: scalar
    }
  }

  static func sanitized(_ text: String) -> String {
    var result = ""
    result.unicodeScalars.append(contentsOf: text.unicodeScalars.map(displayable))
    return result
  }
}
