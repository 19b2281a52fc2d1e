package import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A program started with `posix_spawn`, its standard streams on /dev/null, without
/// Foundation's `Process`: a server that outlives the call (`pg_ctl start`'s postgres, the shell
/// that watches moto_server) must not hold the socket `Process` watches a child's end by, or
/// the one thread that reaps every `Process` child would wait for the server.
///
/// Nor may it hold any other descriptor the test process had open when it started: another
/// test's pipe, not yet closed on exec (Foundation's `Pipe` never is), whose reader would then
/// wait for the server's end instead of its own child's. `posix_spawn` passes every such
/// descriptor on, and Swift's Glibc has neither `closefrom` nor its spawn action, so the
/// program starts under bash, which closes every descriptor above 2 before it `exec`s it.
package enum DetachedProcess {
  package struct Failure: Error, CustomStringConvertible {
    package var description: String
  }

  /// Starts `executable` with `arguments` and `environment` (`NAME=value`), and returns its
  /// pid without waiting for it.
  package static func spawn(
    _ executable: String, _ arguments: [String], environment: [String]
  ) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for descriptor: Int32 in [0, 1, 2] {
      posix_spawn_file_actions_addopen(
        &actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    // bash, since POSIX sh names descriptors 0 to 9 only; `$0` is the program.
    let closing =
      "for fd in /proc/$$/fd/*; do fd=${fd##*/}; "
      + "if [ \"$fd\" -gt 2 ]; then eval \"exec $fd>&-\"; fi; done; exec \"$0\" \"$@\""
    let argv = (["/bin/bash", "-c", closing, executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    defer {
      for pointer in argv + envp { free(pointer) }
    }
    // The calling thread's signal mask is inherited, and Swift's concurrency threads block
    // most signals: a child started from one would never see the SIGTERM that stops it (the
    // launcher of a moto_server that did not answer in time, waited on for ever). It starts
    // with no signal blocked and the default disposition of those a test sends.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(
      &attributes, Int16(POSIX_SPAWN_SETSIGMASK) | Int16(POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/bin/bash", &actions, &attributes, argv, envp)
    guard spawned == 0 else {
      throw Failure(description: "cannot run \(executable): error \(spawned)")
    }
    return pid
  }

  /// Waits for the child `pid` and returns its exit status (128 + the signal that ended it).
  package static func wait(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
  }

  /// Whether the child `pid` has not exited (reaping it if it has).
  package static func isRunning(_ pid: pid_t) -> Bool {
    var status: Int32 = 0
    return waitpid(pid, &status, WNOHANG) == 0
  }
}
