import ArgumentParser
import Testing

@testable import CinchCLI

/// `UnknownOption` speaks ArgumentParser's words: on a command line whose only fault is an
/// option the command lacks, it names the option ArgumentParser names, with the same hint.
@Suite struct UnknownOptionTests {
  @Test(arguments: [
    ["render", "--mdoe", "pin", "--output", "r", "t.yaml"],
    ["render", "--output=r", "--frozne", "t.yaml"],
    ["render", "-ox", "r", "t.yaml"],
    ["render", "-xo", "r", "t.yaml"],
    ["render", "-xy", "-o", "r", "t.yaml"],
    ["render", "-x=1", "-o", "r", "t.yaml"],
    ["check", "--fromat", "json", "t.yaml"],
    ["ssm", "get-parameter", "--nmae", "/a"],
    ["ssm", "get-parameter", "--name", "/a", "--no-with-decyption"],
    ["kv", "get", "-mout=secret", "--", "x"],
    ["kv", "get", "--mout=secret", "--", "x"],
  ])
  func namesWhatArgumentParserNames(_ arguments: [String]) throws {
    let refused = #expect(throws: (any Error).self) { try CinchMain.parseAsRoot(arguments) }
    let expected = try #require(refused.map { CinchMain.message(for: $0) })
    #expect(expected.hasPrefix("Unknown option"), "\(expected)")
    let unknown = UnknownOption.first(in: arguments, root: CinchMain.self)
    #expect(unknown?.message == expected)
  }

  /// Values, declared options, words after `--`, and a command line that names a group: none.
  @Test(arguments: [
    ["render", "-o", "-", "t.yaml"],
    ["render", "--output=-", "--mode", "inline", "t.yaml"],
    ["kv", "put", "-mount=secret", "--", "f", "-note=hi"],
    ["ssm", "get-parameterz", "--nmae", "/a"],
    ["lok", "--bogus"],
    // A value that starts with a dash is a value (here a secret a message must never hold).
    ["secretsmanager", "create-secret", "--name", "x", "--secret-string", "-Canary123"],
    ["ssm", "put-parameter", "--name", "x", "--value", "-Canary123", "--type", "String"],
  ])
  func findsNoneWhereThereIsNone(_ arguments: [String]) {
    #expect(UnknownOption.first(in: arguments, root: CinchMain.self) == nil)
  }
}
