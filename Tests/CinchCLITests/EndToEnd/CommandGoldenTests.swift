import Foundation
import Testing
import _CinchTestSupport

/// The built binary, run as a user runs it: `Tests/Fixtures/cli/<case>/args` holds one argument
/// per line (run from the package root, so `templates/…` paths work); the case's `expected/`
/// holds `stdout.txt`, `stderr.txt` and `status.txt`.
@Suite struct CommandGoldenTests {
  static let stage = "cli"

  @Test(arguments: Fixtures.cases(stage))
  func golden(_ name: String) async throws {
    let argsURL = Fixtures.directory(Self.stage, name).appendingPathComponent("args")
    let arguments = try String(contentsOf: argsURL, encoding: .utf8)
      .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    let result = try await CinchProcess.run(arguments, in: Fixtures.packageRoot)
    // Absolute paths (SARIF's base URI) differ between clones: show them as <root>.
    let root = Fixtures.packageRoot.standardizedFileURL.path
    let stdout = result.stdout.replacingOccurrences(of: root, with: "<root>")
    Fixtures.assertMatches(stdout, stage: Self.stage, name: name, expected: "stdout.txt")
    Fixtures.assertMatches(result.stderr, stage: Self.stage, name: name, expected: "stderr.txt")
    Fixtures.assertMatches(
      "\(result.status)\n", stage: Self.stage, name: name, expected: "status.txt")
  }
}
