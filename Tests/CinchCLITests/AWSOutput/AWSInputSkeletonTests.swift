import CinchJSON
import Testing

@testable import CinchCLI

@Suite struct AWSInputSkeletonTests {
  @Test func putParameterPrintsAsTheAWSCLIPrintsIt() throws {
    let json = try #require(AWSInputSkeleton.text(for: "PutParameter", format: .input))
    #expect(
      json == """
        {
            "Name": "",
            "Description": "",
            "Value": "",
            "Type": "String",
            "KeyId": "",
            "Overwrite": true,
            "AllowedPattern": "",
            "Tags": [
                {
                    "Key": "",
                    "Value": ""
                }
            ],
            "Tier": "Standard",
            "Policies": "",
            "DataType": ""
        }

        """)
    let yaml = try #require(AWSInputSkeleton.text(for: "PutParameter", format: .yamlInput))
    #expect(
      yaml == """
        Name: ''  # [REQUIRED]
        Description: ''
        Value: ''  # [REQUIRED]
        Type: String  # Valid values are: String, StringList, SecureString.
        KeyId: ''
        Overwrite: true
        AllowedPattern: ''
        Tags:
        - Key: ''  # [REQUIRED]
          Value: ''  # [REQUIRED]
        Tier: Standard  # Valid values are: Standard, Advanced, Intelligent-Tiering.
        Policies: ''
        DataType: ''

        """)
  }

  /// Each skeleton reads back as the input it describes: the JSON one with `--cli-input-json`,
  /// the YAML one with `--cli-input-yaml`, to the same members and placeholders.
  @Test(arguments: AWSInputSkeleton.operations.keys.sorted())
  func bothFormsReadBackAsTheSameInput(operation: String) throws {
    let json = try AWSCLIInput(
      argument: try #require(AWSInputSkeleton.text(for: operation, format: .input)))
    let yaml = try AWSCLIInput(
      yamlArgument: try #require(AWSInputSkeleton.text(for: operation, format: .yamlInput)))
    guard case .structure(let members) = AWSInputSkeleton.operations[operation] else {
      Issue.record("\(operation) is not a structure")
      return
    }
    #expect(json.object.keys == members.map(\.name))
    #expect(yaml.object.keys == members.map(\.name))
    for member in members {
      switch member.shape {
      case .blob:
        // JSON has no bytes: botocore's placeholder is null there, an empty !!binary in YAML.
        #expect(json.object[member.name] == .null)
        #expect(yaml.object[member.name] == .string(""))
      case .timestamp:
        #expect(json.object[member.name] == .string("1970-01-01T00:00:00"))
      default:
        #expect(json.object[member.name] == yaml.object[member.name], "\(operation).\(member.name)")
      }
    }
  }

  @Test func mapsAndNestedListsKeepTheirPlaceholders() throws {
    let shape = AWSInputSkeleton.Shape.structure([
      .init("Labels", required: true, .list(.string)),
      .init("Context", required: false, .map(.string)),
      .init("Matrix", required: false, .list(.list(.integer))),
      .init("Empty", required: false, .structure([])),
    ])
    let object = try AWSCLIInput(yamlArgument: AWSInputSkeleton.yaml(shape)).object
    #expect(object["Labels"] == .array([.string("")]))
    #expect(object["Context"] == .object(JSONObject([("KeyName", .string(""))])))
    #expect(object["Matrix"] == .array([.array([.integer(0)])]))
    #expect(object["Empty"] == .object(JSONObject()))
  }

  @Test func theOptionalValueDefaultsToInputOnlyInAWSStyleCommandLines() {
    func filled(_ arguments: [String]) -> [String] {
      AWSCommandLine.skeletonValueFilledIn(root: CinchMain.self, arguments)
    }
    #expect(
      filled(["ssm", "get-parameter", "--generate-cli-skeleton"])
        == ["ssm", "get-parameter", "--generate-cli-skeleton", "input"])
    #expect(
      filled(["ssm", "get-parameter", "--generate-cli-skeleton", "--name", "x"])
        == ["ssm", "get-parameter", "--generate-cli-skeleton", "input", "--name", "x"])
    #expect(
      filled(["ssm", "get-parameter", "--generate-cli-skeleton", "yaml-input"])
        == ["ssm", "get-parameter", "--generate-cli-skeleton", "yaml-input"])
    #expect(filled(["check", "--generate-cli-skeleton"]) == ["check", "--generate-cli-skeleton"])
  }

  @Test func theSkeletonReplacesTheCallAndNeedsNoRequiredOption() async throws {
    let options = try AWSGlobalOptions.parse(["--generate-cli-skeleton", "input"])
    let outcome = await AWSCommand.execute("GetParameter", options) { _ -> [String: String] in
      Issue.record("the command ran")
      return [:]
    }
    #expect(outcome.exitCode == 0)
    #expect(outcome.standardOutput == "{\n    \"Name\": \"\",\n    \"WithDecryption\": true\n}\n")
    let own = await AWSCommand.execute("PutPublicParameter", options) { _ in [String: String]() }
    #expect(own.exitCode == 252)
    let unknown = await AWSCommand.execute(
      "GetParameter", try AWSGlobalOptions.parse(["--generate-cli-skeleton", "outputs"])
    ) { _ in [String: String]() }
    #expect(unknown.exitCode == 252)
    #expect(unknown.standardError.contains("argument --generate-cli-skeleton: Invalid choice"))
  }

  /// `output`: botocore's sample response (strings are their members' names), printed as a
  /// response is, so `--query` and `--output` can be tried on it.
  @Test func theOutputSampleIsPrintedAsAResponse() async throws {
    let options = try AWSGlobalOptions.parse([
      "--generate-cli-skeleton", "output", "--query", "Parameter.[Name, Version]", "--output",
      "text",
    ])
    let outcome = await AWSCommand.execute("GetParameter", options) { _ -> [String: String] in
      Issue.record("the command ran")
      return [:]
    }
    #expect(outcome == .init(standardOutput: "Name\t0\n", standardError: "", exitCode: 0))
    for operation in AWSInputSkeleton.operations.keys {
      #expect(AWSInputSkeleton.sampleOutput(for: operation)?.objectValue != nil, "\(operation)")
    }
  }
}
