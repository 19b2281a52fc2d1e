import Foundation
import _CinchTestSupport

/// `cinch serve` on a free loopback port in `project`, its stderr (where it reports sweeps and
/// failures) kept in a file the test can read; stopped with SIGTERM.
final class ServeWithLog {
  let process = Process()
  let log: URL

  init(in project: URL, leaseInterval: Double) throws {
    log = project.appendingPathComponent("serve.log")
    guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
      throw CocoaError(.fileWriteUnknown)
    }
    process.executableURL = CinchProcess.executable
    process.arguments = [
      "serve", "--listen", "127.0.0.1:0", "--lease-interval", String(leaseInterval),
    ]
    process.currentDirectoryURL = project
    process.standardOutput = FileHandle.nullDevice
    process.standardError = try FileHandle(forWritingTo: log)
    try process.run()
  }

  /// What the server has written to stderr so far.
  var printed: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "(unreadable)" }

  func stop() { ServerProcess.stop(process) }
}
