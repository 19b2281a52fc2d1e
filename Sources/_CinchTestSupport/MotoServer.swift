package import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

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
  private var process: Process?
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
      let port = try Self.freePort()
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      process.arguments = [
        "-c",
        // moto_server ignores SIGTERM while requests are open: SIGKILL it once the test
        // process is gone.
        "\"$0\" -H 127.0.0.1 -p \"$1\" >/dev/null 2>&1 & child=$!; "
          + "while kill -0 \"$2\" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done; "
          + "kill -9 $child 2>/dev/null",
        executable, String(port), String(getpid()),
      ]
      process.standardInput = FileHandle.nullDevice
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      guard let url = URL(string: "http://127.0.0.1:\(port)") else {
        throw Failure(description: "no URL for port \(port)")
      }
      if await Self.waitUntilAnswering(url, while: process) {
        self.process = process
        return url
      }
      lastError = "moto_server did not answer on port \(port)"
      process.terminate()
      process.waitUntilExit()
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

  /// A port the kernel just handed out on 127.0.0.1 (closed again at once).
  private static func freePort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw Failure(description: "socket() failed") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0 else { throw Failure(description: "bind() failed") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        getsockname(descriptor, $0, &length)
      }
    }
    guard named == 0 else { throw Failure(description: "getsockname() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// Polls the server's own API until it answers (at most about 60 seconds: moto takes a few seconds
  /// to import on an idle machine, more on a busy one).
  private static func waitUntilAnswering(_ url: URL, while process: Process) async -> Bool {
    let probe = url.appendingPathComponent("moto-api/")
    for _ in 0..<600 {
      guard process.isRunning else { return false }
      var request = URLRequest(url: probe, timeoutInterval: 1)
      request.httpMethod = "GET"
      if let (_, response) = try? await URLSession.shared.data(for: request),
        (response as? HTTPURLResponse) != nil
      {
        return true
      }
      try? await Task.sleep(nanoseconds: 100_000_000)
    }
    return false
  }
}
