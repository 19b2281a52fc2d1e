import Foundation
import Testing
import _CinchTestSupport

@testable import CinchCLI

@Suite struct VersionAndHelpTests {
  @Test func versionPrintsTheVersionAndSucceeds() async throws {
    let result = try await CinchProcess.run(["--version"])
    #expect(result.stdout == CinchVersion.current + "\n")
    #expect(result.stderr == "")
    #expect(result.status == 0)
  }

  /// `kv get`, `kv rollback` and `secrets enable` take Vault's `-version` (`--version` too, as
  /// Go's flags do): their help lists it once, not beside ArgumentParser's `--version` flag
  /// that they never see, and says its default once.
  @Test(arguments: [["kv", "get"], ["kv", "rollback"], ["secrets", "enable"]])
  func aVaultVersionOptionIsTheOnlyVersionInItsHelp(command: [String]) async throws {
    let help = try await CinchProcess.run(command + ["--help"])
    #expect(help.status == 0)
    let versions = help.stdout.split(separator: "\n").filter { $0.contains("--version") }
    #expect(
      versions.map { $0.trimmingCharacters(in: .whitespaces) } == ["-version, --version <version>"])
    let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(!words.contains("(default: 0)"), "\(words)")
    // Elsewhere the flag still prints cinch's version.
    #expect(
      try await CinchProcess.run(["kv", "put", "--help"]).stdout.contains("Show the version."))
  }

  /// The kms and iam options say what they take on their own line, as the aws CLI's help
  /// does: a short value name leaves room for the text beside the option (ArgumentParser puts
  /// it on the next line after a wide one, where it read as an option without help).
  @Test(arguments: [
    ["kms", "create-alias", "--alias-name", "--target-key-id"],
    ["kms", "create-key", "--description"],
    ["iam", "update-access-key", "--access-key-id", "--status"],
    ["iam", "delete-access-key", "--access-key-id"],
    ["iam", "put-user-policy", "--policy-name"],
  ])
  func kmsAndIAMOptionsHaveTheirHelpBesideThem(words: [String]) async throws {
    let help = try await CinchProcess.run(Array(words.prefix(2)) + ["--help"])
    for option in words.dropFirst(2) {
      let line = try #require(
        help.stdout.split(separator: "\n").first { $0.hasPrefix("  \(option) ") })
      let text = line.split(separator: " ").drop { $0.hasPrefix("-") || $0.hasPrefix("<") }
      #expect(text.count >= 3, "\(words[1]) \(option): '\(line)'")
    }
  }

  @Test func unknownOptionIsAUsageErrorWithStatusTwo() async throws {
    let result = try await CinchProcess.run(["--bogus"])
    #expect(result.stdout == "")
    #expect(result.stderr.contains("Unknown option '--bogus'"))
    #expect(result.status == 2)
  }

  /// `aws ssm help` and `aws ssm put-parameter help` print the help and succeed; so do
  /// cinch's aws-style groups, with a trailing `help` word as with `--help`.
  @Test func aTrailingHelpWordInAnAWSStyleGroupPrintsItsHelp() async throws {
    let group = try await CinchProcess.run(["ssm", "help"])
    #expect(group.status == 0, "\(group.stderr)")
    #expect(group.stdout.contains("USAGE: cinch ssm"))
    #expect(group.stdout.contains("get-parameter"))
    let operation = try await CinchProcess.run(["secretsmanager", "get-secret-value", "help"])
    #expect(operation.status == 0, "\(operation.stderr)")
    #expect(operation.stdout.contains("--version-stage"))
    #expect(
      operation == (try await CinchProcess.run(["secretsmanager", "get-secret-value", "--help"])))
    // Elsewhere `help` stays an argument: a template named help is checked.
    #expect(try await CinchProcess.run(["refs", "help"]).stderr.contains("help"))
  }
}
