import CinchJSON
import CinchStore
import Foundation

/// The database secrets engine for PostgreSQL: `config/:name` (a connection, its password
/// sealed), `roles/:name` (SQL templates and TTLs), `creds/:role` (a new role with a random
/// password, under a lease). Revoking the lease drops the role (`LeaseRevoker`).
struct DatabaseEngine {
  let store: SQLiteStore
  let mount: VaultMount
  let displayName: String
  /// The accessor of the token asking (nil for the command line): its leases end with it.
  let tokenAccessor: String?

  var name: String { mount.name }

  static let defaultTTL = 3600
  static let maximumTTL = 86_400

  func handle(_ request: LogicalRequest, rest: String) async throws -> LogicalResponse? {
    let parts = rest.split(separator: "/", maxSplits: 1).map(String.init)
    if request.operation == .list, parts.count == 1 {
      let names: [String]
      switch parts[0] {
      case "config": names = try await store.databaseConnectionNames(mount: name)
      case "roles": names = try await store.databaseRoleNames(mount: name)
      default: throw Self.noRoute(request)
      }
      // An empty list is 404, as every LIST in Vault.
      return names.isEmpty
        ? nil : LogicalResponse(data: .object([("keys", .array(names.map(JSONValue.string)))]))
    }
    guard parts.count == 2 else { throw Self.noRoute(request) }
    switch (parts[0], request.operation) {
    case ("config", .update), ("config", .create): return try await writeConfig(parts[1], request)
    case ("config", .read): return try await readConfig(parts[1])
    case ("config", .delete):
      try await store.deleteDatabaseConnection(mount: name, name: parts[1])
      return nil
    case ("roles", .update), ("roles", .create): return try await writeRole(parts[1], request)
    case ("roles", .read): return try await readRole(parts[1])
    case ("roles", .delete):
      try await store.deleteDatabaseRole(mount: name, name: parts[1])
      return nil
    case ("creds", .read): return try await creds(parts[1])
    default: throw Self.noRoute(request)
    }
  }

  /// Vault's 404 for a path the engine does not serve.
  static func noRoute(_ request: LogicalRequest) -> VaultError {
    VaultError(status: 404, ["no handler for route \"\(request.path)\". route entry not found."])
  }

  func writeConfig(_ connectionName: String, _ request: LogicalRequest) async throws
    -> LogicalResponse?
  {
    let verify = try request.data.flag("verify_connection") ?? true
    let password = request.data.string("password").map { SecretBytes(utf8: $0) }
    // An update takes the fields given over the stored ones, as Vault's does ("If this is an
    // update, take any new values, overwrite what was there before",
    // builtin/logical/database/path_config_connection.go): `allowed_roles=…` alone is enough.
    // The stored password is opened only to verify a connection that gives none.
    let stored = try await store.databaseConnection(
      mount: name, name: connectionName, withPassword: verify && password == nil)
    let existing = stored?.0
    let plugin =
      request.data.string("plugin_name") ?? existing?.pluginName ?? "postgresql-database-plugin"
    guard plugin == "postgresql-database-plugin" else {
      throw VaultError.invalid("cinch's database engine serves postgresql-database-plugin only")
    }
    guard let url = request.data.string("connection_url") ?? existing?.connectionURL, !url.isEmpty
    else {
      throw VaultError.invalid("connection_url cannot be empty")
    }
    var allowed = existing?.allowedRoles ?? []
    switch request.data["allowed_roles"] {
    case .array(let items)?: allowed = items.compactMap(\.stringValue)
    case .string(let text)?: allowed = text.split(separator: ",").map(String.init)
    default: break
    }
    let connection = DatabaseConnection(
      name: connectionName, pluginName: plugin, connectionURL: url,
      username: request.data.string("username") ?? existing?.username ?? "",
      allowedRoles: allowed)
    _ = try PostgresExecutor.target(connection)
    // Verified before anything is stored, as Vault's plugin is initialised before the config
    // is saved (builtin/logical/database/path_config_connection.go): a connection that does
    // not work is refused with 400 and leaves the previous config, or none, as it was.
    if verify {
      do {
        try PostgresExecutor.run(
          "SELECT 1;\n", connection: connection,
          password: password ?? stored?.1 ?? SecretBytes(utf8: ""), secrets: [])
      } catch let failure as PostgresExecutor.Failure {
        throw VaultError.invalid(
          "error creating database object: error verifying connection: \(failure.line)")
      }
    }
    try await store.writeDatabaseConnection(mount: name, connection, password: password)
    return nil
  }

  func readConfig(_ connectionName: String) async throws -> LogicalResponse? {
    guard
      let (connection, _) = try await store.databaseConnection(
        mount: name, name: connectionName, withPassword: false)
    else { return nil }
    return LogicalResponse(
      data: .object([
        ("allowed_roles", .array(connection.allowedRoles.map(JSONValue.string))),
        (
          "connection_details",
          .object([
            ("connection_url", .string(connection.connectionURL)),
            ("username", .string(connection.username)),
          ])
        ),
        ("plugin_name", .string(connection.pluginName)),
      ]))
  }

  static func statements(_ value: JSONValue?) -> [String] {
    switch value {
    case .array(let items)?: items.compactMap(\.stringValue)
    case .string(let text)? where !text.isEmpty: [text]
    default: []
    }
  }

  /// Creates a role, or updates one: as Vault's pathRoleCreateUpdate, an update takes a field
  /// from the request only when it is given and keeps the others (`default_ttl=2h` alone is
  /// enough), while a new role starts empty and so needs its `db_name` and creation
  /// statements. The TTLs are checked as they end up.
  func writeRole(_ roleName: String, _ request: LogicalRequest) async throws -> LogicalResponse? {
    let data = request.data
    // Vault's path_roles.go types both TTLs `TypeDurationSecond`: its framework refuses a
    // negative one before the handler runs, rather than storing a role whose leases end at once.
    try data.validate(["default_ttl": .unsignedDurationSecond, "max_ttl": .unsignedDurationSecond])
    let stored = try await store.databaseRole(mount: name, name: roleName)
    func statements(_ key: String) -> [String]? {
      guard let value = data[key], value != .null else { return nil }
      return Self.statements(value)
    }
    let dbName = data.string("db_name") ?? stored?.dbName ?? ""
    guard !dbName.isEmpty else { throw VaultError.invalid("empty database name attribute") }
    let creation = statements("creation_statements") ?? stored?.creationStatements ?? []
    guard !creation.isEmpty else { throw VaultError.invalid("creation statements are required") }
    let ttl = try data.durationSeconds("default_ttl") ?? stored?.defaultTTL ?? 0
    let maxTTL = try data.durationSeconds("max_ttl") ?? stored?.maxTTL ?? 0
    if maxTTL > 0, ttl > maxTTL {
      throw VaultError.invalid("ttl cannot be greater than max_ttl")
    }
    try await store.writeDatabaseRole(
      mount: name,
      DatabaseRole(
        name: roleName, dbName: dbName, creationStatements: creation,
        revocationStatements: statements("revocation_statements")
          ?? stored?.revocationStatements ?? [],
        renewStatements: statements("renew_statements") ?? stored?.renewStatements ?? [],
        defaultTTL: ttl, maxTTL: maxTTL))
    return nil
  }

  func readRole(_ roleName: String) async throws -> LogicalResponse? {
    guard let role = try await store.databaseRole(mount: name, name: roleName) else { return nil }
    return LogicalResponse(
      data: .object([
        ("creation_statements", .array(role.creationStatements.map(JSONValue.string))),
        ("db_name", .string(role.dbName)),
        ("default_ttl", .integer(Int64(role.defaultTTL))),
        ("max_ttl", .integer(Int64(role.maxTTL))),
        ("renew_statements", .array((role.renewStatements ?? []).map(JSONValue.string))),
        ("revocation_statements", .array(role.revocationStatements.map(JSONValue.string))),
      ]))
  }

  /// A new database role under a lease.
  func creds(_ roleName: String) async throws -> LogicalResponse? {
    guard let role = try await store.databaseRole(mount: name, name: roleName) else {
      throw VaultError.invalid("unknown role: \(roleName)")
    }
    guard
      let (connection, adminPassword) = try await store.databaseConnection(
        mount: name, name: role.dbName, withPassword: true), let adminPassword
    else {
      throw VaultError.invalid("could not find a connection named '\(role.dbName)'")
    }
    guard connection.allowedRoles.contains("*") || connection.allowedRoles.contains(roleName)
    else {
      throw VaultError.invalid("\"\(roleName)\" is not an allowed role")
    }
    let now = store.vaultClock()
    let ttl = role.defaultTTL > 0 ? role.defaultTTL : Self.defaultTTL
    // The mount's maximum lease TTL (the one `secrets tune` reports and cinch does not let
    // change) bounds a role's, as framework.CalculateTTL takes the smaller.
    let maxTTL = min(
      role.maxTTL > 0 ? role.maxTTL : Self.maximumTTL, SystemHandler.systemLeaseTTL)
    let lifetime = min(ttl, maxTTL)
    let expires = now.addingTimeInterval(TimeInterval(lifetime))
    let username = String(
      "v-\(displayName.prefix(8))-\(roleName.prefix(8))-\(try SQLiteStore.randomBase62(count: 20))-\(Int(now.timeIntervalSince1970))"
        .prefix(63))
    let password = "A1a-" + (try SQLiteStore.randomBase62(count: 20))
    let sql = PostgresExecutor.render(
      role.creationStatements,
      values: [
        "name": username, "username": username, "password": password,
        "expiration": PostgresExecutor.expiration(expires),
      ])
    try PostgresExecutor.execute(
      sql, connection: connection, password: adminPassword, secrets: [password])
    let leaseID = "\(name)/creds/\(roleName)/\(try SQLiteStore.randomBase62(count: 24))"
    let lease = VaultLease(
      leaseID: leaseID, mount: mount.path, role: roleName, username: username,
      dbName: role.dbName, issuedAt: now, expiresAt: expires,
      maxExpiresAt: now.addingTimeInterval(TimeInterval(maxTTL)), lastRenewal: nil,
      renewable: true, tokenAccessor: tokenAccessor)
    do {
      try await store.insertLease(lease)
    } catch {
      try? await LeaseRevoker(store: store).dropRole(lease)
      throw error
    }
    var response = LogicalResponse(
      data: .object([
        ("password", .string(password)), ("username", .string(username)),
      ]))
    response.leaseID = leaseID
    response.leaseDuration = lifetime
    response.renewable = true
    if ttl > maxTTL {
      response.warnings = [SQLiteStore.cappedTTLWarning(requested: ttl, allowed: maxTTL)]
    }
    return response
  }
}

/// Ends leases: runs the role's revocation statements (by default, drop the role) and forgets
/// the lease. Used by `sys/leases/revoke*`, `auth/token/revoke-self` (a token's leases end with
/// it), `cinch lease tidy` and a running `cinch serve`.
struct LeaseRevoker {
  let store: SQLiteStore

  /// A role that is already gone counts as revoked, as in Vault's PostgreSQL plugin
  /// (`defaultDeleteUser` checks `pg_roles` first): a revocation interrupted after the role was
  /// dropped but before the lease was forgotten (a server stopped mid-sweep) then succeeds when
  /// it is retried, instead of failing on `REVOKE … FROM` a role that does not exist.
  static let defaultRevocation = [
    #"DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{{name}}') THEN "#
      + #"EXECUTE 'REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA public FROM "{{name}}"'; "#
      + #"EXECUTE 'DROP ROLE "{{name}}"'; END IF; END $$"#
  ]

  func dropRole(_ lease: VaultLease) async throws {
    try await run(for: lease, { $0.revocationStatements }, default: Self.defaultRevocation)
  }

  /// The PostgreSQL plugin's default renew statement: the login ends when the lease does.
  static let defaultRenewal = [#"ALTER ROLE "{{name}}" VALID UNTIL '{{expiration}}'"#]

  /// Runs the role's renew statements (by default, moves `VALID UNTIL` to the lease's new
  /// expiry), so a renewed lease's login keeps working until the lease ends.
  func extendRole(_ lease: VaultLease) async throws {
    try await run(for: lease, { $0.renewStatements }, default: Self.defaultRenewal)
  }

  /// Runs the lease's role's statements of one kind (its own, or `fallback` when it has none)
  /// on the lease's connection, with the lease's username and expiry filled in.
  private func run(
    for lease: VaultLease, _ kind: (DatabaseRole) -> [String]?, default fallback: [String]
  ) async throws {
    let mountName = String(lease.mount.dropLast())
    let role = try await store.databaseRole(mount: mountName, name: lease.role)
    guard
      let (connection, password) = try await store.databaseConnection(
        mount: mountName, name: lease.dbName, withPassword: true), let password
    else {
      throw VaultError.invalid("could not find a connection named '\(lease.dbName)'")
    }
    let statements = role.flatMap(kind).flatMap { $0.isEmpty ? nil : $0 } ?? fallback
    try PostgresExecutor.execute(
      PostgresExecutor.render(
        statements,
        values: [
          "name": lease.username, "username": lease.username,
          "expiration": PostgresExecutor.expiration(lease.expiresAt),
        ]),
      connection: connection, password: password, secrets: [])
  }

  func revoke(_ lease: VaultLease) async throws {
    try await dropRole(lease)
    try await store.deleteLease(lease.leaseID)
  }

  /// Revokes every expired lease, and first the tokens whose time is up (their leases expire
  /// with them); returns how many leases (failures are left for the next round). Throws when
  /// the store cannot say which tokens or leases have expired.
  func revokeExpired() async throws -> LeaseSweep {
    _ = try await store.retireExpiredVaultTokens()
    return await revoke(try await store.expiredLeases())
  }

  /// Revokes these leases; says how many were revoked and which could not be, and why (they
  /// are due, so the next sweep tries again).
  func revoke(_ leases: [VaultLease]) async -> LeaseSweep {
    var sweep = LeaseSweep()
    for lease in leases {
      do {
        try await revoke(lease)
        sweep.revoked += 1
      } catch {
        sweep.failures.append(.init(leaseID: lease.leaseID, reason: Self.reason(error)))
      }
    }
    return sweep
  }

  /// An error's words for an operator (the connection's password is never in them:
  /// `PostgresExecutor` keeps it out of its errors).
  static func reason(_ error: any Error) -> String {
    switch error {
    case let error as VaultError: error.errors.joined(separator: "; ")
    case let error as StoreError: error.message
    default: "\(error)"
    }
  }
}
