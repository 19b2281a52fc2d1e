import Testing

@testable import CinchTemplate

/// YAML aliases and merge keys: CloudFormation rejects both, `aws cloudformation package` and
/// SAM expand them first; cinch expands them as those tools do and says so.
@Suite struct MergeKeyTests {
  private func parse(_ text: String) -> (Node?, Diagnostics) {
    var diagnostics = Diagnostics()
    let root = YAMLParser.parse(SourceFile(path: "t.yaml", text: text), into: &diagnostics)
    return (root, diagnostics)
  }

  private func names(_ node: Node?) -> [String] { node?.mapping?.map(\.name) ?? [] }

  @Test func theMappingNamesItsOwnKeysFirstThenTheFirstMergedMappingWins() throws {
    let (root, diagnostics) = parse(
      """
      a: &a {X: from-a, Y: from-a}
      b: &b {Y: from-b, Z: from-b}
      m:
        <<: [*a, *b]
        X: own
      """)
    let merged = try #require(root?["m"])
    #expect(names(merged) == ["Y", "Z", "X"])
    #expect(merged["X"]?.scalar == "own")
    #expect(merged["Y"]?.scalar == "from-a")
    #expect(merged["Z"]?.scalar == "from-b")
    #expect(diagnostics.items.map(\.code) == [.yamlAlias, .mergeKey])
    #expect(diagnostics.items.first?.message.hasPrefix("alias '*a' (and 1 more): ") == true)
    #expect(!diagnostics.hasErrors)
  }

  /// A block collection ends where its last child's text does: an alias's own, not where the
  /// node it copies stands (before it, at the anchor), so a resource whose last value is an
  /// alias still spans its lines (and its `Metadata` suppressions cover them).
  @Test func aCollectionEndingInAnAliasEndsAtTheAlias() throws {
    let (root, _) = parse("X: &x {a: 1}\nR:\n  Y: *x\nS:\n  - *x\nM:\n  <<: *x\n")
    for (key, line, column) in [("R", 3, 8), ("S", 5, 7), ("M", 7, 9)] {
      let node = try #require(root?[key])
      #expect(node.range.end.line == line && node.range.end.column == column, "\(key)")
    }
    #expect(root?.range.end.line == 7)
  }

  @Test func aMergedEntryKeepsTheLocationOfItsText() throws {
    let (root, _) = parse("a: &a\n  Key: value\nm:\n  <<: *a\n")
    let value = try #require(root?["m"]?["Key"])
    #expect(value.range.start.line == 2)
    #expect(value.range.start.column == 8)
  }

  @Test func anInlineMappingMergesWithoutAnAlias() {
    let (root, diagnostics) = parse("m:\n  <<: {A: '1'}\n  B: '2'\n")
    #expect(names(root?["m"]) == ["A", "B"])
    #expect(diagnostics.items.map(\.code) == [.mergeKey])
  }

  @Test(arguments: ["'<<': text", "\"<<\": text", "!!str <<: text", "! <<: text"])
  func aQuotedOrTaggedKeyIsNoMergeKey(_ line: String) {
    let (root, diagnostics) = parse("m:\n  \(line)\n")
    #expect(names(root?["m"]) == ["<<"])
    #expect(root?["m"]?["<<"]?.scalar == "text")
    #expect(diagnostics.items.isEmpty)
  }

  @Test func aMergeOfAScalarIsAnError() {
    let (root, diagnostics) = parse("m:\n  <<: text\n")
    #expect(root == nil)
    #expect(diagnostics.items.map(\.code) == [.invalidMerge])
    #expect(diagnostics.items.last?.range?.start.column == 7)
  }

  @Test func anAliasIsExpandedAndWarnedAboutWhereItStands() {
    let (root, diagnostics) = parse("a: &x text\nb: *x\n")
    #expect(root?["b"]?.scalar == "text")
    let warning = diagnostics.items.first
    #expect(warning?.code == .yamlAlias)
    #expect(warning?.severity == .warning)
    #expect(warning?.range?.start.line == 2)
    #expect(warning?.range?.start.column == 4)
  }
}
