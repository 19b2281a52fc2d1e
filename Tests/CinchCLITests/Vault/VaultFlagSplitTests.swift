import Testing

@testable import CinchCLI

/// How a Vault-style command line is rewritten for ArgumentParser: flags, `--`, arguments, as
/// Go's flag package splits them.
@Suite struct VaultFlagSplitTests {
  static func split(_ arguments: String...) throws -> [String] {
    try VaultFlagSplit.flagsFirst(root: CinchMain.self, arguments)
  }

  @Test func theFlagsEndAtTheFirstArgument() throws {
    #expect(
      try Self.split("kv", "put", "-cas=1", "secret/f", "a=1", "-note=hi")
        == ["kv", "put", "-cas=1", "--", "secret/f", "a=1", "-note=hi"])
    // An option's value may be the next word; a flag takes none.
    #expect(
      try Self.split("kv", "get", "-mount", "secret", "-field", "a", "f")
        == ["kv", "get", "-mount=secret", "-field=a", "--", "f"])
    // Whatever it is, as Go's flag takes it: `-field -x` reads the field `-x`.
    #expect(
      try Self.split("kv", "get", "-field", "-x", "f") == ["kv", "get", "-field=-x", "--", "f"])
    #expect(
      try Self.split("write", "-f", "transit/keys/app") == [
        "write", "-f", "--", "transit/keys/app",
      ])
    // `-` is an argument; `--` ends the flags once.
    #expect(try Self.split("kv", "put", "secret/s", "-") == ["kv", "put", "--", "secret/s", "-"])
    #expect(
      try Self.split("kv", "put", "--", "secret/s", "--", "a=1")
        == ["kv", "put", "--", "secret/s", "--", "a=1"])
    #expect(
      try Self.split("kv", "metadata", "put", "-cas-required", "secret/c")
        == ["kv", "metadata", "put", "-cas-required=true", "--", "secret/c"])
  }

  @Test func otherCommandLinesAreLeftAlone() throws {
    for arguments in [
      ["ssm", "get-parameter", "--name", "/a", "--with-decryption"],
      ["kv", "get", "secret/f", "--help"],
      ["kv", "--help"],
      ["audit", "list"],
    ] {
      #expect(try VaultFlagSplit.flagsFirst(root: CinchMain.self, arguments) == arguments)
    }
  }

  @Test func argumentCountsInVaultsWords() throws {
    #expect(throws: (any Error).self) { try Self.split("kv", "get", "a", "b") }
    do {
      _ = try Self.split("lease", "lookup")
      Issue.record("expected an error")
    } catch let error as VaultExit {
      #expect(error.message == "Not enough arguments (expected 1, got 0)")
      #expect(error.status == 1)
    }
  }
}
