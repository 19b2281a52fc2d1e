import PropertyBased

/// Small documents holding references in every place YAML and JSON can put a string: plain,
/// single- and double-quoted, literal and folded scalars, in block and flow collections,
/// alone or with text around them, inside `Fn::Sub`, with LF, CRLF or bare CR line endings; and
/// arbitrary values and pins to render them with.
struct RenderCase: CustomStringConvertible {
  var text: String
  var context: Context
  var isCloudFormation: Bool
  /// Inline values (nil: pin mode).
  var values: [String]?
  var pins: [Int]

  var description: String {
    "\(context) cfn=\(isCloudFormation) values=\(values.map { $0.map(\.debugDescription) } ?? [])\n\(text)"
  }

  enum Context: String, CaseIterable {
    case plainBlock, plainFlowSequence, plainFlowMapping, plainSequenceEntry, plainNested
    case plainMultiline, plainCommented, plainAliased
    case single, singleFlow, singleMultiline, singleSequenceEntry, singleAliased
    case double, doubleFlow, doubleMultiline
    case literal, literalStrip, literalKeep, literalIndicator, literalSequence, literalAlone
    case folded, foldedStrip
    case subSingle, subDouble, subLiteral, subFlow
    case json, jsonSub
    case joinFlow, joinBlock

    var isSub: Bool { rawValue.hasPrefix("sub") || self == .jsonSub }
    var isJoin: Bool { rawValue.hasPrefix("join") }
    var isJSON: Bool { self == .json || self == .jsonSub }
    var isPlain: Bool { rawValue.hasPrefix("plain") }
    var isFlow: Bool {
      [.plainFlowSequence, .plainFlowMapping, .singleFlow, .doubleFlow, .subFlow].contains(self)
    }
  }

  /// Pieces of values that need every kind of care.
  static let valueFragments: [String] = [
    "", "a", "plain", "x y", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\r", ": ", ":", "#", " #",
    "'", "''", "\"", "\\", "\\n", "{{", "}}", "{", "}", "[", "]", ",", "---", "...", "- ", "? ",
    "true", "1e3", "~", "null", "0x1F", "012", "1_000", "2024-01-02", ".inf", "yes", "é", "日本",
    "😀", "\u{85}", "\u{2028}", "\u{FEFF}", "\u{7}", "\u{0}", "\u{1B}", "\u{7F}", "\u{9F}",
    "${x}", "${", "$", "}x", "%", "@", "&a", "*a", "!t", "|", ">", "`",
    "-----BEGIN KEY-----\nQUJD\n-----END KEY-----\n", "  indented\n", "line\n  more\n",
  ]

  static let references = [
    "{{resolve:ssm:/app/db-host}}", "{{resolve:ssm-secure:/app/pw:3}}",
    "{{resolve:secretsmanager:prod/db:SecretString:password}}",
    "{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/x:SecretString:k:AWSPREVIOUS}}",
    "{{resolve:secretsmanager:app/s}}", "<<resolve:ssm:/app/angle>>",
    "<<resolve:secretsmanager:app/s:SecretString:k>>",
  ]
  static let subReferences = [
    "{{resolve:ssm:/app/${Env}/db}}", "{{resolve:secretsmanager:${Env}-db:SecretString:pw}}",
    "{{resolve:ssm-secure:/app/pw:2}}",
  ]
  static let angleReferences = references.filter { $0.hasPrefix("<<") }

  /// Text safe around a reference in a plain scalar (block context).
  static let plainAround = ["", "", "x ", "pre-", "é ", "a=b "]
  static let plainAfter = ["", "", " y", "-post", " é", "/tail"]
  /// Printable text for quoted and block scalars.
  static let quotedAround = [
    "", "", "it's ", "say \"hi\" ", "a: b ", "# not a comment ", "tab\tin ", "é😀 ", "\\ ", "{x} ",
  ]

  static let generator = Generator<RenderCase, Shrink.None<RenderCase>>(run: { rng in
    func pick<T>(_ choices: [T]) -> T { choices[Int.random(in: 0..<choices.count, using: &rng)] }
    let context = pick(Context.allCases)
    let lineBreak = context.isJSON ? "\n" : pick(["\n", "\n", "\n", "\r\n", "\r"])
    func reference() -> String {
      if context.isSub { return pick(subReferences + references.filter { $0.hasPrefix("{{") }) }
      if context.isPlain, context.isFlow { return pick(angleReferences) }
      return pick(references)
    }
    var count = 1
    var first = reference()
    var before: String
    var after: String
    if context.isPlain {
      before = pick(plainAround)
      after = pick(plainAfter)
      if before.isEmpty, first.hasPrefix("{{") { first = pick(angleReferences) }
    } else {
      before = pick(quotedAround)
      after = pick(quotedAround)
      if context.isSub, Bool.random(using: &rng) { before += "${Env} " }
    }
    if context.isJoin {
      // A reference assembled from a literal piece, a `!Ref`, and literal pieces holding `}}`.
      let shapes: [[String]] = [
        ["{{resolve:secretsmanager:", ":SecretString:pw}}"],
        ["{{resolve:ssm:/app/", "}}"],
        ["{{resolve:secretsmanager:", ":SecretString:", "pw}}"],
        ["<<resolve:ssm:/x/", "", ">>"],
      ]
      let shape = pick(shapes)
      var pieces = [before + shape[0], "!Ref Name"] + shape.dropFirst()
      pieces[pieces.count - 1] += after
      let text = document(context, pieces.joined(separator: "\u{0}"))
      return RenderCase(
        text: text, context: context, isCloudFormation: Bool.random(using: &rng),
        values: Bool.random(using: &rng)
          ? [(0..<Int.random(in: 0...5, using: &rng)).map { _ in pick(valueFragments) }.joined()]
          : nil,
        pins: [Int.random(in: 1...250, using: &rng)])
    }
    var content = before + first + after
    if !context.isFlow || !context.isPlain, Int.random(in: 0..<4, using: &rng) == 0 {
      content += " and " + reference()
      count = 2
    }
    let text = document(context, content)
    var values: [String]?
    if Bool.random(using: &rng) {
      values = (0..<count).map { _ in
        (0..<Int.random(in: 0...5, using: &rng)).map { _ in pick(valueFragments) }.joined()
      }
    }
    let pins = (0..<count).map { _ in Int.random(in: 1...250, using: &rng) }
    return RenderCase(
      text: text.replacingAll("\n", with: lineBreak), context: context,
      isCloudFormation: Bool.random(using: &rng), values: values, pins: pins)
  })

  /// A document with `content` (decoded text) written in the context's style.
  static func document(_ context: Context, _ content: String) -> String {
    let single = "'" + content.replacingAll("'", with: "''") + "'"
    let double = "\"" + doubleQuoted(content) + "\""
    switch context {
    case .plainBlock: return "a: 1\nk: \(content)\nz: 2\n"
    case .plainFlowSequence: return "k: [one, \(content), two]\n"
    case .plainFlowMapping: return "k: {a: \(content), b: c}\n"
    case .plainSequenceEntry: return "- \(content)\n- other\n"
    case .plainNested: return "top:\n  - name: n\n    value: \(content)\n    after: x\n"
    case .plainMultiline: return "k: first line\n  \(content)\n  last line\nz: 2\n"
    case .plainCommented: return "k: \(content)  # note\nz: 2\n"
    case .plainAliased: return "k: &shared \(content)\nl: [*shared]\nm: *shared\n"
    case .single: return "k: \(single)\n"
    case .singleFlow: return "k: [\(single), {a: \(single)}]\n"
    case .singleMultiline: return "k: 'first\n  \(single.dropFirst().dropLast())\n  last'\n"
    case .singleSequenceEntry: return "list:\n- \(single)\n- x\n"
    case .singleAliased: return "k: [&shared \(single)]\nm: *shared\n"
    case .double: return "k: \(double)   \n"
    case .doubleFlow: return "k: {a: \(double), b: [\(double)]}\n"
    case .doubleMultiline: return "k: \"first\n  \(double.dropFirst().dropLast()) \\\n  last\"\n"
    case .literal: return "k: |\n  first\n  \(content)\n  last\nz: 2\n"
    case .literalStrip: return "k: |-\n  \(content)\n  last\nz: 2\n"
    case .literalKeep: return "k: |+\n  first\n  \(content)\n\nz: 2\n"
    case .literalIndicator: return "k: |2\n    indented first\n  \(content)\nz: 2\n"
    case .literalSequence: return "- |\n  \(content)\n- x\n"
    case .literalAlone: return "outer:\n  k: |\n    \(content)\n"
    case .folded: return "k: >\n  first\n  \(content)\n  last\n\n  para\nz: 2\n"
    case .foldedStrip: return "k: >-\n  \(content)\nz: 2\n"
    case .subSingle: return "Resources: {}\nk: !Sub \(single)\n"
    case .subDouble: return "k: !Sub [\(double), {Other: x}]\n"
    case .subLiteral: return "k: !Sub |\n  echo ${AWS::Region}\n  \(content)\n"
    case .subFlow: return "k: {\"Fn::Sub\": \(double)}\n"
    case .json:
      return "{\"a\": \"\(jsonEscaped(content))\", \"n\": [1, \"\(jsonEscaped(content))\"]}"
    case .jsonSub: return "{\"k\" : {\"Fn::Sub\":\"\(jsonEscaped(content))\"} }\n"
    case .joinFlow, .joinBlock:
      // `content` holds the pieces separated by NUL; `!Ref Name` stays unquoted.
      let pieces = content.split(separator: "\u{0}", omittingEmptySubsequences: false).map {
        $0 == "!Ref Name" ? String($0) : "'" + String($0).replacingAll("'", with: "''") + "'"
      }
      if context == .joinFlow {
        return "k: !Join ['', [\(pieces.joined(separator: ", "))]]\n"
      }
      return "k:\n  Fn::Join:\n    - ''\n" + "    - - " + pieces.joined(separator: "\n      - ")
        + "\nz: 1\n"
    }
  }

  static func doubleQuoted(_ text: String) -> String {
    var output = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\t": output += "\\t"
      default: output.unicodeScalars.append(scalar)
      }
    }
    return output
  }

  static func jsonEscaped(_ text: String) -> String {
    var output = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\t": output += "\\t"
      case "/": output += "\\/"
      default: output.unicodeScalars.append(scalar)
      }
    }
    return output
  }
}

extension String {
  func replacingAll(_ target: String, with replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
