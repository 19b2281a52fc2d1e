package import ArgumentParser
import CinchAWS
import Synchronization

/// The aws CLI's global options, for every `cinch ssm …` / `cinch secretsmanager …` command:
/// `@OptionGroup var global: AWSGlobalOptions`. Values are checked when the command runs (in
/// `AWSCommand.run`), so a bad `--output` or `--query` gets the aws CLI's message and exit 252
/// rather than ArgumentParser's.
package struct AWSGlobalOptions: ParsableArguments, Sendable {
  @Option(
    name: .customLong("output"),
    help:
      "Output format: json, text, table, yaml, yaml-stream or off (default: $AWS_DEFAULT_OUTPUT, the profile's output in ~/.aws/config, or json)."
  )
  package var output: String?

  @Option(
    name: .customLong("query"),
    help: "A JMESPath expression applied to the response before it is printed.")
  package var query: String?

  @Option(
    name: .customLong("cli-input-json"),
    help:
      "Request parameters as a JSON object (or file://PATH); options on the command line take precedence."
  )
  package var cliInputJSON: String?

  @Option(
    name: .customLong("cli-input-yaml"),
    help:
      "Request parameters as a YAML mapping (or file://PATH), as --generate-cli-skeleton yaml-input prints them; options on the command line take precedence."
  )
  package var cliInputYAML: String?

  @Option(
    name: .customLong("generate-cli-skeleton"),
    help: ArgumentHelp(
      "Print the request's members to fill in for --cli-input-json (input, the default) or --cli-input-yaml (yaml-input), or a sample response (output), without running the command.",
      valueName: "input|yaml-input|output"))
  package var generateCLISkeleton: String?

  @Flag(name: .customLong("no-cli-pager"), help: "Accepted for compatibility; cinch never pages.")
  package var noCLIPager = false

  @Option(
    name: .customLong("region"),
    help:
      "The AWS region: of an aws:// store without one, and of the embedded store's ARNs (default: $AWS_REGION)."
  )
  package var region: String?

  @Option(
    name: .customLong("profile"),
    help: "The aws CLI profile for an aws:// store (refused for the embedded one).")
  package var profile: String?

  @Option(
    name: .customLong("endpoint-url"),
    help:
      "The service endpoint for an aws:// store (any AWS-compatible server; refused for the embedded one)."
  )
  package var endpointURL: String?

  @Option(name: .customLong("color"), help: "Table colors: on, off or auto (default: auto).")
  package var color: String?

  @Flag(name: .customLong("debug"), help: "Accepted for compatibility.")
  package var debug = false

  @Option(
    name: .customLong("cli-error-format"),
    help:
      "How service errors print: enhanced (default), legacy, json, yaml, text or table ($AWS_CLI_ERROR_FORMAT, or the profile's cli_error_format)."
  )
  package var cliErrorFormat: String?

  @Option(
    name: .customLong("cli-binary-format"),
    help:
      "How a blob given as text is read (--secret-binary): base64 (the default) or raw-in-base64-out (the text's bytes); the profile's cli_binary_format otherwise."
  )
  package var cliBinaryFormat: String?

  /// `--cli-read-timeout`, `--cli-connect-timeout`, `--no-verify-ssl`, `--ca-bundle`.
  @OptionGroup package var connectionOptions: AWSConnectionOptions

  @Flag(
    name: .customLong("no-paginate"),
    help:
      "Make one call and print its page as it is (commands the aws CLI paginates; accepted by every command)."
  )
  package var noPaginate = false

  @Flag(
    name: .customLong("no-cli-auto-prompt"),
    help: "Accepted for compatibility; cinch never prompts for parameters.")
  package var noCLIAutoPrompt = false

  @Flag(name: .customLong("cli-auto-prompt"), help: "Refused: cinch has no auto-prompt.")
  package var cliAutoPrompt = false

  package init() {}

  /// The aws CLI's own refusals of these options' values, before anything runs.
  package func checkConnection() throws(AWSUsageError) {
    try connectionOptions.check()
    if cliAutoPrompt {
      throw AWSUsageError(
        "--cli-auto-prompt: cinch has no auto-prompt; give the parameters on the command line")
    }
  }

  /// A setting of the aws CLI's config file for the profile in use (`--profile`, else
  /// `AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`, else `default`), as the aws CLI reads `output`,
  /// `cli_binary_format` and `cli_error_format` from it for every command; nil without a home
  /// folder (`HOME`) or the setting.
  /// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html#cli-configure-files-settings
  func configured(_ key: String, environment: [String: String]) -> String? {
    guard let home = environment["HOME"], !home.isEmpty else { return nil }
    let profile =
      profile ?? environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }
      ?? environment["AWS_DEFAULT_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    return Self.configFile(environment: environment, home: home).setting(key, profile: profile)
  }

  /// The config file, read once per process and location: a command asks it for its output
  /// format, its error format and, writing a secret, its binary format.
  private static func configFile(environment: [String: String], home: String) -> AWSConfigFiles {
    let location = "\(home)\u{0}\(environment["AWS_CONFIG_FILE"] ?? "")"
    if let loaded = configFiles.withLock({ $0[location] }) { return loaded }
    let loaded = AWSConfigFiles.load(environment: environment, home: home, credentials: false)
    configFiles.withLock { $0[location] = loaded }
    return loaded
  }

  private static let configFiles = Mutex<[String: AWSConfigFiles]>([:])

  /// Whether blob parameters given as text are their raw bytes (`--cli-binary-format
  /// raw-in-base64-out`, or `cli_binary_format` in the config file) rather than base64;
  /// `fileb://` is raw either way.
  package func readsBlobsRaw(environment: [String: String]) throws(AWSUsageError) -> Bool {
    switch cliBinaryFormat ?? configured("cli_binary_format", environment: environment) {
    case nil, "base64": return false
    case "raw-in-base64-out": return true
    default:
      throw .invalidChoice(option: "--cli-binary-format", choices: ["base64", "raw-in-base64-out"])
    }
  }

  /// The output format: `--output`, else `AWS_DEFAULT_OUTPUT`, else the profile's `output`,
  /// else json.
  package func resolvedOutput(environment: [String: String]) throws(AWSUsageError)
    -> AWSOutputFormat
  {
    guard
      let name = output ?? environment["AWS_DEFAULT_OUTPUT"]
        ?? configured("output", environment: environment)
    else { return .json }
    guard let format = AWSOutputFormat(rawValue: name) else {
      throw .invalidChoice(option: "--output", choices: AWSOutputFormat.allCases.map(\.rawValue))
    }
    return format
  }

  package func resolvedColor() throws(AWSUsageError) -> AWSColorMode {
    guard let color else { return .auto }
    guard let mode = AWSColorMode(rawValue: color) else {
      throw .invalidChoice(option: "--color", choices: AWSColorMode.allCases.map(\.rawValue))
    }
    return mode
  }

  /// How errors print: `--cli-error-format`, else `AWS_CLI_ERROR_FORMAT`, else the profile's
  /// `cli_error_format`, else enhanced.
  /// https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-error-format.html
  package func resolvedErrorFormat(environment: [String: String]) throws(AWSUsageError)
    -> AWSErrorFormat
  {
    guard
      let name = cliErrorFormat ?? environment["AWS_CLI_ERROR_FORMAT"]
        ?? configured("cli_error_format", environment: environment)
    else { return .enhanced }
    guard let format = AWSErrorFormat(rawValue: name.lowercased()) else {
      throw .invalidChoice(
        option: "--cli-error-format", choices: AWSErrorFormat.allCases.map(\.rawValue))
    }
    return format
  }

  /// The `--generate-cli-skeleton` format asked for, or nil without the option.
  package func skeletonFormat() throws(AWSUsageError) -> AWSInputSkeleton.Format? {
    guard let generateCLISkeleton else { return nil }
    guard let format = AWSInputSkeleton.Format(rawValue: generateCLISkeleton) else {
      throw .invalidChoice(
        option: "--generate-cli-skeleton", choices: AWSInputSkeleton.Format.allCases.map(\.rawValue)
      )
    }
    return format
  }

  /// The compiled `--query`, or nil without one. A syntax error is a usage error.
  package func compiledQuery() throws(AWSUsageError) -> JMESPathExpression? {
    guard let query else { return nil }
    do {
      return try JMESPathExpression(query)
    } catch {
      throw .badQuery(query, error)
    }
  }

  /// The parsed `--cli-input-json` or `--cli-input-yaml`, or nil without either. The aws CLI
  /// takes one of them, not both.
  package func cliInput() throws(AWSUsageError) -> AWSCLIInput? {
    switch (cliInputJSON, cliInputYAML) {
    case (nil, nil): return nil
    case (let json?, nil): return try AWSCLIInput(argument: json)
    case (nil, let yaml?): return try AWSCLIInput(yamlArgument: yaml)
    case (.some, .some): throw AWSUsageError("Only one --cli-input- parameter may be specified.")
    }
  }
}

package enum AWSOutputFormat: String, CaseIterable, Sendable {
  case json, text, table, yaml
  case yamlStream = "yaml-stream"
  /// Nothing on stdout; errors still go to stderr and the exit code is unchanged, for scripts
  /// that need only the code.
  /// https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-output-format.html#off-output
  case off
}

package enum AWSColorMode: String, CaseIterable, Sendable {
  case on, off, auto
}

/// `--cli-error-format`: recent aws CLI v2 releases print a service error as one line
/// (`enhanced`, the default); `legacy` is the older form between blank lines; the others print
/// the error document in that output format.
package enum AWSErrorFormat: String, CaseIterable, Sendable {
  case legacy, json, yaml, text, table, enhanced
}
