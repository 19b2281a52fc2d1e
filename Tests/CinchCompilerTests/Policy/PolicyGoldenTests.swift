import CinchCompiler
import CinchJSON
import Foundation
import Testing
import _CinchTestSupport

/// Every case of `Tests/Fixtures/policy/`: the IAM JSON of every profile, the CloudFormation
/// resources, the explanation and the notes, against golden files.
@Suite struct PolicyGoldenTests {
  static let stage = "policy"

  @Test(arguments: Fixtures.cases(stage))
  func golden(_ name: String) async throws {
    let output = try await PolicyFixture(name).run()
    Fixtures.assertMatches(output.json, stage: Self.stage, name: name, expected: "policies.json")
    Fixtures.assertMatches(
      output.cloudFormation, stage: Self.stage, name: name, expected: "policies.yaml")
    Fixtures.assertMatches(output.explanation, stage: Self.stage, name: name, expected: "explain.txt")
    Fixtures.assertMatches(
      output.diagnostics, stage: Self.stage, name: name, expected: "diagnostics.txt")
  }

  /// IAM authorizes these actions on `"*"` only (their entries in the Service Authorization
  /// Reference list no resource type); every other statement names resources.
  static let unscopable: Set<String> = ["ssm:DescribeParameters", "secretsmanager:GetRandomPassword"]

  @Test(arguments: Fixtures.cases(stage))
  func resourceStarOnlyForUnscopableActions(_ name: String) async throws {
    let output = try await PolicyFixture(name).run()
    let policies = try JSONValueParser.parse(output.json)
    for document in policies.objectValue ?? JSONObject() {
      for statement in document.value["Statement"]?.arrayValue ?? [] {
        let resources = statement["Resource"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let actions = Set(statement["Action"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        #expect(!resources.isEmpty, "\(name) \(document.key): statement without resources")
        if resources.contains("*") {
          #expect(resources == ["*"], "\(name) \(document.key): '*' beside ARNs")
          #expect(
            actions.isSubset(of: Self.unscopable),
            "\(name) \(document.key): '*' for \(actions.sorted())")
        }
        #expect(!actions.contains { $0.hasSuffix("*") }, "\(name): wildcard action")
      }
    }
  }
}
