import Foundation
import Testing
import _CinchTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A command rotator does not outlive the cinch that runs it: left running, its deadline and
/// its group's kill would no longer be enforced, and a setSecret could change a credential with
/// nothing recorded.
@Suite struct RotatorLifetimeTests {
  typealias Project = StoreCommandTests.Project

  /// `kill -9` of `cinch secretsmanager rotate-secret` in the middle of a step ends the rotator
  /// and what it started in its group (a shell's `sleep`, as it would be a `psql`).
  @Test func aRotatorDiesWithTheCinchThatRunsIt() async throws {
    let project = try await Project()
    let pids = project.path("pids")
    let script = try project.write(
      """
      #!/bin/sh
      sleep 300 </dev/null >/dev/null 2>&1 &
      echo "$$ $!" > "\(pids).tmp" && mv "\(pids).tmp" "\(pids)"
      wait
      """, to: "hang.sh")
    chmod(script, 0o755)
    let created = try await project.run([
      "secretsmanager", "create-secret", "--name", "app/db", "--secret-string", "original-value",
    ])
    #expect(created.status == 0, "\(created.stderr)")
    let registered = try await project.run(["rotation", "register", "hang", "--", script])
    #expect(registered.status == 0, "\(registered.stderr)")

    let cinch = Process()
    cinch.executableURL = CinchProcess.executable
    cinch.arguments = [
      "secretsmanager", "rotate-secret", "--secret-id", "app/db", "--rotator", "hang",
    ]
    // As `CinchProcess.run` sets it up.
    cinch.environment = [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "NO_COLOR": "1",
      "HOME": NSTemporaryDirectory(),
    ].merging(project.environment) { $1 }
    cinch.currentDirectoryURL = project.directory
    cinch.standardInput = FileHandle.nullDevice
    cinch.standardOutput = FileHandle.nullDevice
    cinch.standardError = FileHandle.nullDevice
    try cinch.run()

    // The rotator's shell and its `sleep`, once both run.
    var started: [pid_t] = []
    for _ in 0..<1200 where started.isEmpty && cinch.isRunning {
      if let text = try? String(contentsOfFile: pids, encoding: .utf8) {
        started = text.split(separator: " ").compactMap {
          pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
      } else {
        try await Task.sleep(for: .milliseconds(50))
      }
    }
    defer { for pid in started where Self.isAlive(pid) { kill(pid, SIGKILL) } }
    if started.isEmpty { kill(cinch.processIdentifier, SIGKILL) }
    try #require(
      started.count == 2, "the rotator did not start (cinch running: \(cinch.isRunning))")
    #expect(cinch.isRunning)

    kill(cinch.processIdentifier, SIGKILL)
    cinch.waitUntilExit()
    #expect(cinch.terminationReason == .uncaughtSignal)
    // A bounded wait, not a timing: the kernel ends them at once, on a loaded machine later.
    var left = started
    for _ in 0..<600 where !left.isEmpty {
      left = left.filter(Self.isAlive)
      if !left.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
    }
    #expect(left.isEmpty, "still running 30 s after cinch was killed: \(left) of \(started)")
  }

  /// Signal 0 finds the process and it is not a zombie waiting for whoever adopted it.
  static func isAlive(_ pid: pid_t) -> Bool {
    guard kill(pid, 0) == 0 || errno != ESRCH else { return false }
    guard let state = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else {
      return false
    }
    return !state.contains(") Z ")
  }
}
