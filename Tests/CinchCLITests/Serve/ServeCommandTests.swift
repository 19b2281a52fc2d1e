import Foundation
import Testing
import _CinchTestSupport

/// `cinch serve`'s region, named as the other store commands name it, and the two lines it
/// starts with, both on stdout.
@Suite struct ServeCommandTests {
  /// A project with a store and an access key, so that serve starts.
  private func project() async throws -> URL {
    let directory = try CinchProcess.temporaryDirectory()
    #expect(try await CinchProcess.run(["init"], in: directory).status == 0)
    #expect(try await CinchProcess.run(["iam", "create-access-key"], in: directory).status == 0)
    return directory
  }

  @Test func theRegionFlagIsServedAndBothStartingLinesGoToStdout() async throws {
    let directory = try await project()
    defer { try? FileManager.default.removeItem(at: directory) }
    let serve = try ServeWithLog(
      in: directory, arguments: ["--region", "eu-west-1"],
      environment: ["AWS_REGION": "us-west-2"])
    defer { serve.stop() }
    try await serve.waitForBanner("Vault API under")
    let lines = serve.banner.split(separator: "\n")
    #expect(lines.count == 2, "\(serve.banner)")
    #expect(lines.first?.hasPrefix("cinch serve: listening on http://127.0.0.1:") == true)
    #expect(lines.first?.contains("(region eu-west-1;") == true, "\(serve.banner)")
    #expect(lines.last?.hasPrefix("cinch serve: Vault API under http://127.0.0.1:") == true)
    #expect(!serve.printed.contains("cinch serve:"), "\(serve.printed)")
  }

  @Test func theDefaultRegionVariableIsRead() async throws {
    let directory = try await project()
    defer { try? FileManager.default.removeItem(at: directory) }
    let serve = try ServeWithLog(in: directory, environment: ["AWS_DEFAULT_REGION": "eu-west-2"])
    defer { serve.stop() }
    try await serve.waitForBanner("Vault API under")
    #expect(serve.banner.contains("(region eu-west-2;"), "\(serve.banner)")
  }

  @Test func aRegionThatIsNoRegionNameIsRefusedAsTheOtherCommandsRefuseIt() async throws {
    let directory = try await project()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try await CinchProcess.run(
      ["serve", "--listen", "127.0.0.1:0", "--region", "EU-WEST-1"], in: directory)
    #expect(result.status == 2)
    #expect(
      result.stderr
        == "cinch: error: --region must be a region name such as us-east-1 (lowercase letters, "
        + "digits and hyphens); got 'EU-WEST-1'\n")
    #expect(result.stdout.isEmpty)
  }
}
