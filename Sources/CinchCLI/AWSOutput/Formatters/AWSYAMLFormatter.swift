package import CinchJSON

/// `--output yaml` and `--output yaml-stream` as the aws CLI v2 writes them.
///
/// The aws CLI v2 dumps the response with ruamel.yaml's safe dumper in block style
/// (`default_flow_style = False`), and dumps a bare scalar (a `--query` result such as
/// `Parameter.Value`) as JSON instead, so `"value"` rather than `value\n...`. Its installers
/// bundle ruamel.yaml's C emitter, which is libyaml's: it sorts mapping keys, quotes strings
/// that would read back as another type under YAML 1.2 (`'true'`, `'012'`, `'2024-05-01'`,
/// `''`), prefers single quotes (a multi-line value too, folded: a line break is written as a
/// blank line), uses double quotes (with escapes) only for text a single-quoted scalar cannot
/// hold (a non-printable character, an emoji or any character beyond the Basic Multilingual
/// Plane, a space before a line break), folds long scalars at 80 columns, and writes sequences
/// inside mappings without indenting the dashes. This type reproduces that emitter (libyaml's
/// `emitter.c` as ruamel.yaml 0.17.21 drives it) for JSON data; the pure-Python emitter, which
/// double-quotes multi-line text and text holding a `'`, is not what users of aws CLI v2 see.
package enum AWSYAMLFormatter {
  package static func format(_ value: JSONValue) -> String {
    switch value {
    case .array, .object:
      var emitter = YAMLBlockEmitter()
      emitter.emitDocument(value)
      return emitter.output
    default:
      return PythonJSONWriter(
        indent: nil, ensureASCII: false, itemSeparator: ", ", keySeparator: ": "
      )
      .string(value) + "\n"
    }
  }

  /// `yaml-stream`: the aws CLI prints each page as an element of one top-level sequence.
  package static func formatStream(pages: [JSONValue]) -> String {
    format(.array(pages))
  }
}

/// The parts of ruamel.yaml's `Emitter` that block-style JSON data reaches, with its state
/// variables kept under their original meaning so the layout decisions stay the same.
private struct YAMLBlockEmitter {
  var output = ""
  private var column = 0
  private var indent: Int?
  private var indents: [(indent: Int?, sequence: Bool?)] = []
  private var whitespace = true
  private var indention = true
  private var noNewline = false
  private var flowLevel = 0
  private var sequenceContext = false
  private var mappingContext = false
  private var simpleKeyContext = false

  private static let bestWidth = 80
  private static let bestIndent = 2
  /// libyaml's limit on an implicit key, in UTF-8 bytes (the implicit `!!str` tag is not
  /// counted, as the pure-Python emitter counts it).
  private static let maximumSimpleKeyLength = 128

  mutating func emitDocument(_ value: JSONValue) {
    emitNode(value, sequence: false, mapping: false, simpleKey: false)
    indent = nil
    writeIndent()
  }

  // MARK: Nodes

  private mutating func emitNode(_ value: JSONValue, sequence: Bool, mapping: Bool, simpleKey: Bool)
  {
    sequenceContext = sequence
    mappingContext = mapping
    simpleKeyContext = simpleKey
    switch value {
    case .array(let elements):
      if flowLevel > 0 || elements.isEmpty {
        emitEmptyFlow(open: "[", close: "]")
      } else {
        emitBlockSequence(elements)
      }
    case .object(let object):
      if flowLevel > 0 || object.isEmpty {
        emitEmptyFlow(open: "{", close: "}")
      } else {
        emitBlockMapping(object)
      }
    default:
      increaseIndent(flow: true, sequence: nil)
      processScalar(value)
      indent = indents.popLast()?.indent ?? nil
    }
  }

  private mutating func emitEmptyFlow(open: String, close: String) {
    let offset = flowAlignment()
    writeIndicator(
      String(repeating: " ", count: max(0, offset)) + open, needWhitespace: true, whitespace: true)
    increaseIndent(flow: true, sequence: open == "[")
    flowLevel += 1
    indent = indents.popLast()?.indent ?? nil
    flowLevel -= 1
    writeIndicator(close, needWhitespace: false)
    if flowLevel == 0 { writeLineBreak() }
  }

  /// `Indents.seq_flow_align`: extra spaces before a flow collection that follows a dash.
  private func flowAlignment() -> Int {
    guard indents.count >= 2, let last = indents.last, last.sequence == true else { return 0 }
    let base = last.indent ?? 0
    return base + Self.bestIndent - column - 1
  }

  private mutating func emitBlockSequence(_ elements: [JSONValue]) {
    let indentless = mappingContext ? !indention : false
    increaseIndent(flow: false, sequence: true, indentless: indentless)
    for element in elements {
      let keepLine = column == 0 ? noNewline : false
      writeIndent()
      writeIndicator("-", needWhitespace: true, indention: true)
      if keepLine { noNewline = true }
      emitNode(element, sequence: true, mapping: false, simpleKey: false)
    }
    indent = indents.popLast()?.indent ?? nil
    noNewline = false
  }

  private mutating func emitBlockMapping(_ object: JSONObject) {
    increaseIndent(flow: false, sequence: false)
    // The safe representer sorts the keys of a plain dict.
    for member in object.sorted(by: { pythonLess($0.key, $1.key) }) {
      writeIndent()
      let key = JSONValue.string(member.key)
      if isSimpleKey(member.key) {
        emitNode(key, sequence: false, mapping: true, simpleKey: true)
        writeIndicator(":", needWhitespace: false)
      } else {
        writeIndicator("?", needWhitespace: true, indention: true)
        emitNode(key, sequence: false, mapping: true, simpleKey: false)
        writeIndent()
        writeIndicator(":", needWhitespace: true, indention: true)
      }
      emitNode(member.value, sequence: false, mapping: true, simpleKey: false)
    }
    indent = indents.popLast()?.indent ?? nil
  }

  private func isSimpleKey(_ key: String) -> Bool {
    let analysis = ScalarAnalysis(key)
    return key.utf8.count <= Self.maximumSimpleKeyLength && !analysis.multiline
  }

  // MARK: Scalars

  private mutating func processScalar(_ value: JSONValue) {
    let text: String
    let isString: Bool
    switch value {
    case .null: (text, isString) = ("null", false)
    case .bool(let bool): (text, isString) = (bool ? "true" : "false", false)
    case .integer(let integer): (text, isString) = (String(integer), false)
    case .double(let double): (text, isString) = (Self.yamlFloat(double), false)
    case .string(let string): (text, isString) = (string, true)
    case .array, .object: return
    }
    let analysis = ScalarAnalysis(text)
    let style =
      isString ? chooseStyle(analysis, plainImplicit: YAMLResolver.resolvesToString(text)) : .plain
    let split = !simpleKeyContext
    if sequenceContext && flowLevel == 0 { writeIndent() }
    switch style {
    case .plain: writePlain(text, split: split)
    case .singleQuoted: writeSingleQuoted(text, split: split)
    case .doubleQuoted: writeDoubleQuoted(text, split: split)
    }
  }

  private static func yamlFloat(_ value: Double) -> String {
    if value.isNaN { return ".nan" }
    if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
    return PythonText.float(value).lowercased()
  }

  private enum Style { case plain, singleQuoted, doubleQuoted }

  private func chooseStyle(_ analysis: ScalarAnalysis, plainImplicit: Bool) -> Style {
    if plainImplicit
      && !(simpleKeyContext && (analysis.empty || analysis.multiline))
      && ((flowLevel > 0 && analysis.allowFlowPlain)
        || (flowLevel == 0 && analysis.allowBlockPlain))
    {
      return .plain
    }
    if analysis.allowSingleQuoted && !(simpleKeyContext && analysis.multiline) {
      return .singleQuoted
    }
    return .doubleQuoted
  }

  // MARK: Writers

  private mutating func write(_ text: some StringProtocol) {
    output += text
    column += text.unicodeScalars.count
  }

  private mutating func writeIndicator(
    _ indicator: String, needWhitespace: Bool, whitespace newWhitespace: Bool = false,
    indention newIndention: Bool = false
  ) {
    let data = whitespace || !needWhitespace ? indicator : " " + indicator
    whitespace = newWhitespace
    indention = indention && newIndention
    write(data)
  }

  private mutating func writeIndent() {
    let target = indent ?? 0
    if !indention || column > target || (column == target && !whitespace) {
      if noNewline {
        noNewline = false
      } else {
        writeLineBreak()
      }
    }
    if column < target {
      whitespace = true
      write(String(repeating: " ", count: target - column))
    }
  }

  private mutating func writeLineBreak(_ data: String = "\n") {
    whitespace = true
    indention = true
    output += data
    column = 0
  }

  private mutating func increaseIndent(flow: Bool, sequence: Bool?, indentless: Bool = false) {
    indents.append((indent, sequence))
    if let current = indent {
      // ruamel.yaml adds its sequence or its mapping indent here; both are 2 in the dumper.
      if !indentless { indent = current + Self.bestIndent }
    } else {
      indent = flow ? nil : 0
    }
  }

  private static func isBreak(_ scalar: Unicode.Scalar?) -> Bool {
    scalar.map(LibYAML.isBreak) ?? false
  }

  private mutating func writeBreaks(_ breaks: ArraySlice<Unicode.Scalar>) {
    if breaks.first == "\n" { writeLineBreak() }
    for scalar in breaks {
      writeLineBreak(scalar == "\n" ? "\n" : String(Character(scalar)))
    }
  }

  private mutating func writePlain(_ text: String, split: Bool) {
    if text.isEmpty { return }
    if !whitespace { write(" ") }
    whitespace = false
    indention = false
    let characters = Array(text.unicodeScalars)
    var spaces = false
    var breaks = false
    var start = 0
    var end = 0
    while end <= characters.count {
      let scalar: Unicode.Scalar? = end < characters.count ? characters[end] : nil
      if spaces {
        if scalar != " " {
          if start + 1 == end && column > Self.bestWidth && split {
            writeIndent()
            whitespace = false
            indention = false
          } else {
            write(String(String.UnicodeScalarView(characters[start..<end])))
          }
          start = end
        }
      } else if breaks {
        if !Self.isBreak(scalar) {
          writeBreaks(characters[start..<end])
          writeIndent()
          whitespace = false
          indention = false
          start = end
        }
      } else if scalar == nil || scalar == " " || Self.isBreak(scalar) {
        write(String(String.UnicodeScalarView(characters[start..<end])))
        start = end
      }
      if let scalar {
        spaces = scalar == " "
        breaks = Self.isBreak(scalar)
      }
      end += 1
    }
  }

  private mutating func writeSingleQuoted(_ text: String, split: Bool) {
    writeIndicator("'", needWhitespace: true)
    let characters = Array(text.unicodeScalars)
    var spaces = false
    var breaks = false
    var start = 0
    var end = 0
    while end <= characters.count {
      let scalar: Unicode.Scalar? = end < characters.count ? characters[end] : nil
      if spaces {
        if scalar == nil || scalar != " " {
          if start + 1 == end && column > Self.bestWidth && split && start != 0
            && end != characters.count
          {
            writeIndent()
          } else {
            write(String(String.UnicodeScalarView(characters[start..<end])))
          }
          start = end
        }
      } else if breaks {
        if scalar == nil || !Self.isBreak(scalar) {
          writeBreaks(characters[start..<end])
          writeIndent()
          start = end
        }
      } else if scalar == nil || scalar == " " || Self.isBreak(scalar) || scalar == "'" {
        if start < end {
          write(String(String.UnicodeScalarView(characters[start..<end])))
          start = end
        }
      }
      if scalar == "'" {
        write("''")
        start = end + 1
      }
      if let scalar {
        spaces = scalar == " "
        breaks = Self.isBreak(scalar)
      }
      end += 1
    }
    writeIndicator("'", needWhitespace: false)
  }

  private static let escapes: [Unicode.Scalar: String] = [
    "\0": "0", "\u{07}": "a", "\u{08}": "b", "\t": "t", "\n": "n", "\u{0B}": "v", "\u{0C}": "f",
    "\r": "r", "\u{1B}": "e", "\"": "\"", "\\": "\\", "\u{85}": "N", "\u{A0}": "_",
    "\u{2028}": "L", "\u{2029}": "P",
  ]

  /// What `yaml_emitter_write_double_quoted` escapes.
  private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    !LibYAML.isPrintable(scalar) || LibYAML.isBreak(scalar) || scalar == "\"" || scalar == "\\"
  }

  /// libyaml's `yaml_emitter_write_double_quoted`: escapes and text; past the 80th column a
  /// lone space becomes the line break (a second space after it is kept by a `\`).
  private mutating func writeDoubleQuoted(_ text: String, split: Bool) {
    writeIndicator("\"", needWhitespace: true)
    let characters = Array(text.unicodeScalars)
    var spaces = false
    for (position, scalar) in characters.enumerated() {
      if Self.needsEscape(scalar) {
        if let escape = Self.escapes[scalar] {
          write("\\" + escape)
        } else if scalar.value <= 0xFF {
          write("\\x" + PythonText.hex(scalar.value, width: 2, uppercase: true))
        } else if scalar.value <= 0xFFFF {
          write("\\u" + PythonText.hex(scalar.value, width: 4, uppercase: true))
        } else {
          write("\\U" + PythonText.hex(scalar.value, width: 8, uppercase: true))
        }
        spaces = false
      } else if scalar == " " {
        if split && !spaces && column > Self.bestWidth && position != 0
          && position != characters.count - 1
        {
          writeIndent()
          if characters[position + 1] == " " { write("\\") }
        } else {
          write(" ")
        }
        spaces = true
      } else {
        write(String(scalar))
        spaces = false
      }
    }
    writeIndicator("\"", needWhitespace: false)
  }
}

/// libyaml's character classes (`yaml_private.h`), by which its emitter chooses a style and
/// escapes: they differ from the YAML spec's, and from ruamel.yaml's pure-Python emitter.
private enum LibYAML {
  /// `IS_BREAK`: CR too, so a key holding a lone CR is multi-line (no simple key).
  static func isBreak(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0A, 0x0D, 0x85, 0x2028, 0x2029: true
    default: false
    }
  }

  /// `IS_PRINTABLE`: LF, printable ASCII, and the Basic Multilingual Plane from U+00A0 but the
  /// surrogates, U+FEFF, U+FFFE and U+FFFF. NEL and everything beyond the plane (an emoji) are
  /// not: only double quotes, with escapes, hold them.
  static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0A, 0x20...0x7E, 0xA0...0xD7FF: true
    case 0xE000...0xFFFD: scalar.value != 0xFEFF
    default: false
    }
  }
}

/// `Emitter.analyze_scalar`: which styles can represent a text.
private struct ScalarAnalysis {
  let text: String
  var empty = false
  var multiline = false
  var allowFlowPlain = true
  var allowBlockPlain = true
  var allowSingleQuoted = true
  var allowDoubleQuoted = true

  init(_ text: String) {
    self.text = text
    let characters = Array(text.unicodeScalars)
    if characters.isEmpty {
      empty = true
      allowFlowPlain = false
      return
    }
    func isSpaceOrBreak(_ scalar: Unicode.Scalar) -> Bool {
      "\0 \t\r\n\u{85}\u{2028}\u{2029}".unicodeScalars.contains(scalar)
    }
    let isBreak = LibYAML.isBreak
    var blockIndicators = false
    var flowIndicators = false
    var lineBreaks = false
    var specialCharacters = false
    var leadingSpace = false
    var leadingBreak = false
    var trailingSpace = false
    var trailingBreak = false
    var breakSpace = false
    var spaceBreak = false
    if text.hasPrefix("---") || text.hasPrefix("...") {
      blockIndicators = true
      flowIndicators = true
    }
    var precededByWhitespace = true
    var followedByWhitespace = characters.count == 1 || isSpaceOrBreak(characters[1])
    var previousSpace = false
    var previousBreak = false
    for (index, scalar) in characters.enumerated() {
      if index == 0 {
        if "#,[]{}&*!|>'\"%@`".unicodeScalars.contains(scalar) {
          flowIndicators = true
          blockIndicators = true
        }
        if scalar == "?" || scalar == ":" {
          if characters.count == 1 { flowIndicators = true }
          if followedByWhitespace { blockIndicators = true }
        }
        if scalar == "-" && followedByWhitespace {
          flowIndicators = true
          blockIndicators = true
        }
      } else {
        if ",[]{}".unicodeScalars.contains(scalar) { flowIndicators = true }
        if scalar == ":" && followedByWhitespace {
          flowIndicators = true
          blockIndicators = true
        }
        if scalar == "#" && precededByWhitespace {
          flowIndicators = true
          blockIndicators = true
        }
      }
      if isBreak(scalar) { lineBreaks = true }
      if !LibYAML.isPrintable(scalar) { specialCharacters = true }
      if scalar == " " {
        if index == 0 { leadingSpace = true }
        if index == characters.count - 1 { trailingSpace = true }
        if previousBreak { breakSpace = true }
        previousSpace = true
        previousBreak = false
      } else if isBreak(scalar) {
        if index == 0 { leadingBreak = true }
        if index == characters.count - 1 { trailingBreak = true }
        if previousSpace { spaceBreak = true }
        previousSpace = false
        previousBreak = true
      } else {
        previousSpace = false
        previousBreak = false
      }
      precededByWhitespace = isSpaceOrBreak(scalar)
      followedByWhitespace = index + 2 >= characters.count || isSpaceOrBreak(characters[index + 2])
    }
    if leadingSpace || leadingBreak || trailingSpace || trailingBreak {
      allowFlowPlain = false
      allowBlockPlain = false
    }
    if breakSpace {
      allowFlowPlain = false
      allowBlockPlain = false
      allowSingleQuoted = false
    }
    if specialCharacters || spaceBreak {
      allowFlowPlain = false
      allowBlockPlain = false
      allowSingleQuoted = false
    }
    if lineBreaks {
      allowFlowPlain = false
      allowBlockPlain = false
    }
    if flowIndicators { allowFlowPlain = false }
    if blockIndicators { allowBlockPlain = false }
    multiline = lineBreaks
  }
}

/// The YAML 1.2 implicit resolvers of ruamel.yaml: a string may be written plain only when it
/// would read back as a string, not as a boolean, number, null, timestamp, merge key or value key.
enum YAMLResolver {
  static func resolvesToString(_ text: String) -> Bool {
    if text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL" {
      return false
    }
    if ["true", "True", "TRUE", "false", "False", "FALSE", "<<", "="].contains(text) {
      return false
    }
    if text.wholeMatch(of: floatPattern) != nil { return false }
    // ruamel.yaml tries a pattern only on the first characters it is registered for: the
    // integer one on `-+0123456789`, so `_1` is a string.
    if let first = text.first, "-+0123456789".contains(first),
      text.wholeMatch(of: integerPattern) != nil
    {
      return false
    }
    if text.wholeMatch(of: timestampPattern) != nil { return false }
    return true
  }

  nonisolated(unsafe) private static let floatPattern =
    #/[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)/#
  nonisolated(unsafe) private static let integerPattern =
    #/[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+/#
  nonisolated(unsafe) private static let timestampPattern =
    #/[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?/#
}
