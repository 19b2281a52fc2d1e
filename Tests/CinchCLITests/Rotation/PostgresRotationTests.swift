import Foundation
import Testing
import _CinchTestSupport

/// The seed's RDS scenario, locally: Samples/rotation-postgres rotates a real PostgreSQL role's
/// password through the four steps, twice, with the built `cinch` and a throw-away server.
@Suite(.serialized) struct PostgresRotationTests {
  static let script = Fixtures.packageRoot
    .appendingPathComponent("Samples/rotation-postgres/rotate-postgres.sh").path

  @Test func rotatingTwiceMovesTheRolesPasswordAndRetiresTheOldOne() async throws {
    let server = try await offThePool { try PostgresServer() }
    defer { server.stop() }
    let initial = "initial-Passw0rd-for-app"
    try server.superuser("CREATE ROLE app LOGIN PASSWORD '\(initial)';\n")
    #expect(try server.logsIn(user: "app", password: initial))

    let project = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: project) }
    func cinch(_ arguments: [String], stdin: String? = nil) async throws -> CinchProcess.Result {
      try await CinchProcess.run(
        arguments, in: project, environment: ["USER": "tester"], stdin: stdin)
    }
    #expect(try await cinch(["init"]).status == 0)
    let secret =
      #"{"engine":"postgres","host":"127.0.0.1","port":\#(server.port),"username":"app","password":"\#(initial)","dbname":"postgres"}"#
    let created = try await cinch(
      [
        "secretsmanager", "create-secret", "--name", "prod/app/postgres", "--secret-string",
        "file:///dev/stdin",
      ], stdin: secret)
    #expect(created.status == 0, "\(created.stderr)")
    let registered = try await cinch(["rotation", "register", "postgres", "--", Self.script])
    #expect(registered.status == 0, "\(registered.stderr)")

    func currentPassword() async throws -> String {
      let value = try await cinch([
        "secretsmanager", "get-secret-value", "--secret-id", "prod/app/postgres", "--query",
        "SecretString", "--output", "text",
      ])
      #expect(value.status == 0, "\(value.stderr)")
      let object = try JSONSerialization.jsonObject(with: Data(value.stdout.utf8)) as? [String: Any]
      #expect(object?["username"] as? String == "app")
      #expect(object?["port"] as? Int == server.port)
      return try #require(object?["password"] as? String)
    }

    var previous = initial
    for round in 1...2 {
      let rotated = try await cinch([
        "secretsmanager", "rotate-secret", "--secret-id", "prod/app/postgres",
        "--rotation-lambda-arn", "arn:aws:lambda:us-east-1:123456789012:function:postgres",
        "--rotation-rules", "AutomaticallyAfterDays=30",
      ])
      #expect(rotated.status == 0, "round \(round): \(rotated.stderr)")
      #expect(rotated.stderr == "")
      let password = try await currentPassword()
      #expect(password != previous)
      #expect(password.count == 32)
      #expect(try server.logsIn(user: "app", password: password), "round \(round)")
      #expect(!(try server.logsIn(user: "app", password: previous)), "round \(round)")
      let stages = try await cinch([
        "secretsmanager", "list-secret-version-ids", "--secret-id", "prod/app/postgres",
        "--query", "Versions[].VersionStages", "--output", "json",
      ])
      #expect(stages.stdout.contains("AWSCURRENT") && stages.stdout.contains("AWSPREVIOUS"))
      #expect(!stages.stdout.contains("AWSPENDING"))
      previous = password
    }

    // With the server gone, setSecret cannot log in: the step and the reason are reported,
    // AWSCURRENT still holds the password that works, and nothing secret is printed.
    server.stop()
    let failed = try await cinch([
      "secretsmanager", "rotate-secret", "--secret-id", "prod/app/postgres",
    ])
    #expect(failed.status == 254)
    // The rotator's own words reach this terminal only; the error (and the secret's record)
    // carry cinch's. The role's name is a value of the secret too.
    #expect(
      failed.stderr.hasPrefix(
        "the rotator's standard error (the secret's values redacted):\n"
          + "  setSecret: cannot log in as <redacted> with the current or the previous password"))
    #expect(
      failed.stderr.hasSuffix(
        "An error occurred (RotationFailedException) when calling the RotateSecret operation: "
          + "rotation step 'setSecret' of rotator 'postgres' failed: the command exited with "
          + "status 1\n"))
    #expect(!failed.stderr.contains(previous))
    #expect(try await currentPassword() == previous)
    let described = try await cinch([
      "secretsmanager", "describe-secret", "--secret-id", "prod/app/postgres", "--query",
      "CinchRotation.LastFailure.Step", "--output", "text",
    ])
    #expect(described.stdout == "setSecret\n")
  }

  /// Passwords with `"`, `\` and `'` (and, for the pending one, characters SASLprep maps:
  /// a no-break space, a ligature) go through the sample unharmed: it reads and writes the
  /// secret with a JSON parser (its regular expressions cut a value at an escaped quote), and
  /// sends the server a SCRAM-SHA-256 verifier, never the password, so an `ALTER ROLE` that
  /// fails and is logged with its statement (`log_min_error_statement`, `error` by default)
  /// leaves the password out of the server's log. The failed rotation is resumed by the next
  /// `cinch rotate --due`.
  @Test func passwordsWithQuotesAndBackslashesRotateAndStayOutOfTheServersLog() async throws {
    let server = try await offThePool { try PostgresServer() }
    defer { server.stop() }
    let initial = #"init"ial\pass'wo\"rd-1"#
    try server.superuser(
      "CREATE ROLE app LOGIN PASSWORD '\(initial.replacingOccurrences(of: "'", with: "''"))';\n")
    #expect(try server.logsIn(user: "app", password: initial))

    let project = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: project) }
    func cinch(
      _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]
    ) async throws -> CinchProcess.Result {
      try await CinchProcess.run(
        arguments, in: project, environment: environment.merging(["USER": "tester"]) { $1 },
        stdin: stdin)
    }
    func json(_ password: String) throws -> String {
      let object: [String: Any] = [
        "engine": "postgres", "host": "127.0.0.1", "port": server.port, "username": "app",
        "password": password, "dbname": "postgres",
      ]
      return String(
        decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
        as: UTF8.self)
    }
    func secret(_ arguments: [String] = []) async throws -> [String: Any] {
      let value = try await cinch(
        ["secretsmanager", "get-secret-value", "--secret-id", "prod/app/postgres"] + arguments
          + ["--query", "SecretString", "--output", "text"])
      #expect(value.status == 0, "\(value.stderr)")
      let object = try JSONSerialization.jsonObject(with: Data(value.stdout.utf8))
      return try #require(object as? [String: Any])
    }
    #expect(try await cinch(["init"]).status == 0)
    let created = try await cinch(
      [
        "secretsmanager", "create-secret", "--name", "prod/app/postgres", "--secret-string",
        "file:///dev/stdin",
      ], stdin: try json(initial))
    #expect(created.status == 0, "\(created.stderr)")
    #expect(try await cinch(["rotation", "register", "postgres", "--", Self.script]).status == 0)

    // The pending version holds a password chosen here (createSecret keeps a value it finds).
    let chosen = "N3wPw\"pa\\ss'w\u{00F6}rd\u{00A0}\u{FB01}x"
    let token = "8c5b3cb2-7a8a-4897-91fe-cb331f11a491"
    let pending = try await cinch(
      [
        "secretsmanager", "put-secret-value", "--secret-id", "prod/app/postgres",
        "--client-request-token", token, "--secret-string", "file:///dev/stdin",
        "--version-stages", "AWSPENDING",
      ], stdin: try json(chosen))
    #expect(pending.status == 0, "\(pending.stderr)")

    // The role may not change anything: ALTER ROLE fails, and the server logs the statement.
    try server.superuser("ALTER ROLE app SET default_transaction_read_only = on;\n")
    let failed = try await cinch([
      "secretsmanager", "rotate-secret", "--secret-id", "prod/app/postgres", "--rotator",
      "postgres",
    ])
    #expect(failed.status == 254)
    #expect(failed.stderr.contains("setSecret: ALTER ROLE failed"), "\(failed.stderr)")
    let log = try String(
      contentsOf: server.directory.appendingPathComponent("server.log"), encoding: .utf8)
    #expect(log.contains("read-only transaction"), "\(log)")
    #expect(log.contains("SCRAM-SHA-256$4096:"), "\(log)")
    #expect(!log.contains("N3wPw"), "\(log)")
    #expect(try server.logsIn(user: "app", password: initial))

    // Allowed again, the next scheduled run resumes the rotation (the secret has no schedule:
    // the failed attempt alone makes it due).
    try server.superuser("ALTER ROLE app RESET default_transaction_read_only;\n")
    let resumed = try await cinch(["rotate", "--due"])
    #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
    #expect(resumed.stdout == "rotated  prod/app/postgres  version \(token)\n")
    #expect(try server.logsIn(user: "app", password: chosen))
    #expect(!(try server.logsIn(user: "app", password: initial)))
    let current = try await secret()
    #expect(current["password"] as? String == chosen)
    #expect(current["username"] as? String == "app")
    #expect(current["port"] as? Int == server.port)

    // A rotation from that password: createSecret edits the JSON (the value it makes is valid
    // JSON, every other member kept), and a new password that may hold `"`, `\` and `'`.
    let rotated = try await cinch(
      ["secretsmanager", "rotate-secret", "--secret-id", "prod/app/postgres"],
      environment: ["EXCLUDE_CHARACTERS": "/@"])
    #expect(rotated.status == 0, "\(rotated.stderr)")
    let next = try await secret()
    let password = try #require(next["password"] as? String)
    #expect(password.count == 32)
    #expect(Set(next.keys) == ["engine", "host", "port", "username", "password", "dbname"])
    #expect(try await secret(["--version-stage", "AWSPREVIOUS"])["password"] as? String == chosen)
    #expect(try server.logsIn(user: "app", password: password))
    #expect(!(try server.logsIn(user: "app", password: chosen)))
  }
}
