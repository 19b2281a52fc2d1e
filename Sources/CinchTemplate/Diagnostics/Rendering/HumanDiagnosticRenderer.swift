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
    render(diagnostics, sources: sources, secrets: [:])
  }

  /// `secrets`: spans to mask besides the sensitive findings' own (those of findings left out,
  /// `Diagnostics.hiddenSecrets`; credentials a command did not report), by file. A secret's
  /// span is masked in every excerpt that shows its line, not only its own finding's.
  public func render(
    _ diagnostics: [Diagnostic], sources: [String: SourceFile],
    secrets: [String: [SourceRange]]
  ) -> String {
    var secrets = secrets
    for diagnostic in diagnostics where diagnostic.sensitive {
      if let file = diagnostic.file, let range = diagnostic.range {
        secrets[file, default: []].append(range)
      }
    }
    var lines = ExcerptLines(sources: sources, secrets: secrets)
    return diagnostics.map { render($0, lines: &lines) }.joined(separator: "\n")
  }

  private func render(_ diagnostic: Diagnostic, lines: inout ExcerptLines) -> String {
    var output = ""
    let style = Self.style(diagnostic.severity)
    header(
      file: diagnostic.file, range: diagnostic.range,
      label: "\(diagnostic.severity.label)[\(diagnostic.code.id)]:", labelStyle: style,
      message: diagnostic.message, messageStyle: Style.bold, to: &output)
    excerpt(
      file: diagnostic.file, range: diagnostic.range, lines: &lines, caretStyle: style,
      to: &output)
    for note in diagnostic.notes {
      let file = note.file(in: diagnostic)
      header(
        file: file, range: note.range, label: "note:", labelStyle: Style.note,
        message: note.message, messageStyle: nil, to: &output)
      excerpt(file: file, range: note.range, lines: &lines, caretStyle: Style.note, to: &output)
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

  /// The source line of the range's start and a caret line under the range. Text inside a
  /// secret's span prints as `*`, one for each scalar, so a secret is located but never shown.
  private func excerpt(
    file: String?, range: SourceRange?, lines: inout ExcerptLines, caretStyle: String,
    to output: inout String
  ) {
    guard let file, let range, let excerpt = lines.line(range.start.line, of: file) else {
      return
    }
    let line = excerpt.scalars
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
    // The masked columns in the window, in order and apart: found by bisection, so a long line
    // with many findings and secrets costs each finding its window, not the line.
    var hidden = excerpt.hidden[ExcerptLines.firstEnding(after: low, in: excerpt.hidden)...]
      .prefix { $0.lowerBound < high }.makeIterator()
    var nextHidden = hidden.next()
    var text = low > 0 ? "…" : ""
    var caretLine = low > 0 ? " " : ""
    var underline = 0
    for index in low..<high {
      while let current = nextHidden, current.upperBound <= index { nextHidden = hidden.next() }
      let masked = line[index] != "\t" && nextHidden?.contains(index) == true
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

  /// A scalar that is safe to print on a terminal: control characters (other than tab), the
  /// bidirectional overrides, isolates and marks and the other invisible format characters that
  /// can make a line read differently from its bytes (all but the joiners emoji and scripts
  /// need), line and paragraph separators, and code points Unicode has not assigned become
  /// U+FFFD, one scalar for one, so carets stay aligned. Bytes that are not UTF-8 are U+FFFD
  /// already; a binary file's line is mostly those, and the rest decodes to any scalar at all.
  static func displayable(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    switch scalar.value {
    case 0x09: return scalar
    case 0x00..<0x20, 0x7F..<0xA0: return "\u{FFFD}"
    case 0x20..<0x7F: return scalar
    case 0x200C, 0x200D: return scalar
    default: break
    }
    switch scalar.properties.generalCategory {
    case .format, .lineSeparator, .paragraphSeparator, .unassigned: return "\u{FFFD}"
    default: return scalar
    }
  }

  /// `text` with each scalar `displayable`: for any text printed to a terminal (a finding's
  /// message, a table cell holding a logical ID).
  package static func sanitized(_ text: String) -> String {
    var result = ""
    result.unicodeScalars.append(contentsOf: text.unicodeScalars.map(displayable))
    return result
  }
}

/// The source lines a rendering shows, each read once however many findings point into it (a
/// minified template is one line of up to a megabyte, and may hold thousands of findings), with
/// the secrets' columns on it.
private struct ExcerptLines {
  struct Line {
    var scalars: [Unicode.Scalar]
    /// Masked columns, sorted and disjoint.
    var hidden: [Range<Int>]
  }

  struct Key: Hashable {
    var file: String
    var line: Int
  }

  let sources: [String: SourceFile]
  /// Each file's secrets under every line they touch.
  var secretsByLine: [String: [Int: [SourceRange]]] = [:]
  var cache: [Key: Line] = [:]

  init(sources: [String: SourceFile], secrets: [String: [SourceRange]]) {
    self.sources = sources
    for (file, ranges) in secrets {
      var byLine: [Int: [SourceRange]] = [:]
      for range in ranges where range.start.line <= range.end.line {
        for line in range.start.line...range.end.line { byLine[line, default: []].append(range) }
      }
      secretsByLine[file] = byLine
    }
  }

  mutating func line(_ number: Int, of file: String) -> Line? {
    let key = Key(file: file, line: number)
    if let cached = cache[key] { return cached }
    guard let source = sources[file], number >= 1, number <= source.lineStarts.count else {
      return nil
    }
    let scalars = Array(source.lineText(number).unicodeScalars)
    let hidden = HumanDiagnosticRenderer.hiddenColumns(
      line: number, length: scalars.count, secrets: secretsByLine[file]?[number] ?? []
    ).mergingOverlaps()
    let line = Line(scalars: scalars, hidden: hidden)
    cache[key] = line
    return line
  }

  /// The index of the first of `ranges` (sorted, disjoint) that ends after `column`.
  static func firstEnding(after column: Int, in ranges: [Range<Int>]) -> Int {
    var low = 0
    var high = ranges.count
    while low < high {
      let middle = (low + high) / 2
      if ranges[middle].upperBound <= column { low = middle + 1 } else { high = middle }
    }
    return low
  }
}
