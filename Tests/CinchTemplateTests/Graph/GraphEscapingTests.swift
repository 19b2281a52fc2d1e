import Testing

@testable import CinchTemplate

/// The graph renderers escape what their formats read as syntax, and copy everything else as
/// it is (names without such characters take a fast path that must agree with the slow one).
@Suite struct GraphEscapingTests {
  @Test func dotQuotesQuotesBackslashesAndNewlines() {
    #expect(GraphDOTRenderer.quoted("resource:Db") == #""resource:Db""#)
    #expect(GraphDOTRenderer.quoted("store:ssm:/a/é/☃") == #""store:ssm:/a/é/☃""#)
    #expect(
      GraphDOTRenderer.quoted("say \"hi\"\\now\nthen\r") == #""say \"hi\"\\now\nthen\U+000D""#)
    // A combining mark after a quote makes one Character, but Graphviz reads the quote's byte.
    #expect(GraphDOTRenderer.quoted("a\"\u{301}b") == "\"a\\\"\u{301}b\"")
  }

  /// Control characters are written visibly, after a backslash no name puts there itself:
  /// distinct names stay distinct (a dropped CR made `X\rY` and `XY` one node), and no NUL
  /// reaches Graphviz, which cannot read it.
  @Test func dotWritesControlCharactersVisibly() {
    #expect(GraphDOTRenderer.quoted("X\rY") == #""X\U+000DY""#)
    #expect(GraphDOTRenderer.quoted("N\u{0}L\u{7F}") == #""N\U+0000L\U+007F""#)
    #expect(GraphDOTRenderer.quoted("a\tb") == "\"a\tb\"")
    let names = ["X\rY", "XY", "X\\U+000DY", "XU+000DY", "X\r\nY", "X\nY", "X\\nY"]
    #expect(Set(names.map(GraphDOTRenderer.quoted)).count == names.count)
    #expect(!names.map(GraphDOTRenderer.quoted).joined().utf8.contains(0))
  }

  @Test func mermaidUsesEntityCodesForItsSyntax() {
    #expect(GraphMermaidRenderer.escaped("Resources/Db") == "Resources/Db")
    #expect(GraphMermaidRenderer.escaped("/a/é") == "/a/é")
    #expect(
      GraphMermaidRenderer.escaped("a\"b#c<d>e&f\ng\rh")
        == "a#quot;b#35;c#lt;d#gt;e#amp;f#10;g#13;h")
    #expect(GraphMermaidRenderer.escaped("a\"\u{301}b") == "a#quot;\u{301}b")
  }

  /// `%%` starts a Mermaid comment or directive (`%%{init: …}%%`) wherever it is; control
  /// characters are written as codes, so no two names share a label and no NUL is written.
  @Test func mermaidNeutralisesDirectivesAndControlCharacters() {
    #expect(GraphMermaidRenderer.escaped("A%%{init}%%B") == "A#37;#37;{init}#37;#37;B")
    #expect(GraphMermaidRenderer.escaped("N\u{0}L") == "N#0;L")
    let names = ["X\rY", "XY", "X Y", "X\nY", "X\r\nY"]
    #expect(Set(names.map(GraphMermaidRenderer.escaped)).count == names.count)
  }

  @Test func compactJSONEscapesQuotesBackslashesAndControlCharacters() {
    func written(_ text: String) -> String {
      var output = ""
      CompactJSON.writeString(text, into: &output)
      return output
    }
    #expect(written("parameter:Env") == #""parameter:Env""#)
    #expect(written("é☃\u{7F}") == "\"é☃\u{7F}\"")
    #expect(written("a\"b\\c\nd\re\tf\u{1}") == #""a\"b\\c\nd\re\tf\u0001""#)
  }
}
