import ArgumentParser
import CinchJSON
import CinchStore
import Foundation

/// `cinch rotation register|list|deregister`: the command rotators of the store.
struct RotationCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rotation",
    abstract: "Register the commands that rotate secrets (the local form of rotation Lambdas).",
    subcommands: [
      RotationRegisterCommand.self, RotationListCommand.self, RotationDeregisterCommand.self,
    ])
}

struct RotationRegisterCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "register",
    abstract:
      "Register a command as the rotator NAME: cinch rotation register NAME -- COMMAND [ARGS…]",
    discussion: """
      The command runs once per rotation step with the event a rotation Lambda receives on \
      standard input ({"SecretId": ARN, "ClientRequestToken": VERSION-ID, "Step": STEP}) and \
      CINCH_STORE, CINCH_MASTER_KEY_FILE (or your CINCH_MASTER_KEY / CINCH_PASSPHRASE), CINCH \
      and AWS_REGION in its environment, so 'cinch secretsmanager …' inside it works on the same \
      store. Exit status 0 is success; when a step fails, its standard error is shown (with the \
      secret's values redacted) to whoever ran the rotation, never recorded. Select it with 'rotate-secret --rotator NAME' or \
      '--rotation-lambda-arn arn:aws:lambda:REGION:ACCOUNT:function:NAME'.
      """)

  @OptionGroup var storeOptions: StoreOptions

  @Argument(help: "The rotator's name (letters, digits, '-' and '_').")
  var name: String

  @Option(help: "Seconds one step may run before it is killed (default 900).")
  var timeout: Double?

  @Flag(help: "Replace a rotator already registered under this name.")
  var replace = false

  @Argument(parsing: .postTerminator, help: "The command and its arguments, after '--'.")
  var command: [String] = []

  func run() async throws {
    guard !command.isEmpty else {
      throw ValidationError(
        "give the command after '--': cinch rotation register \(name) -- COMMAND")
    }
    let record = try await RotationCLI.storeCall {
      try await storeOptions.open().registerRotator(
        name: name, command: command, timeoutSeconds: timeout, replace: replace)
    }
    Output.stdout("registered rotator '\(record.name)': \(RotationCLI.shellLine(record.command))\n")
  }
}

struct RotationListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "The rotators: the built-in 'password' and registered commands.")

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, json
  }

  @OptionGroup var storeOptions: StoreOptions

  @Option(help: "table or json.")
  var format: Format = .table

  func run() async throws {
    let records = try await RotationCLI.storeCall {
      try await storeOptions.open().commandRotators()
    }
    switch format {
    case .json: Output.stdout(Self.json(records))
    case .table:
      let rows =
        [(PasswordRotator.name, "(built in: a random password per the secret's policy)")]
        + records.map { ($0.name, RotationCLI.shellLine($0.command)) }
      let width = rows.map(\.0.count).max() ?? 0
      Output.stdout(
        rows.map { $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + $0.1 + "\n" }
          .joined())
    }
  }

  /// What the table lists, the built-in rotator first, as cinch's other JSON output is written.
  static func json(_ records: [CommandRotatorRecord]) -> String {
    let builtIn = JSONValue.object([
      ("name", .string(PasswordRotator.name)), ("builtIn", .bool(true)), ("command", .null),
      ("timeoutSeconds", .null), ("createdDate", .null),
    ])
    let registered = records.map { record in
      JSONValue.object([
        ("name", .string(record.name)), ("builtIn", .bool(false)),
        ("command", .array(record.command.map(JSONValue.string))),
        ("timeoutSeconds", record.timeoutSeconds.map(JSONValue.double) ?? .null),
        ("createdDate", .string(record.createdDate.formatted(.iso8601))),
      ])
    }
    return JSONValue.array([builtIn] + registered).pretty()
  }
}

struct RotationDeregisterCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "deregister", abstract: "Remove a registered rotator.")

  @OptionGroup var storeOptions: StoreOptions

  @Argument(help: "The rotator's name.")
  var name: String

  func run() async throws {
    try await RotationCLI.storeCall { try await storeOptions.open().deregisterRotator(name: name) }
    Output.stdout("deregistered rotator '\(name)'\n")
  }
}

enum RotationCLI {
  /// A store call whose failures print as one line and exit 2.
  static func storeCall<T>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch let error as StoreAccessError {
      throw CLIFailure("\(error)")
    } catch let error as StoreError {
      throw CLIFailure(error.message.isEmpty ? error.code : error.message)
    }
  }

  /// The command as a shell would read it back.
  static func shellLine(_ words: [String]) -> String {
    words.map { word in
      let plain = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@%+,".contains($0) }
      return plain && !word.isEmpty
        ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }.joined(separator: " ")
  }
}
