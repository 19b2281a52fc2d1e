import CinchJSON
import Testing

@testable import CinchCLI

@Suite struct PythonJSONWriterTests {
  @Test func roundTripsThroughThePythonWriter() throws {
    let text = #"{"a": [1, 2.5, "é\u0001", {"b": null}], "c": true}"#
    let value = try JSONValueParser.parse(text)
    let written = PythonJSONWriter(
      indent: nil, ensureASCII: false, itemSeparator: ", ", keySeparator: ": "
    ).string(value)
    #expect(written == #"{"a": [1, 2.5, "é\u0001", {"b": null}], "c": true}"#)
    #expect(try JSONValueParser.parse(written) == value)
    #expect(
      PythonJSONWriter.compact.string(value) == #"{"a":[1,2.5,"\u00e9\u0001",{"b":null}],"c":true}"#
    )
  }
}
