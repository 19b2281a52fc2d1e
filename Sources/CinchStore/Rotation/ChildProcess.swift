import Foundation

#if os(Linux)
  import CChildSpawn
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A command run in a process group of its own, so that a deadline ends everything it started.
///
/// Foundation's `Process` signals the command alone: a shell script whose step runs `psql` or
/// `sleep` keeps running in that child, which also holds standard error open, so the caller
/// waited for it however long it took (a 2-second timeout took 38 s) and left it behind. Here
/// the command runs in a new process group: at the deadline the whole group is killed, and
/// when the command itself exits, whatever it left running in its group is ended too, as a
/// rotation step's work is over when it returns. Signals the caller ignores or blocks are reset
/// for the command.
///
/// On Linux the group also ends when cinch does, `kill -9` included: otherwise the command
/// would run on unwatched, with no deadline, and a setSecret could change a credential with
/// nothing recorded. The group is led by a small supervisor forked by `cinch_child_spawn`
/// (`CChildSpawn`, in C: no Swift may run between fork and exec) that gets `PR_SET_PDEATHSIG`,
/// kills the group when it fires, and otherwise ends as the command ended. The death signal
/// follows the *thread* that forked, not the process: `run` blocks its calling thread until
/// the supervisor is reaped, so that thread cannot end first. Processes the command moved to
/// another group or session (`setsid`, a shell's `set -m`) are not covered. Elsewhere (Darwin
/// has no `PR_SET_PDEATHSIG`) the command leads its group itself, by `posix_spawn`.
package enum ChildProcess {
  package struct Outcome: Sendable, Equatable {
    /// The exit status, or the signal that ended the command.
    package var status: Int32
    package var signaled: Bool
    package var timedOut: Bool
    /// The last bytes the command wrote to standard error.
    package var standardError: [UInt8]
    /// Whether the command wrote more than was kept: `standardError` then starts mid-output.
    package var standardErrorCut = false
  }

  package struct Failure: Error, CustomStringConvertible {
    package var description: String
  }

  /// Runs `executable` with `arguments` and exactly `environment`, `input` on standard input
  /// (written before it starts: it must fit a pipe's buffer), standard output discarded.
  /// Blocks until the command and everything in its group have ended (not for what it moved
  /// out of its group).
  package static func run(
    executable: String, arguments: [String], environment: [String: String], input: [UInt8],
    timeoutSeconds: Double, keptErrorBytes: Int
  ) throws -> Outcome {
    // The input is a rotation event (~300 bytes); a pipe holds 64 KiB on Linux, 16 KiB at
    // least anywhere.
    guard input.count <= 16_384 else { throw Failure(description: "the input is too large") }
    var inputPipe: [Int32] = [-1, -1]
    var errorPipe: [Int32] = [-1, -1]
    // Closed (its write end) when the command has ended: the reader then drains what standard
    // error holds and stops.
    var stopPipe: [Int32] = [-1, -1]
    guard pipe(&inputPipe) == 0 else { throw failure("pipe") }
    guard pipe(&errorPipe) == 0 else {
      close(inputPipe[0])
      close(inputPipe[1])
      throw failure("pipe")
    }
    guard pipe(&stopPipe) == 0 else {
      for descriptor in inputPipe + errorPipe { close(descriptor) }
      throw failure("pipe")
    }
    // Only the command's copies (dup2'd to 0 and 2) reach it: these close on exec (`pipe2`
    // with O_CLOEXEC is not in the module Glibc exports).
    for descriptor in inputPipe + errorPipe + stopPipe {
      _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
    }
    var written = 0
    while written < input.count {
      let count = input[written...].withUnsafeBytes {
        write(inputPipe[1], $0.baseAddress, $0.count)
      }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { break }
      written += count
    }
    close(inputPipe[1])

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp =
      environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var pid: pid_t = 0
    var spawned = spawn(executable, argv, envp, input: inputPipe[0], error: errorPipe[1], &pid)
    // `ETXTBSY`: the executable is open for writing somewhere, often only for the instant
    // another thread's fork holds a copy of a descriptor before its exec closes it. Tried again
    // for up to ~0.5 s before it counts as the command's failure.
    var attempts = 1
    while spawned == ETXTBSY, attempts < 7 {
      usleep(useconds_t(10_000 << min(attempts - 1, 4)))
      spawned = spawn(executable, argv, envp, input: inputPipe[0], error: errorPipe[1], &pid)
      attempts += 1
    }
    close(inputPipe[0])
    close(errorPipe[1])
    guard spawned == 0 else {
      for descriptor in [errorPipe[0]] + stopPipe { close(descriptor) }
      throw Failure(description: String(cString: strerror(spawned)))
    }

    let errors = TailBuffer(limit: keptErrorBytes)
    let readerDone = DispatchSemaphore(value: 0)
    let reader = errorPipe[0]
    let stop = stopPipe[0]
    DispatchQueue.global().async {
      readStandardError(reader, into: errors, until: stop)
      close(stop)
      readerDone.signal()
      // A process still holding the pipe runs on as it would have: its writes are discarded
      // (not failed with SIGPIPE) until it closes its end.
      _ = fcntl(reader, F_SETFL, fcntl(reader, F_GETFL) & ~O_NONBLOCK)
      var discarded = [UInt8](repeating: 0, count: 4096)
      while true {
        let count = discarded.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR { continue }
        if count <= 0 { break }
      }
      close(reader)
    }

    // Waited for without being reaped (`WNOWAIT`): until it is, its pid, which names the
    // group, cannot be reused, so the group killed below is still the command's.
    let exited = DispatchSemaphore(value: 0)
    let child = pid
    DispatchQueue.global().async {
      var info = siginfo_t()
      while waitid(P_PID, id_t(child), &info, WEXITED | WNOWAIT) < 0, errno == EINTR {}
      exited.signal()
    }
    let timedOut = exited.wait(timeout: .now() + timeoutSeconds) == .timedOut
    // The group: at the deadline everything in it, after a normal exit what it left behind.
    kill(-pid, SIGKILL)
    if timedOut { exited.wait() }
    // The command has ended: what it wrote is in the pipe. A process it moved out of its group
    // (`setsid`, a daemon) may hold standard error open for as long as it runs; that is not
    // waited for, and what it writes later is not the step's. The reader drains the pipe
    // without blocking and stops, before the group's leader is reaped below.
    close(stopPipe[1])
    readerDone.wait()
    var raw: Int32 = 0
    while waitpid(pid, &raw, 0) < 0, errno == EINTR {}

    let signal = raw & 0x7f
    return Outcome(
      status: signal == 0 ? (raw >> 8) & 0xff : signal, signaled: signal != 0,
      timedOut: timedOut, standardError: errors.bytes, standardErrorCut: errors.wasCut)
  }

  /// Reads `descriptor` into `errors` until its writers have all closed it, or until `stop`
  /// becomes readable (its write end closed), then reads what the pipe already holds without
  /// waiting for more.
  private static func readStandardError(
    _ descriptor: Int32, into errors: TailBuffer, until stop: Int32
  ) {
    var buffer = [UInt8](repeating: 0, count: 4096)
    /// One read: false at the end of the output, or (non-blocking) when nothing is left.
    func readOnce() -> Bool {
      while true {
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR { continue }
        guard count > 0 else { return false }
        errors.append(buffer[0..<count])
        return true
      }
    }
    var watched = [
      pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
      pollfd(fd: stop, events: Int16(POLLIN), revents: 0),
    ]
    while true {
      let ready = poll(&watched, nfds_t(watched.count), -1)
      if ready < 0, errno == EINTR { continue }
      guard ready > 0 else { return }
      if watched[1].revents != 0 { break }
      if watched[0].revents != 0, !readOnce() { return }
    }
    _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    while readOnce() {}
  }

  /// Starts the command with `input` on standard input, standard output on /dev/null and
  /// `error` as standard error, and (on Linux) nothing else of this process: not the store's
  /// files, a server's sockets, or a descriptor another thread has open without close-on-exec
  /// at this moment (a script being written elsewhere in the process would otherwise stay open
  /// for writing in the command, for its whole life: `ETXTBSY` for whoever runs that script).
  /// Returns 0 and the pid that names the group, or an errno value.
  private static func spawn(
    _ executable: String, _ argv: [UnsafeMutablePointer<CChar>?],
    _ envp: [UnsafeMutablePointer<CChar>?], input: Int32, error: Int32, _ pid: inout pid_t
  ) -> Int32 {
    #if os(Linux)
      let discarded = open("/dev/null", O_WRONLY | O_CLOEXEC)
      guard discarded >= 0 else { return errno }
      defer { close(discarded) }
      return cinch_child_spawn(executable, argv, envp, input, discarded, error, &pid)
    #else
      var actions = posix_spawn_file_actions_t()
      posix_spawn_file_actions_init(&actions)
      defer { posix_spawn_file_actions_destroy(&actions) }
      posix_spawn_file_actions_adddup2(&actions, input, 0)
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
      posix_spawn_file_actions_adddup2(&actions, error, 2)
      var attributes = posix_spawnattr_t()
      posix_spawnattr_init(&attributes)
      defer { posix_spawnattr_destroy(&attributes) }
      var everySignal = sigset_t()
      sigfillset(&everySignal)
      var noSignal = sigset_t()
      sigemptyset(&noSignal)
      posix_spawnattr_setsigdefault(&attributes, &everySignal)
      posix_spawnattr_setsigmask(&attributes, &noSignal)
      posix_spawnattr_setpgroup(&attributes, 0)
      posix_spawnattr_setflags(
        &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
      return posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    #endif
  }

  private static func failure(_ call: String) -> Failure {
    Failure(description: "\(call): \(String(cString: strerror(errno)))")
  }
}

/// The last `limit` bytes appended, from one thread, read after it is done.
private final class TailBuffer: @unchecked Sendable {
  private let limit: Int
  private let lock = NSLock()
  private var storage: [UInt8] = []
  private var total = 0

  init(limit: Int) { self.limit = limit }

  func append(_ bytes: ArraySlice<UInt8>) {
    lock.withLock {
      storage.append(contentsOf: bytes)
      total += bytes.count
      if storage.count > limit * 2 { storage.removeFirst(storage.count - limit) }
    }
  }

  var bytes: [UInt8] { lock.withLock { Array(storage.suffix(limit)) } }
  var wasCut: Bool { lock.withLock { total > limit } }
}
