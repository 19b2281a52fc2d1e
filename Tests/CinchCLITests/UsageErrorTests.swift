import Foundation
import Testing
import _CinchTestSupport

/// A command that refuses its arguments as it runs shows its own usage, not the root's.
@Suite struct UsageErrorTests {
  @Test func aCommandsOwnCheckShowsItsUsage() async throws {
    let result = try await CinchProcess.run(["rotate"])
    #expect(result.status == 2)
    let lines = result.stderr.split(separator: "\n").map(String.init)
    #expect(lines.first?.hasPrefix("Error: say which secrets to rotate: --due") == true)
    #expect(lines.dropFirst().first?.hasPrefix("Usage: cinch rotate --due [--dry-run]") == true)
    #expect(lines.last == "  See 'cinch rotate --help' for more information.")
  }

  /// `rotate` refuses to run without `--due`: its usage shows it required, and, being written
  /// out, names every option the command has.
  @Test func rotatesUsageShowsDueRequired() async throws {
    let help = try await CinchProcess.run(["rotate", "--help"])
    let usage = try #require(help.stdout.split(separator: "\n").first { $0.hasPrefix("USAGE: ") })
    #expect(usage.hasPrefix("USAGE: cinch rotate --due [--dry-run]"), "\(usage)")
    #expect(!usage.contains("[--due]"))
    let dump = try await CinchProcess.run(["rotate", "--experimental-dump-help"])
    let names = try #require(
      (try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        .flatMap { $0["command"] as? [String: Any] }?["arguments"] as? [[String: Any]]
    )
    .filter { $0["shouldDisplay"] as? Bool != false }
    .compactMap { ($0["names"] as? [[String: Any]])?.first?["name"] as? String }
    .filter { !["help", "h", "version"].contains($0) }
    #expect(!names.isEmpty)
    for name in names { #expect(usage.contains("--\(name)"), "\(name) is not in \(usage)") }
  }

  /// `aws ssm` without an operation exits 252; help printed with exit 0 would let a script's
  /// missing word pass.
  @Test func anAWSStyleGroupWithoutAnOperationIsAUsageError() async throws {
    for group in ["ssm", "secretsmanager", "kms", "iam"] {
      let result = try await CinchProcess.run([group])
      #expect(result.status == 252, "\(group)")
      #expect(
        result.stderr.hasSuffix(
          "cinch: error: the following arguments are required: operation\n\n"),
        "\(group): \(result.stderr)")
      #expect(result.stdout.isEmpty)
      let help = try await CinchProcess.run([group, "--help"])
      #expect(help.status == 0)
    }
  }
}

/// An argument that is not UTF-8 is refused, not stored with U+FFFD in place of its bytes; the
/// message names it without its text.
@Suite struct ArgumentTextTests {
  /// Runs cinch through `sh`, which can pass bytes a Swift `String` cannot hold.
  private func run(_ script: String) throws -> (status: Int32, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", script]
    process.environment = [
      "CINCH": CinchProcess.executable.path, "CINCH_STORE": "/nonexistent/store.db",
      "PATH": "/usr/bin:/bin",
    ]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = Pipe()
    try process.run()
    let data = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  @Test func aValueThatIsNotUTF8IsRefusedByTheAWSStyleGroups() throws {
    let result = try run(
      #""$CINCH" ssm put-parameter --name /a --value "$(printf 'ab\377')" --type String"#)
    #expect(result.status == 252)
    #expect(
      result.stderr.contains(
        "cinch: error: argument 6 (the value of --value) is not UTF-8 text; cinch takes text "
          + "arguments only"))
  }

  @Test func aPathThatIsNotUTF8IsRefusedByTheCompilerCommands() throws {
    let result = try run(#""$CINCH" refs "$(printf 'x\377.yaml')""#)
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("Error: argument 2 is not UTF-8 text"))
  }
}
