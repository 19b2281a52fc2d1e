import ArgumentParser
import PropertyBased
import Testing

@testable import CinchCLI

/// `FastCommandLine` parses `ssm get-parameter` and `secretsmanager get-secret-value` without
/// ArgumentParser. Whatever it takes must come out exactly as ArgumentParser parses it, and
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
      put("no-cli-pager", "\(global.noCLIPager)")
      put("region", global.region)
      put("profile", global.profile)
      put("endpoint-url", global.endpointURL)
      put("color", global.color)
      put("debug", "\(global.debug)")
      put("cli-error-format", global.cliErrorFormat)
      put("cli-binary-format", global.cliBinaryFormat)
      put("store", store.store)
      put("key-file", store.keyFile)
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
    default:
      put("command", "\(type(of: command))")
    }
    return result
  }

  /// The property lists the fast path sets by hand: a new option in one of these types must be
  /// added to `FastCommandLine` (and above), or reading it would stop the process.
  @Test func theOptionGroupsHaveThePropertiesTheFastPathSets() {
    #expect(
      Mirror(reflecting: AWSGlobalOptions()).children.count == 11,
      "AWSGlobalOptions changed: teach FastCommandLine (and this test) its options")
    #expect(
      Mirror(reflecting: StoreOptions()).children.count == 2,
      "StoreOptions changed: teach FastCommandLine (and this test) its options")
    #expect(Mirror(reflecting: GetParameterCommand()).children.count == 4)
    #expect(Mirror(reflecting: GetSecretValueCommand()).children.count == 5)
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
    [
      "secretsmanager", "get-secret-value", "--secret-id", "prod/MyApp/DBSecret",
      "--version-stage", "AWSPREVIOUS",
    ],
    ["secretsmanager", "get-secret-value", "--secret-id=s", "--version-id=v=1", "--debug"],
    ["secretsmanager", "get-secret-value", "--no-cli-pager", "--query", "SecretString"],
  ]

  @Test(arguments: commandLines) func parsesAsArgumentParserDoes(_ arguments: [String]) throws {
    let fast = try #require(FastCommandLine.command(arguments), "\(arguments)")
    let parsed = try CinchMain.parseAsRoot(arguments)
    #expect(Self.properties(fast) == Self.properties(parsed), "\(arguments)")
  }

  /// Random command lines from every option, in any order, in both spellings.
  @Test func parsesGeneratedCommandLinesAsArgumentParserDoes() throws {
    let global = [
      "--output", "--query", "--cli-input-json", "--region", "--profile", "--endpoint-url",
      "--color", "--cli-error-format", "--cli-binary-format", "--store", "--key-file",
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
      for flag in ["--debug", "--no-cli-pager"] where Bool.random(using: &generator) {
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
  ])
  func leavesEverythingElseToArgumentParser(_ arguments: [String]) {
    #expect(FastCommandLine.command(arguments) == nil, "\(arguments)")
  }
}
