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
}
