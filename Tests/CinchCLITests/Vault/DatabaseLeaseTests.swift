import Foundation
import Testing
import _CinchTestSupport

/// The database secrets engine against a real, throw-away PostgreSQL server: `creds/ROLE`
/// creates a role that logs in, renewing moves the lease, revoking drops the role, and an
/// expired lease's role is dropped by `cinch lease tidy` and by a running `cinch serve`.
@Suite(.serialized) struct DatabaseLeaseTests {
  final class Setup {
    let server: PostgresServer
    let project: URL
    let adminPassword = "admin-Canary-\(UUID().uuidString.prefix(8))"

    init() async throws {
      server = try await offThePool { try PostgresServer() }
      project = try CinchProcess.temporaryDirectory()
      try server.superuser("CREATE ROLE vaultadmin LOGIN SUPERUSER PASSWORD '\(adminPassword)';\n")
      #expect(try await cinch("init").status == 0)
      #expect(try await cinch("secrets", "enable", "database").status == 0)
      let config = try await cinch(
        "write", "database/config/pg", "plugin_name=postgresql-database-plugin",
        "connection_url=postgresql://{{username}}:{{password}}@127.0.0.1:\(server.port)/postgres?sslmode=disable",
        "username=vaultadmin", "allowed_roles=readonly,brief,short,long", "password=-",
        stdin: adminPassword)
      #expect(config.status == 0, "\(config.stderr)")
      for (role, ttl) in [("readonly", "1h"), ("brief", "1s"), ("short", "5m")] {
        let written = try await cinch(
          "write", "database/roles/\(role)", "db_name=pg",
          #"creation_statements=CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';"#,
          "default_ttl=\(ttl)", "max_ttl=2h")
        #expect(written.status == 0, "\(written.stderr)")
      }
    }

    deinit {
      server.stop()
      try? FileManager.default.removeItem(at: project)
    }

    @discardableResult
    func cinch(_ arguments: String..., stdin: String? = nil) async throws -> CinchProcess.Result {
      try await CinchProcess.run(arguments, in: project, stdin: stdin)
    }

    /// `cinch read database/creds/ROLE -format=json`: user, password, lease id, duration.
    func creds(_ role: String) async throws -> (
      user: String, password: String, lease: String, ttl: Int
    ) {
      let result = try await cinch("read", "-format=json", "database/creds/\(role)")
      #expect(result.status == 0, "\(result.stderr)")
      let object =
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
      let data = object?["data"] as? [String: Any]
      return (
        data?["username"] as? String ?? "", data?["password"] as? String ?? "",
        object?["lease_id"] as? String ?? "", object?["lease_duration"] as? Int ?? 0
      )
    }
  }

  /// A revocation that dropped the role but did not get to forget the lease (a server stopped
  /// mid-sweep) is retried: the role already gone counts as revoked, as in Vault.
  @Test func revokingALeaseWhoseRoleIsGoneSucceeds() async throws {
    let setup = try await Setup()
    let issued = try await setup.creds("readonly")
    try setup.server.superuser("DROP ROLE \"\(issued.user)\";\n")
    #expect(!(try setup.server.roleExists(issued.user)))
    let revoked = try await setup.cinch("lease", "revoke", issued.lease)
    #expect(revoked.status == 0, "\(revoked.stderr)")
    #expect(revoked.stdout == "All revocation operations queued successfully!\n")
    let gone = try await setup.cinch("lease", "lookup", issued.lease)
    #expect(gone.status != 0)
  }

  /// Disabling the engine revokes what it issued first, as Vault's unmount does ("all secrets
  /// it generated are immediately revoked"): a role left behind would log in until its
  /// `VALID UNTIL`, with no lease left to end it. A lease that cannot be revoked keeps the mount
  /// (and the lease) until it can be, or is forgotten with `lease revoke -force`.
  @Test func disablingTheMountRevokesItsLeases() async throws {
    let setup = try await Setup()
    let first = try await setup.creds("readonly")
    let second = try await setup.creds("short")
    #expect(try setup.server.roleExists(first.user))

    // The database gone: nothing is revoked, so nothing is removed.
    try setup.server.superuser("ALTER ROLE vaultadmin NOLOGIN;\n")
    let refused = try await setup.cinch("secrets", "disable", "database")
    #expect(refused.status == 2, "\(refused.stderr)")
    #expect(refused.stderr.contains("database/"), "\(refused.stderr)")
    #expect(refused.stderr.contains("revoke"), "\(refused.stderr)")
    #expect(!refused.stderr.contains(setup.adminPassword))
    #expect(try await setup.cinch("lease", "lookup", first.lease).status == 0)

    // -force needs -prefix, as in Vault.
    let unprefixed = try await setup.cinch("lease", "revoke", "-force", first.lease)
    #expect(unprefixed.status == 1)
    #expect(unprefixed.stderr.contains("Specifying -force requires also specifying -prefix"))

    try setup.server.superuser("ALTER ROLE vaultadmin LOGIN;\n")
    let disabled = try await setup.cinch("secrets", "disable", "database")
    #expect(disabled.status == 0, "\(disabled.stderr)")
    #expect(!(try setup.server.roleExists(first.user)))
    #expect(!(try setup.server.roleExists(second.user)))
    #expect(try await setup.cinch("lease", "lookup", first.lease).status != 0)
  }

  /// The mount's maximum lease TTL (768h, Vault's default, which `secrets tune` reports)
  /// bounds a role's TTLs, at creation and renewal, with Vault's warning.
  @Test func aLeaseNeverOutlivesTheMountsMaximum() async throws {
    let setup = try await Setup()
    let written = try await setup.cinch(
      "write", "database/roles/long", "db_name=pg",
      #"creation_statements=CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';"#,
      "default_ttl=2000h", "max_ttl=3000h")
    #expect(written.status == 0, "\(written.stderr)")
    let read = try await setup.cinch("read", "-format=json", "database/creds/long")
    #expect(read.status == 0, "\(read.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any]
    #expect(object?["lease_duration"] as? Int == 768 * 3600)
    #expect(
      (object?["warnings"] as? [String])?.first
        == #"TTL of "2000h0m0s" exceeded the effective max_ttl of "768h0m0s"; TTL value is capped accordingly"#
    )
    let lease = object?["lease_id"] as? String ?? ""
    let renewed = try await setup.cinch("lease", "renew", "-format=json", "-increment=5000h", lease)
    let again = try JSONSerialization.jsonObject(with: Data(renewed.stdout.utf8)) as? [String: Any]
    #expect((again?["lease_duration"] as? Int ?? .max) <= 768 * 3600, "\(renewed.stdout)")
  }

  @Test func credsRenewRevokeAndExpiry() async throws {
    let setup = try await Setup()
    let issued = try await setup.creds("readonly")
    #expect(issued.user.hasPrefix("v-root-readonly-"))
    #expect(issued.lease.hasPrefix("database/creds/readonly/"))
    #expect(issued.ttl == 3600)
    #expect(try setup.server.logsIn(user: issued.user, password: issued.password))

    let renewed = try await setup.cinch(
      "lease", "renew", "-increment=30m", "-format=json", issued.lease)
    #expect(renewed.status == 0, "\(renewed.stderr)")
    #expect(renewed.stdout.contains("\"lease_duration\": 1800"))
    let lookup = try await setup.cinch("lease", "lookup", issued.lease)
    #expect(lookup.stdout.contains("renewable"))

    let revoked = try await setup.cinch("lease", "revoke", issued.lease)
    #expect(revoked.stdout == "All revocation operations queued successfully!\n")
    #expect(!(try setup.server.logsIn(user: issued.user, password: issued.password)))
    #expect(!(try setup.server.roleExists(issued.user)))
    let gone = try await setup.cinch("lease", "lookup", issued.lease)
    #expect(gone.status == 2)
    #expect(gone.stderr.contains("URL: PUT /v1/sys/leases/lookup\n"), "\(gone.stderr)")

    // Renewing moves the login's VALID UNTIL with the lease (renew_statements, by default
    // ALTER ROLE): a five-minute lease renewed for an hour lets its role log in for an hour.
    // Read from PostgreSQL rather than waited for, so a slow machine cannot expire the lease
    // between issuing and renewing it.
    let extended = try await setup.creds("short")
    #expect(try setup.server.minutesOfValidity(extended.user) <= 5)
    let renewedShort = try await setup.cinch("lease", "renew", "-increment=1h", extended.lease)
    #expect(renewedShort.status == 0, "\(renewedShort.stderr)")
    #expect(try setup.server.minutesOfValidity(extended.user) > 55)
    #expect(try setup.server.logsIn(user: extended.user, password: extended.password))
    #expect(try await setup.cinch("lease", "revoke", extended.lease).status == 0)

    // A one-second lease: once its time has passed, tidy drops the role.
    let brief = try await setup.creds("brief")
    #expect(brief.ttl == 1)
    try await Task.sleep(for: .milliseconds(1500))
    #expect(try setup.server.roleExists(brief.user))
    let tidy = try await setup.cinch("lease", "tidy")
    #expect(tidy.stdout == "Revoked 1 expired lease(s)\n", "\(tidy.stderr)")
    #expect(!(try setup.server.roleExists(brief.user)))

    // Errors keep Vault's texts.
    let unknown = try await setup.cinch("read", "database/creds/none")
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("* unknown role: none"))

    // Neither the admin password nor a leased password is in the store file or the audit log.
    let audit = try await setup.cinch("audit", "list")
    for secret in [setup.adminPassword, issued.password, brief.password] {
      #expect(!audit.stdout.contains(secret))
      for name in ["store.db", "store.db-wal"] {
        let path = setup.project.appendingPathComponent(".cinch/" + name).path
        if let bytes = FileManager.default.contents(atPath: path) {
          #expect(bytes.range(of: Data(secret.utf8)) == nil)
        }
      }
    }
  }

  @Test func aRunningServeDropsExpiredRoles() async throws {
    let setup = try await Setup()
    #expect(try await setup.cinch("token", "root").status == 0)
    // Issued before the server starts, so the role certainly exists when the sweeps begin.
    let brief = try await setup.creds("brief")
    #expect(try setup.server.roleExists(brief.user))
    // The server's own account of its sweeps, for the message when the role outlives them.
    let serve = try ServeWithLog(in: setup.project, leaseInterval: 0.2)
    defer { serve.stop() }
    // The sweep runs every 0.2 s; give it up to 30 s on a busy machine.
    var dropped = false
    for _ in 0..<150 where !dropped {
      try await Task.sleep(for: .milliseconds(200))
      dropped = !(try setup.server.roleExists(brief.user))
    }
    #expect(dropped, "serve's stderr: \(serve.printed)")
  }
}

extension DatabaseLeaseTests {
  /// A lease ends with the token that created it: revoking the token drops the role at once,
  /// and a token whose time is up has its roles dropped by the next sweep (here `lease tidy`).
  @Test func aTokensRolesEndWithTheToken() async throws {
    let setup = try await Setup()
    let root = try await setup.cinch("token", "root").stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let server = try VaultServeProcess(directory: setup.project)
    defer { server.stop() }
    func call(_ method: String, _ path: String, token: String, body: String = "") async throws
      -> [String: Any]
    {
      let run = try await Shell.run(
        #"curl -s -X "$METHOD" -H "X-Vault-Token: $TOKEN" --data "$BODY" "$URL""#,
        environment: [
          "METHOD": method, "TOKEN": token, "BODY": body, "URL": server.address + "/v1/" + path,
        ])
      return (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        ?? [:]
    }
    func child(_ body: String) async throws -> String {
      let created = try await call("POST", "auth/token/create", token: root, body: body)
      return (created["auth"] as? [String: Any])?["client_token"] as? String ?? ""
    }
    func creds(_ token: String) async throws -> String {
      let issued = try await call("GET", "database/creds/readonly", token: token)
      return (issued["data"] as? [String: Any])?["username"] as? String ?? ""
    }

    // A token's last use revokes it at once, with what it was just given: Vault answers
    // with an error in place of credentials that no longer work.
    let rolesBefore = try setup.server.roleCount(like: "v-token-readonly-%")
    let once = try await child(#"{"policies":["app"],"num_uses":1}"#)
    let refused = try await call("GET", "database/creds/readonly", token: once)
    #expect(
      refused["errors"] as? [String] == [
        "Secret cannot be returned; token had one use left, so leased credentials were "
          + "immediately revoked."
      ], "\(refused)")
    #expect(try setup.server.roleCount(like: "v-token-readonly-%") == rolesBefore)

    let app = try await child(#"{"policies":["app"]}"#)
    let user = try await creds(app)
    #expect(user.hasPrefix("v-token-readonly-"))
    #expect(try setup.server.roleExists(user))
    _ = try await call("POST", "auth/token/revoke-self", token: app)
    #expect(!(try setup.server.roleExists(user)))

    // Long enough to ask for credentials on a loaded machine (with 1 s the token could expire
    // first); then wait out what is left of it.
    let created = ContinuousClock.now
    let brief = try await child(#"{"policies":["app"],"ttl":"5s"}"#)
    let briefUser = try await creds(brief)
    #expect(try setup.server.roleExists(briefUser), "credentials issued to a live token")
    server.stop()
    try await Task.sleep(until: created + .milliseconds(5600))
    let tidy = try await setup.cinch("lease", "tidy")
    #expect(tidy.stdout == "Revoked 1 expired lease(s)\n", "\(tidy.stderr)")
    #expect(!(try setup.server.roleExists(briefUser)))
  }
}

extension PostgresServer {
  /// Whether a role of this name exists (VALID UNTIL alone would also refuse a login, so the
  /// tests check the role itself is gone).
  func roleExists(_ name: String) throws -> Bool {
    let output = try run(
      "psql",
      [
        "-X", "-t", "-A", "-h", directory.path, "-p", String(port), "-U", "postgres", "-d",
        "postgres", "-c", "SELECT count(*) FROM pg_roles WHERE rolname = '\(name)'",
      ])
    return output.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
  }

  /// How many roles have a name `LIKE` the pattern.
  func roleCount(like pattern: String) throws -> Int {
    let output = try run(
      "psql",
      [
        "-X", "-t", "-A", "-h", directory.path, "-p", String(port), "-U", "postgres", "-d",
        "postgres", "-c", "SELECT count(*) FROM pg_roles WHERE rolname LIKE '\(pattern)'",
      ])
    return Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
  }

  /// Whole minutes from now until the role's VALID UNTIL.
  func minutesOfValidity(_ name: String) throws -> Int {
    let output = try run(
      "psql",
      [
        "-X", "-t", "-A", "-h", directory.path, "-p", String(port), "-U", "postgres", "-d",
        "postgres", "-c",
        "SELECT floor(extract(epoch FROM rolvaliduntil - now()) / 60)::int FROM pg_roles "
          + "WHERE rolname = '\(name)'",
      ])
    return Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
  }
}
