import CinchStore
import CinchTemplate
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Process-wide set-up that must happen before any thread but the main one allocates memory,
/// so it is called first thing in `main.swift`.
public enum ProcessSetup {
  /// No core file, and no other unprivileged process reading this one's memory: a crash (or a
  /// `kill -ABRT`) of a process holding decrypted values would otherwise write them to disk,
  /// and `gdb -p` by the same user could read them. `RLIMIT_CORE` 0 stops the file (and a
  /// core-dump handler such as systemd-coredump); `PR_SET_DUMPABLE` 0 also refuses ptrace
  /// attachment by anyone but root.
  static func forbidCoreDumps() {
    #if canImport(Glibc)
      var none = rlimit(rlim_cur: 0, rlim_max: 0)
      _ = setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &none)
      let setDumpable: Int32 = 4  // PR_SET_DUMPABLE in <sys/prctl.h>, not exported by Glibc
      typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
      if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "prctl") {
        _ = unsafeBitCast(symbol, to: Prctl.self)(setDumpable, 0, 0, 0, 0)
      }
    #endif
  }

  /// A write past the file size limit (`ulimit -f`, `RLIMIT_FSIZE`) fails with `EFBIG`
  /// instead of the kernel's default `SIGXFSZ` ending the process in the middle of a write: the
  /// store then reports that there was no room and rolls the write back, as for a full disk,
  /// rather than the process vanishing with status 153. Set first thing, before any file is
  /// written; command rotators still start with every signal at its default (`ChildProcess`).
  static func ignoreFileSizeLimitSignal() {
    signal(SIGXFSZ, SIG_IGN)
  }

  /// A standard stream the process was started without (`cinch … >&-`) is opened on
  /// `/dev/null` before anything else opens a file: otherwise the next file opened (a store, a
  /// socket) would get its number and output meant for the stream would be written into it.
  /// Output then still fails, as `Output` reports: standard output closed this way is marked.
  static func guardStandardStreams() {
    for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO]
    where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
      let opened = open("/dev/null", descriptor == STDIN_FILENO ? O_RDONLY : O_WRONLY)
      if opened >= 0, opened != descriptor {
        _ = dup2(opened, descriptor)
        _ = close(opened)
      }
      if descriptor == STDOUT_FILENO { Output.standardOutputWasClosed = true }
    }
  }

  /// Commands that read templates only and never open a store. The lists this file reads before
  /// the second thread starts are arrays: the first `Set<String>` of the process makes the
  /// runtime look `String: Hashable` up (~0.5 M instructions), which would hold that thread back.
  static let templateOnly: [String] = [
    "refs", "graph", "consumers", "parse", "--version", "--help", "-h", "help",
  ]
  /// Commands that analyse templates: the front end is warmed up for them
  /// (`FrontEndWarmUp`) while their command line is parsed (`check` of 500 resources 4–7%
  /// faster, of a 20-resource template ~9%: medians of 41–61 interleaved runs). Not for `lock`
  /// and `render`, which keep one malloc arena for a big template's sake: the warm-up's
  /// allocations added ~1.3 MB to `render`'s peak at 10,000 resources, against the 150 MB goal.
  static let analysing: [String] = [
    "check", "plan", "outdated", "policy", "refs", "graph", "consumers",
  ]

  /// Starts what a command needs later and what does not depend on its arguments, on a thread
  /// of its own: libcrypto's set-up (~12 M instructions: loading it, its configuration, its
  /// first algorithm fetch), for every command that may open a store, and the front end's
  /// warm-up for the commands that analyse templates. For the other store commands the same
  /// thread then opens the store (`StoreOpenedAhead`) while swift-argument-parser parses the
  /// command line (~23 M instructions of a store command). The commands `FastCommandLine`
  /// parses in microseconds open the store on their own thread instead, at once: the part of
  /// opening that needs no key, and GRDB's one-time type lookups, run there while libcrypto is
  /// set up here (`SQLiteStore.open`).
  public static func startAhead(arguments: [String]) {
    guard let command = arguments.dropFirst().first else { return }
    let analysesTemplates = analysing.contains(command)
    guard !templateOnly.contains(command) else {
      if analysesTemplates { Thread.detachNewThread { FrontEndWarmUp.run() } }
      return
    }
    let store =
      FastCommandLine.takes(Array(arguments.dropFirst()))
      ? nil
      : StoreOpenedAhead.planned(
        arguments: arguments, environment: ProcessEnvironment.current)
    Thread.detachNewThread {
      Crypto.prepare()
      store?.run()
      if analysesTemplates { FrontEndWarmUp.run() }
    }
  }

  /// The commands that keep one malloc arena (`beforeThreads`). They also parse a template
  /// on one thread: libyaml's thread would wait on the arena's lock while the composer
  /// allocates (`lock` on 10,000 resources 0.83 → 0.94 s); with two arenas `lock` took 0.80 s,
  /// `render` no less, and both peaks were ~2 MB higher.
  static let oneArena: [String] = ["lock", "render"]

  /// glibc gives every thread that allocates its own malloc arena and grows it a page at a time
  /// with `mprotect` (1,258 calls in `cinch check` of 500 resources, ~3 ms of its ~35 ms of
  /// system time), while the main arena grows through `brk` with a 128 KiB pad (59 calls). So
  /// the number of arenas is capped, by what each command does:
  /// - four for the commands that analyse templates (`analysing`): besides the command's
  ///   thread, the set-up thread warms the front end up and libyaml parses on a thread of its
  ///   own, and with two arenas they waited on each other's lock: `check` on 500 resources
  ///   made 96 context switches against 53 with four and took 81.5 against 70.0 ms (`perf
  ///   stat`, 20 runs each; medians of 60 interleaved runs 71.4 → 64.8 ms, `refs` 53.0 →
  ///   49.1 ms), with the same peak resident memory;
  /// - two for the others: they have a second thread allocating at the same time as the first
  ///   (the store opening), and with a single arena the threads waited on its lock (`check`
  ///   made 188 context switches against 31 with two when it had only two such threads, tenth
  ///   session); `get-parameter` takes as long with two as with four;
  /// - one for `lock` and `render`, which hold a big template's tree, its references and their
  ///   output at once: a second arena added ~2–3 MB to their peak (`render` on 10,000 resources
  ///   147.5 → 149.5 MB, against the 150 MB) and nothing measurable to their speed;
  /// - glibc's default for `cinch serve`, whose connection threads allocate at once.
  public static func beforeThreads(arguments: [String]) {
    guardStandardStreams()
    forbidCoreDumps()
    ignoreFileSizeLimitSignal()
    #if canImport(Glibc)
      guard let command = arguments.dropFirst().first, command != "serve" else { return }
      let arenas: Int32 = oneArena.contains(command) ? 1 : analysing.contains(command) ? 4 : 2
      // `mallopt` is declared in <malloc.h>, which Glibc's module does not export; looked up by
      // name, so a C library without it is simply left as it is.
      typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
      let arenaMax: Int32 = -8  // M_ARENA_MAX in <malloc.h>
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
      _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMax, arenas)
    #endif
  }
}
