import Testing

@testable import CinchVault

/// `vault write database/config/NAME allowed_roles=…` changes what it names and keeps the rest,
/// as Vault's update does ("take any new values, overwrite what was there before").
@Suite struct ConnectionUpdateTests {
  /// A Vault with the database engine mounted at `database/`.
  static func withDatabaseMount() async throws -> VaultFixture {
    let fixture = try await VaultFixture()
    #expect(
      await fixture.call("POST", "sys/mounts/database", #"{"type":"database"}"#).status == 204)
    return fixture
  }

  @Test func anUpdateKeepsTheFieldsItDoesNotGive() async throws {
    let fixture = try await Self.withDatabaseMount()
    let created = await fixture.call(
      "POST", "database/config/pg",
      #"{"connection_url":"postgresql://{{username}}:{{password}}@127.0.0.1:1/postgres","username":"admin","password":"p","allowed_roles":"readonly","verify_connection":false}"#
    )
    #expect(created.status == 204, "\(created.text)")
    let updated = await fixture.call(
      "POST", "database/config/pg",
      #"{"allowed_roles":"readonly,writer","verify_connection":false}"#)
    #expect(updated.status == 204, "\(updated.text)")
    let read = await fixture.call("GET", "database/config/pg")
    #expect(read.at("data", "allowed_roles") == .array([.string("readonly"), .string("writer")]))
    #expect(
      read.at("data", "connection_details", "connection_url")
        == .string("postgresql://{{username}}:{{password}}@127.0.0.1:1/postgres"))
    #expect(read.at("data", "connection_details", "username") == .string("admin"))
    #expect(read.at("data", "plugin_name") == .string("postgresql-database-plugin"))

    // A first write still needs the URL.
    let bare = await fixture.call(
      "POST", "database/config/other", #"{"allowed_roles":"x","verify_connection":false}"#)
    #expect(bare.status == 400)
    #expect(bare.errors == ["connection_url cannot be empty"])
  }

  /// `vault write database/roles/NAME default_ttl=2h` on a role that exists changes that field
  /// and keeps the others, as Vault's pathRoleCreateUpdate takes a field from an update only
  /// when it is given; a new role still needs its connection and creation statements. The
  /// update answered 400 `empty database name attribute`.
  @Test func aRoleUpdateKeepsTheFieldsItDoesNotGive() async throws {
    let fixture = try await Self.withDatabaseMount()
    let created = await fixture.call(
      "POST", "database/roles/ro",
      #"{"db_name":"pg","creation_statements":["CREATE ROLE \"{{name}}\"","GRANT r TO \"{{name}}\""],"revocation_statements":"DROP ROLE \"{{name}}\"","renew_statements":"ALTER ROLE \"{{name}}\"","default_ttl":"1h","max_ttl":"24h"}"#
    )
    #expect(created.status == 204, "\(created.text)")
    let updated = await fixture.call("POST", "database/roles/ro", #"{"default_ttl":"2h"}"#)
    #expect(updated.status == 204, "\(updated.text)")
    let read = await fixture.call("GET", "database/roles/ro")
    #expect(read.at("data", "default_ttl") == .integer(7200))
    #expect(read.at("data", "max_ttl") == .integer(86400))
    #expect(read.at("data", "db_name") == .string("pg"))
    #expect(
      read.at("data", "creation_statements")
        == .array([#"CREATE ROLE "{{name}}""#, #"GRANT r TO "{{name}}""#]))
    #expect(read.at("data", "revocation_statements") == .array([#"DROP ROLE "{{name}}""#]))
    #expect(read.at("data", "renew_statements") == .array([#"ALTER ROLE "{{name}}""#]))

    // Each field given replaces the stored one; the TTLs are checked as they end up.
    let moved = await fixture.call(
      "POST", "database/roles/ro", #"{"db_name":"analytics","revocation_statements":[]}"#)
    #expect(moved.status == 204, "\(moved.text)")
    let after = await fixture.call("GET", "database/roles/ro")
    #expect(after.at("data", "db_name") == .string("analytics"))
    #expect(after.at("data", "revocation_statements") == .array([]))
    #expect(after.at("data", "default_ttl") == .integer(7200))
    let inverted = await fixture.call("POST", "database/roles/ro", #"{"max_ttl":"1h"}"#)
    #expect(inverted.status == 400)
    #expect(inverted.errors == ["ttl cannot be greater than max_ttl"])
    #expect(
      await fixture.call("GET", "database/roles/ro").at("data", "max_ttl") == .integer(86400))

    // A TTL that is no duration is refused, not read as "not given" and the old one kept.
    let garbled = await fixture.call("POST", "database/roles/ro", #"{"default_ttl":"abc"}"#)
    #expect(garbled.status == 400)
    #expect(garbled.errors == ["error parsing 'default_ttl'"])
    // Both TTLs are Vault's `TypeDurationSecond`, refused negative by its framework (a role of
    // `default_ttl=-1h` was stored and its credentials' leases ended as they began), before
    // the handler asks a new role for what it lacks.
    for (field, value) in [("default_ttl", #""-1h""#), ("max_ttl", "-60")] {
      for role in ["ro", "new"] {
        let negative = await fixture.call(
          "POST", "database/roles/\(role)", #"{"\#(field)":\#(value)}"#)
        #expect(negative.status == 400)
        #expect(negative.errors == ["error parsing '\(field)'"], "\(role) \(field)")
      }
    }
    #expect(
      await fixture.call("GET", "database/roles/ro").at("data", "default_ttl") == .integer(7200))

    // A new role needs what an update may leave out.
    let bare = await fixture.call("POST", "database/roles/new", #"{"default_ttl":"2h"}"#)
    #expect(bare.status == 400)
    #expect(bare.errors == ["empty database name attribute"])
    let noStatements = await fixture.call("POST", "database/roles/new", #"{"db_name":"pg"}"#)
    #expect(noStatements.errors == ["creation statements are required"])
    #expect(await fixture.call("GET", "database/roles/new").status == 404)
  }

  /// A role name with a NUL (`%00`) is refused: `database/roles/x%00y` created (or replaced)
  /// the role `x`.
  @Test func aRoleNameWithANULIsRefused() async throws {
    let fixture = try await Self.withDatabaseMount()
    let role = #"{"db_name":"pg","creation_statements":"CREATE ROLE \"{{name}}\""}"#
    #expect(await fixture.call("POST", "database/roles/x", role).status == 204)
    let refused = await fixture.call(
      "POST", "database/roles/x%00y",
      #"{"db_name":"other","creation_statements":"CREATE ROLE \"{{name}}\" SUPERUSER"}"#)
    #expect(refused.status == 400)
    #expect(refused.errors == ["invalid request path: a NUL character (%00) is not allowed"])
    #expect(await fixture.call("GET", "database/roles/x").at("data", "db_name") == .string("pg"))
    #expect(await fixture.call("LIST", "database/roles").at("data", "keys") == .array(["x"]))
  }

  /// A connection that does not work is refused before it is stored, as Vault initialises the
  /// plugin before it saves the config: 400 with psql's own reason, and the previous config
  /// (or none) left as it was. Port 1 on loopback refuses at once.
  @Test func aConnectionThatFailsItsCheckIsNotStored() async throws {
    let fixture = try await Self.withDatabaseMount()
    let refused = await fixture.call(
      "POST", "database/config/pg",
      #"{"connection_url":"postgresql://{{username}}:{{password}}@127.0.0.1:1/postgres","username":"admin","password":"canary-pg-51c0","allowed_roles":"readonly"}"#
    )
    #expect(refused.status == 400, "\(refused.text)")
    let reason = try #require(refused.errors?.first)
    #expect(
      reason.hasPrefix(
        "error creating database object: error verifying connection: psql: error: connection to "
          + "server at \"127.0.0.1\", port 1 failed"), "\(reason)")
    #expect(reason.contains("Connection refused"), "\(reason)")
    #expect(!refused.text.contains("canary-pg-51c0"))
    #expect(await fixture.call("GET", "database/config/pg").status == 404)

    // An update that breaks a stored connection leaves it as it was.
    #expect(
      await fixture.call(
        "POST", "database/config/pg",
        #"{"connection_url":"postgresql://{{username}}:{{password}}@127.0.0.1:1/postgres","username":"admin","password":"p","allowed_roles":"readonly","verify_connection":false}"#
      ).status == 204)
    let broken = await fixture.call(
      "POST", "database/config/pg", #"{"username":"someone-else","allowed_roles":"writer"}"#)
    #expect(broken.status == 400)
    let read = await fixture.call("GET", "database/config/pg")
    #expect(read.at("data", "connection_details", "username") == .string("admin"))
    #expect(read.at("data", "allowed_roles") == .array([.string("readonly")]))
  }

  /// `LIST database/config` and `LIST database/roles` name what the mount holds (404 when
  /// nothing, as every LIST), and `DELETE` removes a connection or a role, as Vault's do.
  @Test func connectionsAndRolesAreListedAndDeleted() async throws {
    let fixture = try await Self.withDatabaseMount()
    #expect(await fixture.call("LIST", "database/config").status == 404)
    for name in ["pg", "analytics"] {
      let written = await fixture.call(
        "POST", "database/config/\(name)",
        #"{"connection_url":"postgresql://{{username}}:{{password}}@127.0.0.1:1/postgres","username":"admin","password":"p","verify_connection":false}"#
      )
      #expect(written.status == 204, "\(written.text)")
    }
    let role = await fixture.call(
      "POST", "database/roles/readonly",
      #"{"db_name":"pg","creation_statements":["CREATE ROLE \"{{name}}\";"]}"#)
    #expect(role.status == 204, "\(role.text)")
    let listed = await fixture.call("LIST", "database/config/")
    #expect(listed.at("data", "keys") == .array([.string("analytics"), .string("pg")]))
    #expect(
      await fixture.call("LIST", "database/roles").at("data", "keys")
        == .array([.string("readonly")]))

    #expect(await fixture.call("DELETE", "database/config/analytics").status == 204)
    #expect(await fixture.call("DELETE", "database/config/never-was").status == 204)
    #expect(await fixture.call("GET", "database/config/analytics").status == 404)
    #expect(
      await fixture.call("LIST", "database/config").at("data", "keys") == .array([.string("pg")]))
    #expect(await fixture.call("DELETE", "database/roles/readonly").status == 204)
    #expect(await fixture.call("GET", "database/roles/readonly").status == 404)
    #expect(await fixture.call("LIST", "database/roles").status == 404)
  }
}
