import CinchTemplate
import Testing

@Suite struct JSONParserTests {
  // MARK: - Helpers shared by the JSON tests

  /// Every position the parser tracked incrementally equals what `SourceFile` computes.
  static func expectPositionsMatchSourceFile(
    _ node: Node, in file: SourceFile, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    var pending = [node]
    while let next = pending.popLast() {
      for position in [next.range.start, next.range.end] {
        let expected = file.position(atByte: position.offset)
        #expect(position == expected, sourceLocation: sourceLocation)
      }
      switch next.value {
      case .scalar: break
      case .sequence(let items): pending.append(contentsOf: items)
      case .mapping(let entries):
        for entry in entries { pending.append(contentsOf: [entry.key, entry.value]) }
      case .intrinsic(let intrinsic): pending.append(intrinsic.argument)
      }
    }
  }

  static func parse(
    _ text: String, limits: ParseLimits = .default
  ) -> (root: Node?, diagnostics: Diagnostics) {
    parse(Array(text.utf8), limits: limits)
  }

  static func parse(
    _ bytes: [UInt8], limits: ParseLimits = .default
  ) -> (root: Node?, diagnostics: Diagnostics) {
    var diagnostics = Diagnostics()
    let root = JSONParser.parse(
      SourceFile(path: "t.json", bytes: bytes), limits: limits, into: &diagnostics)
    return (root, diagnostics)
  }

  // MARK: - Values

  @Test func numbersKeepTheirSourceText() throws {
    let (root, diagnostics) = Self.parse("[1.50, -0, 1E+2, 12345678901234567890.0e-7]")
    #expect(diagnostics.isEmpty)
    let items = try #require(root?.sequence)
    #expect(items.map(\.scalar) == ["1.50", "-0", "1E+2", "12345678901234567890.0e-7"])
    #expect(items.allSatisfy { $0.style == .plain })
  }

  @Test func stringsAreDecodedAndDoubleQuoted() throws {
    let (root, diagnostics) = Self.parse(#"{"k\u00e9y": "a\tb\ud83d\ude00\/"}"#)
    #expect(diagnostics.isEmpty)
    let entry = try #require(root?.mapping?.first)
    #expect(entry.name == "kéy")
    #expect(entry.key.style == .doubleQuoted)
    #expect(entry.value.scalar == "a\tb😀/")
    #expect(entry.value.style == .doubleQuoted)
    // Ranges include the quotes.
    #expect(entry.key.range.bytes == 1..<11)
  }

  @Test func longFormIntrinsicsBecomeIntrinsicNodes() throws {
    let text = #"{"A": {"Ref": "X"}, "B": {"Fn::GetAtt": "Db.Endpoint.Address"}}"#
    let (root, diagnostics) = Self.parse(text)
    #expect(diagnostics.isEmpty)
    let ref = try #require(root?["A"]?.intrinsic)
    #expect(ref.function == .ref)
    #expect(ref.argument.scalar == "X")
    guard case .longForm(let key) = ref.form else {
      Issue.record("expected the long form")
      return
    }
    #expect(key.bytes == 7..<12)
    let getAtt = try #require(root?["B"]?.intrinsic)
    let parts = try #require(getAtt.argument.sequence)
    #expect(parts.map(\.scalar) == ["Db", "Endpoint.Address"])
    let file = SourceFile(path: "t.json", text: text)
    #expect(file.text(parts[0].range) == "Db")
    #expect(file.text(parts[1].range) == "Endpoint.Address")
  }

  @Test func duplicateKeysKeepTheFirstValueAndGoOn() throws {
    let (root, diagnostics) = Self.parse(#"{"a": 1, "b": 2, "a": 3, "c": 4}"#)
    let entries = try #require(root?.mapping)
    #expect(entries.map(\.name) == ["a", "b", "c"])
    #expect(root?["a"]?.scalar == "1")
    #expect(diagnostics.items.map(\.code) == [.duplicateKey])
    let duplicate = try #require(diagnostics.items.first)
    #expect(duplicate.message == "duplicate key 'a'")
    #expect(duplicate.range?.bytes == 17..<20)
    #expect(duplicate.notes.first?.range?.bytes == 1..<4)
  }

  @Test func duplicateKeysInLargeObjectsAreFound() throws {
    // Past a handful of keys the parser switches from a scan to a dictionary.
    var text = "{"
    for index in 0..<5_000 { text += "\"k\(index)\": \(index), " }
    text += "\"k17\": true, \"k4999\": false, \"last\": 0}"
    let (root, diagnostics) = Self.parse(text)
    #expect(root?.mapping?.count == 5_001)
    #expect(root?["k17"]?.scalar == "17")
    #expect(diagnostics.items.map(\.message) == ["duplicate key 'k17'", "duplicate key 'k4999'"])
  }

  @Test func duplicateKeyMessagesEscapeControlCharacters() {
    let (_, diagnostics) = Self.parse(#"{"a\nb": 1, "a\nb": 2}"#)
    #expect(diagnostics.items.map(\.message) == [#"duplicate key 'a\u{a}b'"#])
  }

  @Test func aLeadingByteOrderMarkIsSkippedAndIsNoColumn() throws {
    let (root, diagnostics) = Self.parse([0xEF, 0xBB, 0xBF] + Array("[1, \"é\", 2]".utf8))
    #expect(diagnostics.isEmpty)
    let node = try #require(root)
    #expect(node.range.start.offset == 3)
    #expect(node.range.start.column == 1)
    #expect(node.sequence?.map(\.range.start.column) == [2, 5, 10])
  }

  @Test func columnsCountUnicodeScalars() throws {
    let text = "{\"é😀\": \"日本\", \"x\": 1}"
    let (root, _) = Self.parse(text)
    let entries = try #require(root?.mapping)
    #expect(entries[0].key.range.start.column == 2)
    #expect(entries[0].key.range.end.column == 6)
    #expect(entries[0].value.range.start.column == 8)
    #expect(entries[1].value.range.start.column == 19)
    #expect(entries[1].value.range.start.offset == 26)
  }

  @Test func unknownIntrinsicIsReportedButTheTreeIsKept() throws {
    let (root, diagnostics) = Self.parse(#"{"Fn::Nope": 1}"#)
    #expect(root?.mapping?.count == 1)
    #expect(diagnostics.items.map(\.code) == [.unknownIntrinsic])
  }

  @Test func syntaxErrorsReturnNilWithOneDiagnostic() {
    for text in ["", "{", "[1,]", "{\"a\" 1}", "\"\\x\"", "01", "[1] 2", "{\"a\":1,}"] {
      let (root, diagnostics) = Self.parse(text)
      #expect(root == nil, "\(text)")
      #expect(diagnostics.items.map(\.code) == [.jsonSyntax], "\(text)")
    }
  }

  // MARK: - Hostile input

  @Test func deepNestingStopsAtTheLimitWithoutRecursion() throws {
    let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
    let (root, diagnostics) = Self.parse(bytes)
    #expect(root == nil)
    let diagnostic = try #require(diagnostics.items.first)
    #expect(diagnostics.count == 1)
    #expect(diagnostic.code == .nestingTooDeep)
    #expect(diagnostic.range?.bytes == 256..<257)
    #expect(diagnostic.message == "collections nest deeper than 256 levels")
    #expect(ParseLimits(maxDepth: 1).tooDeep == "collections nest deeper than 1 level")
  }

  @Test func deepObjectNestingStopsAtTheLimit() throws {
    let bytes = Array(String(repeating: #"{"a":"#, count: 100_000).utf8)
    let (root, diagnostics) = Self.parse(bytes, limits: ParseLimits(maxDepth: 1_000))
    #expect(root == nil)
    #expect(diagnostics.items.map(\.code) == [.nestingTooDeep])
    #expect(diagnostics.items.first?.range?.start.offset == 1_000 * 5)
  }

  @Test func deepNestingUnderARaisedLimitNeedsNoCallStack() throws {
    // 100,000 open arrays held at once: only an explicit stack survives this.
    let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
    let (root, diagnostics) = Self.parse(bytes, limits: ParseLimits(maxDepth: 1_000_000))
    #expect(root == nil)
    let diagnostic = try #require(diagnostics.items.first)
    #expect(diagnostic.message == "unexpected end of file")
    #expect(diagnostic.range?.bytes == 100_000..<100_000)
    #expect(diagnostic.notes.first?.range?.bytes == 99_999..<100_000)
  }

  @Test func nodeCountLimitStopsAtTheNodeOverIt() throws {
    var text = "["
    for _ in 0..<100_000 { text += "0," }
    text += "0]"
    let (root, diagnostics) = Self.parse(text, limits: ParseLimits(maxNodes: 1_000))
    #expect(root == nil)
    let diagnostic = try #require(diagnostics.items.first)
    #expect(diagnostics.count == 1)
    #expect(diagnostic.code == .tooManyNodes)
    // The array is node 1, so element 999 (at 1 + 2 × 999) is node 1,001.
    #expect(diagnostic.range?.bytes == 1_999..<2_000)
  }

  @Test func keysCountAsNodes() {
    let (root, diagnostics) = Self.parse(#"{"a": 1}"#, limits: ParseLimits(maxNodes: 2))
    #expect(root == nil)
    #expect(diagnostics.items.map(\.code) == [.tooManyNodes])
    #expect(diagnostics.items.first?.range?.bytes == 6..<7)
    #expect(Self.parse(#"{"a": 1}"#, limits: ParseLimits(maxNodes: 3)).root != nil)
  }

  @Test func longStringsStopAtTheScalarLimit() throws {
    let body = String(repeating: "x", count: 100_000)
    let text = "{\"k\": \"\(body)\"}"
    let (root, diagnostics) = Self.parse(text, limits: ParseLimits(maxScalarLength: 1_000))
    #expect(root == nil)
    let diagnostic = try #require(diagnostics.items.first)
    #expect(diagnostic.code == .scalarTooLong)
    #expect(diagnostic.range?.bytes == 6..<(6 + 100_002))
    #expect(diagnostic.message == "string is 100000 bytes, over the limit of 1000")
  }

  @Test func theScalarLimitCountsDecodedBytes() {
    // 300 escapes of six bytes each decode to 300 bytes.
    let escaped = "[\"" + String(repeating: #"\u0041"#, count: 300) + "\"]"
    let limits = ParseLimits(maxScalarLength: 300)
    #expect(Self.parse(escaped, limits: limits).root?.sequence?.first?.scalar?.utf8.count == 300)
    let over = "[\"" + String(repeating: #"\u0041"#, count: 301) + "\"]"
    #expect(Self.parse(over, limits: limits).diagnostics.items.map(\.code) == [.scalarTooLong])
  }

  @Test func longNumbersStopAtTheScalarLimit() {
    let text = "[" + String(repeating: "9", count: 5_000) + "]"
    let (root, diagnostics) = Self.parse(text, limits: ParseLimits(maxScalarLength: 64))
    #expect(root == nil)
    #expect(diagnostics.items.map(\.code) == [.scalarTooLong])
    #expect(diagnostics.items.first?.range?.bytes == 1..<5_001)
  }

  @Test func bytesThatAreNotUTF8DoNotTrap() {
    // TemplateParser validates first; a direct caller that skipped it still gets no crash.
    let (root, diagnostics) = Self.parse([0x5B, 0x22, 0xFF, 0xC3, 0x22, 0x2C, 0xFE, 0x5D])
    #expect(root == nil)
    #expect(diagnostics.items.map(\.message) == ["expected a value, found byte 0xFE"])
  }
}
