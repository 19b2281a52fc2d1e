import ArgumentParser
import CinchTemplate

/// A word that names no command where the command line wants one (`cinch lok t.json`,
/// `cinch kv gett secret/x`, `cinch help nosuch`), with the nearest command's name. Without
/// it ArgumentParser speaks of the word and what follows as "unexpected arguments", or of the
/// first option after it as unknown, and `help` prints the root's help for any word.
struct UnknownCommand: Equatable {
  /// The word.
  var name: String
  /// The commands before it, `cinch kv`.
  var parent: String
  /// The commands that could have stood there.
  var known: [String]

  /// What stderr says (exit 2).
  var message: String {
    let place = parent == "cinch" ? "" : " in '\(parent)'"
    return "Error: unknown command '\(name)'\(place)\(NearestName.hint(for: name, among: known))\n"
      + "  See '\(parent) --help' for the commands.\n"
  }

  /// The first word of `help WORD…` that names no command where it stands. Options
  /// (`help --help`) are ArgumentParser's to answer.
  static func inHelpTopic(_ words: some Sequence<String>) -> UnknownCommand? {
    first(in: words, commandLine: false)
  }

  /// The first word of a command line that ArgumentParser refused which stands where a command
  /// group wants a command and names none of its commands. Nil when the words reach a command
  /// that runs (its arguments are its own), an option, or an aws-style group, which reports a
  /// mistyped operation the aws CLI's way (`AWSCommandLine.unknownOperation`).
  static func inCommandLine(_ words: [String]) -> UnknownCommand? {
    first(in: words, commandLine: true)
  }

  private static func first(in words: some Sequence<String>, commandLine: Bool)
    -> UnknownCommand?
  {
    var command: any ParsableCommand.Type = CinchMain.self
    var path = ["cinch"]
    for word in words {
      if word.hasPrefix("-") { return nil }
      if commandLine,
        command.configuration.subcommands.isEmpty || command is any AWSCommandGroup.Type
      {
        return nil
      }
      guard let next = subcommand(word, of: command) else {
        // A group that takes arguments of its own could be given one here.
        if commandLine, VaultFlagSplit.Declared(command).positionals > 0 { return nil }
        return UnknownCommand(word, at: path, among: command)
      }
      command = next
      path.append(word)
    }
    return nil
  }

  private init(_ name: String, at path: [String], among parent: any ParsableCommand.Type) {
    self.name = name
    self.parent = path.joined(separator: " ")
    self.known = parent.configuration.subcommands.compactMap { subcommand in
      subcommand.configuration.shouldDisplay ? subcommand._commandName : nil
    }
  }

  /// The subcommand of `command` that `word` names, or nil.
  static func subcommand(_ word: String, of command: any ParsableCommand.Type)
    -> (any ParsableCommand.Type)?
  {
    command.configuration.subcommands.first { subcommand in
      subcommand._commandName == word || subcommand.configuration.aliases.contains(word)
    }
  }
}
