import Testing

@testable import CinchJSON

@Suite struct JSONValueParserTests {
  @Test func parsesEveryKindOfValue() throws {
    let value = try JSONValueParser.parse(
      #" {"a": [1, -0, 2.5, 1e3, 9223372036854775807, 9223372036854775808], "b": {"c": null, "d": true, "e": false}, "s": "x\u00e9\ud83d\ude00\n\/"} "#
    )
    #expect(
      value == [
        "a": [1, 0, 2.5, 1000.0, .integer(.max), .double(9_223_372_036_854_775_808)],
        "b": ["c": nil, "d": true, "e": false], "s": "xé😀\n/",
      ])
    #expect(value.objectValue?.keys == ["a", "b", "s"])
  }

  @Test func aRepeatedKeyKeepsItsFirstPlaceAndLastValue() throws {
    let value = try JSONValueParser.parse(#"{"a": 1, "b": 2, "a": 3}"#)
    #expect(value.objectValue?.keys == ["a", "b"])
    #expect(value["a"] == 3)
  }

  @Test(arguments: [
    ("", "expected a value, found the end of the input at line 1, column 1"),
    ("{", "expected a string key at line 1, column 2"),
    ("[1,]", "expected a value at line 1, column 4"),
    ("[1 2]", "expected ',' or ']' at line 1, column 4"),
    ("{\"a\" 1}", "expected ':' after a key at line 1, column 6"),
    ("01", "leading zero in a number at line 1, column 2"),
    ("1.", "invalid number at line 1, column 3"),
    ("tru", "invalid literal at line 1, column 4"),
    ("\"a\tb\"", "control character in a string at line 1, column 3"),
    ("\"\\x\"", "invalid escape at line 1, column 2"),
    ("\"\\ud800\"", "unpaired surrogate in a \\u escape at line 1, column 8"),
    ("\"abc", "unterminated string at line 1, column 1"),
    ("{}\n x", "unexpected content after the value at line 2, column 2"),
    ("NaN", "expected a value at line 1, column 1"),
  ])
  func refusesInvalidJSONWithAPosition(text: String, message: String) {
    #expect(throws: (any Error).self) { try JSONValueParser.parse(text) }
    do {
      _ = try JSONValueParser.parse(text)
    } catch {
      #expect(error.description == message)
    }
  }

  @Test func errorMessagesNeverQuoteTheInput() {
    let secret = "{\"SecretString\": \"hunter2\" \"x\"}"
    do {
      _ = try JSONValueParser.parse(secret)
      Issue.record("expected a parse error")
    } catch {
      #expect(!error.description.contains("hunter2"))
    }
  }

  @Test func limitsNesting() {
    let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
    #expect(throws: JSONValueParser.Error.self) { try JSONValueParser.parse(deep) }
    let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
    #expect((try? JSONValueParser.parse(fine)) != nil)
  }
}
