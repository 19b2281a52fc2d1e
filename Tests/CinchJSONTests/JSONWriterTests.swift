import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchJSON

/// The writer: key order, indentation, and string escaping (RFC 8259 §7, plus DEL so output is
/// safe to print), written byte by byte: it must say exactly what the rule says for every string.
@Suite struct JSONWriterTests {
  @Test func prettyKeepsKeyOrderAndIndentsByTwo() {
    let value = JSONValue.object([
      ("z", .int(1)), ("a", .array([])), ("m", .object(JSONObject())),
      ("b", .array([.null, .bool(true), .string(nil), .double(2.5)])),
    ])
    #expect(
      value.pretty() == """
        {
          "z": 1,
          "a": [],
          "m": {},
          "b": [
            null,
            true,
            null,
            2.5
          ]
        }

        """)
    #expect(value.compact() == #"{"z":1,"a":[],"m":{},"b":[null,true,null,2.5]}"#)
  }

  @Test func compactRoundTripsThroughTheParser() throws {
    let value = JSONValue.object([("k", .string("tab\there \u{1} \"q\" é")), ("n", .integer(-3))])
    #expect(try JSONValueParser.parse(value.compact()) == value)
  }

  @Test func escapesQuotesBackslashesControlsAndDelAndKeepsTheRest() {
    let text = "a\"b\\c\nd\re\tf\u{08}g\u{0C}h\u{00}i\u{1F}j\u{7F}k é 🙂 \u{2028}"
    #expect(
      JSONValue.string(text).compact()
        == #""a\"b\\c\nd\re\tf\bg\fh\u0000i\u001fj\u007fk é 🙂 "# + "\u{2028}\"")
  }

  @Test func anEscapeAtEitherEndAndRunsBetween() {
    #expect(JSONValue.string("\n").compact() == #""\n""#)
    #expect(JSONValue.string("").compact() == #""""#)
    #expect(JSONValue.string("\"x\"").compact() == #""\"x\"""#)
    #expect(
      JSONValue.object([("k\u{01}", .string("v"))]).pretty() == "{\n  \"k\\u0001\": \"v\"\n}\n")
  }

  /// The rule, one scalar at a time, as the specification the byte-wise writer is held to.
  static func quoted(_ text: String) -> String {
    var output = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case "\u{08}": output += "\\b"
      case "\u{0C}": output += "\\f"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        let hex = Array("0123456789abcdef")
        output +=
          "\\u00" + String(hex[Int(scalar.value >> 4)]) + String(hex[Int(scalar.value & 0xF)])
      default: output.unicodeScalars.append(scalar)
      }
    }
    return output + "\""
  }

  static let scalars = Gen<Character>.oneOf(
    Gen.character(in: "\u{00}"..."\u{7F}"), Gen.character(in: "\u{80}"..."\u{7FF}"),
    Gen.character(in: "\u{1F600}"..."\u{1F64F}"), Gen.always("\""), Gen.always("\\"))

  @Test func everyStringIsQuotedAsTheRuleSaysAndParsesBack() {
    seededCheck(Self.scalars.array(of: 0...24), count: 2_000) { characters in
      let text = String(characters)
      let written = JSONValue.string(text).compact()
      #expect(written == Self.quoted(text))
      #expect((try? JSONValueParser.parse(written)) == .string(text))
    }
  }
}
