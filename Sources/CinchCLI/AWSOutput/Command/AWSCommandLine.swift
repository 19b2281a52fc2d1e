package import ArgumentParser
import Foundation

/// A command group that mirrors an aws CLI service (`cinch ssm`, `cinch secretsmanager`,
/// `cinch kms`): its usage errors exit 252 with the aws CLI's usage text instead of
/// ArgumentParser's exit 64.
package protocol AWSCommandGroup: ParsableCommand {}

/// Usage errors inside an aws-style group, reported the aws CLI's way.
///
/// Exit codes inside an aws-style command come from `AWSCommand.run`, which prints the error
/// and throws `ExitCode(252/253/254/255)`. What it cannot see is a command line ArgumentParser
/// refuses before `run()` (a missing value, an unknown option, a failed `validate()`, a group
/// with no operation): those would exit 64 (or 0) with ArgumentParser's text. The root command
/// (`CinchMain`) asks `awsExitCode(for:root:arguments:)` and `missingOperation(_:)`, which
/// report them in the aws shape with exit 252. Help, `--version` and every other command behave
/// as before.
package enum AWSCommandLine {
  /// For a usage error inside an aws-style group: prints it the aws way and returns 252.
  /// Returns nil when ArgumentParser should handle the error itself.
  static func awsExitCode<Root: ParsableCommand>(
    for error: any Error, root: Root.Type, arguments: [String]
  ) -> Int32? {
    guard !(error is ExitCode), isAWSStyle(root: root, arguments: arguments) else { return nil }
    guard root.exitCode(for: error) != .success else { return nil }
    let usage =
      unknownOperation(root: root, arguments: arguments)
      ?? AWSUsageError.arguments(root.message(for: error))
    AWSCommand.write(
      AWSErrorPresenter(operation: "").present(usage).text, to: .standardError)
    return AWSExitCode.usage
  }

  /// `cinch ssm` alone: the aws CLI requires an operation (exit 252), where ArgumentParser
  /// would print the group's help and exit 0, so a script's missing word passes unnoticed.
  static func missingOperation(_ command: any ParsableCommand) -> AWSUsageError? {
    guard command is any AWSCommandGroup else { return nil }
    return .missingArguments(["operation"])
  }

  /// `cinch ssm get-parameterz …`: the aws CLI's `argument operation: Invalid choice` with the
  /// group's operations, rather than a complaint about the first option that follows.
  static func unknownOperation<Root: ParsableCommand>(root: Root.Type, arguments: [String])
    -> AWSUsageError?
  {
    guard let (group, index) = awsGroup(root: root, arguments: arguments),
      index + 1 < arguments.count
    else { return nil }
    let operation = arguments[index + 1]
    guard !operation.hasPrefix("-"), operation != "help" else { return nil }
    let operations = group.configuration.subcommands.map {
      $0.configuration.commandName ?? $0._commandName
    }
    guard !operations.contains(operation) else { return nil }
    return AWSUsageError.invalidChoice(
      option: "operation", choices: operations.sorted(), given: operation)
  }

  /// `cinch ssm help`, `cinch ssm put-parameter help`: the aws CLI prints the help for a
  /// trailing `help` word, wherever the group and operation are; so do cinch's aws-style
  /// groups, as for `--help`. Other command lines are returned unchanged.
  package static func helpWordAsFlag<Root: ParsableCommand>(root: Root.Type, _ arguments: [String])
    -> [String]
  {
    guard arguments.count >= 2, arguments.last == "help",
      let (_, index) = awsGroup(root: root, arguments: arguments), index < arguments.count - 1
    else { return arguments }
    return arguments.dropLast() + ["--help"]
  }

  /// `--generate-cli-skeleton` takes an optional value (argparse's `nargs='?'`, `input` when
  /// absent), which ArgumentParser has no form for: in an aws-style command line, the option
  /// at the end or before another option is given `input`.
  package static func skeletonValueFilledIn<Root: ParsableCommand>(
    root: Root.Type, _ arguments: [String]
  ) -> [String] {
    guard let index = arguments.firstIndex(of: "--generate-cli-skeleton"),
      index == arguments.count - 1 || arguments[index + 1].hasPrefix("-"),
      isAWSStyle(root: root, arguments: arguments)
    else { return arguments }
    var filled = arguments
    filled.insert("input", at: index + 1)
    return filled
  }

  /// `cinch --region eu-west-1 ssm get-parameter …`, `cinch ssm --output text get-parameter …`,
  /// `cinch --store s.db lock`: the aws CLI takes its global options before the service and the
  /// operation as well as after them. Options written before the command they belong to are
  /// moved to just after it, where ArgumentParser reads them; a command line that names no
  /// command after its leading options (`--help`, `--version`, a mistyped command) is returned
  /// unchanged. An option's value is the next word unless that word is an option or
  /// names a command there (`--debug ssm …`).
  package static func leadingOptionsMoved<Root: ParsableCommand>(
    root: Root.Type, _ arguments: [String]
  ) -> [String] {
    var command: any ParsableCommand.Type = root
    var index = 0
    var path: [String] = []
    var moved: [String] = []
    while index < arguments.count, !command.configuration.subcommands.isEmpty {
      let word = arguments[index]
      func subcommand(_ name: String) -> (any ParsableCommand.Type)? {
        command.configuration.subcommands.first {
          ($0.configuration.commandName ?? $0._commandName) == name
            || $0.configuration.aliases.contains(name)
        }
      }
      if word.hasPrefix("-"), word.count > 1, word != "--" {
        if ["-h", "--help", "--version", "--experimental-dump-help"].contains(word) {
          return arguments
        }
        moved.append(word)
        index += 1
        if !word.contains("="), index < arguments.count, !arguments[index].hasPrefix("-"),
          subcommand(arguments[index]) == nil
        {
          moved.append(arguments[index])
          index += 1
        }
        continue
      }
      // A word that names no command here (a mistyped operation): the options go after it, so
      // that what is reported is the word, not the options.
      guard let next = subcommand(word) else {
        path.append(word)
        index += 1
        break
      }
      path.append(word)
      command = next
      index += 1
    }
    guard !moved.isEmpty, !path.isEmpty else { return arguments }
    return path + moved + arguments[index...]
  }

  /// What argparse, the aws CLI's parser, reads as an option's value and ArgumentParser does
  /// not: a word starting with `-` that is a negative number (`--value -1`: argparse takes one
  /// as a value when no option looks like one) or holds a space (a PEM key, `-----BEGIN …`:
  /// argparse's `_parse_optional` reads such a word as a value), and an empty value after `=`
  /// (`--description=`). Each is joined to its option as `--option=value` (or split into
  /// `--option ""`), for the aws command groups only; words after `--` stay. ArgumentParser
  /// would otherwise refuse the word as an unknown option and print it, a secret value.
  package static func optionValuesJoined<Root: ParsableCommand>(
    root: Root.Type, _ arguments: [String]
  ) -> [String] {
    // The words first: finding the command group asks ArgumentParser for every command's
    // configuration, which a `get-parameter` run otherwise never pays for.
    guard arguments.contains(where: { $0.hasSuffix("=") || readsAsValue($0) }),
      isAWSStyle(root: root, arguments: arguments)
    else { return arguments }
    var joined: [String] = []
    var index = 0
    while index < arguments.count {
      let word = arguments[index]
      index += 1
      if word == "--" {
        joined += arguments[(index - 1)...]
        break
      }
      guard word.hasPrefix("--"), word.count > 2 else {
        joined.append(word)
        continue
      }
      if word.hasSuffix("="), word.firstIndex(of: "=") == word.index(before: word.endIndex) {
        joined += [String(word.dropLast()), ""]
      } else if !word.contains("="), index < arguments.count, readsAsValue(arguments[index]) {
        joined.append(word + "=" + arguments[index])
        index += 1
      } else {
        joined.append(word)
      }
    }
    return joined
  }

  /// A word starting with `-` that argparse reads as a value, not an option.
  private static func readsAsValue(_ word: String) -> Bool {
    word.hasPrefix("-") && (isNegativeNumber(word) || word.contains(" ") || word.contains("\n"))
  }

  /// argparse's `_negative_number_matcher`: `^-\d+$|^-\d*\.\d+$`.
  private static func isNegativeNumber(_ word: String) -> Bool {
    guard word.hasPrefix("-"), word.count > 1 else { return false }
    let rest = word.dropFirst()
    if rest.allSatisfy(\.isASCIIDigitCharacter) { return true }
    guard let dot = rest.firstIndex(of: "."), rest[rest.index(after: dot)...].count > 0 else {
      return false
    }
    return rest[..<dot].allSatisfy(\.isASCIIDigitCharacter)
      && rest[rest.index(after: dot)...].allSatisfy(\.isASCIIDigitCharacter)
  }

  /// Whether the first word of the command line names a subcommand marked `AWSCommandGroup`.
  static func isAWSStyle<Root: ParsableCommand>(root: Root.Type, arguments: [String]) -> Bool {
    awsGroup(root: root, arguments: arguments) != nil
  }

  /// The `AWSCommandGroup` the first word of the command line names, and that word's index.
  private static func awsGroup<Root: ParsableCommand>(root: Root.Type, arguments: [String])
    -> (group: any ParsableCommand.Type, index: Int)?
  {
    guard let index = arguments.firstIndex(where: { !$0.hasPrefix("-") }),
      let group = root.configuration.subcommands.first(where: { subcommand in
        subcommand is any AWSCommandGroup.Type
          && (subcommand.configuration.commandName ?? subcommand._commandName) == arguments[index]
      })
    else { return nil }
    return (group, index)
  }
}

extension Character {
  fileprivate var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
