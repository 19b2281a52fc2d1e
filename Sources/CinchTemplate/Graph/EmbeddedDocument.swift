/// A YAML or JSON document written inside a template string — an inline CodeBuild buildspec, a
/// state machine's `DefinitionString` — parsed from the string's evaluated value, with the
/// parts still unknown (`!Sub` variables that wait on an input) kept as holes: each hole
/// becomes a private-use marker, so that the text parses, and every scalar splits back into its
/// text and holes.
struct EmbeddedDocument {
  enum Syntax {
    case yaml
    case json
  }

  /// The document's root; nil when the text does not parse (nothing is reported: the template
  /// is what cinch checks, and the service owns its own document's syntax).
  let root: Node?
  private let holes: [Value.Segment]

  /// Nil when the value is not a string.
  init?(_ value: Value, syntax: Syntax, path: String) {
    guard let segments = value.placeholderSegments else { return nil }
    var text = ""
    var holes: [Value.Segment] = []
    for segment in segments {
      switch segment {
      case .text(let part): text += part
      case .hole:
        text += "\(Self.open)\(holes.count)\(Self.close)"
        holes.append(segment)
      }
    }
    var ignored = Diagnostics()
    let file = SourceFile(path: path, text: text)
    switch syntax {
    case .yaml: root = YAMLParser.parseDocument(file, into: &ignored).root
    case .json: root = JSONParser.parseDocument(file, into: &ignored).root
    }
    self.holes = holes
  }

  /// A scalar of the document as text and the holes its markers stand for.
  func segments(of scalar: String) -> [Value.Segment] {
    var segments: [Value.Segment] = []
    var text = ""
    var rest = Substring(scalar)
    while let character = rest.first {
      rest = rest.dropFirst()
      guard character == Self.open, let end = rest.firstIndex(of: Self.close),
        let index = Int(rest[..<end]), holes.indices.contains(index)
      else {
        text.append(character)
        continue
      }
      if !text.isEmpty { segments.append(.text(text)) }
      text = ""
      segments.append(holes[index])
      rest = rest[rest.index(after: end)...]
    }
    if !text.isEmpty { segments.append(.text(text)) }
    return segments
  }

  /// The span of the document's line `line` in the template, when the document is written
  /// there as a literal block scalar (`BuildSpec: |`, or `!Sub |`), whose lines are the
  /// template's lines after the indicator: the line without its indentation.
  static func range(ofLine line: Int, in node: Node, file: SourceFile) -> SourceRange? {
    let scalar = node.intrinsic.flatMap { $0.argument.sequence?.first ?? $0.argument } ?? node
    guard scalar.style == .literal, scalar.scalar != nil else { return nil }
    let templateLine = scalar.range.start.line + line
    guard templateLine <= file.lineStarts.count, templateLine <= scalar.range.end.line else {
      return nil
    }
    var start = file.lineStarts[templateLine - 1]
    var end =
      templateLine < file.lineStarts.count ? file.lineStarts[templateLine] : file.bytes.count
    while start < end, file.bytes[start] == UInt8(ascii: " ") { start += 1 }
    while end > start, [UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(file.bytes[end - 1]) {
      end -= 1
    }
    return file.range(fromByte: start, toByte: end)
  }

  private static let open: Character = "\u{E000}"
  private static let close: Character = "\u{E001}"
}
