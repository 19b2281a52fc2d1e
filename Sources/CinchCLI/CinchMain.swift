public import ArgumentParser
import CinchTemplate

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The `cinch` command tree.
public struct CinchMain: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "cinch",
    abstract: "A compiler for infrastructure templates: check, pin and render dynamic references.",
    discussion: """
      cinch reads CloudFormation templates (YAML or JSON), finds every dynamic reference \
      ({{resolve:ssm:…}}, {{resolve:ssm-secure:…}}, {{resolve:secretsmanager:…}}), and checks it.
      """,
    version: CinchVersion.current,
    subcommands: [
      RefsCommand.self,
      CheckCommand.self,
      GraphCommand.self,
      ConsumersCommand.self,
      LockCommand.self,
      PlanCommand.self,
      OutdatedCommand.self,
      RenderCommand.self,
      PolicyCommand.self,
      ParseCommand.self,
      InitCommand.self,
      SSMCommand.self,
      SecretsManagerCommand.self,
      RotationCommand.self,
      RotateCommand.self,
      KMSCommand.self,
      RekeyCommand.self,
      AuditCommand.self,
      SyncCommand.self,
      BenchStoreCommand.self,
      ServeCommand.self,
      IAMCommand.self,
      KVCommand.self,
      VaultReadCommand.self,
      VaultWriteCommand.self,
      VaultDeleteCommand.self,
      VaultListCommand.self,
      SecretsCommand.self,
      TokenCommand.self,
      LeaseCommand.self,
    ]
  )

  public init() {}

  /// Runs the command line and exits with cinch's exit codes: 0 success, 1 findings, 2 usage or
  /// I/O failure for the compiler commands; the aws CLI's codes for the store command groups.
  public static func run() async -> Never {
    let arguments = AWSCommandLine.skeletonValueFilledIn(
      root: Self.self,
      AWSCommandLine.helpWordAsFlag(
        root: Self.self,
        AWSCommandLine.leadingOptionsMoved(
          root: Self.self,
          AWSCommandLine.optionValuesJoined(
            root: Self.self,
            ParameterOverrideWords.filesMoved(Array(CommandLine.arguments.dropFirst()))))))
    // ArgumentParser answers `help NAME` for a name it does not know with the root's help and
    // exit 0, which hides a typo in a script; git and the aws CLI refuse it.
    if arguments.first == "help", let unknown = UnknownCommand.inHelpTopic(arguments.dropFirst()) {
      Output.stderr(unknown.message)
      terminate(ExitStatus.failure)
    }
    var parsed: (any ParsableCommand.Type)?
    do {
      // The reads scripts run once per value skip ArgumentParser's reflection (FastCommandLine).
      if let invalid = ArgumentText.firstInvalid() {
        throw ValidationError("\(invalid) is not UTF-8 text; cinch takes text arguments only")
      }
      // The Vault-style commands read flags only before their first argument, as vault does.
      let arguments = try VaultFlagSplit.flagsFirst(root: Self.self, arguments)
      var command: any ParsableCommand
      if let fast = FastCommandLine.command(arguments) {
        command = fast
      } else {
        do {
          command = try parseAsRoot(arguments)
        } catch let refused where exitCode(for: refused) != .success {
          // ArgumentParser names an option the command does not have only after every command
          // has decoded and passed validate(): a typo in a required option read as its absence.
          if let unknown = UnknownOption.first(in: arguments, root: Self.self) { throw unknown }
          throw refused
        }
      }
      if let usage = AWSCommandLine.missingOperation(command) {
        AWSCommand.write(AWSErrorPresenter(operation: "").present(usage).text, to: .standardError)
        terminate(AWSExitCode.usage)
      }
      parsed = type(of: command)
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
      terminate(0)
    } catch let unknown as UnknownOption {
      // In ArgumentParser's words: the aws-style groups print them the aws CLI's way (exit 252).
      if let code = AWSCommandLine.awsExitCode(
        for: ValidationError(unknown.message), root: Self.self, arguments: arguments)
      {
        terminate(code)
      }
      Output.stderr(usageError(unknown.message, of: unknown.command))
      terminate(VaultCommandLine.isVaultStyle(arguments) ? 1 : ExitStatus.failure)
    } catch let failure as CommandFailure {
      // One line, whatever a flag or file name held: control characters (a newline, an escape
      // sequence) become U+FFFD, as in a finding.
      Output.stderr("cinch: error: \(HumanDiagnosticRenderer.sanitized(failure.message))\n")
      terminate(failure.status)
    } catch {
      // A mistyped command, before what ArgumentParser makes of the words after it.
      if parsed == nil, let unknown = UnknownCommand.inCommandLine(arguments) {
        Output.stderr(unknown.message)
        terminate(ExitStatus.failure)
      }
      // The command groups that mirror the vault CLI use its exit codes (1 local, 2 remote).
      if let code = VaultCommandLine.exitCode(for: error, arguments: arguments) {
        terminate(code)
      }
      // The command groups that mirror the aws CLI report usage errors its way (exit 252).
      if let code = AWSCommandLine.awsExitCode(for: error, root: Self.self, arguments: arguments) {
        terminate(code)
      }
      // Store commands that fail outside the aws-style groups: one line, exit 2.
      if let failure = error as? CLIFailure {
        Output.stderr("cinch: \(failure.message)\n")
        terminate(ExitStatus.failure)
      }
      if let failure = error as? StoreLocationError {
        Output.stderr("cinch: \(failure)\n")
        terminate(ExitStatus.failure)
      }
      // A command's own check of its arguments, made as it runs: ArgumentParser knows no
      // command then and would print the root's usage; this command's is the useful one.
      if let validation = error as? ValidationError, let parsed {
        Output.stderr(usageError(validation.message, of: parsed))
        terminate(ExitStatus.failure)
      }
      let code = exitCode(for: error)
      // An error none of ArgumentParser's, and no exit status a command chose: a failure of the
      // run (a store that cannot be read, data that does not decode), never a finding.
      if parsed != nil, code == .failure, !(error is ExitCode) {
        Output.stderr("cinch: error: \(runFailure(error))\n")
        terminate(ExitStatus.failure)
      }
      let message = fullMessage(for: error)
      if code == .success {
        // --help and --version
        if !message.isEmpty {
          Output.stdout(VaultHelpText.withOwnVersionOptionOnly(message) + "\n")
        }
        terminate(0)
      }
      if !message.isEmpty { Output.stderr(message + "\n") }
      terminate(code == .validationFailure ? ExitStatus.failure : code.rawValue)
    }
  }
}

/// A usage error as ArgumentParser prints one, with the usage of `command` (not the root's).
private func usageError(_ message: String, of command: any ParsableCommand.Type) -> String {
  let usage = CinchMain.usageString(for: command)
  let path = usage.split(separator: " ").prefix { word in
    !word.hasPrefix("[") && !word.hasPrefix("<") && !word.hasPrefix("-")
  }.joined(separator: " ")
  return "Error: \(message)\nUsage: \(usage)\n  See '\(path) --help' for more information.\n"
}

/// One line for an error that ended a run.
private func runFailure(_ error: any Error) -> String {
  if let decoding = error as? DecodingError {
    let context: DecodingError.Context
    switch decoding {
    case .typeMismatch(_, let found), .valueNotFound(_, let found), .keyNotFound(_, let found),
      .dataCorrupted(let found):
      context = found
    @unknown default:
      return "data that cannot be read"
    }
    let path = context.codingPath.map(\.stringValue).joined(separator: ".")
    return "stored data that cannot be read"
      + (path.isEmpty ? "" : " at '\(path)'") + ": \(context.debugDescription)"
  }
  let text = String(describing: error)
  return text.split(separator: "\n").first.map(String.init) ?? text
}

/// Ends the process; named apart from ArgumentParser's `exit(withError:)`.
func terminate(_ status: Int32) -> Never {
  StoreOpenedAhead.closeUntaken()
  #if canImport(Glibc)
    Glibc.exit(status)
  #else
    Darwin.exit(status)
  #endif
}

public enum CinchVersion {
  public static let current = "0.1.0"
}

/// Exit statuses, in one place.
enum ExitStatus {
  static let success: Int32 = 0
  /// An error-level finding (check, refs, render --frozen, …).
  static let findings: Int32 = 1
  /// Usage or I/O failure of a compiler command.
  static let failure: Int32 = 2
}
