/// The help of a Vault-style command with a `-version` option of its own (`kv get`,
/// `kv rollback`, `secrets enable`). There `--version` is that option, as in Vault's CLI, whose
/// Go flags take one dash or two; ArgumentParser still lists its own `--version  Show the
/// version.` for every command of a tree that has a version, a flag these commands never see.
enum VaultHelpText {
  /// `help` without ArgumentParser's `--version` line when the command lists a `-version`
  /// option; any other help unchanged.
  static func withOwnVersionOptionOnly(_ help: String) -> String {
    let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
    guard lines.contains(where: { $0.hasPrefix("  -version, --version <") }) else { return help }
    return lines.filter { line in
      line.split(separator: " ") != ["--version", "Show", "the", "version."]
    }.joined(separator: "\n")
  }
}
