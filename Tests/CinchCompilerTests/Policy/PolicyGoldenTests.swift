import CinchCompiler
import CinchJSON
import CinchTemplate
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
    Fixtures.assertMatches(
      output.explanation, stage: Self.stage, name: name, expected: "explain.txt")
    Fixtures.assertMatches(
      output.diagnostics, stage: Self.stage, name: name, expected: "diagnostics.txt")
  }

  /// The CloudFormation output is YAML a template takes: it parses without a finding, every
  /// `!Ref` names one of its parameters or a resource of the templates it came from, and, as it
  /// goes into those templates, its resources and parameters take no logical name they already
  /// use (a template resource named `CinchExecPolicy`, a parameter `CinchDeployRoleName`).
  @Test(arguments: Fixtures.cases(stage))
  func cloudFormationOutputParsesAndRefsResolve(_ name: String) async throws {
    let fixture = try PolicyFixture(name)
    let output = try await fixture.run()
    guard !output.cloudFormation.isEmpty else { return }
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(
      SourceFile(path: "policies.yaml", text: output.cloudFormation), into: &diagnostics)
    #expect(diagnostics.isEmpty, "\(diagnostics.items.map(\.message))")
    let snippet = TemplateReader.read(document, into: &diagnostics)
    #expect(snippet.resources.allSatisfy { $0.type == "AWS::IAM::ManagedPolicy" })
    var names = Set(snippet.parameters.map(\.name))
    let generated = Set(snippet.resources.map(\.logicalID) + snippet.parameters.map(\.name))
    for path in fixture.templatePaths {
      let file = SourceFile(
        path: path.lastPathComponent, bytes: try [UInt8](Data(contentsOf: path)))
      let template = TemplateReader.read(
        TemplateParser.parse(file, into: &diagnostics), into: &diagnostics)
      let used = PolicyCloudFormationRenderer.logicalNames(of: [template])
      #expect(generated.isDisjoint(with: used), "\(name): \(generated.intersection(used))")
      names.formUnion(template.resources.map(\.logicalID))
      // The role the SAM transform generates for a function without one.
      names.formUnion(
        template.resources.filter { $0.type == "AWS::Serverless::Function" }.map {
          $0.logicalID + "Role"
        })
    }
    for line in output.cloudFormation.split(separator: "\n") {
      guard let range = line.range(of: "!Ref ") else { continue }
      let target = String(line[range.upperBound...])
      #expect(names.contains(target), "\(name): !Ref \(target) names nothing")
    }
  }

  /// IAM authorizes these actions on `"*"` only (their entries in the Service Authorization
  /// Reference list no resource type); every other statement names resources.
  static let unscopable: Set<String> = [
    "ssm:DescribeParameters", "secretsmanager:GetRandomPassword",
  ]

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
