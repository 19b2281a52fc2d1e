import Foundation
import _CinchTestSupport

/// `cinch serve` on a free loopback port in `project`, what it prints kept in files the test
/// can read: stdout (where it says where it listens) and stderr (where it reports sweeps and
/// failures); stopped with SIGTERM.
final class ServeWithLog {
  let process = Process()
  let log: URL
  let output: URL

  init(
    in project: URL, leaseInterval: Double = 5, arguments: [String] = [],
    environment: [String: String] = [:]
  ) throws {
    log = project.appendingPathComponent("serve.log")
    output = project.appendingPathComponent("serve.out")
    for file in [log, output] {
      guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
        throw CocoaError(.fileWriteUnknown)
      }
    }
    process.executableURL = CinchProcess.executable
    process.arguments =
      ["serve", "--listen", "127.0.0.1:0", "--lease-interval", String(leaseInterval)] + arguments
    process.currentDirectoryURL = project
    if !environment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.filter {
        !$0.key.hasPrefix("AWS_")
      }.merging(environment) { $1 }
    }
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = try FileHandle(forWritingTo: log)
    try process.run()
  }

  /// What the server has written to stderr so far.
  var printed: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "(unreadable)" }

  /// What the server has written to stdout so far.
  var banner: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "(unreadable)" }

  /// Waits up to ten seconds for `text` on stdout.
  func waitForBanner(_ text: String) async throws {
    for _ in 0..<100 where !banner.contains(text) {
      try await Task.sleep(for: .milliseconds(100))
    }
  }

  func stop() { ServerProcess.stop(process) }
}
