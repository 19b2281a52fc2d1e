import Foundation
import Testing
import _CinchTestSupport

@testable import CinchCLI

@Suite struct ProcessEnvironmentTests {
  /// The snapshot holds what Foundation reads, variable for variable, in this process.
  @Test func readsWhatFoundationReads() {
    #expect(ProcessEnvironment.read() == ProcessInfo.processInfo.environment)
  }

  /// In a process started with a chosen environment, a value holding `=` is read whole.
  @Test func aChildSeesItsEnvironmentAsGiven() async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = directory.appendingPathComponent("s=1/store.db").path
    let result = try await CinchProcess.run(
      ["ssm", "get-parameter", "--name", "/a"], in: directory,
      environment: ["CINCH_STORE": store])
    #expect(result.status != 0)
    #expect(result.stderr.contains("no store at '\(store)'"), "\(result.stderr)")
  }
}
