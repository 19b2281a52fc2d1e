import Foundation
import Testing
import _CinchTestSupport

@testable import CinchCLI

/// The README's exit statuses for the store command groups name every code they end with.
@Suite struct ExitCodeDocsTests {
  @Test func theREADMENamesEveryAWSExitCode() throws {
    let readme = try String(
      contentsOf: Fixtures.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let paragraph = try #require(
      readme.components(separatedBy: "\n\n").first { $0.hasPrefix("Exit status:") })
    let words = paragraph.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    for code in [
      AWSExitCode.usage, AWSExitCode.configuration, AWSExitCode.serviceError, AWSExitCode.general,
    ] {
      #expect(words.contains("\(code) ("), "the README does not say what \(code) means")
    }
  }

  /// 255 as the README says: a region that is no region name (botocore's `InvalidRegionError`).
  @Test func aRegionThatIsNoRegionNameExits255() async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(try await CinchProcess.run(["init"], in: directory).status == 0)
    let result = try await CinchProcess.run(
      ["ssm", "get-parameter", "--name", "/a", "--region", "EU-WEST-1"], in: directory)
    #expect(result.status == AWSExitCode.general, "\(result.stderr)")
    #expect(result.stderr.contains("--region must be a region name"))
  }
}
