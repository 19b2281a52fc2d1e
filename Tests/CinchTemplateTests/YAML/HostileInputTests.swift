import Testing

@testable import CinchTemplate

/// Inputs built to hurt a parser: each must end quickly with a located diagnostic, never a crash,
/// a hang or unbounded memory. The inputs are generated here, not committed.
@Suite struct HostileInputTests {
  private func parse(_ text: String, limits: ParseLimits = .default) -> (Node?, Diagnostics) {
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(
      SourceFile(path: "hostile.yaml", text: text), limits: limits, into: &diagnostics)
    return (document.root, diagnostics)
  }

  @Test func billionLaughsStopsAtTheAliasBudget() {
    var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in 1...9 {
      let previous = "*a\(level - 1)"
      let items = Array(repeating: previous, count: 9).joined(separator: ", ")
      text += "a\(level): &a\(level) [\(items)]\n"
    }
    #expect(text.utf8.count < 1024)
    let (root, diagnostics) = parse(text)
    #expect(root == nil)
    #expect(diagnostics.items.map(\.code) == [.aliasExpansionLimit])
    #expect((diagnostics.items.first?.range?.start.line ?? 0) >= 3)
  }

  /// A billion laughs in bytes: one long string aliased thousands of times adds few nodes but
  /// gigabytes of text every later stage would scan. Aliases may copy no more text than a file
  /// may hold.
  @Test func aLongStringAliasedManyTimesStopsAtTheFileSizeBudget() {
    let long = String(repeating: "x", count: 100_000)
    let aliases = Array(repeating: "*b", count: 200).joined(separator: ",")
    let text = "B: &b \"\(long)\"\nR: [\(aliases)]\n"
    let limits = ParseLimits(maxFileSize: 2 << 20)
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(
      SourceFile(path: "t.yaml", text: text), limits: limits, into: &diagnostics)
    #expect(document.root == nil)
    #expect(diagnostics.items.map(\.code) == [.aliasExpansionLimit])
    #expect(diagnostics.items.first?.message.contains("more than 2097152 bytes of text") == true)
    // Under the budget, the same aliases parse.
    var fewer = Diagnostics()
    let within = TemplateParser.parse(
      SourceFile(path: "t.yaml", text: "B: &b \"\(long)\"\nR: [*b, *b, *b]\n"), limits: limits,
      into: &fewer)
    #expect(within.root != nil)
    #expect(!fewer.items.contains { $0.code == .aliasExpansionLimit })
  }

  @Test func deepFlowNestingIsRejectedAtTheDepthLimit() {
    let depth = 100_000
    let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    let (root, diagnostics) = parse(text + "\n")
    #expect(root == nil)
    #expect(diagnostics.items.map(\.code) == [.nestingTooDeep])
    #expect(diagnostics.items.first?.range?.start.column == ParseLimits.default.maxDepth + 1)
  }

  /// Aliases nest a tree deeper than its text: each `*a` below copies a collection 200 levels
  /// deep into another 200 levels deep. Every later pass walks the tree recursively, so the
  /// depth limit holds for the expanded tree (it overflowed the stack at ~15,000 levels).
  @Test func aliasesThatNestDeeperThanTheLimitAreRejected() {
    let levels = 200
    var text =
      "a0: &a0 " + String(repeating: "[", count: levels) + "x"
      + String(repeating: "]", count: levels) + "\n"
    for index in 1..<100 {
      text +=
        "a\(index): &a\(index) " + String(repeating: "[", count: levels) + "*a\(index - 1)"
        + String(repeating: "]", count: levels) + "\n"
    }
    let limits = ParseLimits(maxDepth: 1000, maxAliasNodes: 10_000_000)
    let (root, diagnostics) = parse(text, limits: limits)
    #expect(root == nil)
    #expect(diagnostics.items.map(\.code) == [.nestingTooDeep])
    let diagnostic = diagnostics.items.first
    #expect(
      diagnostic?.message
        == "collections nest deeper than 1000 levels once aliases are expanded (at '*a3')",
      "\(diagnostic?.message ?? "")")
    #expect(diagnostic?.range?.start.line == 5)
    // Within the limit, the same aliases parse.
    let firstFour = text.split(separator: "\n").prefix(4).joined(separator: "\n") + "\n"
    let (shallow, fine) = parse(firstFour, limits: limits)
    #expect(shallow != nil)
    #expect(!fine.items.contains { $0.code == .nestingTooDeep })
  }

  @Test func deepBlockNestingIsRejectedAtTheDepthLimit() {
    var text = ""
    for level in 0..<2_000 { text += String(repeating: " ", count: level) + "k:\n" }
    let (root, diagnostics) = parse(text)
    #expect(root == nil)
    #expect(diagnostics.items.map(\.code) == [.nestingTooDeep])
  }

  @Test func deepJSONNestingIsRejectedAtTheDepthLimit() {
    let depth = 100_000
    let text =
      String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
    let (root, diagnostics) = parse(text)
    #expect(root == nil)
    #expect(diagnostics.items.map(\.code) == [.nestingTooDeep])
  }

  @Test func invalidUTF8IsReportedAtItsByteOffset() {
    var bytes = Array("Resources:\n  Db: caf".utf8)
    let offset = bytes.count
    bytes += [0xC3, 0x28]  // a lead byte followed by no continuation byte
    bytes += Array("\n".utf8)
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(
      SourceFile(path: "bad.yaml", bytes: bytes), into: &diagnostics)
    #expect(document.root == nil)
    #expect(diagnostics.items.map(\.code) == [.invalidUTF8])
    #expect(diagnostics.items.first?.range?.start.offset == offset)
    #expect(diagnostics.items.first?.message == "invalid UTF-8 at byte offset \(offset)")
  }

  @Test(
    arguments: [
      [0xED, 0xA0, 0x80],  // a UTF-16 surrogate
      [0xC0, 0xAF],  // an overlong '/'
      [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
      [0xFF],
    ] as [[UInt8]])
  func strictUTF8(_ sequence: [UInt8]) {
    #expect(UTF8Validation.firstInvalidByte(in: Array("ok: ".utf8) + sequence) == 4)
  }

  @Test func truncatedFilesAreLocated() {
    let full = "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties: {Port: [1, 2"
    let (root, diagnostics) = parse(full)
    #expect(root == nil)
    #expect(diagnostics.items.first?.code == .yamlSyntax)
    #expect(diagnostics.items.first?.range?.start.line == 4)
  }

  @Test func tooManyNodes() {
    let text = (0..<1_000).map { "k\($0): v" }.joined(separator: "\n")
    let (root, diagnostics) = parse(text, limits: ParseLimits(maxNodes: 500))
    #expect(root == nil)
    #expect(diagnostics.items.map(\.code) == [.tooManyNodes])
  }

  @Test func scalarTooLong() {
    let text = "k: " + String(repeating: "x", count: 5_000)
    let (root, diagnostics) = parse(text, limits: ParseLimits(maxScalarLength: 4_096))
    #expect(root == nil)
    #expect(diagnostics.items.map(\.code) == [.scalarTooLong])
    #expect(diagnostics.items.first?.range?.start.column == 4)
  }

  @Test func fileTooLarge() {
    let (root, diagnostics) = parse(
      String(repeating: "#", count: 2_000), limits: ParseLimits(maxFileSize: 1_000))
    #expect(root == nil)
    #expect(diagnostics.items.map(\.code) == [.fileTooLarge])
  }

  @Test func undefinedAlias() {
    let (root, diagnostics) = parse("a: *nowhere\n")
    #expect(root == nil)
    #expect(diagnostics.items.map(\.code) == [.undefinedAlias])
  }

  /// Conditions chained through `!Condition` jump between definitions, so the depth budget of
  /// the parser does not bound them: 1,300 in a 37 KB template overflowed the stack. The chain
  /// is cut at `Evaluator.maxConditionDepth` with a located error.
  @Test func aLongChainOfConditionsIsCutNotACrash() {
    var text = "Conditions:\n"
    for index in 0..<1_300 { text += "  C\(index): !Condition C\(index + 1)\n" }
    text += """
        C1300: !Equals [a, a]
      Resources:
        P:
          Type: AWS::SSM::Parameter
          Condition: C0
          Properties: {Type: String, Value: '{{resolve:ssm:/a}}'}

      """
    let (analysis, diagnostics) = analyzed(text)
    #expect(analysis.references.count == 1)
    let cut = diagnostics.items.filter { $0.message.contains("more than 100 deep") }
    #expect(cut.count == 1)
    #expect(cut.first?.range?.start.line == 102)
  }
}
