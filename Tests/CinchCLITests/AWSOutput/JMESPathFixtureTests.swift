import CinchJSON
import Testing

@testable import CinchCLI

/// Expressions evaluated by the Python `jmespath` package the aws CLI uses
/// (Tests/Fixtures/jmespath/<group>/expected/results.json): the same result, printed the same
/// way (so `2` and `2.0` differ), or the same error message, raised at the same phase.
@Suite struct JMESPathFixtureTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var group: String
    var index: Int
    var expression: String
    var data: JSONValue
    var expected: JSONValue
    var testDescription: String { "\(group)[\(index)] \(expression.debugDescription)" }
  }

  static let cases: [Case] = {
    var cases: [Case] = []
    for group in AWSFixtures.cases("jmespath", containing: "cases.json") {
      guard let list = try? AWSFixtures.json("jmespath", group, "cases.json").arrayValue,
        let results = try? AWSFixtures.json("jmespath", group, "expected/results.json").arrayValue
      else { continue }
      for (index, item) in list.enumerated() {
        cases.append(
          Case(
            group: group, index: index, expression: item["expression"]?.stringValue ?? "",
            data: item["data"] ?? .null, expected: index < results.count ? results[index] : .null))
      }
    }
    return cases
  }()

  /// `json.dumps(result, ensure_ascii=False)`.
  static let pythonJSON = PythonJSONWriter(
    indent: nil, ensureASCII: false, itemSeparator: ", ", keySeparator: ": ")

  @Test func everyGroupIsFound() {
    #expect(Self.cases.count > 250)
  }

  @Test(arguments: cases)
  func matchesPythonJMESPath(_ testCase: Case) throws {
    let data = testCase.data
    let expected = testCase.expected
    #expect(expected != .null, "no recorded result; run Tests/Fixtures/aws-output/generate.py")
    let outcome: (phase: String, text: String)
    do {
      let compiled = try JMESPathExpression(testCase.expression)
      do {
        outcome = ("result", Self.pythonJSON.string(try compiled.search(data)))
      } catch {
        outcome = ("search", error.description)
      }
    } catch {
      outcome = ("compile", error.description)
    }
    if let result = expected["result"]?.stringValue {
      #expect(outcome.phase == "result")
      #expect(outcome.text == result)
    } else {
      #expect(outcome.phase == expected["phase"]?.stringValue)
      #expect(outcome.text == expected["error"]?.stringValue)
    }
  }

  /// Nesting deeper than any real query is refused as a syntax error (Python's `jmespath`
  /// stops at its recursion limit) instead of overflowing the stack; a deep but reasonable
  /// query still parses.
  @Test(arguments: [
    String(repeating: "!", count: 1000) + "a", String(repeating: "(", count: 3000) + "a",
    String(repeating: "[", count: 1000) + "a" + String(repeating: "]", count: 1000),
  ])
  func nestingIsBounded(_ expression: String) {
    #expect {
      _ = try JMESPathExpression(expression)
    } throws: { error in
      (error as? JMESPathError)?.isSyntaxError == true
        && "\(error)".contains("Expression nested too deeply (more than 200 levels)")
    }
    let reasonable = try? JMESPathExpression(String(repeating: "!", count: 150) + "a")
    #expect(reasonable != nil)
  }
}
