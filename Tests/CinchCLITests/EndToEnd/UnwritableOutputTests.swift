import Foundation
import Testing
import _CinchTestSupport

/// Output that cannot be written is a failure, said on standard error with exit 2: never a
/// crash, and never exit 0 with the output lost.
@Suite struct UnwritableOutputTests {
  /// Runs `cinch ARGS` from a shell with `redirect` applied to it.
  static func run(_ arguments: [String], redirect: String, environment: [String: String] = [:])
    throws -> (stderr: String, status: Int32)
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    let quoted = arguments.map { "'\($0)'" }.joined(separator: " ")
    process.arguments = ["-c", "\"$CINCH\" \(quoted) \(redirect)"]
    var base = ["CINCH": CinchProcess.executable.path, "PATH": "/usr/bin:/bin", "NO_COLOR": "1"]
    for (key, value) in environment { base[key] = value }
    process.environment = base
    process.currentDirectoryURL = Fixtures.packageRoot
    let err = Pipe()
    process.standardError = err
    try process.run()
    let data = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (String(decoding: data, as: UTF8.self), process.terminationStatus)
  }

  @Test(arguments: [">/dev/full", ">&-"])
  func aCompilerCommandFails(_ redirect: String) throws {
    let result = try Self.run(["refs", "templates/lambda-api.yaml"], redirect: redirect)
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("cinch: error: cannot write to standard output: "))
  }

  /// The store commands printed through Foundation's `FileHandle`, which traps on a failed
  /// write: a crash (SIGILL) after the write had been committed.
  @Test(arguments: [">/dev/full", ">&-"])
  func aStoreCommandFailsAfterItsWriteInsteadOfCrashing(_ redirect: String) async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = ["CINCH_STORE": directory.appendingPathComponent("store.db").path]
    #expect(try await CinchProcess.run(["init"], environment: store).status == 0)
    let put = try Self.run(
      ["ssm", "put-parameter", "--name", "/a", "--value", "v", "--type", "String"],
      redirect: redirect, environment: store)
    #expect(put.status == 2, "\(put.stderr)")
    #expect(put.stderr.hasPrefix("cinch: error: cannot write to standard output: "))
    let read = try await CinchProcess.run(
      ["ssm", "get-parameter", "--name", "/a", "--query", "Parameter.Version"],
      environment: store)
    #expect(read.stdout == "1\n")
  }
}
