import Testing
import _CinchTestSupport

@testable import CinchCLI

@Suite struct VersionAndHelpTests {
  @Test func versionPrintsTheVersionAndSucceeds() throws {
    let result = try CinchProcess.run(["--version"])
    #expect(result.stdout == CinchVersion.current + "\n")
    #expect(result.stderr == "")
    #expect(result.status == 0)
  }

  @Test func unknownOptionIsAUsageErrorWithStatusTwo() throws {
    let result = try CinchProcess.run(["--bogus"])
    #expect(result.stdout == "")
    #expect(result.stderr.contains("Unknown option '--bogus'"))
    #expect(result.status == 2)
  }
}
