import CinchStore
import Foundation

/// Runs SQL on a PostgreSQL server through `psql`: the connection's address in the arguments,
/// its password in `PGPASSWORD` (never in the arguments), the statements on standard input.
/// Failures name the server's error line with any password in it replaced, never the SQL.
enum PostgresExecutor {
  struct Target: Sendable {
    var conninfo: [String]
  }

  /// `postgresql://{{username}}:{{password}}@host:port/db?sslmode=disable` → psql's
  /// `host=… port=… dbname=… user=…` (the password left out).
  static func target(_ connection: DatabaseConnection) throws -> Target {
    var url = connection.connectionURL
      .replacingOccurrences(of: "{{username}}", with: connection.username)
      .replacingOccurrences(of: ":{{password}}", with: "")
      .replacingOccurrences(of: "{{password}}", with: "")
    if url.hasPrefix("postgres://") { url = "postgresql://" + url.dropFirst("postgres://".count) }
    guard url.hasPrefix("postgresql://"), let components = URLComponents(string: url),
      let host = components.host
    else {
      throw VaultError.invalid("connection_url must be postgresql://[user@]host[:port]/database")
    }
    // A password written in the URL would be stored unsealed, shown by `read
    // database/config/NAME`, and passed in psql's arguments: it belongs in `password=`.
    if components.password.map({ !$0.isEmpty }) == true
      || (components.queryItems ?? []).contains(where: { $0.name.lowercased() == "password" })
    {
      throw VaultError.invalid(
        "connection_url must not hold a password: use {{password}} and give it as password= "
          + "(sealed in the store)")
    }
    var parts = ["host=\(host)", "port=\(components.port ?? 5432)"]
    let database = components.path.drop { $0 == "/" }
    parts.append("dbname=\(database.isEmpty ? "postgres" : String(database))")
    let user = components.user.flatMap { $0.isEmpty ? nil : $0 } ?? connection.username
    guard !user.isEmpty else { throw VaultError.invalid("the connection has no username") }
    parts.append("user=\(user)")
    for item in components.queryItems ?? [] {
      if let value = item.value { parts.append("\(item.name)=\(value)") }
    }
    parts.append("connect_timeout=10")
    return Target(conninfo: [parts.joined(separator: " ")])
  }

  static func psql() throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = "\(directory)/psql"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    let root = "/usr/lib/postgresql"
    let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
      .compactMap(Int.init).sorted(by: >)
    for version in versions {
      let candidate = "\(root)/\(version)/bin/psql"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw VaultError(status: 500, ["the database engine needs 'psql' (Debian: postgresql-client)"])
  }

  /// Why psql failed: its own error line (PostgreSQL's `ERROR:`/`FATAL:`, or psql's `psql:
  /// error: connection to server … failed: Connection refused`), secrets removed.
  struct Failure: Error {
    var line: String
  }

  /// Runs `sql` in one transaction; `secrets` are removed from any error text, which is 500
  /// `database error: …`.
  static func execute(
    _ sql: String, connection: DatabaseConnection, password: SecretBytes, secrets: [String]
  ) throws {
    do {
      try run(sql, connection: connection, password: password, secrets: secrets)
    } catch let failure as Failure {
      throw VaultError(status: 500, ["database error: \(failure.line)"])
    }
  }

  /// `execute`, failing with psql's words as `Failure`.
  static func run(
    _ sql: String, connection: DatabaseConnection, password: SecretBytes, secrets: [String]
  ) throws {
    let target = try target(connection)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try psql())
    process.arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-d"] + target.conninfo
    var environment = ProcessInfo.processInfo.environment
    environment["PGPASSWORD"] = password.utf8String()
    process.environment = environment
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = output
    try process.run()
    input.fileHandleForWriting.write(Data(sql.utf8))
    try? input.fileHandleForWriting.close()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      var line =
        text.split(separator: "\n").first {
          $0.contains("ERROR:") || $0.contains("FATAL:") || $0.hasPrefix("psql: error:")
        }
        .map(String.init) ?? "psql exited with status \(process.terminationStatus)"
      for secret in secrets + [password.utf8String()] where !secret.isEmpty {
        line = line.replacingOccurrences(of: secret, with: "[redacted]")
      }
      throw Failure(line: line.trimmingCharacters(in: .whitespaces))
    }
  }

  /// How `{{expiration}}` is written: a timestamp PostgreSQL reads for `VALID UNTIL`, in UTC.
  static func expiration(_ date: Date) -> String {
    CivilTime.formatted(date, "yyyy-MM-dd HH:mm:ssZ")
  }

  /// `{{name}}`, `{{username}}`, `{{password}}`, `{{expiration}}` filled in.
  static func render(_ statements: [String], values: [String: String]) -> String {
    statements.map { statement in
      var text = statement
      for (key, value) in values { text = text.replacingOccurrences(of: "{{\(key)}}", with: value) }
      return text.hasSuffix(";") ? text : text + ";"
    }.joined(separator: "\n") + "\n"
  }
}
