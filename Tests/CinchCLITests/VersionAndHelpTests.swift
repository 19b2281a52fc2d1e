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
