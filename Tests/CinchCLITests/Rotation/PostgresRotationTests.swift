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
}
