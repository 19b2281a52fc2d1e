import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchTemplate

@Suite struct YAMLScalarSourceMapTests {
  /// Parses marked YAML and maps the span of the first reference found in the value at `key`;
  /// the markers 1️⃣ 2️⃣ in the source say where it must land.
  private func mappedSpan(_ marked: MarkedText, key: String) throws -> (Range<Int>, Range<Int>) {
    let file = SourceFile(path: "t.yaml", text: marked.text)
    var diagnostics = Diagnostics()
    let root = try #require(YAMLParser.parse(file, into: &diagnostics))
    var node = try #require(root[key])
    if case .intrinsic(let intrinsic) = node.value { node = intrinsic.argument }
    let value = try #require(node.scalar)
    let map = try #require(YAMLScalarSourceMap(file: file, node: node))
    let scan = ReferenceScanner.scan(value, mode: .sub)
    let span = try #require(scan.references.first?.span)
    return (map.sourceRange(ofValueBytes: span), marked.span(1, 2))
  }

  @Test(arguments: [
    "k: word 1️⃣{{resolve:ssm:/a}}2️⃣ word\n",
    "k: first\n  second\n\n  1️⃣{{resolve:ssm:/a}}2️⃣ x\n",
    "k: 'it''s 1️⃣{{resolve:ssm:/a}}2️⃣'\n",
    "k: 'one\n   two 1️⃣{{resolve:ssm:/a}}2️⃣'\n",
    "k: \"\\t\\u00e9\\x41\\\"\\\\ 1️⃣{{resolve:ssm:/a}}2️⃣\"\n",
    "k: \"a \\\n   1️⃣{{resolve:ssm:/a}}2️⃣\"\n",
    "k: |\n  line\n    more 1️⃣{{resolve:ssm:/a}}2️⃣\n",
    "k: >+\n  a\n  b\n\n   c 1️⃣{{resolve:ssm:/a}}2️⃣\n\n",
    "k: !Sub |\n  echo ${AWS::Region} 1️⃣{{resolve:ssm:/${Env}/a}}2️⃣\n",
    "- k: |2\n     x 1️⃣{{resolve:ssm:/a}}2️⃣\n",
    // NEL, LS and PS are line breaks to libyaml (YAML 1.1): NEL folds like a line feed, LS
    // and PS are kept, and blanks around any of them go.
    "k: \"a\u{85}b 1️⃣{{resolve:ssm:/a}}2️⃣\"\n",
    "k: 'a \u{85}  b 1️⃣{{resolve:ssm:/a}}2️⃣'\n",
    "k: \"a\u{85}\u{85}\n  b 1️⃣{{resolve:ssm:/a}}2️⃣\"\n",
    "k: a\u{85}  b 1️⃣{{resolve:ssm:/a}}2️⃣\n",
    "k: \"a\u{2028}b 1️⃣{{resolve:ssm:/a}}2️⃣\"\n",
    "k: \"a \u{2029} b\u{85}c 1️⃣{{resolve:ssm:/a}}2️⃣\"\n",
    "k: \"a\u{85}\u{2028}b 1️⃣{{resolve:ssm:/a}}2️⃣\"\n",
  ])
  func mapsToTheMarkedBytes(_ source: String) throws {
    let marked = MarkedText(source)
    if marked.text.hasPrefix("- ") {
      // A block scalar in a sequence item: the parent indentation comes from the `- `.
      let file = SourceFile(path: "t.yaml", text: marked.text)
      var diagnostics = Diagnostics()
      let root = try #require(YAMLParser.parse(file, into: &diagnostics))
      let node = try #require(root.sequence?.first?["k"])
      let map = try #require(YAMLScalarSourceMap(file: file, node: node))
      let span = try #require(ReferenceScanner.scan(node.scalar ?? "").references.first?.span)
      #expect(map.sourceRange(ofValueBytes: span) == marked.span(1, 2))
      return
    }
    let (mapped, expected) = try mappedSpan(marked, key: "k")
    #expect(mapped == expected)
  }

  @Test func verbatimScalarsMapByOffset() throws {
    let marked = MarkedText("k: \"1️⃣{{resolve:ssm:/a}}2️⃣\"\n")
    let (mapped, expected) = try mappedSpan(marked, key: "k")
    #expect(mapped == expected)
  }

  @Test func aScalarWhoseSourceDisagreesHasNoMap() {
    let bytes = Array("k: 'abc'\n".utf8)
    #expect(YAMLScalarSourceMap(bytes: bytes, start: 3, style: .singleQuoted, value: "abd") == nil)
    #expect(YAMLScalarSourceMap(bytes: bytes, start: 3, style: .doubleQuoted, value: "abc") == nil)
    #expect(YAMLScalarSourceMap(bytes: bytes, start: 99, style: .plain, value: "abc") == nil)
  }

  @Test func escapesMapWhole() throws {
    let bytes = Array(#"k: "\u00e9x""#.utf8)
    let map = try #require(
      YAMLScalarSourceMap(bytes: bytes, start: 3, style: .doubleQuoted, value: "éx"))
    // Both bytes of `é` come from the six bytes of `\u00e9`.
    #expect(map.sourceRange(ofValueBytes: 0..<2) == 4..<10)
    #expect(map.sourceRange(ofValueBytes: 1..<2) == 4..<10)
    #expect(map.sourceRange(ofValueBytes: 2..<3) == 10..<11)
    #expect(map.sourceOffset(ofValueOffset: 3) == 11)
  }

  /// Random documents holding generated references in every scalar style, at several
  /// indentations: each site's range is exactly the reference text in the file.
  @Test func everyStyleMapsReferencesToTheirBytes() {
    var styles = Set<NodeStyle>()
    let seed: (UInt64, UInt64, UInt64, UInt64) = (7, 0x9E37_79B9_7F4A_7C15, 3, 4)
    seededCheck(RandomYAMLDocument.generator, count: 400, seed: seed) { document in
      styles.formUnion(document.styles)
      let file = SourceFile(path: "t.yaml", text: document.source)
      var diagnostics = Diagnostics()
      let parsed = TemplateParser.parse(file, into: &diagnostics)
      let sites = ReferenceFinder.find(in: parsed, into: &diagnostics)
      #expect(diagnostics.isEmpty, "\(document.source)")
      #expect(sites.map(\.reference.text) == document.references, "\(document.source)")
      for site in sites {
        #expect(file.text(site.range) == site.reference.text, "\(document.source)")
      }
    }
    #expect(styles == [.plain, .singleQuoted, .doubleQuoted, .literal, .folded])
  }
}

/// A YAML document whose values hold known references, written in a random scalar style with
/// the style's own escapes and folds around (never inside) the references.
struct RandomYAMLDocument {
  static let generator = Generator<RandomYAMLDocument, Shrink.None<RandomYAMLDocument>>(run: {
    rng in make(using: &rng)
  })

  var source = ""
  var references: [String] = []
  var styles: [NodeStyle] = []

  static func make(using rng: inout any SeededRandomNumberGenerator) -> RandomYAMLDocument {
    var document = RandomYAMLDocument()
    for index in 0..<Int.random(in: 1...4, using: &rng) {
      let nested = Int.random(in: 0..<3, using: &rng)
      let style =
        [NodeStyle.plain, .singleQuoted, .doubleQuoted, .literal, .folded]
        .randomElement(using: &rng) ?? .plain
      // The key's column, and the text before the key on its line.
      let (column, lead): (Int, String)
      switch nested {
      case 0: (column, lead) = (0, "")
      case 1: (column, lead) = (2, "n\(index):\n  ")
      default: (column, lead) = (2, "s\(index):\n- ")
      }
      var pieces: [String] = []
      var refs: [String] = []
      for _ in 0..<Int.random(in: 1...5, using: &rng) {
        if Int.random(in: 0..<3, using: &rng) == 0 {
          let text = GeneratedReference.make(using: &rng).reference.text
          pieces.append(text)
          refs.append(text)
        } else {
          pieces.append(word(style, using: &rng))
        }
      }
      if refs.isEmpty {
        let text = GeneratedReference.make(using: &rng).reference.text
        pieces.append(text)
        refs.append(text)
      }
      if style == .plain, pieces[0].hasPrefix("{") || pieces[0].hasPrefix("<") {
        pieces.insert("w", at: 0)
      }
      document.source +=
        lead + "k\(index): " + render(pieces, style, column: column, using: &rng) + "\n"
      document.references += refs
      document.styles.append(style)
    }
    return document
  }

  static func word(_ style: NodeStyle, using rng: inout any SeededRandomNumberGenerator) -> String {
    var words = ["alpha", "béta", "x1", "🙂", "a-b"]
    switch style {
    case .singleQuoted: words += ["it''s", "''"]
    case .doubleQuoted:
      words += ["\\t", "\\u00e9", "\\\"q\\\"", "\\\\", "\\x41", "\\U0001F642", "\\/"]
    default: break
    }
    return words.randomElement(using: &rng) ?? "w"
  }

  static func render(
    _ pieces: [String], _ style: NodeStyle, column: Int,
    using rng: inout any SeededRandomNumberGenerator
  ) -> String {
    let indent = String(repeating: " ", count: column + 2)
    func separator() -> String {
      switch Int.random(in: 0..<6, using: &rng) {
      case 0: return "\n" + indent
      case 1: return "\n\n" + indent
      case 2 where style == .doubleQuoted: return " \\\n" + indent
      default: return " "
      }
    }
    switch style {
    case .plain, .singleQuoted, .doubleQuoted:
      var body = pieces[0]
      for piece in pieces.dropFirst() { body += separator() + piece }
      let quote = style == .plain ? "" : style == .singleQuoted ? "'" : "\""
      return quote + body + quote
    default:
      let explicit = Bool.random(using: &rng)
      let chomp = ["", "-", "+"].randomElement(using: &rng) ?? ""
      var header = style == .literal ? "|" : ">"
      header += explicit ? "2" + chomp : chomp
      var lines: [String] = []
      var line = ""
      for piece in pieces {
        line += (line.isEmpty ? "" : " ") + piece
        if Bool.random(using: &rng) {
          lines.append(line)
          line = ""
        }
      }
      if !line.isEmpty { lines.append(line) }
      var body = header
      for (position, text) in lines.enumerated() {
        if position > 0, Int.random(in: 0..<4, using: &rng) == 0 { body += "\n" }
        let extra = position > 0 && Int.random(in: 0..<4, using: &rng) == 0 ? "  " : ""
        body += "\n" + indent + extra + text
      }
      return body
    }
  }
}
