import ArgumentParser
import PropertyBased
import Testing

@testable import CinchCLI

/// `FastCommandLine` parses `check`, `lock`, `render`, `ssm get-parameter` and
/// `secretsmanager get-secret-value` without ArgumentParser. Whatever it takes must come out exactly as ArgumentParser parses it, and
/// whatever it cannot be sure of must go to ArgumentParser.
@Suite struct FastCommandLineTests {
  /// Every property of a parsed command, as text.
  static func properties(_ command: any ParsableCommand) -> [String: String] {
    var result: [String: String] = [:]
    func put(_ key: String, _ value: String?) { result[key] = value.map { "'\($0)'" } ?? "nil" }
    func options(_ global: AWSGlobalOptions, _ store: StoreOptions) {
      put("output", global.output)
      put("query", global.query)
      put("cli-input-json", global.cliInputJSON)
      put("cli-input-yaml", global.cliInputYAML)
      put("generate-cli-skeleton", global.generateCLISkeleton)
      put("no-cli-pager", "\(global.noCLIPager)")
      put("region", global.region)
      put("profile", global.profile)
      put("endpoint-url", global.endpointURL)
      put("color", global.color)
      put("debug", "\(global.debug)")
      put("cli-error-format", global.cliErrorFormat)
      put("cli-binary-format", global.cliBinaryFormat)
      put("cli-read-timeout", global.connectionOptions.cliReadTimeout)
      put("cli-connect-timeout", global.connectionOptions.cliConnectTimeout)
      put("no-verify-ssl", "\(global.connectionOptions.noVerifySSL)")
      put("ca-bundle", global.connectionOptions.caBundle)
      put("no-paginate", "\(global.noPaginate)")
      put("no-cli-auto-prompt", "\(global.noCLIAutoPrompt)")
      put("cli-auto-prompt", "\(global.cliAutoPrompt)")
      put("store", store.store)
      put("key-file", store.keyFile)
    }
    func shared(
      _ output: DiagnosticOutputOptions, _ store: StoreOptions, _ awsAccess: AWSAccessOptions,
      _ evaluation: EvaluationOptions, _ limitOptions: ParseLimitOptions
    ) {
      put("format", output.format.rawValue)
      put("store", store.store)
      put("key-file", store.keyFile)
      put("profile", awsAccess.profile)
      put("endpoint-url", awsAccess.endpointURL)
      put("parameters", "\(evaluation.parameterFiles)")
      put("parameter-overrides", "\(evaluation.parameterOverrides)")
      put("region", evaluation.region)
      put("account-id", evaluation.accountId)
      put("stack-name", evaluation.stackName)
      let limits = limitOptions.limits
      put(
        "limits",
        "\(limits.maxFileSize) \(limits.maxDepth) \(limits.maxNodes) "
          + "\(limits.maxAliasNodes) \(limits.maxScalarLength)")
    }
    switch command {
    case let parsed as GetParameterCommand:
      put("command", "get-parameter")
      options(parsed.global, parsed.storeOptions)
      put("name", parsed.name)
      put("with-decryption", parsed.withDecryption.map { "\($0)" })
    case let parsed as GetSecretValueCommand:
      put("command", "get-secret-value")
      options(parsed.global, parsed.storeOptions)
      put("secret-id", parsed.secretID)
      put("version-id", parsed.versionID)
      put("version-stage", parsed.versionStage)
    case let parsed as CheckCommand:
      put("command", "check")
      put("files", "\(parsed.files)")
      put("offline", "\(parsed.offline)")
      put("lock", parsed.lock)
      put("frozen", "\(parsed.frozen)")
      put("ignore", "\(parsed.ignore)")
      put("warnings-as-errors", "\(parsed.warningsAsErrors)")
      shared(
        parsed.output, parsed.storeOptions, parsed.awsAccess, parsed.evaluation,
        parsed.limitOptions)
    case let parsed as LockCommand:
      put("command", "lock")
      put("arguments", "\(parsed.arguments)")
      put("update", "\(parsed.update)")
      put("only", "\(parsed.only)")
      put("lock", parsed.lock)
      shared(
        parsed.output, parsed.storeOptions, parsed.awsAccess, parsed.evaluation,
        parsed.limitOptions)
    case let parsed as RenderCommand:
      put("command", "render")
      put("files", "\(parsed.files)")
      put("output", parsed.output)
      put("mode", parsed.mode.rawValue)
      put("frozen", "\(parsed.frozen)")
      put("reveal", "\(parsed.reveal)")
      put("lock", parsed.lock)
      shared(
        parsed.diagnosticOutput, parsed.storeOptions, parsed.awsAccess, parsed.evaluation,
        parsed.limitOptions)
    default:
      put("command", "\(type(of: command))")
    }
    return result
  }

  /// The property lists the fast path sets by hand: a new option in one of these types must be
  /// added to `FastCommandLine` (and above), or reading it would stop the process.
  @Test func theOptionGroupsHaveThePropertiesTheFastPathSets() {
    #expect(
      Mirror(reflecting: AWSGlobalOptions()).children.count == 17,
      "AWSGlobalOptions changed: teach FastCommandLine (and this test) its options")
    #expect(
      Mirror(reflecting: AWSConnectionOptions()).children.count == 4,
      "AWSConnectionOptions changed: teach FastCommandLine (and this test) its options")
    #expect(
      Mirror(reflecting: StoreOptions()).children.count == 2,
      "StoreOptions changed: teach FastCommandLine (and this test) its options")
    #expect(Mirror(reflecting: GetParameterCommand()).children.count == 4)
    #expect(Mirror(reflecting: GetSecretValueCommand()).children.count == 5)
    #expect(
      Mirror(reflecting: CheckCommand()).children.count == 11,
      "CheckCommand changed: teach FastCommandLine (and this test) its options")
    #expect(Mirror(reflecting: LockCommand()).children.count == 9)
    #expect(Mirror(reflecting: RenderCommand()).children.count == 11)
    #expect(
      Mirror(reflecting: AWSAccessOptions()).children.count == 2,
      "AWSAccessOptions changed: teach FastCommandLine (and this test) its options")
    #expect(Mirror(reflecting: DiagnosticOutputOptions()).children.count == 1)
    #expect(Mirror(reflecting: EvaluationOptions()).children.count == 5)
    #expect(Mirror(reflecting: ParseLimitOptions()).children.count == 5)
  }

  static let commandLines: [[String]] = [
    ["ssm", "get-parameter", "--name", "/myapp/prod/dbpassword"],
    ["ssm", "get-parameter", "--name", "/a", "--with-decryption"],
    ["ssm", "get-parameter", "--no-with-decryption", "--name=/a"],
    [
      "ssm", "get-parameter", "--name", "docker_username", "--query", "Parameter.Value",
      "--output", "text",
    ],
    ["ssm", "get-parameter", "--name", "/a:3", "--store", "s.db", "--key-file", "k"],
    ["ssm", "get-parameter", "--name", "", "--region", "eu-west-1"],
    ["ssm", "get-parameter", "--cli-input-json", #"{"Name":"/a"}"#],
    ["ssm", "get-parameter", "--cli-input-yaml", "Name: /a"],
    ["ssm", "get-parameter", "--generate-cli-skeleton", "yaml-input"],
    [
      "secretsmanager", "get-secret-value", "--secret-id", "prod/MyApp/DBSecret",
      "--version-stage", "AWSPREVIOUS",
    ],
    ["secretsmanager", "get-secret-value", "--secret-id=s", "--version-id=v=1", "--debug"],
    ["secretsmanager", "get-secret-value", "--no-cli-pager", "--query", "SecretString"],
    [
      "ssm", "get-parameter", "--name", "/a", "--cli-read-timeout", "0", "--cli-connect-timeout=5",
      "--no-verify-ssl", "--ca-bundle", "ca.pem", "--no-paginate", "--no-cli-auto-prompt",
    ],
    ["check"],
    ["check", "templates/app.yaml"],
    ["check", "a.yaml", "b.json", "--format", "sarif", "--offline"],
    ["check", "--format=github", "--lock", "ci/cinch.lock", "--frozen", "a.yaml"],
    ["check", "a.yaml", "--ignore", "E2020", "--ignore=pin-behind,W6008", "--warnings-as-errors"],
    [
      "check", "a.yaml", "--parameters", "p.json", "--parameters", "q.yaml", "--region",
      "eu-west-1",
    ],
    ["check", "a.yaml", "--account-id", "111122223333", "--stack-name", "prod", "--store", "s.db"],
    ["check", "a.yaml", "--key-file", "k", "--max-depth", "200", "--max-nodes=+5"],
    [
      "check", "a.yaml", "--max-file-size", "1", "--max-alias-nodes", "9", "--max-scalar-length",
      "7",
    ],
    ["lock"],
    ["lock", "a.yaml", "b.yaml", "--lock", "x.lock", "--parameters", "p.json"],
    ["lock", "--update", "/app/db/password", "prod/App/Db", "--format", "json"],
    ["lock", "--only", "a.yaml", "--update"],
    ["lock", "a.yaml", "--store", "aws://eu-west-1", "--region", "eu-west-1", "--max-nodes", "9"],
    ["lock", "a.yaml", "--store", "aws://", "--profile", "prod", "--endpoint-url", "http://h:1"],
    ["render", "a.yaml", "-o", "out"],
    ["render", "a.yaml", "-o", "-", "--mode", "pin"],
    ["render", "--output=-", "--mode=inline", "--reveal", "a.yaml", "b.json"],
    ["render", "-o", "dist", "--frozen", "--lock", "c.lock", "--account-id", "123456789012"],
  ]

  @Test(arguments: commandLines) func parsesAsArgumentParserDoes(_ arguments: [String]) throws {
    let fast = try #require(FastCommandLine.command(arguments), "\(arguments)")
    let parsed = try CinchMain.parseAsRoot(arguments)
    #expect(Self.properties(fast) == Self.properties(parsed), "\(arguments)")
  }

  /// Random command lines from every option, in any order, in both spellings.
  @Test func parsesGeneratedCommandLinesAsArgumentParserDoes() throws {
    let global = [
      "--output", "--query", "--cli-input-json", "--cli-input-yaml", "--region", "--profile",
      "--endpoint-url", "--color", "--cli-error-format", "--cli-binary-format", "--store",
      "--key-file", "--cli-read-timeout", "--cli-connect-timeout", "--ca-bundle",
    ]
    let forms: [(path: [String], values: [String], flags: [[String]])] = [
      (["ssm", "get-parameter"], ["--name"], [["--with-decryption", "--no-with-decryption"]]),
      (
        ["secretsmanager", "get-secret-value"], ["--secret-id", "--version-id", "--version-stage"],
        []
      ),
    ]
    let values = ["/a", "", "x=y", "a b/ü", "AWSCURRENT", "Parameter.Value", "json", "help"]
    var generator = Xoshiro(seed: (12, 2, 3, 4))
    var compared = 0
    for _ in 0..<400 {
      let form = forms.randomElement(using: &generator)!
      var words: [[String]] = []
      for option in (global + form.values) where Bool.random(using: &generator) {
        let value = values.randomElement(using: &generator)!
        words.append(
          Bool.random(using: &generator) && !value.isEmpty
            ? ["\(option)=\(value)"] : [option, value])
      }
      for flag in [
        "--debug", "--no-cli-pager", "--no-verify-ssl", "--no-paginate", "--no-cli-auto-prompt",
        "--cli-auto-prompt",
      ] where Bool.random(using: &generator) {
        words.append([flag])
      }
      for pair in form.flags where Bool.random(using: &generator) {
        words.append([pair.randomElement(using: &generator)!])
      }
      words.shuffle(using: &generator)
      let arguments = form.path + words.flatMap { $0 }
      guard let fast = FastCommandLine.command(arguments) else {
        // Only a line ending in the word `help` (ArgumentParser's `help` for the command).
        #expect(arguments.last == "help", "\(arguments)")
        continue
      }
      let parsed = try CinchMain.parseAsRoot(arguments)
      #expect(Self.properties(fast) == Self.properties(parsed), "\(arguments)")
      compared += 1
    }
    #expect(compared > 300)
  }

  /// A compiler command for generated lines: its words and what may follow them.
  struct CompilerForm: Sendable, CustomStringConvertible {
    var path: String
    var values: [(option: String, values: [String])]
    var lists: [(option: String, values: [String])]
    var flags: [String]
    var description: String { path }

    static let sharedValues: [(option: String, values: [String])] = [
      ("--lock", ["cinch.lock", "ci/a b.lock", "x=y"]),
      ("--format", ["human", "json", "sarif", "github"]),
      ("--store", ["s.db", "aws://eu-west-1"]), ("--key-file", ["k", "ü/k"]),
      ("--region", ["us-east-1", "eu-west-3"]), ("--account-id", ["123456789012"]),
      ("--stack-name", ["prod", "a-b"]), ("--max-file-size", ["1", "1048576"]),
      ("--max-depth", ["1", "1000"]), ("--max-nodes", ["10", "+3"]),
      ("--max-alias-nodes", ["0x10", "50"]), ("--max-scalar-length", ["100"]),
      ("--profile", ["deploy"]), ("--endpoint-url", ["http://127.0.0.1:4566"]),
    ]
    static let parameters = ("--parameters", ["p.json", "q.yaml", "p.json"])

    static let all = [
      CompilerForm(
        path: "check", values: sharedValues,
        lists: [("--ignore", ["E2020", "pin-behind", "W6008,E2032"]), parameters],
        flags: ["--offline", "--frozen", "--warnings-as-errors"]),
      CompilerForm(
        path: "lock", values: sharedValues, lists: [parameters], flags: ["--update", "--only"]),
      CompilerForm(
        path: "render",
        values: sharedValues + [
          ("--output", ["out", "-", "a b"]), ("--mode", ["pin", "inline"]),
        ],
        lists: [parameters], flags: ["--frozen", "--reveal"]),
    ]
  }

  /// Random lines of `check`, `lock` and `render` from every option the fast path takes, in
  /// both spellings, files anywhere among them.
  @Test(arguments: CompilerForm.all)
  func parsesGeneratedCompilerLinesAsArgumentParserDoes(_ form: CompilerForm) throws {
    let files = ["a.yaml", "templates/b.json", "c d.yml", "x=y.yaml"]
    var generator = Xoshiro(seed: (7, 2, 3, UInt64(form.path.utf8.count)))
    var compared = 0
    for _ in 0..<200 {
      var words: [[String]] = []
      for (option, choices) in form.values where Bool.random(using: &generator) {
        let value = choices.randomElement(using: &generator)!
        words.append(Bool.random(using: &generator) ? ["\(option)=\(value)"] : [option, value])
      }
      for (option, choices) in form.lists {
        for _ in 0..<Int.random(in: 0...2, using: &generator) {
          words.append([option, choices.randomElement(using: &generator)!])
        }
      }
      for flag in form.flags where Bool.random(using: &generator) {
        words.append([flag])
      }
      for _ in 0..<Int.random(in: 0...3, using: &generator) {
        words.append([files.randomElement(using: &generator)!])
      }
      words.shuffle(using: &generator)
      let arguments = [form.path] + words.flatMap { $0 }
      let parsed = try? CinchMain.parseAsRoot(arguments)
      guard let fast = FastCommandLine.command(arguments) else {
        // Only what ArgumentParser refuses too (a hexadecimal `--max-alias-nodes`, `render`
        // without `--output`).
        #expect(parsed == nil, "\(arguments)")
        continue
      }
      let reference = try #require(parsed, "\(arguments)")
      #expect(Self.properties(fast) == Self.properties(reference), "\(arguments)")
      compared += 1
    }
    #expect(compared > 50)
  }

  @Test(arguments: [
    [],
    ["ssm"],
    ["ssm", "get-parameter", "--help"],
    ["ssm", "get-parameter", "-h"],
    ["ssm", "get-parameter", "help"],
    ["ssm", "get-parameter", "--name", "a", "help"],
    ["ssm", "get-parameter", "--name", "a", "--name", "b"],
    ["ssm", "get-parameter", "--name", "a", "--name=b"],
    ["ssm", "get-parameter", "--with-decryption", "--no-with-decryption"],
    ["ssm", "get-parameter", "--debug", "--debug"],
    ["ssm", "get-parameter", "--output", "json", "--output", "text"],
    ["ssm", "get-parameter", "--name"],
    ["ssm", "get-parameter", "--name", "-x"],
    ["ssm", "get-parameter", "--name", "--with-decryption"],
    ["ssm", "get-parameter", "--name="],
    ["ssm", "get-parameter", "--with-decryption=true"],
    ["ssm", "get-parameter", "--", "--name", "a"],
    ["ssm", "get-parameter", "a"],
    ["ssm", "get-parameter", "--nme", "a"],
    ["ssm", "get-parameter", "-n", "a"],
    ["ssm", "get-parameters", "--names", "a"],
    ["ssm", "--name", "a", "get-parameter"],
    ["secretsmanager", "get-secret-value", "--secret-id", "s", "--name", "a"],
    ["secretsmanager", "get-secret-value", "--secret-id", "s", "--with-decryption"],
    ["check", "--help"],
    ["check", "-h"],
    ["check", "help"],
    ["check", "a.yaml", "help"],
    ["check", "-"],
    ["check", "--", "a.yaml"],
    ["check", "a.yaml", "--parameter-overrides", "Env=prod"],
    ["check", "a.yaml", "--format", "xml"],
    ["check", "a.yaml", "--format"],
    ["check", "a.yaml", "--format", "json", "--format", "sarif"],
    ["check", "a.yaml", "--lock", "a", "--lock=b"],
    ["check", "a.yaml", "--offline", "--offline"],
    ["check", "a.yaml", "--offline=true"],
    ["check", "a.yaml", "--max-depth", "ten"],
    ["check", "a.yaml", "--max-depth", "-1"],
    ["check", "a.yaml", "--max-depth", "0"],
    ["check", "a.yaml", "--max-depth", "5000"],
    ["check", "a.yaml", "--ignore", "E9999"],
    ["check", "a.yaml", "--ignore="],
    ["check", "a.yaml", "--with-decryption"],
    ["check", "a.yaml", "--output", "json"],
    ["lock", "a.yaml", "--ignore", "E2020"],
    ["lock", "a.yaml", "--update", "--update"],
    ["lock", "a.yaml", "-o", "out"],
    ["render", "a.yaml"],
    ["render", "a.yaml", "-o"],
    ["render", "a.yaml", "-oout"],
    ["render", "a.yaml", "-o=out"],
    ["render", "a.yaml", "-o", "a", "--output", "b"],
    ["render", "a.yaml", "-o", "out", "--mode", "both"],
    ["render", "a.yaml", "-o", "out", "--offline"],
    ["render", "a.yaml", "-o", "dist", "--account-id", "1"],
    ["plan", "a.yaml"],
    ["--store", "s.db", "check", "a.yaml"],
  ])
  func leavesEverythingElseToArgumentParser(_ arguments: [String]) {
    #expect(FastCommandLine.command(arguments) == nil, "\(arguments)")
  }
}
