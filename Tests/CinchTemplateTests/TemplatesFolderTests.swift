import CinchTemplate
import Foundation
import Testing
import _CinchTestSupport

/// The real-shaped templates in `templates/` (used by `make run` and later stages' tests) stay
/// parseable, valid CloudFormation, and keep exercising every shape of reference they were
/// written for.
@Suite struct TemplatesFolderTests {
  static let folder = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("templates")

  static let names: [String] =
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
    .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted()

  static func text(_ name: String) throws -> String {
    try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
  }

  @Test func thereAreAtLeastSevenTemplatesAndOneIsJSON() {
    #expect(Self.names.count >= 7)
    #expect(Self.names.contains { $0.hasSuffix(".json") })
  }

  static let yamlNames = names.filter { $0.hasSuffix(".yaml") }
  static let jsonNames = names.filter { $0.hasSuffix(".json") }

  @Test(
    .enabled(
      if: ParserProbe.parses("a: b\n", as: .yaml),
      "the YAML parser is not written yet (issue 2, item 2)"),
    arguments: yamlNames)
  func yamlTemplateParsesWithoutDiagnostics(_ name: String) throws {
    try Self.parse(name, as: .yaml)
  }

  @Test(
    .enabled(
      if: ParserProbe.parses("{\"a\": \"b\"}\n", as: .json),
      "the JSON parser is not written yet (issue 2, item 3)"),
    arguments: jsonNames)
  func jsonTemplateParsesWithoutDiagnostics(_ name: String) throws {
    try Self.parse(name, as: .json)
  }

  static func parse(_ name: String, as format: ParsedDocument.Format) throws {
    let file = try SourceFile(path: folder.appendingPathComponent(name).path)
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(file, into: &diagnostics)
    #expect(diagnostics.isEmpty, "\(name): \(diagnostics.items.map(\.message))")
    #expect(document.format == format)
    let root = try #require(document.root)
    #expect(root["Resources"]?.mapping?.isEmpty == false, "\(name) has no resources")
    #expect(root["AWSTemplateFormatVersion"]?.scalar == "2010-09-09")
  }

  /// CloudFormation rejects YAML anchors and aliases; the templates use none.
  @Test(arguments: names) func noAnchorsOrAliases(_ name: String) throws {
    for (index, line) in try Self.text(name).split(separator: "\n").enumerated() {
      let code = line.split(separator: "#", maxSplits: 1).first.map(String.init) ?? ""
      #expect(
        code.range(of: #"(^|[\s:\-\[,])[&*][A-Za-z0-9_]+"#, options: .regularExpression) == nil,
        "\(name):\(index + 1) looks like an anchor or alias")
    }
  }

  /// Each shape the front end and the later stages must handle appears in some template.
  @Test(arguments: [
    ("rds-postgres.yaml", "MasterUserPassword: '{{resolve:ssm-secure:/myapp/prod/dbpassword:3}}'"),
    ("ecs-service.yaml", "CredentialsParameter: !Sub"),
    ("ecs-service.yaml", "ValueFrom: !Sub arn:${AWS::Partition}:ssm:"),
    ("ecs-service.yaml", "ValueFrom: !Sub \"arn:${AWS::Partition}:secretsmanager:"),
    ("codebuild.yaml", "Type: PARAMETER_STORE"),
    ("codebuild.yaml", "Type: SECRETS_MANAGER"),
    ("lambda-api.yaml", "{{resolve:secretsmanager:prod/MyApp/DBSecret:SecretString:password}}"),
    ("lambda-api.yaml", "{{resolve:secretsmanager:prod/MyApp/DBSecret:SecretString:username}}"),
    ("lambda-api.yaml", "{{resolve:ssm:/myapp/prod/db-host}}"),
    ("multi-env.yaml", "!Sub '{{resolve:ssm-secure:/myapp/${Env}/dbpassword}}'"),
    ("multi-env.yaml", "AWS::SSM::Parameter::Value<String>"),
    ("multi-env.yaml", "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"),
    ("multi-env.yaml", "/aws/service/ami-amazon-linux-latest/"),
    ("multi-env.yaml", "!FindInMap"),
    ("multi-env.yaml", "Conditions:"),
    ("join-composed.yaml", "- '{{resolve:secretsmanager:'"),
    ("join-composed.yaml", "!Sub '{{resolve:secretsmanager:${DBCredential}}}'"),
    ("join-composed.yaml", "Default: MyDatabaseSecret"),
    ("app-stack.json", "\"{{resolve:ssm-secure:/myapp/prod/redis-auth-token:1}}\""),
    ("app-stack.json", "{{resolve:secretsmanager:docker_username:SecretString:username}}"),
  ])
  func exercises(_ name: String, _ snippet: String) throws {
    #expect(try Self.text(name).contains(snippet), "\(name) no longer contains \(snippet)")
  }

  /// Every template is valid CloudFormation for cfn-lint (errors and warnings), where it is
  /// installed.
  @Test(.enabled(if: CFNLint.isInstalled, "cfn-lint is not installed (pip install cfn-lint)"))
  func cfnLintReportsNothing() throws {
    let result = try CFNLint.run(Self.names.map { Self.folder.appendingPathComponent($0).path })
    #expect(result.status == 0, "cfn-lint:\n\(result.output)")
  }
}

/// A parser that returns no tree must say why in a diagnostic; one that does neither is the
/// placeholder that stands until that part of the front end is written.
enum ParserProbe {
  static func parses(_ text: String, as format: ParsedDocument.Format) -> Bool {
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(SourceFile(path: "probe", text: text), into: &diagnostics)
    return (document.root != nil && document.format == format) || !diagnostics.isEmpty
  }
}

enum CFNLint {
  static let isInstalled: Bool = (try? run(["--version"]))?.status == 0

  static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["cfn-lint"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = try pipe.fileHandleForReading.readToEnd() ?? Data()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
  }
}
