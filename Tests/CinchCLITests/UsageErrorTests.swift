import Testing
import _CinchTestSupport

/// A command that refuses its arguments as it runs shows its own usage, not the root's.
@Suite struct UsageErrorTests {
  @Test func aCommandsOwnCheckShowsItsUsage() async throws {
    let result = try await CinchProcess.run(["rotate"])
    #expect(result.status == 2)
    let lines = result.stderr.split(separator: "\n").map(String.init)
    #expect(lines.first?.hasPrefix("Error: say which secrets to rotate: --due") == true)
    #expect(lines.dropFirst().first?.hasPrefix("Usage: cinch rotate [--store") == true)
    #expect(lines.last == "  See 'cinch rotate --help' for more information.")
  }
}
