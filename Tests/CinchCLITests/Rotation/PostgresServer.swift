import Foundation
import _CinchTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A throw-away PostgreSQL server: a cluster made by `initdb` in a temporary directory, listening
/// on a free loopback port and a socket in that directory, stopped and removed by `stop()`.
/// As root it runs as the `postgres` user (initdb refuses root), through `runuser`.
final class PostgresServer: @unchecked Sendable {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  let directory: URL
  let port: Int
  let binaries: URL
  private let runAs: String?

  static func findBinaries() -> URL? {
    let root = URL(fileURLWithPath: "/usr/lib/postgresql")
    let versions =
      (try? FileManager.default.contentsOfDirectory(atPath: root.path))?
      .compactMap(Int.init).sorted() ?? []
    for version in versions.reversed() {
      let bin = root.appendingPathComponent("\(version)/bin")
      if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path) {
        return bin
      }
    }
    return nil
  }

  init() throws {
    guard let binaries = Self.findBinaries() else {
      throw Failure(
        description: "no initdb under /usr/lib/postgresql/*/bin: run 'make deps' (Debian package "
          + "postgresql)")
    }
    self.binaries = binaries
    runAs = getuid() == 0 ? "postgres" : nil
    directory = URL(fileURLWithPath: "/tmp/cinch-pg-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
    if let runAs {
      guard let account = getpwnam(runAs) else {
        throw Failure(description: "running as root needs the '\(runAs)' user to run PostgreSQL")
      }
      chown(directory.path, account.pointee.pw_uid, account.pointee.pw_gid)
    }
    chmod(directory.path, 0o700)
    port = try Self.freePort()
    let data = directory.appendingPathComponent("data").path
    try run(
      "initdb",
      [
        "-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
        "--no-sync", "-E", "UTF8",
      ])
    // The server keeps the standard output it inherits: pg_ctl's goes to /dev/null, or reading
    // it would wait for the server to end.
    try run(
      "pg_ctl", capture: false,
      [
        "-D", data, "-l", directory.appendingPathComponent("server.log").path, "-w", "-t", "60",
        "-o", "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=off",
        "start",
      ])
  }

  /// Runs a PostgreSQL program (as `postgres` when we are root); throws with its output when it
  /// fails.
  @discardableResult
  func run(
    _ program: String, capture: Bool = true, _ arguments: [String], stdin: String? = nil
  ) throws -> String {
    let path = binaries.appendingPathComponent(program).path
    let (executable, all) =
      runAs.map { ("/usr/sbin/runuser", ["-u", $0, "--", path] + arguments) } ?? (path, arguments)
    let result = try Self.execute(
      executable, all, stdin: stdin, environment: [:], capture: capture)
    guard result.status == 0 else {
      let log =
        (try? String(
          contentsOf: directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
      throw Failure(
        description: "\(program) failed (\(result.status)): \(result.output)\(log.suffix(2000))")
    }
    return result.output
  }

  /// SQL as the superuser over the socket (trust).
  func superuser(_ sql: String) throws {
    try run(
      "psql",
      [
        "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", directory.path, "-p", String(port), "-U",
        "postgres", "-d", "postgres",
      ], stdin: sql)
  }

  /// Whether `user` logs in over TCP with `password` (the password goes in psql's environment).
  func logsIn(user: String, password: String) throws -> Bool {
    let result = try Self.execute(
      binaries.appendingPathComponent("psql").path,
      [
        "-X", "-t", "-A", "-h", "127.0.0.1", "-p", String(port), "-U", user, "-d", "postgres",
        "-c", "SELECT current_user",
      ],
      stdin: nil, environment: ["PGPASSWORD": password, "PGCONNECT_TIMEOUT": "5"])
    return result.status == 0
      && result.output.trimmingCharacters(in: .whitespacesAndNewlines) == user
  }

  func stop() {
    _ = try? run(
      "pg_ctl", capture: false,
      ["-D", directory.appendingPathComponent("data").path, "-m", "immediate", "stop"])
    try? FileManager.default.removeItem(at: directory)
  }

  /// Runs a program with no output and waits for it, without Foundation's `Process`: the server
  /// that `pg_ctl start` leaves running would inherit the descriptor `Process` watches for the
  /// end of its child, and `waitUntilExit` would wait for the server.
  static func spawn(_ executable: String, _ arguments: [String]) throws -> Int32 {
    DetachedProcess.wait(
      try DetachedProcess.spawn(
        executable, arguments, environment: ["PATH=/usr/sbin:/usr/bin:/bin", "LANG=C.UTF-8"]))
  }

  static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw Failure(description: "socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    guard bound == 0 else { throw Failure(description: "bind() failed") }
    let named = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw Failure(description: "getsockname() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  static func execute(
    _ executable: String, _ arguments: [String], stdin: String?, environment: [String: String],
    capture: Bool = true
  ) throws -> (status: Int32, output: String) {
    if !capture { return (try spawn(executable, arguments), "") }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var base = ["PATH": "/usr/sbin:/usr/bin:/bin", "LANG": "C.UTF-8"]
    for (key, value) in environment { base[key] = value }
    process.environment = base
    process.currentDirectoryURL = URL(fileURLWithPath: "/tmp")
    let output = Pipe()
    let input = Pipe()
    process.standardOutput = capture ? output : FileHandle.nullDevice
    process.standardError = capture ? output : FileHandle.nullDevice
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try? input.fileHandleForWriting.close()
    let data = capture ? output.fileHandleForReading.readDataToEndOfFile() : Data()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}
