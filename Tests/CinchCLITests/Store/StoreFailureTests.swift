import Foundation
import Testing
import _CinchTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The project's promise for the store under adversity: a full disk (or a read-only file, an
/// interrupted `init`) gets one line naming the file and a non-zero exit, and the store is never
/// left half-written. Each case runs the real binary in a process of its own.
@Suite struct StoreFailureTests {
  /// A store in a fresh directory with `/kept` written, and the directory.
  static func store() async throws -> URL {
    let directory = try CinchProcess.temporaryDirectory()
    #expect(try await CinchProcess.run(["init"], in: directory).status == 0)
    let put = try await CinchProcess.run(
      ["ssm", "put-parameter", "--name", "/kept", "--value", "before", "--type", "String"],
      in: directory)
    #expect(put.status == 0, "\(put.stderr)")
    return directory
  }

  static let noSpace =
    "no space left (the disk is full, or a disk quota or the file size limit is reached)"

  /// Writes under file size limits from too small to open the store to just too small for the
  /// value (a write past the limit fails with `EFBIG`, as one on a full disk fails with
  /// `ENOSPC`). Each write that fails says there was no room and names the store, on one line,
  /// with the aws CLI's status for a store that cannot be used (253, at the open) or a failed
  /// request (254, at the write); none ends the process by `SIGXFSZ` (status 25 here); and the
  /// store afterwards holds what it held, its audit log intact.
  @Test func aWriteWithNoRoomSaysSoAndLeavesTheStoreAsItWas() async throws {
    let directory = try await Self.store()
    defer { try? FileManager.default.removeItem(at: directory) }
    let value = String(repeating: "0123456789abcdef", count: 400)
    var failures = 0
    var written: [String] = []
    for limit in [8, 16, 24, 32, 36, 40, 48] {
      let name = "/limited/\(limit)"
      let put = try await CinchProcess.run(
        [
          "ssm", "put-parameter", "--name", name, "--value", value, "--type", "String", "--tier",
          "Advanced",
        ],
        in: directory, launcher: CinchProcess.fileSizeLimit(kibibytes: limit))
      if put.status == 0 {
        written.append(name)
        continue
      }
      failures += 1
      #expect([253, 254].contains(put.status), "limit \(limit) KiB: status \(put.status)")
      #expect(put.stderr.contains(Self.noSpace), "limit \(limit) KiB: \(put.stderr)")
      #expect(put.stderr.contains("'.cinch/store.db'"), "limit \(limit) KiB: \(put.stderr)")
      #expect(
        put.stderr.split(separator: "\n").count == 1, "limit \(limit) KiB: \(put.stderr)")
    }
    #expect(failures >= 2)

    let verify = try await CinchProcess.run(["audit", "verify"], in: directory)
    #expect(verify.status == 0, "\(verify.stderr)")
    let kept = try await CinchProcess.run(
      [
        "ssm", "get-parameter", "--name", "/kept", "--query", "Parameter.Value", "--output", "text",
      ],
      in: directory)
    #expect(kept.stdout == "before\n", "\(kept.stderr)")
    let names = try await CinchProcess.run(
      [
        "ssm", "get-parameters-by-path", "--path", "/limited", "--query", "Parameters[].Name",
        "--output", "text",
      ],
      in: directory)
    #expect(
      names.stdout.split(whereSeparator: { $0 == "\t" || $0 == "\n" }).map(String.init)
        == written)
  }

  /// cinch ignores `SIGXFSZ`, so a write past the file size limit fails with `EFBIG` (and is
  /// reported as above) rather than the kernel ending the process in the middle of it. Which
  /// thread writes decides whether a default `SIGXFSZ` kills (runtime threads block it), so
  /// the disposition itself is read, from `/proc`, while cinch waits on a FIFO for its value:
  /// once the shell's open of the FIFO returns, cinch has opened it, well past its set-up.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status")))
  func aWritePastTheFileSizeLimitDoesNotKillCinch() async throws {
    let directory = try await Self.store()
    defer { try? FileManager.default.removeItem(at: directory) }
    let run = try await CinchProcess.run(
      ["ssm", "put-parameter", "--name", "/fifo", "--value", "file://fifo", "--type", "String"],
      in: directory,
      launcher: [
        "/bin/sh", "-c",
        """
        mkfifo fifo || exit 1
        "$@" >/dev/null & cinch=$!
        exec 3>fifo
        sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$cinch/status
        echo value >&3
        exec 3>&-
        wait $cinch
        """,
        "sh",
      ],
      // The shell's open of the FIFO waits for ever if cinch ends without opening it.
      deadline: 60)
    #expect(run.status == 0, "\(run.stderr)")
    let ignored = try #require(
      UInt64(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines), radix: 16))
    #expect(ignored & (1 << (UInt64(SIGXFSZ) - 1)) != 0, "SigIgn \(run.stdout)")
  }

  /// The checkpoint at close that the file size limit stops inside a page leaves `store.db`
  /// a part of a page longer (153,600 bytes here) beside a WAL that holds every committed
  /// frame. Until 2026-12-07 every later command called the store damaged; it opens (the
  /// writes under the limit go on, into the WAL), and once there is room the next command
  /// finds everything, its audit log intact, and leaves the file whole.
  @Test func aCheckpointTheSizeLimitStopsInsideAPageIsFinishedWhenThereIsRoom() async throws {
    let directory = try await Self.store()
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = directory.appendingPathComponent(".cinch/store.db").path
    let value = String(repeating: "0123456789abcdef", count: 190)
    var cut = false
    for version in 1...5 {
      let put = try await CinchProcess.run(
        [
          "ssm", "put-parameter", "--name", "/u", "--value", "v\(version)-\(value)", "--overwrite",
          "--type", "SecureString", "--query", "Version",
        ],
        in: directory, launcher: CinchProcess.fileSizeLimit(kibibytes: 150))
      #expect(put.status == 0, "put \(version): \(put.stderr)")
      let size = try #require(
        try FileManager.default.attributesOfItem(atPath: store)[.size] as? Int)
      cut = cut || size % 4096 != 0
    }
    #expect(cut, "no checkpoint stopped inside a page")

    let read = try await CinchProcess.run(
      [
        "ssm", "get-parameter", "--name", "/u", "--with-decryption", "--query",
        "Parameter.[Version,Value]", "--output", "text",
      ],
      in: directory)
    #expect(read.stdout == "5\tv5-\(value)\n", "\(read.stderr)")
    let verify = try await CinchProcess.run(["audit", "verify"], in: directory)
    #expect(verify.status == 0, "\(verify.stderr)")
    let size = try #require(try FileManager.default.attributesOfItem(atPath: store)[.size] as? Int)
    #expect(size % 4096 == 0)
    #expect(!FileManager.default.fileExists(atPath: store + "-wal"))
  }

  /// `init` with no room for the new store says so, naming the store, and leaves nothing
  /// behind: no store, no key file, no staged file, not the folder it made for them; with
  /// room, the next `init` works. (The new store is 148 KiB; its WAL grows past 160 KiB
  /// before the checkpoint, and past 200 KiB until 2026-12-07, when each schema step was a
  /// transaction of its own.)
  @Test(arguments: [16, 64, 160])
  func anInitWithNoRoomSaysSoAndLeavesNothing(limit: Int) async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let refused = try await CinchProcess.run(
      ["init"], in: directory, launcher: CinchProcess.fileSizeLimit(kibibytes: limit))
    #expect(refused.status == 2)
    #expect(refused.stderr == "cinch: cannot write to '.cinch/store.db': \(Self.noSpace)\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [])
    #expect(try await CinchProcess.run(["init"], in: directory).status == 0)
  }

  /// A `launcher` under which file permissions hold for cinch: none for a user, and for root
  /// `setpriv` without the capabilities that override them. Nil when root has no `setpriv`.
  static let boundByPermissions: [String]? = {
    if geteuid() != 0 { return [] }
    let setpriv = "/usr/bin/setpriv"
    guard FileManager.default.isExecutableFile(atPath: setpriv) else { return nil }
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
  }()

  /// The aws-style commands' report of a store that cannot be used (after a blank line, as the
  /// aws CLI prints its configuration errors).
  static func readOnly(_ path: String) -> String {
    "cinch: '\(path)' is read-only; cinch writes to the store and to its -wal and -shm files on "
      + "every use, a read's audit row included: make it writable\n"
  }

  static func readKept(_ directory: URL) async throws -> CinchProcess.Result {
    try await CinchProcess.run(
      [
        "ssm", "get-parameter", "--name", "/kept", "--query", "Parameter.Value", "--output", "text",
      ],
      in: directory, launcher: boundByPermissions ?? [])
  }

  static func folder(_ directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(
      atPath: directory.appendingPathComponent(".cinch").path
    ).sorted()
  }

  /// `sync` from a store onto itself, however it is named, is refused before anything is
  /// read: it would skip everything, or with --overwrite add a version of every value.
  @Test func aSyncOntoItselfIsRefused() async throws {
    let directory = try await Self.store()
    defer { try? FileManager.default.removeItem(at: directory) }
    for target in [".cinch/store.db", "./.cinch/store.db", ".cinch/../.cinch/store.db"] {
      let result = try await CinchProcess.run(
        ["sync", "--from", ".cinch/store.db", "--to", target, "--overwrite"], in: directory)
      #expect(result.status == 2, "\(target)")
      #expect(
        result.stderr
          == "cinch: --from and --to name the same store ('.cinch/store.db'): nothing to copy\n")
      #expect(result.stdout.isEmpty)
    }
  }

  /// A store file its user may not even read is not called read-only (making it writable
  /// would not help): the error says permission is denied, and nothing is made beside it.
  @Test(.enabled(if: boundByPermissions != nil, "root without setpriv ignores file modes"))
  func anUnreadableStoreIsNamedAsSuch() async throws {
    let directory = try await Self.store()
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = directory.appendingPathComponent(".cinch/store.db").path
    try FileManager.default.setAttributes([.posixPermissions: 0o200], ofItemAtPath: store)
    let refused = try await Self.readKept(directory)
    #expect(refused.status == 253)
    #expect(
      refused.stderr
        == "\ncinch: cannot use '.cinch/store.db': permission denied (cinch reads and writes the "
        + "store and its -wal and -shm files on every use: the user running it needs both)\n")
    #expect(try Self.folder(directory) == ["master.key", "store.db"])
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: store)
    #expect(try await Self.readKept(directory).stdout == "before\n")
  }

  /// A store file its user may not write is named as read-only before SQLite reads it: read, it
  /// made a `-wal` and `-shm` with the store's mode that a read-only connection cannot remove,
  /// and they broke the next command after the store was made writable again.
  @Test(.enabled(if: boundByPermissions != nil, "root without setpriv ignores file modes"))
  func aReadOnlyStoreIsNamedAndNothingIsLeftBesideIt() async throws {
    let directory = try await Self.store()
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = directory.appendingPathComponent(".cinch/store.db").path
    try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: store)
    let refused = try await Self.readKept(directory)
    #expect(refused.status == 253)
    #expect(refused.stderr == "\n" + Self.readOnly(".cinch/store.db"))
    #expect(try Self.folder(directory) == ["master.key", "store.db"])

    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: store)
    let read = try await Self.readKept(directory)
    #expect(read.stdout == "before\n", "\(read.stderr)")
    #expect(try Self.folder(directory) == ["master.key", "store.db"])
  }

  /// A read-only `-shm` beside a writable store (as an earlier cinch left one) is named, not
  /// reported as "attempt to write a readonly database" on a store that can be written; it is
  /// left alone (another process may be using it), and once writable the store is used again.
  @Test(.enabled(if: boundByPermissions != nil, "root without setpriv ignores file modes"))
  func aReadOnlyFileLeftBesideTheStoreIsNamed() async throws {
    let directory = try await Self.store()
    defer { try? FileManager.default.removeItem(at: directory) }
    let index = directory.appendingPathComponent(".cinch/store.db-shm").path
    #expect(FileManager.default.createFile(atPath: index, contents: Data(count: 32_768)))
    try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: index)
    let refused = try await Self.readKept(directory)
    #expect(refused.status == 253)
    #expect(refused.stderr == "\n" + Self.readOnly(".cinch/store.db-shm"))

    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: index)
    let read = try await Self.readKept(directory)
    #expect(read.stdout == "before\n", "\(read.stderr)")
  }

  /// `strace`, which kills a process at a chosen system call; nil where there is none.
  static let strace: String? = ["/usr/bin/strace", "/bin/strace"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  /// The store's folder is made 0700 by `mkdir` itself, never wider and narrowed after: under
  /// `umask 000` another user could otherwise put a file into it in between.
  @Test(.enabled(if: strace != nil, "needs strace"))
  func theStoreFolderIsNeverOpenToOthers() async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let trace = directory.appendingPathComponent("trace").path
    let result = try await CinchProcess.run(
      ["init", "--store", "deep/er/.cinch/store.db"], in: directory,
      launcher: [
        "/bin/sh", "-c", "umask 000 && exec \"$@\"", "sh", Self.strace ?? "", "-f", "-o", trace,
        "-e", "trace=mkdir,mkdirat,chmod,fchmodat",
      ])
    #expect(result.status == 0, "\(result.stderr)")
    let calls = try String(contentsOfFile: trace, encoding: .utf8)
    let made = calls.split(separator: "\n").filter { $0.contains("mkdir") && $0.contains("deep") }
    #expect(made.count == 3, "\(calls)")
    #expect(made.allSatisfy { $0.contains(", 0700)") }, "\(calls)")
    #expect(!calls.contains("chmod(\"deep"), "\(calls)")
  }

  /// `init` killed at its first `link` (nothing in place) or its second (the key file in place,
  /// the store not): the next `init` cleans up or finishes, and the store works. Before
  /// 2026-12-03 the store was linked first, and a kill at the second left a store without its
  /// key that every later `init` refused.
  @Test(.enabled(if: strace != nil, "needs strace"), arguments: [1, 2])
  func anInitKilledAtALinkIsFinishedOrUndoneByTheNext(link: Int) async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let killed = try await CinchProcess.run(
      ["init"], in: directory,
      launcher: [
        Self.strace ?? "", "-f", "-o", "/dev/null", "-e", "trace=link", "-e",
        "inject=link:signal=SIGKILL:when=\(link)",
      ])
    #expect(killed.status != 0)
    #expect(!(try Self.folder(directory).contains("store.db")))

    let retried = try await CinchProcess.run(["init"], in: directory)
    #expect(retried.status == 0, "\(retried.stderr)")
    #expect(try Self.folder(directory) == ["master.key", "store.db"])
    let put = try await CinchProcess.run(
      ["ssm", "put-parameter", "--name", "/a", "--value", "v", "--type", "String"], in: directory)
    #expect(put.status == 0, "\(put.stderr)")
    #expect(try await CinchProcess.run(["audit", "verify"], in: directory).status == 0)
  }
}

/// The harness's own bound on a cinch run: a hang fails one test, named, and ends what the
/// run started, instead of holding the test run until the watchdog.
@Suite struct CinchProcessDeadlineTests {
  @Test func aRunPastItsDeadlineIsKilledWithWhatItStarted() async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // The sleep outlasts any test run: only the deadline ends the run (a Timeout is thrown for
    // nothing else), and only the kill ends the sleeper. No clock is read: a loaded machine
    // once took 172 s to get here, which a bound on the time called a failure.
    await #expect(throws: CinchProcess.Timeout.self) {
      try await CinchProcess.run(
        ["--version"], in: directory,
        launcher: ["/bin/sh", "-c", "sleep 86400 & echo $! >sleeper; wait; exec \"$@\"", "sh"],
        // Long enough for the shell to start and write its pid on a loaded machine (1 s was
        // not, under the full suite).
        deadline: 10)
    }
    let sleeper = try #require(
      pid_t(
        try String(contentsOf: directory.appendingPathComponent("sleeper"), encoding: .utf8)
          .trimmingCharacters(in: .whitespacesAndNewlines)))
    // Killed with the launcher's group (a zombie until its parent is reaped, then gone).
    var alive = true
    for _ in 0..<600 where alive {
      let state = try? String(contentsOfFile: "/proc/\(sleeper)/stat", encoding: .utf8)
      alive = state.map { !$0.contains(") Z ") } ?? false
      if alive { try await Task.sleep(for: .milliseconds(50)) }
    }
    #expect(!alive)
  }
}
