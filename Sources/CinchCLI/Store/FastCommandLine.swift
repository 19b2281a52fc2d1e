import ArgumentParser

/// `cinch ssm get-parameter …` and `cinch secretsmanager get-secret-value …`, the reads that
/// scripts run once per value, parsed without swift-argument-parser.
///
/// ArgumentParser finds a command's options by reflection, and the Swift runtime answers each
/// first "does this type conform to that protocol" by scanning all of the binary's ~8,800
/// conformance records: for `get-parameter` ~52 scans, ~23 M of the ~60 M instructions the
/// process ran, on the thread the command waits for (Docs/Performance.md). These two commands
/// take only options that name one value or one flag, so a command line made of nothing else
/// is read here, in microseconds, into the same command value ArgumentParser would build.
///
/// Anything else returns nil and goes to ArgumentParser, which parses it, or reports it, as
/// always: `help` or `--help`, an option these commands do not have, one given twice (or a flag
/// with its `--no-` form), a value missing or starting with `-`, an empty `--name=`, `--`, a
/// positional word. `FastCommandLineTests` parses the same command lines both ways and compares
/// every property, and fails when the option groups gain a property this file does not set.
enum FastCommandLine {
  /// The command `arguments` (without the program name) names, or nil for ArgumentParser.
  static func command(_ arguments: [String]) -> (any AsyncParsableCommand)? {
    guard arguments.count >= 2, arguments.last != "help",
      let form = forms.first(where: { $0.group == arguments[0] && $0.command == arguments[1] }),
      let given = Given(arguments.dropFirst(2), form: form)
    else { return nil }
    var command = form.build(given)
    // ArgumentParser validates what it parsed; a value that does not pass is its to report.
    guard (try? command.validateAll()) != nil else { return nil }
    return command
  }

  /// Whether `command` would take `arguments`; for the set-up that runs before it.
  static func takes(_ arguments: [String]) -> Bool { command(arguments) != nil }

  /// A command this file parses: its own options and how its value is built.
  struct Form: Sendable {
    var group: String
    var command: String
    /// Long names (`--name`) of its options that take one value.
    var values: Set<String>
    /// Its flags: each word (`--with-decryption`, `--no-with-decryption`) → the property it sets
    /// and the value it sets it to.
    var flags: [String: Flag]
    var build: @Sendable (Given) -> any FastParsedCommand
  }

  struct Flag: Sendable {
    var property: String
    var value: Bool
  }

  /// What a command line gave, checked against a form.
  struct Given {
    var values: [String: String] = [:]
    var flags: [String: Bool] = [:]

    init?(_ words: ArraySlice<String>, form: Form) {
      var index = words.startIndex
      while index < words.endIndex {
        let word = words[index]
        guard word.hasPrefix("--"), word.count > 2 else { return nil }
        let name: String
        var inline: String?
        if let equals = word.firstIndex(of: "=") {
          name = String(word[..<equals])
          inline = String(word[word.index(after: equals)...])
        } else {
          name = word
        }
        if FastCommandLine.globalValues.contains(name) || form.values.contains(name) {
          let value: String
          if let inline {
            guard !inline.isEmpty else { return nil }
            value = inline
          } else {
            index += 1
            guard index < words.endIndex, !words[index].hasPrefix("-") else { return nil }
            value = words[index]
          }
          guard values.updateValue(value, forKey: name) == nil else { return nil }
        } else if inline == nil, let flag = FastCommandLine.globalFlags[name] ?? form.flags[name] {
          guard flags.updateValue(flag.value, forKey: flag.property) == nil else { return nil }
        } else {
          return nil
        }
        index += 1
      }
    }
  }

  /// The options of `AWSGlobalOptions` and `StoreOptions` that take a value.
  static let globalValues: Set<String> = [
    "--output", "--query", "--cli-input-json", "--region", "--profile", "--endpoint-url",
    "--color", "--cli-error-format", "--cli-binary-format", "--store", "--key-file",
  ]

  /// The flags of `AWSGlobalOptions`.
  static let globalFlags: [String: Flag] = [
    "--no-cli-pager": Flag(property: "no-cli-pager", value: true),
    "--debug": Flag(property: "debug", value: true),
  ]

  static let forms: [Form] = [
    Form(
      group: "ssm", command: "get-parameter", values: ["--name"],
      flags: [
        "--with-decryption": Flag(property: "with-decryption", value: true),
        "--no-with-decryption": Flag(property: "with-decryption", value: false),
      ]
    ) { given in
      var command = GetParameterCommand(given)
      command.name = given.values["--name"]
      command.withDecryption = given.flags["with-decryption"]
      return command
    },
    Form(
      group: "secretsmanager", command: "get-secret-value",
      values: ["--secret-id", "--version-id", "--version-stage"], flags: [:]
    ) { given in
      var command = GetSecretValueCommand(given)
      command.secretID = given.values["--secret-id"]
      command.versionID = given.values["--version-id"]
      command.versionStage = given.values["--version-stage"]
      return command
    },
  ]
}

/// A command `FastCommandLine` builds: the aws CLI's options and the store's, and its own.
protocol FastParsedCommand: AsyncParsableCommand {
  var global: AWSGlobalOptions { get set }
  var storeOptions: StoreOptions { get set }
}

extension FastParsedCommand {
  fileprivate init(_ given: FastCommandLine.Given) {
    self.init()
    global = AWSGlobalOptions(given)
    storeOptions = StoreOptions(given)
  }

  /// What ArgumentParser runs after parsing: each option group's `validate`, then the command's.
  fileprivate mutating func validateAll() throws {
    try global.validate()
    try storeOptions.validate()
    try validate()
  }
}

extension GetParameterCommand: FastParsedCommand {}
extension GetSecretValueCommand: FastParsedCommand {}

extension AWSGlobalOptions {
  /// Every property set, as ArgumentParser sets them: a property left unset would stop the
  /// process when read.
  fileprivate init(_ given: FastCommandLine.Given) {
    self.init()
    output = given.values["--output"]
    query = given.values["--query"]
    cliInputJSON = given.values["--cli-input-json"]
    noCLIPager = given.flags["no-cli-pager"] ?? false
    region = given.values["--region"]
    profile = given.values["--profile"]
    endpointURL = given.values["--endpoint-url"]
    color = given.values["--color"]
    debug = given.flags["debug"] ?? false
    cliErrorFormat = given.values["--cli-error-format"]
    cliBinaryFormat = given.values["--cli-binary-format"]
  }
}

extension StoreOptions {
  fileprivate init(_ given: FastCommandLine.Given) {
    self.init()
    store = given.values["--store"]
    keyFile = given.values["--key-file"]
  }
}
