import CinchAWS
package import Foundation

/// A `moto_server` (the AWS mock from PyPI's `moto[server]`, installed by `Scripts/deps.sh`) on
/// a free loopback port, started on first use and shared by every test in the process. It is
/// stopped when the test process ends, however it ends: the server runs under a small shell
/// that kills it once this process's pid is gone.
///
/// Tests keep apart by account: each asks `freshAccount()` and sends it as `x-moto-account-id`,
/// which moto uses as the account of the request, so no test sees another's parameters.
package actor MotoServer {
  package static let shared = MotoServer()

  private var starting: Task<URL, any Error>?
  /// The shell that runs moto_server and ends it with the test process.
  private var launcher: pid_t?
  private var nextAccount = 0

  package struct Failure: Error, CustomStringConvertible {
    package var description: String
  }

  /// The server's base URL, starting it if needed. Concurrent callers share one start.
  package func start() async throws -> URL {
    if let starting { return try await starting.value }
    let task = Task { try await self.launch() }
    starting = task
    return try await task.value
  }

  private func launch() async throws -> URL {
    guard let executable = Self.find("moto_server") else {
      throw Failure(
        description:
          "moto_server is not installed; run Scripts/deps.sh (pip install 'moto[server]')")
    }
    var lastError = "no port tried"
    for _ in 0..<3 {
      let port = try LoopbackSocket.freePort()
      let launcher = try DetachedProcess.spawn(
        "/bin/bash",
        [
          "-c",
          // This lives as long as the test process (so not under Foundation's Process, and
          // holding none of its descriptors: see DetachedProcess).
          // moto_server ignores SIGTERM while requests are open: SIGKILL it once the test
          // process is gone.
          "\"$0\" -H 127.0.0.1 -p \"$1\" >/dev/null 2>&1 & child=$!; "
            + "while kill -0 \"$2\" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done; "
            + "kill -9 $child 2>/dev/null",
          executable, String(port), String(getpid()),
        ], environment: ProcessInfo.processInfo.environment.map { "\($0)=\($1)" })
      guard let url = URL(string: "http://127.0.0.1:\(port)") else {
        throw Failure(description: "no URL for port \(port)")
      }
      if await Self.waitUntilAnswering(url, while: launcher) {
        self.launcher = launcher
        return url
      }
      lastError = "moto_server did not answer on port \(port)"
      kill(launcher, SIGTERM)
      _ = DetachedProcess.wait(launcher)
    }
    throw Failure(description: lastError)
  }

  /// A 12-digit account id no other test in this process uses.
  package func freshAccount() -> String {
    nextAccount += 1
    let seed = (Int(getpid()) % 10_000) * 10_000_000 + nextAccount
    let text = String(seed)
    return String(repeating: "9", count: max(0, 12 - text.count)) + text
  }

  private static func find(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = "\(directory)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// Polls the server's own API until it answers, for 90 seconds at most (moto takes a few
  /// seconds to import on an idle machine, more on a busy one; a probe that waits out its own
  /// timeout counts too).
  private static func waitUntilAnswering(_ url: URL, while launcher: pid_t) async -> Bool {
    let probe = HTTPRequest(
      method: "GET", url: url.appendingPathComponent("moto-api/"), timeout: 1)
    let transport = CurlTransport(maxIdle: 0)
    let deadline = ContinuousClock.now + .seconds(90)
    while ContinuousClock.now < deadline {
      guard DetachedProcess.isRunning(launcher) else { return false }
      if (try? await transport.send(probe)) != nil { return true }
      try? await Task.sleep(nanoseconds: 100_000_000)
    }
    return false
  }
}
