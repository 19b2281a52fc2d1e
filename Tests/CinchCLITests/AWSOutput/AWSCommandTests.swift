import ArgumentParser
import CinchJSON
import Foundation
import Testing

@testable import CinchCLI

@Suite struct AWSCommandTests {
  struct ParameterNotFound: AWSServiceError {
    var code: String { "ParameterNotFound" }
    var message: String { "" }
    var httpStatusCode: Int { 400 }
  }

  struct Response: Encodable {
    struct Parameter: Encodable {
      var name: String
      var value: String
      var version: Int
      enum CodingKeys: String, CodingKey {
        case name = "Name", value = "Value", version = "Version"
      }
    }
    var parameter: Parameter
    enum CodingKeys: String, CodingKey { case parameter = "Parameter" }
  }

  static let response = Response(
    parameter: .init(name: "docker_username", value: "deploy-bot", version: 1))

  func options(_ arguments: [String]) throws -> AWSGlobalOptions {
    try AWSGlobalOptions.parse(arguments)
  }

  @Test func guideQueryWithTextOutput() async throws {
    let outcome = await AWSCommand.execute(
      "GetParameter", try options(["--query", "Parameter.Value", "--output", "text"])
    ) { _ in Self.response }
    #expect(outcome == .init(standardOutput: "deploy-bot\n", standardError: "", exitCode: 0))
  }

  @Test func defaultOutputIsJSONOrAWSDefaultOutput() async throws {
    let json = await AWSCommand.execute("GetParameter", try options([])) { _ in Self.response }
    #expect(
      json.standardOutput
        == "{\n    \"Parameter\": {\n        \"Name\": \"docker_username\",\n        \"Value\": \"deploy-bot\",\n        \"Version\": 1\n    }\n}\n"
    )
    let yaml = await AWSCommand.execute(
      "GetParameter", try options([]), environment: ["AWS_DEFAULT_OUTPUT": "yaml"]
    ) { _ in Self.response }
    #expect(
      yaml.standardOutput
        == "Parameter:\n  Name: docker_username\n  Value: deploy-bot\n  Version: 1\n")
  }

  /// The aws CLI reads `output`, `cli_error_format` and `cli_binary_format` from the config
  /// file's profile for every command (cli-configure-files.html): a script whose config says
  /// `output = text` gets text, below the flag and the environment.
  @Test func theConfigFilesProfileSetsOutputErrorAndBinaryFormats() async throws {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent(
      "cinch-aws-config-" + UUID().uuidString)
    defer { try? FileManager.default.removeItem(at: home) }
    try FileManager.default.createDirectory(
      at: home.appendingPathComponent(".aws"), withIntermediateDirectories: true)
    try """
    [default]
    output = text
    cli_error_format = json
    cli_binary_format = raw-in-base64-out

    [profile other]
    output = json

    """.write(
      to: home.appendingPathComponent(".aws/config"), atomically: true, encoding: .utf8)
    let environment = ["HOME": home.path]
    let query = try options(["--query", "Parameter.Value"])
    let text = await AWSCommand.execute("GetParameter", query, environment: environment) { _ in
      Self.response
    }
    #expect(text.standardOutput == "deploy-bot\n")
    let flagged = await AWSCommand.execute(
      "GetParameter", try options(["--query", "Parameter.Value", "--output", "json"]),
      environment: environment
    ) { _ in Self.response }
    #expect(flagged.standardOutput == "\"deploy-bot\"\n")
    let variable = await AWSCommand.execute(
      "GetParameter", query, environment: environment.merging(["AWS_DEFAULT_OUTPUT": "json"]) { $1 }
    ) { _ in Self.response }
    #expect(variable.standardOutput == "\"deploy-bot\"\n")
    let profile = await AWSCommand.execute(
      "GetParameter", query, environment: environment.merging(["AWS_PROFILE": "other"]) { $1 }
    ) { _ in Self.response }
    #expect(profile.standardOutput == "\"deploy-bot\"\n")
    let failed = await AWSCommand.execute("GetParameter", query, environment: environment) {
      _ -> Response in throw ParameterNotFound()
    }
    #expect(failed.standardError.contains("\"Code\": \"ParameterNotFound\""), "\(failed)")
    let yamlErrors = await AWSCommand.execute(
      "GetParameter", query,
      environment: environment.merging(["AWS_CLI_ERROR_FORMAT": "yaml"]) { $1 }
    ) { _ -> Response in throw ParameterNotFound() }
    #expect(yamlErrors.standardError.contains("Code: ParameterNotFound"), "\(yamlErrors)")
    #expect(try options([]).readsBlobsRaw(environment: environment))
    #expect(
      !(try options(["--cli-binary-format", "base64"]).readsBlobsRaw(environment: environment)))
    #expect(!(try options([]).readsBlobsRaw(environment: [:])))
  }

  @Test func serviceErrorsPrintOneLineAndExit254() async throws {
    let outcome = await AWSCommand.execute("GetParameter", try options([])) { _ -> Response in
      throw ParameterNotFound()
    }
    #expect(outcome.exitCode == 254)
    #expect(outcome.standardOutput == "")
    #expect(
      outcome.standardError
        == "An error occurred (ParameterNotFound) when calling the GetParameter operation: \n")
  }

  @Test func legacyErrorFormatSurroundsTheMessageWithNewlines() async throws {
    let outcome = await AWSCommand.execute(
      "GetParameter", try options(["--cli-error-format", "legacy"])
    ) {
      _ -> Response in
      throw AWSServiceFault(
        code: "ValidationException",
        message: "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).")
    }
    #expect(outcome.exitCode == 254)
    #expect(
      outcome.standardError
        == "\nAn error occurred (ValidationException) when calling the GetParameter operation: Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).\n"
    )
  }

  @Test func structuredErrorFormatsAndAdditionalFields() async throws {
    let fault = AWSServiceFault(
      code: "ResourceNotFoundException",
      message: "Secrets Manager can't find the specified secret.",
      additionalFields: ["SecretId": "prod/x"])
    let enhanced = await AWSCommand.execute("GetSecretValue", try options([])) { _ -> Response in
      throw fault
    }
    #expect(
      enhanced.standardError
        == "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret.\n\nSecretId: prod/x\n"
    )
    let json = await AWSCommand.execute(
      "GetSecretValue", try options(["--cli-error-format", "json"])
    ) { _ -> Response in throw fault }
    #expect(
      json.standardError
        == "{\n    \"Message\": \"Secrets Manager can't find the specified secret.\",\n    \"Code\": \"ResourceNotFoundException\",\n    \"SecretId\": \"prod/x\"\n}\n"
    )
    #expect(json.exitCode == 254)
  }

  @Test func aQuerySyntaxErrorIsAUsageError() async throws {
    let outcome = await AWSCommand.execute("GetParameter", try options(["--query", "Parameter.["]))
    { _ in Self.response }
    #expect(outcome.exitCode == 252)
    #expect(
      outcome.standardError
        == "\nBad value for --query Parameter.[: Invalid jmespath expression: Incomplete expression:\n\"Parameter.[\"\n            ^\n"
    )
  }

  @Test func aQueryRuntimeErrorExits255() async throws {
    let outcome = await AWSCommand.execute(
      "GetParameter", try options(["--query", "length(Parameter.Version)"])
    ) { _ in
      Self.response
    }
    #expect(outcome.exitCode == 255)
    #expect(
      outcome.standardError
        == "\nIn function length(), invalid type for value: <redacted>, expected one of: ['string', 'array', 'object'], received: \"number\"\n"
    )
  }

  /// A number or a boolean a query computes from a value is the value's content as much as the
  /// string it came from: a numeric PIN through `to_number` must not reach a CI log.
  @Test func queryTypeErrorsDoNotEchoNumbersComputedFromTheResponse() async throws {
    let response = Response(parameter: .init(name: "pin", value: "73579113", version: 1))
    for query in [
      "length(to_number(Parameter.Value))", "starts_with(to_number(Parameter.Value), `\"7\"`)",
      "keys(contains(Parameter.Value, `\"735\"`))",
    ] {
      let outcome = await AWSCommand.execute("GetParameter", try options(["--query", query])) {
        _ in response
      }
      #expect(outcome.exitCode == 255, "\(query)")
      #expect(!outcome.standardError.contains("73579113"), "\(query)")
      #expect(outcome.standardError.contains("invalid type for value: <redacted>"), "\(query)")
    }
  }

  @Test func queryTypeErrorsStillShowNull() async throws {
    let outcome = await AWSCommand.execute(
      "GetParameter", try options(["--query", "length(Parameter.Missing)"])
    ) { _ in Self.response }
    #expect(outcome.exitCode == 255)
    #expect(outcome.standardError.contains("invalid type for value: None"))
  }

  @Test func queryTypeErrorsDoNotEchoStringsFromTheResponse() async throws {
    let outcome = await AWSCommand.execute(
      "GetParameter", try options(["--query", "abs(Parameter.Value)"])
    ) { _ in Self.response }
    #expect(outcome.exitCode == 255)
    #expect(!outcome.standardError.contains("deploy-bot"))
    #expect(
      outcome.standardError
        == "\nIn function abs(), invalid type for value: <redacted>, expected one of: ['number'], received: \"string\"\n"
    )
  }

  @Test func anUnknownOutputFormatListsTheChoices() async throws {
    let outcome = await AWSCommand.execute("GetParameter", try options(["--output", "xml"])) { _ in
      Self.response
    }
    #expect(outcome.exitCode == 252)
    let padded = { (choice: String) in choice + String(repeating: " ", count: 40 - choice.count) }
    #expect(
      outcome.standardError.hasSuffix(
        "cinch: error: argument --output: Invalid choice, valid choices are:\n\n\(padded("json")) | \(padded("text"))\n\(padded("table")) | \(padded("yaml"))\n\(padded("yaml-stream")) | \(padded("off"))\n\n"
      ))
    #expect(
      outcome.standardError.hasPrefix(
        "\nusage: cinch [options] <command> <subcommand> [<subcommand> ...] [parameters]\n"))
  }

  /// `--output off` prints nothing on stdout; a failure still prints and sets the exit code.
  /// As awscli's `OffFormatter`, it never runs `--query` on the response: only a query that
  /// does not parse fails.
  @Test func outputOffSuppressesOnlyStandardOutput() async throws {
    let outcome = await AWSCommand.execute("GetParameter", try options(["--output", "off"])) { _ in
      Self.response
    }
    #expect(outcome.exitCode == 0)
    #expect(outcome.standardOutput.isEmpty)
    #expect(outcome.standardError.isEmpty)
    let unrun = await AWSCommand.execute(
      "GetParameter", try options(["--output", "off", "--query", "abs(Parameter.Value)"])
    ) { _ in Self.response }
    #expect(unrun.exitCode == 0)
    #expect(unrun.standardOutput.isEmpty)
    let failed = await AWSCommand.execute(
      "GetParameter", try options(["--output", "off", "--query", "Parameter.["])
    ) { _ in Self.response }
    #expect(failed.exitCode == 252)
    #expect(failed.standardOutput.isEmpty)
    #expect(!failed.standardError.isEmpty)
    let service = await AWSCommand.execute(
      "GetParameter", try options(["--output", "off"])
    ) { _ -> Response in throw ParameterNotFound() }
    #expect(service.exitCode == 254)
    #expect(service.standardOutput.isEmpty)
    #expect(!service.standardError.isEmpty)
    let environment = await AWSCommand.execute(
      "GetParameter", try options([]), environment: ["AWS_DEFAULT_OUTPUT": "off"]
    ) { _ in Self.response }
    #expect(environment.standardOutput.isEmpty)
  }

  @Test func missingRequiredOptionsUseArgparseWording() async throws {
    let outcome = await AWSCommand.execute("PutParameter", try options([])) { input -> Response in
      try input.requireParameters([
        ("Name", "--name", false), ("Value", "--value", false), ("Type", "--type", true),
      ])
      return Self.response
    }
    #expect(outcome.exitCode == 252)
    #expect(
      outcome.standardError == """

        usage: cinch [options] <command> <subcommand> [<subcommand> ...] [parameters]
        To see help text, you can run:

          cinch --help
          cinch <command> --help
          cinch <command> <subcommand> --help

        cinch: error: the following arguments are required: --name, --value


        """)
  }

  @Test func cliInputJSONFillsParametersAndFlagsWin() async throws {
    let outcome = await AWSCommand.execute(
      "GetParameter",
      try options([
        "--cli-input-json", #"{"Name": "/from/json", "WithDecryption": true}"#, "--output", "text",
      ])
    ) { input -> Response in
      try input.requireParameters([("Name", "--name", false)])
      try input?.validateKeys(allowed: ["Name", "WithDecryption"])
      let name = try input?.string("Name", flag: nil) ?? ""
      let overridden = try input?.string("Name", flag: "/from/flag") ?? ""
      let decrypt = try input?.bool("WithDecryption", flag: nil) ?? false
      return Response(parameter: .init(name: name, value: overridden, version: decrypt ? 1 : 0))
    }
    #expect(outcome.standardOutput == "PARAMETER\t/from/json\t/from/flag\t1\n")
  }

  @Test func cliInputJSONProblemsAreParameterValidationErrors() async throws {
    func run(_ json: String) async throws -> AWSCommand.Outcome {
      await AWSCommand.execute("GetParameter", try options(["--cli-input-json", json])) {
        input -> Response in
        try input?.validateKeys(allowed: ["Name", "WithDecryption"])
        try input.requireParameters([("Name", "--name", false)])
        _ = try input?.bool("WithDecryption", flag: nil)
        return Self.response
      }
    }
    let unknown = try await run(#"{"Name": "a", "Bogus": 1}"#)
    #expect(unknown.exitCode == 252)
    #expect(
      unknown.standardError
        == "\nParameter validation failed:\nUnknown parameter in input: \"Bogus\", must be one of: Name, WithDecryption\n"
    )
    let missing = try await run(#"{"WithDecryption": true}"#)
    #expect(
      missing.standardError
        == "\nParameter validation failed:\nMissing required parameter in input: \"Name\"\n")
    let wrongType = try await run(#"{"Name": "a", "WithDecryption": "yes"}"#)
    #expect(
      wrongType.standardError
        == "\nParameter validation failed:\nInvalid type for parameter WithDecryption, value: <redacted>, type: <class 'str'>, valid types: <class 'bool'>\n"
    )
    // A number is not echoed either: a PIN in the wrong member is a secret too.
    let number = try await run(#"{"Name": "a", "WithDecryption": 482913}"#)
    #expect(
      number.standardError
        == "\nParameter validation failed:\nInvalid type for parameter WithDecryption, value: <redacted>, type: <class 'int'>, valid types: <class 'bool'>\n"
    )
    let invalid = try await run(#"{"Name": "hunter2"#)
    #expect(invalid.exitCode == 252)
    #expect(!invalid.standardError.contains("hunter2"))
    #expect(
      invalid.standardError.hasPrefix("\nError parsing parameter 'cli-input-json': Invalid JSON: "))
  }

  @Test func cliInputYAMLFillsParametersWithYAMLTypes() async throws {
    let yaml = """
      Name: /from/yaml   # a comment
      WithDecryption: true
      Tags:
        - {Key: team, Value: '42'}
      MaxResults: 0x10
      """
    let outcome = await AWSCommand.execute(
      "GetParameter", try options(["--cli-input-yaml", yaml, "--output", "text"])
    ) { input -> Response in
      try input?.validateKeys(allowed: ["Name", "WithDecryption", "Tags", "MaxResults"])
      let name = try input?.string("Name", flag: nil) ?? ""
      let decrypt = try input?.bool("WithDecryption", flag: nil) ?? false
      let tags = input?.value("Tags")?.arrayValue?.first?["Value"]?.stringValue ?? ""
      let limit = try input?.integer("MaxResults", flag: nil) ?? 0
      return Response(
        parameter: .init(name: name, value: "\(tags)/\(limit)", version: decrypt ? 1 : 0))
    }
    #expect(outcome.standardOutput == "PARAMETER\t/from/yaml\t42/16\t1\n")
    #expect(outcome.exitCode == 0)
  }

  @Test func cliInputYAMLResolvesPlainScalarsByYAML12sCoreSchema() {
    let cases: [(String, JSONValue)] = [
      ("true", .bool(true)), ("False", .bool(false)), ("yes", .string("yes")),
      ("on", .string("on")), ("~", .null), ("null", .null), ("", .null),
      ("12", .integer(12)), ("-7", .integer(-7)), ("+3", .integer(3)), ("0o17", .integer(15)),
      ("0x1F", .integer(31)), ("012", .integer(12)), ("1.5", .double(1.5)),
      ("-.5e3", .double(-500)), ("1e", .string("1e")), ("2010-09-09", .string("2010-09-09")),
      ("0x", .string("0x")), ("1_000", .string("1_000")), ("-", .string("-")),
      (".inf", .double(.infinity)), ("99999999999999999999", .double(1e20)),
    ]
    for (text, expected) in cases {
      #expect(YAMLInputValue.plain(text) == expected, "\(text)")
    }
  }

  @Test func cliInputYAMLProblemsAreUsageErrorsThatNeverEchoTheInput() async throws {
    func run(_ arguments: [String]) async throws -> AWSCommand.Outcome {
      await AWSCommand.execute("GetParameter", try options(arguments)) { input -> Response in
        try input?.validateKeys(allowed: ["Name", "WithDecryption"])
        try input.requireParameters([("Name", "--name", false)])
        _ = try input?.bool("WithDecryption", flag: nil)
        return Self.response
      }
    }
    let canary = "CANARY-9d41e"
    let invalid = try await run(["--cli-input-yaml", "Name: '\(canary)\nValue: [\(canary)"])
    #expect(invalid.exitCode == 252)
    #expect(!invalid.standardError.contains(canary))
    #expect(
      invalid.standardError.hasPrefix(
        "\nError parsing parameter 'cli-input-yaml': Invalid YAML received: "))
    #expect(invalid.standardError.hasSuffix("at line 2, column 21\n"))

    let list = try await run(["--cli-input-yaml", "[\(canary)]"])
    #expect(
      list.standardError
        == "\nError parsing parameter 'cli-input-yaml': Invalid type: expecting map, received <class 'list'>\n"
    )
    let tag = try await run(["--cli-input-yaml", "Name: !Ref \(canary)"])
    #expect(tag.exitCode == 252)
    #expect(tag.standardError.contains("'!Ref'"))
    #expect(!tag.standardError.contains(canary))
    // A password that YAML reads as an alias or a tag is never quoted back.
    for value in ["*\(canary)", "!\(canary)", "!!\(canary)", "&\(canary) x"] {
      let refused = try await run(["--cli-input-yaml", "Name: /a\nValue: \(value)"])
      #expect(refused.exitCode == 252, "\(value)")
      #expect(!refused.standardError.contains(canary), "\(refused.standardError)")
    }

    // YAML 1.2: `yes` is a string, as ruamel's safe loader reads it, so botocore's type check.
    let yes = try await run(["--cli-input-yaml", "Name: /a\nWithDecryption: yes"])
    #expect(yes.standardError.contains("type: <class 'str'>, valid types: <class 'bool'>"))

    let both = try await run(["--cli-input-yaml", "Name: /a", "--cli-input-json", "{}"])
    #expect(both.exitCode == 252)
    #expect(both.standardError == "\nOnly one --cli-input- parameter may be specified.\n")
  }

  @Test func cliInputYAMLReadsAFileAndKeepsBinaryAsBase64() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "cinch-cli-input-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("input.yaml").path
    try "Name: prod/db\nSecretBinary: !!binary |\n  aGVs\n  bG8=\nForce: !!bool true\n".write(
      toFile: path, atomically: true, encoding: .utf8)
    let input = try AWSCLIInput(yamlArgument: "file://\(path)")
    #expect(input.object["Name"] == .string("prod/db"))
    #expect(input.object["SecretBinary"] == .string("aGVsbG8="))
    #expect(input.object["Force"] == .bool(true))
    #expect(throws: AWSUsageError.self) { try AWSCLIInput(yamlArgument: "Force: !!int true") }
    #expect(throws: AWSUsageError.self) {
      try AWSCLIInput(yamlArgument: "file://\(folder.path)/missing.yaml")
    }
  }

  @Test func paginatedOperationsPutTheResultKeyFirstAndTheTokenLast() async throws {
    struct Page: Encodable {
      var nextToken: String?
      var parameters: [[String: String]]
      enum CodingKeys: String, CodingKey { case nextToken = "NextToken", parameters = "Parameters" }
    }
    let page = Page(nextToken: "token-2", parameters: [["Name": "/a"]])
    let json = await AWSCommand.execute(
      "GetParametersByPath", try options([]), pagination: .resultKey("Parameters")
    ) { _ in page }
    #expect(
      json.standardOutput
        == "{\n    \"Parameters\": [\n        {\n            \"Name\": \"/a\"\n        }\n    ],\n    \"NextToken\": \"token-2\"\n}\n"
    )
    let text = await AWSCommand.execute(
      "GetParametersByPath", try options(["--output", "text"]), pagination: .resultKey("Parameters")
    ) { _ in page }
    #expect(text.standardOutput == "PARAMETERS\t/a\nNEXTTOKEN\ttoken-2\n")
  }

  /// `--output yaml-stream` writes each page the CLI read as an item of its own, as the
  /// service answered it (its own token included, where the response has it), `--query` run
  /// on each, as `--output text` does. botocore hands the streaming formatter the raw pages:
  /// the resume token `--max-items` makes is not printed, and the page it cut has no token.
  @Test func yamlStreamWritesEachPage() throws {
    let names = ["/a", "/b", "/c"].map { JSONValue.object(JSONObject([("Name", .string($0))])) }
    let document = JSONValue.object(
      JSONObject([("Parameters", .array(names)), ("NextToken", .string("resume"))]))
    var output = AWSCommandOutput(
      format: .yamlStream, query: try JMESPathExpression("Parameters[].Name"),
      pagination: .resultKey("Parameters"))
    output.pageSizes = [2, 1]
    output.pageTokens = ["page-2", nil]
    #expect(
      try output.render(operation: "GetParametersByPath", document: document)
        == "- - /a\n  - /b\n- - /c\n")
    output.query = nil
    #expect(
      try output.render(operation: "GetParametersByPath", document: document)
        == "- NextToken: page-2\n  Parameters:\n  - Name: /a\n  - Name: /b\n- Parameters:\n"
        + "  - Name: /c\n")
  }

  @Test func otherFailuresExit255AndConfigurationErrors253() async throws {
    struct Broken: Error, CustomStringConvertible {
      var description: String { "the store file is damaged" }
    }
    let broken = await AWSCommand.execute("GetParameter", try options([])) { _ -> Response in
      throw Broken()
    }
    #expect(
      broken
        == .init(standardOutput: "", standardError: "\nthe store file is damaged\n", exitCode: 255))
    let configuration = await AWSCommand.execute("GetParameter", try options([])) { _ -> Response in
      throw AWSConfigurationError("no master key: set CINCH_MASTER_KEY or run 'cinch init'")
    }
    #expect(configuration.exitCode == 253)
  }

  @Test func globalOptionsAcceptTheAWSFlags() throws {
    let parsed = try options([
      "--no-cli-pager", "--region", "eu-west-1", "--profile", "dev", "--endpoint-url",
      "http://127.0.0.1:4566",
      "--color", "off", "--debug",
    ])
    #expect(parsed.noCLIPager && parsed.debug)
    #expect(
      parsed.region == "eu-west-1" && parsed.profile == "dev"
        && parsed.endpointURL == "http://127.0.0.1:4566")
    #expect(try parsed.resolvedColor() == .off)
  }
}

@Suite struct AWSCommandLineTests {
  struct Root: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "cinch", subcommands: [SSM.self, Other.self])
  }

  struct SSM: AWSCommandGroup {
    static let configuration = CommandConfiguration(
      commandName: "ssm", subcommands: [GetParameter.self])
  }

  struct GetParameter: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get-parameter")
    @Option var name: String
  }

  struct Other: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lock")
    @Option var file: String
  }

  @Test func recognisesAWSStyleGroupsByTheirFirstWord() {
    #expect(AWSCommandLine.isAWSStyle(root: Root.self, arguments: ["ssm", "get-parameter"]))
    #expect(AWSCommandLine.isAWSStyle(root: Root.self, arguments: ["--debug", "ssm"]))
    #expect(!AWSCommandLine.isAWSStyle(root: Root.self, arguments: ["lock"]))
    #expect(!AWSCommandLine.isAWSStyle(root: Root.self, arguments: []))
  }

  @Test func argumentParserErrorsInAWSGroupsBecome252() throws {
    let arguments = ["ssm", "get-parameter"]
    var error: (any Error)?
    do { _ = try Root.parseAsRoot(arguments) } catch let caught { error = caught }
    let parseError = try #require(error)
    #expect(Root.exitCode(for: parseError) == .validationFailure)
    #expect(
      AWSCommandLine.awsExitCode(for: parseError, root: Root.self, arguments: arguments) == 252)
    #expect(
      AWSCommandLine.awsExitCode(for: parseError, root: Root.self, arguments: ["lock"]) == nil)
    #expect(
      AWSCommandLine.awsExitCode(for: ExitCode(254), root: Root.self, arguments: arguments) == nil)
  }

  /// `aws ssm` alone is `the following arguments are required: operation`, exit 252.
  @Test func aGroupWithoutAnOperationIsAUsageError() throws {
    let group = try Root.parseAsRoot(["ssm"])
    #expect(
      AWSCommandLine.missingOperation(group)?.message.hasSuffix(
        "cinch: error: the following arguments are required: operation\n") == true)
    #expect(AWSCommandLine.missingOperation(try Root.parseAsRoot(["lock", "--file", "x"])) == nil)
    #expect(
      AWSCommandLine.missingOperation(
        try Root.parseAsRoot(["ssm", "get-parameter", "--name", "x"]))
        == nil)
  }

  /// `aws ssm get-parameterz …` names the operation, not the first option after it.
  @Test func anUnknownOperationIsAnInvalidChoice() {
    let usage = AWSCommandLine.unknownOperation(
      root: Root.self, arguments: ["ssm", "get-parameterz", "--name", "x"])
    // With awscli's suggestions: difflib's close matches at 0.8.
    #expect(
      usage?.message.hasSuffix(
        "cinch: error: argument operation: Invalid choice, valid choices are:\n\n"
          + "get-parameter" + String(repeating: " ", count: 27) + "\n\n\n"
          + "Invalid choice: 'get-parameterz', maybe you meant:\n\n  * get-parameter\n") == true,
      "\(usage?.message ?? "")")
    #expect(
      AWSUsageError.closeMatches(
        "put-paramete", ["get-parameter", "get-parameters", "put-parameter", "label-parameter"])
        == ["put-parameter", "get-parameter"])
    #expect(AWSUsageError.closeMatches("kv", ["get-parameter", "put-parameter"]).isEmpty)
    // difflib scores `ratio(choice, word)`, which is not `ratio(word, choice)`: 0.786 here.
    #expect(
      AWSUsageError.closeMatches("get-paramatzedr", ["get-parameter", "get-parameters"]).isEmpty)
    #expect(
      AWSCommandLine.unknownOperation(
        root: Root.self, arguments: ["ssm", "get-parameter", "--nam", "x"]) == nil)
    #expect(AWSCommandLine.unknownOperation(root: Root.self, arguments: ["ssm", "--help"]) == nil)
    #expect(AWSCommandLine.unknownOperation(root: Root.self, arguments: ["lock", "x"]) == nil)
  }

  @Test func helpAndCleanExitsAreLeftToArgumentParser() throws {
    let arguments = ["ssm", "get-parameter", "--help"]
    #expect(throws: Never.self) { _ = try Root.parseAsRoot(arguments) }
    #expect(
      AWSCommandLine.awsExitCode(
        for: CleanExit.helpRequest(), root: Root.self, arguments: arguments) == nil)
    #expect(
      AWSCommandLine.awsExitCode(
        for: CleanExit.message("0.1.0"), root: Root.self, arguments: arguments) == nil)
  }
}
