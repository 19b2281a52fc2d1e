import ArgumentParser
import CinchTemplate

/// An option the command on the command line does not declare (`cinch render --outptu r
/// t.yaml`), in ArgumentParser's words and with its "Did you mean" hint.
///
/// ArgumentParser looks for unknown options only once every command has decoded and passed its
/// `validate()`. A mistyped option that is required (`render --output`, `sync --from`) or that
/// a `validate()` asks for (`policy --account-id`) was therefore reported as missing, and the
/// typo never named, where a mistyped optional one got its hint. `CinchMain` asks for one
/// whenever ArgumentParser refuses a command line, and reports it first.
struct UnknownOption: Error {
  /// The option as written, without its value: `--outptu`, `-mout`, `-x`.
  var name: String
  /// The declared option ArgumentParser would suggest.
  var suggestion: String?
  /// The command it was given to.
  var command: any ParsableCommand.Type

  /// ArgumentParser's words for it.
  var message: String {
    "Unknown option '\(name)'" + (suggestion.map { ". Did you mean '\($0)'?" } ?? "")
  }

  /// The first option in `words` (a command line as ArgumentParser is given it) that the
  /// command they name does not declare. Nil when they name a command group rather than a
  /// command that runs (a mistyped command is `UnknownCommand`'s), or when every option is
  /// declared. Words after `--` are arguments.
  static func first(in words: [String], root: any ParsableCommand.Type) -> UnknownOption? {
    var command = root
    var index = words.startIndex
    while index < words.endIndex, let next = UnknownCommand.subcommand(words[index], of: command) {
      command = next
      index += 1
    }
    guard command.configuration.subcommands.isEmpty else { return nil }
    let options = VaultFlagSplit.Declared(command)
    let declared = options.names
    // The word after an option that takes a value is that value, whatever it starts with: a
    // value such as `--secret-string -S3cret` is never named back as an option (it may be a
    // secret, and a message must not hold it).
    var isValue = false
    for word in words[index...].prefix(while: { $0 != "--" }) {
      if isValue {
        isValue = false
        continue
      }
      if !word.contains("="), word.hasPrefix("-"),
        options.valued.contains(String(word.drop { $0 == "-" }))
      {
        isValue = true
        continue
      }
      guard let (name, isShort) = unknown(word, declared) else { continue }
      return UnknownOption(
        name: name, suggestion: isShort ? nil : suggestion(for: name, among: declared),
        command: command)
    }
    return nil
  }

  /// The option `word` writes, as ArgumentParser names it, when the command does not declare
  /// it; nil for a declared option or a value (`-` included). `isShort`: one letter after one
  /// dash, for which ArgumentParser suggests nothing.
  private static func unknown(_ word: String, _ declared: [VaultFlagSplit.Declared.Name])
    -> (name: String, isShort: Bool)?
  {
    // Three dashes or more: ArgumentParser's own "invalid option" stands.
    guard word.hasPrefix("-"), word.count > 1, !word.hasPrefix("---") else { return nil }
    let written = String(word.prefix { $0 != "=" })
    guard !declared.contains(where: { $0.written == written }) else { return nil }
    let letters = written.dropFirst()
    // `--name`, `-name=value` and `-n`: one name.
    if written.hasPrefix("--") || word.contains("=") || letters.count == 1 {
      return (written, letters.count == 1 && !written.hasPrefix("--"))
    }
    // `-abc`: one dash and no value is short flags packed together, as ArgumentParser splits
    // it. When none of the letters is declared, it names the word; else the first letter that
    // is not.
    let shorts = Set(declared.filter(\.isShort).map(\.written))
    let undeclared = letters.filter { !shorts.contains("-\($0)") }
    if undeclared.count == letters.count { return (written, false) }
    return undeclared.first.map { ("-\($0)", true) }
  }

  /// ArgumentParser's suggestion: the shown name (no short one) fewest edits away, when fewer
  /// than 4; the first declared of those equally near.
  private static func suggestion(
    for name: String, among declared: [VaultFlagSplit.Declared.Name]
  ) -> String? {
    var best: (written: String, distance: Int)?
    for candidate in declared where candidate.shown && !candidate.isShort {
      let distance = NearestName.editDistance(Array(name.utf8), Array(candidate.written.utf8))
      if distance < 4, distance < (best?.distance ?? .max) {
        best = (candidate.written, distance)
      }
    }
    return best?.written
  }
}
