import ArgumentParser
import CinchCompiler
import CinchTemplate

/// The command lines run most often, parsed without swift-argument-parser: `cinch check FILE…`
/// (every pull request, every save in an editor), `cinch lock` and `cinch render` (every
/// deploy), and the reads scripts run once per value, `cinch ssm get-parameter …` and
/// `cinch secretsmanager get-secret-value …`.
///
/// ArgumentParser finds a command's options by reflection, and the Swift runtime answers each
/// first "does this type conform to that protocol" by scanning all of the binary's ~8,800
/// conformance records: for `get-parameter` ~52 scans, ~23 M of the ~60 M instructions the
/// process ran; for `check` 28 M instructions, ~4.8 ms of a 500-resource template's ~45 ms
/// (Benchmarks/NOTES.md), on the thread the command waits for. A command line made only of
/// the words a form below lists is read here, in microseconds, into the same command value
/// ArgumentParser would build.
///
/// Anything else returns nil and goes to ArgumentParser, which parses it, or reports it, as
/// always: `help` or `--help`, an option the command does not have, a single-value option
/// given twice (or a flag, or a flag with its `--no-` form), a value missing or starting with
/// `-` (but `-` itself), an empty `--name=`, `--`, a positional word where the command takes none, a value that
/// does not convert (`--format xml`, `--max-depth ten`), and anything the command's `validate`
/// refuses. `FastCommandLineTests` parses the same command lines both ways and compares every
/// property, and fails when a command or option group gains a property this file does not
/// set.
enum FastCommandLine {
  /// The command `arguments` (without the program name) names, or nil for ArgumentParser.
  static func command(_ arguments: [String]) -> (any ParsableCommand)? {
    guard let (form, given) = parse(arguments), var command = form.build(given) else {
      return nil
    }
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
    guard arguments.last != "help",
      let form = forms.first(where: { arguments.starts(with: $0.path) }),
      let given = Given(arguments.dropFirst(form.path.count), form: form)
    else { return nil }
    return (form, given)
  }

  /// A command this file parses: its words, its options and how its value is built.
  struct Form: Sendable {
    var path: [String]
    /// Long names (`--name`) of its options that take one value, at most once.
    var values: [String]
    /// Long names of its options that take one value each time and may repeat (`--ignore`).
    var lists: [String] = []
    /// Its flags: each word (`--with-decryption`, `--no-with-decryption`), the property it sets
    /// and the value it sets it to.
    var flags: [Flag]
    /// Whether it takes positional arguments (template files).
    var positionals = false
    /// Short names (`-o`) of its options, each for a long name; only as a word of its own,
    /// the value in the next word.
    var shortNames: [String: String] = [:]
    /// The command, or nil when a value does not convert (ArgumentParser reports it).
    var build: @Sendable (Given) -> (any FastParsedCommand)?
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
    /// The positional words, in order.
    private(set) var positionals: [String] = []

    /// The value of the single-value option `--name`, if given.
    subscript(option: String) -> String? { values.first { $0.option == option }?.value }

    /// Every value of the repeatable option `--name`, in order.
    func all(_ option: String) -> [String] { values.filter { $0.option == option }.map(\.value) }

    /// The value a flag gave `property`, if one was given.
    subscript(flag property: String) -> Bool? { flags.first { $0.property == property }?.value }

    /// The value of `--name` converted as ArgumentParser converts it; `.some(nil)` when it was
    /// not given, nil when it does not convert.
    func converted<Value: ExpressibleByArgument>(_ option: String, as _: Value.Type) -> Value?? {
      guard let text = self[option] else { return .some(nil) }
      return Value(argument: text).map { .some($0) }
    }

    init?(_ words: ArraySlice<String>, form: Form) {
      var index = words.startIndex
      while index < words.endIndex {
        let word = words[index]
        guard word.hasPrefix("-") else {
          // `help` among the files may be ArgumentParser's `help` for the command.
          guard form.positionals, word != "help" else { return nil }
          positionals.append(word)
          index += 1
          continue
        }
        let name: String
        var inline: String?
        if let long = form.shortNames[word] {
          name = long
        } else if !word.hasPrefix("--") || word.count <= 2 {
          return nil
        } else if let equals = word.firstIndex(of: "=") {
          name = String(word[..<equals])
          inline = String(word[word.index(after: equals)...])
        } else {
          name = word
        }
        let single = form.values.contains(name)
        if single || form.lists.contains(name) {
          let value: String
          if let inline {
            guard !inline.isEmpty else { return nil }
            value = inline
          } else {
            index += 1
            // `-` alone is a value (`render -o -`: standard output), as ArgumentParser takes it.
            guard index < words.endIndex, words[index] == "-" || !words[index].hasPrefix("-")
            else { return nil }
            value = words[index]
          }
          guard !single || self[name] == nil else { return nil }
          values.append((name, value))
        } else if inline == nil, let flag = form.flags.first(where: { $0.word == name }) {
          guard self[flag: flag.property] == nil else { return nil }
          flags.append((flag.property, flag.value))
        } else {
          return nil
        }
        index += 1
      }
    }
  }

  static let forms: [Form] = [
    Form(
      path: ["ssm", "get-parameter"], values: awsValues + storeValues + ["--name"],
      flags: awsFlags + [
        Flag(word: "--with-decryption", property: "with-decryption", value: true),
        Flag(word: "--no-with-decryption", property: "with-decryption", value: false),
      ]
    ) { given in
      var command = GetParameterCommand()
      command.global = AWSGlobalOptions(given)
      command.storeOptions = StoreOptions(given)
      command.name = given["--name"]
      command.withDecryption = given[flag: "with-decryption"]
      return command
    },
    Form(
      path: ["secretsmanager", "get-secret-value"],
      values: awsValues + storeValues + ["--secret-id", "--version-id", "--version-stage"],
      flags: awsFlags
    ) { given in
      var command = GetSecretValueCommand()
      command.global = AWSGlobalOptions(given)
      command.storeOptions = StoreOptions(given)
      command.secretID = given["--secret-id"]
      command.versionID = given["--version-id"]
      command.versionStage = given["--version-stage"]
      return command
    },
    // The compiler's commands. `--parameter-overrides` takes the words up to the next option:
    // left to ArgumentParser.
    Form(
      path: ["check"], values: ["--lock"] + compilerValues, lists: ["--ignore", "--parameters"],
      flags: [
        Flag(word: "--offline", property: "offline", value: true),
        Flag(word: "--frozen", property: "frozen", value: true),
        Flag(word: "--warnings-as-errors", property: "warnings-as-errors", value: true),
      ],
      positionals: true
    ) { given in
      guard let shared = CompilerOptions(given) else { return nil }
      var command = CheckCommand()
      command.files = given.positionals
      command.offline = given[flag: "offline"] ?? false
      command.lockfile = LockfileOption(given)
      command.frozen = given[flag: "frozen"] ?? false
      command.ignore = given.all("--ignore")
      command.warningsAsErrors = given[flag: "warnings-as-errors"] ?? false
      shared.apply(to: &command)
      return command
    },
    Form(
      path: ["lock"], values: ["--lock"] + compilerValues, lists: ["--parameters"],
      flags: [
        Flag(word: "--update", property: "update", value: true),
        Flag(word: "--only", property: "only", value: true),
      ], positionals: true
    ) { given in
      guard let shared = CompilerOptions(given) else { return nil }
      var command = LockCommand()
      command.arguments = given.positionals
      command.update = given[flag: "update"] ?? false
      command.only = given[flag: "only"] ?? false
      command.lock = given["--lock"] ?? Lockfile.defaultPath
      shared.apply(to: &command)
      return command
    },
    Form(
      path: ["render"], values: ["--output", "--mode", "--lock"] + compilerValues,
      lists: ["--parameters"],
      flags: [
        Flag(word: "--frozen", property: "frozen", value: true),
        Flag(word: "--reveal", property: "reveal", value: true),
      ],
      positionals: true, shortNames: ["-o": "--output"]
    ) { given in
      // `--output` has no default: without it ArgumentParser says what is missing.
      guard let output = given["--output"],
        let mode = given.converted("--mode", as: RenderCommand.Mode.self),
        let shared = CompilerOptions(given)
      else { return nil }
      var command = RenderCommand()
      command.files = given.positionals
      command.output = output
      command.mode = mode ?? .pin
      command.frozen = given[flag: "frozen"] ?? false
      command.reveal = given[flag: "reveal"] ?? false
      command.lockfile = LockfileOption(given)
      shared.apply(to: &command)
      return command
    },
  ]

  /// The options of `AWSGlobalOptions` that take a value. Arrays rather than sets, as
  /// `ProcessSetup.templateOnly` says why.
  static let awsValues = [
    "--output", "--query", "--cli-input-json", "--cli-input-yaml", "--generate-cli-skeleton",
    "--region", "--profile",
    "--endpoint-url",
    "--color", "--cli-error-format", "--cli-binary-format",
    "--cli-read-timeout", "--cli-connect-timeout", "--ca-bundle",
  ]

  /// The flags of `AWSGlobalOptions`.
  static let awsFlags = [
    Flag(word: "--no-cli-pager", property: "no-cli-pager", value: true),
    Flag(word: "--debug", property: "debug", value: true),
    Flag(word: "--no-verify-ssl", property: "no-verify-ssl", value: true),
    Flag(word: "--no-paginate", property: "no-paginate", value: true),
    Flag(word: "--no-cli-auto-prompt", property: "no-cli-auto-prompt", value: true),
    Flag(word: "--cli-auto-prompt", property: "cli-auto-prompt", value: true),
  ]

  /// The options of `StoreOptions`.
  static let storeValues = ["--store", "--key-file"]

  /// The single-value options of the option groups the compiler's commands share
  /// (`CompilerOptions`): `DiagnosticOutputOptions`, `StoreOptions`, `AWSAccessOptions`,
  /// `EvaluationOptions` but its `--parameters` (which repeats), `ParseLimitOptions`.
  static let compilerValues =
    ["--format"] + storeValues + ["--profile", "--endpoint-url"] + [
      "--region", "--account-id", "--stack-name", "--max-file-size", "--max-depth", "--max-nodes",
      "--max-alias-nodes", "--max-scalar-length",
    ]
}

/// A command `FastCommandLine` builds.
protocol FastParsedCommand: ParsableCommand {
  /// Its option groups, which ArgumentParser validates before the command.
  var optionGroups: [any ParsableArguments] { get }
}

extension FastParsedCommand {
  /// What ArgumentParser runs after parsing: each option group's `validate`, then the command's.
  mutating func validateAll() throws {
    for group in optionGroups {
      var group = group
      try group.validate()
    }
    try validate()
  }
}

extension GetParameterCommand: FastParsedCommand {
  var optionGroups: [any ParsableArguments] { [global, storeOptions] }
}

extension GetSecretValueCommand: FastParsedCommand {
  var optionGroups: [any ParsableArguments] { [global, storeOptions] }
}

/// A compiler command: the option groups `CompilerOptions` sets.
protocol FastParsedCompilerCommand: FastParsedCommand {
  var diagnosticOptions: DiagnosticOutputOptions { get set }
  var storeOptions: StoreOptions { get set }
  var awsAccess: AWSAccessOptions { get set }
  var evaluation: EvaluationOptions { get set }
  var limitOptions: ParseLimitOptions { get set }
}

extension FastParsedCompilerCommand {
  var optionGroups: [any ParsableArguments] {
    [diagnosticOptions, storeOptions, awsAccess, evaluation, limitOptions]
  }
}

extension CheckCommand: FastParsedCompilerCommand {
  var diagnosticOptions: DiagnosticOutputOptions {
    get { output }
    set { output = newValue }
  }
}

extension LockCommand: FastParsedCompilerCommand {
  var diagnosticOptions: DiagnosticOutputOptions {
    get { output }
    set { output = newValue }
  }
}

extension RenderCommand: FastParsedCompilerCommand {
  var diagnosticOptions: DiagnosticOutputOptions {
    get { diagnosticOutput }
    set { diagnosticOutput = newValue }
  }
}

/// The option groups the compiler's commands share, from a command line.
private struct CompilerOptions {
  var output: DiagnosticOutputOptions
  var store: StoreOptions
  var awsAccess: AWSAccessOptions
  var evaluation: EvaluationOptions
  var limits: ParseLimitOptions

  /// Nil when a value does not convert.
  init?(_ given: FastCommandLine.Given) {
    guard let format = given.converted("--format", as: DiagnosticOutputOptions.Format.self),
      let limits = ParseLimitOptions(given)
    else { return nil }
    output = DiagnosticOutputOptions()
    output.format = format ?? .human
    store = StoreOptions(given)
    awsAccess = AWSAccessOptions(given)
    evaluation = EvaluationOptions(given)
    self.limits = limits
  }

  func apply(to command: inout some FastParsedCompilerCommand) {
    command.diagnosticOptions = output
    command.storeOptions = store
    command.awsAccess = awsAccess
    command.evaluation = evaluation
    command.limitOptions = limits
  }
}

// Every property of each option group set, as ArgumentParser sets them: a property left unset
// would stop the process when read.

extension AWSGlobalOptions {
  fileprivate init(_ given: FastCommandLine.Given) {
    self.init()
    output = given["--output"]
    query = given["--query"]
    cliInputJSON = given["--cli-input-json"]
    cliInputYAML = given["--cli-input-yaml"]
    generateCLISkeleton = given["--generate-cli-skeleton"]
    noCLIPager = given[flag: "no-cli-pager"] ?? false
    region = given["--region"]
    profile = given["--profile"]
    endpointURL = given["--endpoint-url"]
    color = given["--color"]
    debug = given[flag: "debug"] ?? false
    cliErrorFormat = given["--cli-error-format"]
    cliBinaryFormat = given["--cli-binary-format"]
    connectionOptions = AWSConnectionOptions(given)
    noPaginate = given[flag: "no-paginate"] ?? false
    noCLIAutoPrompt = given[flag: "no-cli-auto-prompt"] ?? false
    cliAutoPrompt = given[flag: "cli-auto-prompt"] ?? false
  }
}

extension AWSConnectionOptions {
  fileprivate init(_ given: FastCommandLine.Given) {
    self.init()
    cliReadTimeout = given["--cli-read-timeout"]
    cliConnectTimeout = given["--cli-connect-timeout"]
    noVerifySSL = given[flag: "no-verify-ssl"] ?? false
    caBundle = given["--ca-bundle"]
  }
}

extension LockfileOption {
  fileprivate init(_ given: FastCommandLine.Given) {
    self.init()
    named = given["--lock"]
  }
}

extension StoreOptions {
  fileprivate init(_ given: FastCommandLine.Given) {
    self.init()
    store = given["--store"]
    keyFile = given["--key-file"]
  }
}

extension AWSAccessOptions {
  fileprivate init(_ given: FastCommandLine.Given) {
    self.init()
    profile = given["--profile"]
    endpointURL = given["--endpoint-url"]
  }
}

extension EvaluationOptions {
  fileprivate init(_ given: FastCommandLine.Given) {
    self.init()
    parameterFiles = given.all("--parameters")
    parameterOverrides = []
    region = given["--region"]
    accountId = given["--account-id"]
    stackName = given["--stack-name"]
  }
}

extension ParseLimitOptions {
  /// Nil when a value is not a whole number, as ArgumentParser's `Int(argument:)` reads it.
  fileprivate init?(_ given: FastCommandLine.Given) {
    self.init()
    let defaults = ParseLimits.default
    guard let fileSize = given.converted("--max-file-size", as: Int.self),
      let depth = given.converted("--max-depth", as: Int.self),
      let nodes = given.converted("--max-nodes", as: Int.self),
      let aliasNodes = given.converted("--max-alias-nodes", as: Int.self),
      let scalarLength = given.converted("--max-scalar-length", as: Int.self)
    else { return nil }
    maxFileSize = fileSize ?? defaults.maxFileSize
    maxDepth = depth ?? defaults.maxDepth
    maxNodes = nodes ?? defaults.maxNodes
    maxAliasNodes = aliasNodes ?? defaults.maxAliasNodes
    maxScalarLength = scalarLength ?? defaults.maxScalarLength
  }
}
