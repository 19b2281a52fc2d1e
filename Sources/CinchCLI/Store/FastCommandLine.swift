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
    guard let (form, given) = parse(arguments) else { return nil }
    var command = form.build(given)
    // ArgumentParser validates what it parsed; a value that does not pass is its to report.
    guard (try? command.validateAll()) != nil else { return nil }
    return command
  }

  /// Whether `arguments` are a line this file parses, for the set-up that runs before the
  /// command line is parsed. It builds no command: the first value of a command type makes the
  /// runtime check its generic requirements (~1.5 M instructions), which would hold back the
  /// thread that set-up starts.
  static func takes(_ arguments: [String]) -> Bool { parse(arguments) != nil }

  private static func parse(_ arguments: [String]) -> (Form, Given)? {
    guard arguments.count >= 2, arguments.last != "help",
      let form = forms.first(where: { $0.group == arguments[0] && $0.command == arguments[1] }),
      let given = Given(arguments.dropFirst(2), form: form)
    else { return nil }
    return (form, given)
  }

  /// A command this file parses: its own options and how its value is built.
  struct Form: Sendable {
    var group: String
    var command: String
    /// Long names (`--name`) of its options that take one value.
    var values: [String]
    /// Its flags: each word (`--with-decryption`, `--no-with-decryption`), the property it sets
    /// and the value it sets it to.
    var flags: [Flag]
    var build: @Sendable (Given) -> any FastParsedCommand
  }

  struct Flag: Sendable {
    var word: String
    var property: String
    var value: Bool
  }

  /// What a command line gave, checked against a form. Kept in arrays, not dictionaries, for the
  /// reason `ProcessSetup.templateOnly` gives: a handful of entries, read a few times.
  struct Given {
    private var values: [(option: String, value: String)] = []
    private var flags: [(property: String, value: Bool)] = []

    /// The value of the option `--name`, if given.
    subscript(option: String) -> String? { values.first { $0.option == option }?.value }

    /// The value a flag gave `property`, if one was given.
    subscript(flag property: String) -> Bool? { flags.first { $0.property == property }?.value }

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
          guard self[name] == nil else { return nil }
          values.append((name, value))
        } else if inline == nil,
          let flag = FastCommandLine.globalFlags.first(where: { $0.word == name })
            ?? form.flags.first(where: { $0.word == name })
        {
          guard self[flag: flag.property] == nil else { return nil }
          flags.append((flag.property, flag.value))
        } else {
          return nil
        }
        index += 1
      }
    }
  }

  /// The options of `AWSGlobalOptions` and `StoreOptions` that take a value. Arrays rather than
  /// sets, as `ProcessSetup.templateOnly` says why.
  static let globalValues = [
    "--output", "--query", "--cli-input-json", "--region", "--profile", "--endpoint-url",
    "--color", "--cli-error-format", "--cli-binary-format", "--store", "--key-file",
  ]

  /// The flags of `AWSGlobalOptions`.
  static let globalFlags = [
    Flag(word: "--no-cli-pager", property: "no-cli-pager", value: true),
    Flag(word: "--debug", property: "debug", value: true),
  ]

  static let forms: [Form] = [
    Form(
      group: "ssm", command: "get-parameter", values: ["--name"],
      flags: [
        Flag(word: "--with-decryption", property: "with-decryption", value: true),
        Flag(word: "--no-with-decryption", property: "with-decryption", value: false),
      ]
    ) { given in
      var command = GetParameterCommand(given)
      command.name = given["--name"]
      command.withDecryption = given[flag: "with-decryption"]
      return command
    },
    Form(
      group: "secretsmanager", command: "get-secret-value",
      values: ["--secret-id", "--version-id", "--version-stage"], flags: []
    ) { given in
      var command = GetSecretValueCommand(given)
      command.secretID = given["--secret-id"]
      command.versionID = given["--version-id"]
      command.versionStage = given["--version-stage"]
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
    output = given["--output"]
    query = given["--query"]
    cliInputJSON = given["--cli-input-json"]
    noCLIPager = given[flag: "no-cli-pager"] ?? false
    region = given["--region"]
    profile = given["--profile"]
    endpointURL = given["--endpoint-url"]
    color = given["--color"]
    debug = given[flag: "debug"] ?? false
    cliErrorFormat = given["--cli-error-format"]
    cliBinaryFormat = given["--cli-binary-format"]
  }
}

extension StoreOptions {
  fileprivate init(_ given: FastCommandLine.Given) {
    self.init()
    store = given["--store"]
    keyFile = given["--key-file"]
  }
}
