import CinchJSON
import Foundation
import Testing

@testable import CinchCLI

/// Every response document under Tests/Fixtures/aws-output, in every output format, with and
/// without its `--query` expressions, against what the aws CLI printed for it.
@Suite struct AWSOutputFixtureTests {
  struct Rendering: CustomTestStringConvertible, Sendable {
    var caseName: String
    var format: AWSOutputFormat
    var query: (name: String, expression: String)?

    var expectedFile: String {
      query.map { "query-\($0.name).\(format.rawValue)" } ?? format.rawValue
    }
    var testDescription: String { "\(caseName)/\(expectedFile)" }
  }

  static let renderings: [Rendering] = {
    var renderings: [Rendering] = []
    for name in AWSFixtures.cases("aws-output", containing: "case.json") {
      guard let spec = try? AWSFixtures.json("aws-output", name, "case.json") else { continue }
      // `off` prints nothing whatever the response (AWSCommandTests): no recording to match.
      for format in AWSOutputFormat.allCases where format != .off {
        renderings.append(Rendering(caseName: name, format: format))
      }
      for member in spec["queries"]?.objectValue ?? JSONObject() {
        for format: AWSOutputFormat in [.json, .text, .table, .yaml] {
          renderings.append(
            Rendering(
              caseName: name, format: format, query: (member.key, member.value.stringValue ?? "")))
        }
      }
    }
    return renderings
  }()

  @Test func everyCaseIsFound() {
    #expect(Self.renderings.count > 100)
  }

  @Test(arguments: renderings)
  func matchesTheAWSCLI(_ rendering: Rendering) throws {
    let spec = try AWSFixtures.json("aws-output", rendering.caseName, "case.json")
    let response = try #require(spec["response"])
    var pagination: AWSPagination?
    if let paging = spec["pagination"]?.objectValue {
      pagination = AWSPagination(
        resultKeys: (paging["resultKeys"]?.arrayValue ?? []).compactMap(\.stringValue),
        nonAggregateKeys: (paging["nonAggregateKeys"]?.arrayValue ?? []).compactMap(\.stringValue),
        outputToken: paging["outputToken"]?.stringValue ?? "NextToken")
    }
    let output = AWSCommandOutput(
      format: rendering.format,
      query: try rendering.query.map { try JMESPathExpression($0.expression) },
      pagination: pagination)
    let operation = spec["operation"]?.stringValue ?? ""
    if let expectedError = AWSFixtures.read(
      "aws-output", rendering.caseName, "expected/\(rendering.expectedFile).error.txt")
    {
      #expect(throws: (any Error).self) {
        try output.render(operation: operation, document: response)
      }
      do {
        _ = try output.render(operation: operation, document: response)
      } catch {
        #expect("\(error)\n" == expectedError)
      }
      return
    }
    let expected = try #require(
      AWSFixtures.read("aws-output", rendering.caseName, "expected/\(rendering.expectedFile).txt"),
      "missing expected/\(rendering.expectedFile).txt")
    let actual = try output.render(operation: operation, document: response)
    #expect(actual == expected, "\(AWSFixtures.firstDifference(expected, actual))")
  }
}
