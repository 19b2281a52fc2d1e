import ArgumentParser
import CinchJSON

/// A command that reads its command line as Vault's CLI does (Go's `flag` package): flags come
/// before the first argument that is not one, and every word from there on is an argument —
/// `cinch kv put secret/f a=1 -note=hi` stores the key `-note`, as `vault kv put` does.
protocol VaultFlagParsing: ParsableCommand {
  /// Options that are Go bool flags: given bare (`-cas-required`), they mean `=true`, and they
  /// never take the next word as their value.
  static var goBoolOptions: Set<String> { get }
  /// For a command whose last argument repeats, what Vault's `Not enough arguments (expected
  /// …)` says when its first is missing (`>1` for `kv put`); nil leaves that to ArgumentParser.
  static var expectedArguments: String? { get }
  /// A command's own rule for its argument count where Vault's differs from the common
  /// `Too many / Not enough arguments`: the arguments to use instead (`kv list -mount=secret`
  /// alone lists the mount's root), or Vault's message thrown; nil leaves the common rule.
  /// `flags` are the command's flags as `-name=value` or bare `-name`.
  static func arguments(_ positionals: [String], flags: [String]) throws -> [String]?
}

extension VaultFlagParsing {
  static var goBoolOptions: Set<String> { [] }
  static var expectedArguments: String? { nil }
  static func arguments(_ positionals: [String], flags: [String]) throws -> [String]? { nil }
}

/// The command line of a `VaultFlagParsing` command rewritten for ArgumentParser, which would
/// otherwise read an option anywhere: its flags, then `--`, then its arguments.
enum VaultFlagSplit {
  /// `arguments` (without the program name) as ArgumentParser should read them. Other command
  /// lines, and one that asks for help anywhere before a `--`, are returned unchanged. With a
  /// wrong number of arguments for a command whose arguments are all single words, Vault's
  /// `Too many arguments (expected N, got M)` or `Not enough arguments …`, exit 1.
  static func flagsFirst<Root: ParsableCommand>(root: Root.Type, _ arguments: [String]) throws
    -> [String]
  {
    var command: any ParsableCommand.Type = root
    var index = 0
    while index < arguments.count,
      let next = command.configuration.subcommands.first(where: { subcommand in
        (subcommand.configuration.commandName ?? subcommand._commandName) == arguments[index]
          || subcommand.configuration.aliases.contains(arguments[index])
      })
    {
      command = next
      index += 1
    }
    guard let vault = command as? any VaultFlagParsing.Type,
      command.configuration.subcommands.isEmpty
    else { return arguments }
    let words = arguments[index...]
    let help: Set<String> = ["-h", "--help"]
    guard !words.prefix(while: { $0 != "--" }).contains(where: help.contains) else {
      return arguments
    }
    let declared = Declared(command)
    var flags: [String] = []
    var positionals: [String] = []
    var position = words.startIndex
    while position < words.endIndex {
      let word = words[position]
      if word == "--" {
        positionals = Array(words[(position + 1)...])
        break
      }
      guard word.hasPrefix("-"), word != "-" else {
        positionals = Array(words[position...])
        break
      }
      position += 1
      let name = Self.name(word)
      if !word.contains("="), vault.goBoolOptions.contains(name) {
        flags.append(word + "=true")
        continue
      }
      // A valued flag takes the next word whatever it is (`-field -x`, as Go's flag does);
      // joined with `=`, ArgumentParser cannot read a leading `-` as another option.
      if !word.contains("="), declared.valued.contains(name), position < words.endIndex {
        flags.append(word + "=" + words[position])
        position += 1
      } else {
        flags.append(word)
      }
    }
    if let own = try vault.arguments(positionals, flags: flags) {
      positionals = own
    } else if declared.repeating, let expected = vault.expectedArguments,
      positionals.count < declared.required
    {
      throw VaultExit.usage(
        "Not enough arguments (expected \(expected), got \(positionals.count))")
    } else if !declared.repeating {
      let expected = declared.positionals
      if positionals.count > expected {
        throw VaultExit.usage(
          "Too many arguments (expected \(expected), got \(positionals.count))")
      }
      if positionals.count < declared.required {
        throw VaultExit.usage(
          "Not enough arguments (expected \(declared.required), got \(positionals.count))")
      }
    }
    return Array(arguments[..<index]) + flags + (positionals.isEmpty ? [] : ["--"] + positionals)
  }

  /// The value given to flag `name` in `flags` as `flagsFirst` writes them (`-name=value`), the
  /// last one winning as in Go's flag package.
  static func value(of name: String, in flags: [String]) -> String? {
    flags.last { Self.name($0) == name }.flatMap { flag in
      flag.firstIndex(of: "=").map { String(flag[flag.index(after: $0)...]) }
    }
  }

  /// `-name`, `--name=value` → `name`.
  static func name(_ word: String) -> String {
    var name = Substring(word)
    if name.hasPrefix("--") { name = name.dropFirst(2) } else { name = name.dropFirst() }
    return String(name.prefix { $0 != "=" })
  }

  /// What a command declares, read from ArgumentParser's own description of it
  /// (`--experimental-dump-help`): its options' and flags' names, which options take a value,
  /// and its arguments.
  struct Declared {
    /// An option's or flag's name as a command line writes it.
    struct Name {
      /// `--output`, `-o`, `-mount`.
      var written: String
      /// `-o`, which ArgumentParser suggests for no typo.
      var isShort: Bool
      /// Listed in the command's help (not hidden), which ArgumentParser's suggestions are.
      var shown: Bool
    }

    /// Every option's and flag's names (help and version too), in the order declared.
    var names: [Name] = []
    var valued: Set<String> = []
    var positionals = 0
    var required = 0
    var repeating = false

    init(_ command: any ParsableCommand.Type) {
      guard let info = try? JSONValueParser.parse(Self.dump(command)),
        let declared = info["command"]?["arguments"]?.arrayValue
      else { return }
      for argument in declared {
        for name in argument["names"]?.arrayValue ?? [] {
          guard let text = name["name"]?.stringValue, let kind = name["kind"]?.stringValue
          else { continue }
          names.append(
            Name(
              written: (kind == "long" ? "--" : "-") + text, isShort: kind == "short",
              shown: argument["shouldDisplay"] != .bool(false)))
        }
        switch argument["kind"]?.stringValue {
        case "option":
          for name in argument["names"]?.arrayValue ?? [] {
            if let text = name["name"]?.stringValue { valued.insert(text) }
          }
        case "positional":
          positionals += 1
          if argument["isOptional"] != .bool(true) { required += 1 }
          if argument["isRepeating"] == .bool(true) { repeating = true }
        default: break
        }
      }
    }

    private static func dump<Command: ParsableCommand>(_ command: Command.Type) -> String {
      command._dumpHelp()
    }
  }
}

extension KVPutCommand: VaultFlagParsing {
  static var expectedArguments: String? { ">1" }
}
extension KVGetCommand: VaultFlagParsing {}
extension KVPatchCommand: VaultFlagParsing {
  static var expectedArguments: String? { ">1" }
}
extension KVDeleteCommand: VaultFlagParsing {}
extension KVUndeleteCommand: VaultFlagParsing {}
extension KVDestroyCommand: VaultFlagParsing {}
extension KVListCommand: VaultFlagParsing {
  /// kv_list.go: with `-mount` and no argument, the mount's root is listed.
  static func arguments(_ positionals: [String], flags: [String]) throws -> [String]? {
    guard positionals.isEmpty, VaultFlagSplit.value(of: "mount", in: flags)?.isEmpty == false
    else { return nil }
    return [""]
  }
}
extension KVRollbackCommand: VaultFlagParsing {
  /// kv_rollback.go has its own wording, checked before the version flag.
  static func arguments(_ positionals: [String], flags: [String]) throws -> [String]? {
    guard positionals.count == 1 else {
      throw VaultExit.usage("Invalid number of arguments (expected 1, got \(positionals.count))")
    }
    return positionals
  }
}
extension KVMetadataGetCommand: VaultFlagParsing {}
extension KVMetadataPutCommand: VaultFlagParsing {
  static var goBoolOptions: Set<String> { ["cas-required"] }
}
extension KVMetadataPatchCommand: VaultFlagParsing {
  static var goBoolOptions: Set<String> { ["cas-required"] }
}
extension KVMetadataDeleteCommand: VaultFlagParsing {}
extension VaultReadCommand: VaultFlagParsing {}
extension VaultWriteCommand: VaultFlagParsing {
  static var expectedArguments: String? { ">1" }
}
extension VaultDeleteCommand: VaultFlagParsing {}
extension VaultListCommand: VaultFlagParsing {}
extension SecretsEnableCommand: VaultFlagParsing {}
extension SecretsDisableCommand: VaultFlagParsing {}
extension SecretsTuneCommand: VaultFlagParsing {}
extension SecretsListCommand: VaultFlagParsing {}
extension TokenCreateCommand: VaultFlagParsing {}
extension TokenLookupCommand: VaultFlagParsing {}
extension TokenRenewCommand: VaultFlagParsing {}
extension TokenRevokeCommand: VaultFlagParsing {}
extension LeaseRenewCommand: VaultFlagParsing {}
extension LeaseRevokeCommand: VaultFlagParsing {}
extension LeaseLookupCommand: VaultFlagParsing {}
extension AuditEnableCommand: VaultFlagParsing {}
extension AuditDisableCommand: VaultFlagParsing {}
extension AuditHashCommand: VaultFlagParsing {}
