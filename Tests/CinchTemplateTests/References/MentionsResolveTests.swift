import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchTemplate

/// `mentionsResolve` searches bytes and asks the character search only where a neighbour of a
/// match is not ASCII; it must answer exactly as the character search it replaced (called
/// through the library: here Foundation's `contains` would search scalars instead).
@Suite struct MentionsResolveTests {
  static let pieces = Gen<String>.oneOf(
    Gen.always("resolve"), Gen.always("{{resolve:ssm:"), Gen.always("resolv"), Gen.always("e"),
    Gen.always("r"), Gen.always("\u{301}"), Gen.always("\u{600}"), Gen.always("\u{200D}"),
    Gen.always("é"), Gen.always(" "), Gen.always(":"), Gen.always("🙂"), Gen.always("x"))

  static func characterSearch(_ text: String) -> Bool {
    text.utf8.count >= 7 && ReferenceWalker.containsResolveCharacters(text)
  }

  @Test func answersAsTheCharacterSearch() {
    seededCheck(Self.pieces.array(of: 0...8), count: 5_000) { pieces in
      let text = pieces.joined()
      #expect(
        ReferenceWalker.mentionsResolve(text) == Self.characterSearch(text),
        "\(text.unicodeScalars.map { $0.value })")
    }
  }

  @Test func edgesThatAreNotASCIIGoToTheCharacterSearch() {
    #expect(ReferenceWalker.mentionsResolve("{{resolve:ssm:/a}}"))
    #expect(!ReferenceWalker.mentionsResolve("{{resolv:ssm:/a}}"))
    for text in ["resolve\u{301}", "\u{600}resolve", "resolve\u{301} resolve", "é\u{301}resolve🙂"] {
      #expect(ReferenceWalker.mentionsResolve(text) == Self.characterSearch(text))
    }
  }
}
