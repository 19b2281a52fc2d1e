import Testing

@testable import CinchTemplate

/// The graph renderers escape what their formats read as syntax, and copy everything else as
/// it is (names without such characters take a fast path that must agree with the slow one).
@Suite struct GraphEscapingTests {
  @Test func dotQuotesQuotesBackslashesAndNewlines() {
    #expect(GraphDOTRenderer.quoted("resource:Db") == #""resource:Db""#)
    #expect(GraphDOTRenderer.quoted("store:ssm:/a/é/☃") == #""store:ssm:/a/é/☃""#)
    #expect(GraphDOTRenderer.quoted("say \"hi\"\\now\nthen\r") == #""say \"hi\"\\now\nthen""#)
    // A combining mark after a quote makes one Character that is not `"`: kept as written.
    #expect(GraphDOTRenderer.quoted("a\"\u{301}b") == "\"a\"\u{301}b\"")
  }

  @Test func mermaidUsesEntityCodesForItsSyntax() {
    #expect(GraphMermaidRenderer.escaped("Resources/Db") == "Resources/Db")
    #expect(GraphMermaidRenderer.escaped("/a/é") == "/a/é")
    #expect(
      GraphMermaidRenderer.escaped("a\"b#c<d>e&f\ng\rh") == "a#quot;b#35;c#lt;d#gt;e#amp;f g h")
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
