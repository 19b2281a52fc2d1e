import Testing

@testable import CinchCLI

@Suite struct PythonTextTests {
  @Test(arguments: [
    (1.0, "1.0"), (1.5, "1.5"), (100.0, "100.0"), (1e15, "1000000000000000.0"), (1e16, "1e+16"),
    (1.5e16, "1.5e+16"), (123456789.125, "123456789.125"), (0.0001, "0.0001"), (0.00001, "1e-05"),
    (1.5e-7, "1.5e-07"), (-0.0, "-0.0"), (0.1 + 0.2, "0.30000000000000004"),
    (Double.leastNonzeroMagnitude, "5e-324"),
    (1.7976931348623157e308, "1.7976931348623157e+308"), (-2.5, "-2.5"), (Double.infinity, "inf"),
  ])
  func floatsPrintLikeRepr(value: Double, expected: String) {
    #expect(PythonText.float(value) == expected)
  }

  @Test func reprQuotesAndEscapesLikePython() {
    #expect(PythonText.repr("abc") == "'abc'")
    #expect(PythonText.repr("it's") == "\"it's\"")
    #expect(PythonText.repr("it's \"x\"") == "'it\\'s \"x\"'")
    #expect(PythonText.repr("a\nb\t\u{1}\u{7F}é😀\u{A0}") == "'a\\nb\\t\\x01\\x7fé😀\\xa0'")
    #expect(PythonText.repr(["a": [1, 2.0, true, nil]]) == "{'a': [1, 2.0, True, None]}")
  }
}
