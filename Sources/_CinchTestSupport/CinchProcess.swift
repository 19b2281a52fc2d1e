public import Foundation

/// Runs the built `cinch` binary as a user would and captures what it printed
/// (argument-parser's `AssertExecuteCommand` idea): end-to-end tests assert stdout, stderr and
/// the exit status together.
public struct CinchProcess {
  public struct Result: Sendable, Equatable {
    public var stdout: String
    public var stderr: String
    public var status: Int32
  }

  /// The `cinch` executable next to the test bundle (SwiftPM puts both in the same folder).
  public static var executable: URL {
    var directory = Bundle.main.bundleURL
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
      directory = bundle.bundleURL.deletingLastPathComponent()
    }
    let candidate = directory.appendingPathComponent("cinch")
    if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    return Fixtures.packageRoot.appendingPathComponent(".build/debug/cinch")
  }

  /// Runs `cinch arguments…` in `directory` with `environment` added to a minimal one (no
  /// colour, no inherited AWS or cinch settings), feeding `stdin`. The wait happens off the
  /// concurrency pool (`offThePool`). With a `launcher`, that command runs cinch, given its path
  /// and the arguments after its own (`fileSizeLimit` runs it under a file size limit, without
  /// lowering the test runner's own). A run still going after `deadline` seconds is killed,
  /// with what its launcher started, and throws `Timeout`.
  @discardableResult
  public static func run(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
    stdin: String? = nil, launcher: [String] = [], deadline: Double = deadlineSeconds
  ) async throws -> Result {
    try await offThePool {
      try runBlocking(
        arguments, in: directory, environment: environment, stdin: stdin, launcher: launcher,
        deadline: deadline)
    }
  }

  /// A `launcher` that runs cinch under a file size limit of `kibibytes` (`ulimit -f`): a
  /// write past it fails with `EFBIG`, as on a full disk. POSIX `sh` counts the limit in
  /// 512-byte blocks (bash alone, outside its POSIX mode, in KiB).
  public static func fileSizeLimit(kibibytes: Int) -> [String] {
    ["/bin/sh", "-c", "ulimit -f \(kibibytes * 2) && exec \"$@\"", "sh"]
  }

  private static func runBlocking(
    _ arguments: [String], in directory: URL?, environment: [String: String], stdin: String?,
    launcher: [String], deadline: Double
  ) throws -> Result {
    let process = Process()
    if let command = launcher.first {
      process.executableURL = URL(fileURLWithPath: command)
      process.arguments = launcher.dropFirst() + [executable.path] + arguments
    } else {
      process.executableURL = executable
      process.arguments = arguments
    }
    var base = [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "NO_COLOR": "1",
      "HOME": NSTemporaryDirectory(),
    ]
    for (key, value) in environment { base[key] = value }
    process.environment = base
    if let directory { process.currentDirectoryURL = directory }
    let out = try closedOnExecPipe()
    let err = try closedOnExecPipe()
    let input = try closedOnExecPipe()
    process.standardOutput = out.write
    process.standardError = err.write
    process.standardInput = input.read
    try process.run()
    // The child has its own copies now: the ends left here would keep the pipes open.
    try? out.write.close()
    try? err.write.close()
    try? input.read.close()
    if let stdin { input.write.write(Data(stdin.utf8)) }
    try? input.write.close()
    // Read both pipes to the end before waiting, so a large output cannot block the child.
    let output = CapturedOutput()
    let group = DispatchGroup()
    for (handle, isError) in [(out.read, false), (err.read, true)] {
      group.enter()
      DispatchQueue.global().async {
        output.set(handle.readDataToEndOfFile(), error: isError)
        group.leave()
      }
    }
    if group.wait(timeout: .now() + deadline) == .timedOut {
      // Foundation's `Process` makes the child lead a process group: a launcher's shell and
      // what it started go with it. What is still read after that is abandoned.
      let pid = process.processIdentifier
      if process.isRunning { kill(getpgid(pid) == pid ? -pid : pid, SIGKILL) }
      _ = group.wait(timeout: .now() + 5)
      let (stdout, stderr) = output.texts
      throw Timeout(
        description:
          "cinch \(arguments.joined(separator: " ")) did not finish in \(deadline) s "
          + "(CINCH_TEST_PROCESS_DEADLINE) and was killed; stdout: \(stdout.suffix(2000)) "
          + "stderr: \(stderr.suffix(2000))")
    }
    process.waitUntilExit()
    let (stdout, stderr) = output.texts
    return Result(stdout: stdout, stderr: stderr, status: process.terminationStatus)
  }

  /// What one run of `cinch` did not finish in: a hang is one test's failure, named, rather
  /// than a test run that never ends.
  public struct Timeout: Error, CustomStringConvertible {
    public var description: String
  }

  /// How long one cinch process may run: `CINCH_TEST_PROCESS_DEADLINE` seconds, 300 by default
  /// (the slowest in the suite takes a few seconds).
  public static let deadlineSeconds: Double =
    ProcessInfo.processInfo.environment["CINCH_TEST_PROCESS_DEADLINE"].flatMap(Double.init) ?? 300

  /// A child's standard output and error, each set once from its reading thread.
  private final class CapturedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var stdout = Data()
    private var stderr = Data()

    func set(_ data: Data, error: Bool) {
      lock.withLock {
        if error { stderr = data } else { stdout = data }
      }
    }

    var texts: (String, String) {
      lock.withLock {
        (String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
      }
    }
  }

  /// A pipe whose ends no program started later inherits (`FD_CLOEXEC`, set as soon as the
  /// pipe is made; Swift's Glibc has no `pipe2`): the child gets its end by `dup2`, which
  /// clears the flag on its copy. With Foundation's `Pipe`, a server another test started
  /// meanwhile (moto_server lives as long as the test process) inherited the write end this
  /// process reads to the end, so the read never ended and the test run hung. (moto_server's
  /// launcher also closes what it inherited, for the instant between `pipe` and `fcntl`.)
  static func closedOnExecPipe() throws -> (read: FileHandle, write: FileHandle) {
    var descriptors: [Int32] = [-1, -1]
    guard pipe(&descriptors) == 0 else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "pipe failed"])
    }
    for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
    return (
      FileHandle(fileDescriptor: descriptors[0], closeOnDealloc: true),
      FileHandle(fileDescriptor: descriptors[1], closeOnDealloc: true)
    )
  }

  /// A fresh temporary directory, removed by the caller with `FileManager.removeItem`.
  public static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "cinch-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
