package import Foundation
import GRDB

/// A database secrets engine connection (`database/config/:name`); the password is sealed.
package struct DatabaseConnection: Sendable {
  package var name: String
  package var pluginName: String
  /// `postgresql://{{username}}:{{password}}@host:port/db?sslmode=disable`.
  package var connectionURL: String
  package var username: String
  package var allowedRoles: [String]

  package init(
    name: String, pluginName: String, connectionURL: String, username: String,
    allowedRoles: [String]
  ) {
    self.name = name
    self.pluginName = pluginName
    self.connectionURL = connectionURL
    self.username = username
    self.allowedRoles = allowedRoles
  }
}

/// A role (`database/roles/:name`): SQL templates and TTLs, no secret.
package struct DatabaseRole: Codable, Sendable, Hashable {
  package var name: String
  package var dbName: String
  package var creationStatements: [String]
  package var revocationStatements: [String]
  /// Run when a lease is renewed (nil or empty: the engine's default, which moves the
  /// role's `VALID UNTIL`). Optional so that roles stored before it still read.
  package var renewStatements: [String]?
  /// Seconds; 0 means the engine's default (1h).
  package var defaultTTL: Int
  /// Seconds; 0 means the engine's maximum (24h).
  package var maxTTL: Int

  package init(
    name: String, dbName: String, creationStatements: [String], revocationStatements: [String],
    renewStatements: [String] = [], defaultTTL: Int, maxTTL: Int
  ) {
    self.name = name
    self.dbName = dbName
    self.creationStatements = creationStatements
    self.revocationStatements = revocationStatements
    self.renewStatements = renewStatements
    self.defaultTTL = defaultTTL
    self.maxTTL = maxTTL
  }
}

/// A lease on a dynamic credential: what it names, never the credential's password.
package struct VaultLease: Sendable, Hashable {
  package var leaseID: String
  /// The mount path with its slash.
  package var mount: String
  package var role: String
  package var username: String
  package var dbName: String
  package var issuedAt: Date
  package var expiresAt: Date
  package var maxExpiresAt: Date
  package var lastRenewal: Date?
  package var renewable: Bool
  /// The accessor of the token that created the lease (never the token): revoking the token,
  /// or its expiry, revokes the lease. Nil for the command line's leases.
  package var tokenAccessor: String?

  package init(
    leaseID: String, mount: String, role: String, username: String, dbName: String,
    issuedAt: Date, expiresAt: Date, maxExpiresAt: Date, lastRenewal: Date?, renewable: Bool,
    tokenAccessor: String? = nil
  ) {
    self.leaseID = leaseID
    self.mount = mount
    self.role = role
    self.username = username
    self.dbName = dbName
    self.issuedAt = issuedAt
    self.expiresAt = expiresAt
    self.maxExpiresAt = maxExpiresAt
    self.lastRenewal = lastRenewal
    self.renewable = renewable
    self.tokenAccessor = tokenAccessor
  }
}

struct DatabaseConnectionAttributes: Codable {
  var pluginName: String
  var connectionURL: String
  var username: String
  var allowedRoles: [String]
}

struct LeaseAttributes: Codable {
  var username: String
  var dbName: String
}

extension SQLiteStore {
  package func writeDatabaseConnection(
    mount: String, _ connection: DatabaseConnection, password: SecretBytes?
  ) async throws {
    let entryName = "\(mount)/\(connection.name)"
    try await performVault(
      "database/config/write", kind: .vaultDatabaseConnection, name: entryName
    ) { db, trail in
      _ = try Self.mount(named: mount, type: .database, db)
      let attributes = DatabaseConnectionAttributes(
        pluginName: connection.pluginName, connectionURL: connection.connectionURL,
        username: connection.username, allowedRoles: connection.allowedRoles)
      let json = String(decoding: try JSONEncoder().encode(attributes), as: UTF8.self)
      let now = self.vaultNow().timeIntervalSince1970
      let existing = try Row.fetchOne(
        db, cached: "SELECT id, last_version FROM entries WHERE kind = ? AND lookup_name = ?",
        arguments: [EntryKind.vaultDatabaseConnection.rawValue, entryName])
      let id: Int64
      var version = 1
      if let existing {
        id = existing["id"]
        version = (existing["last_version"] as Int) + (password == nil ? 0 : 1)
        try db.execute(
          cached: "UPDATE entries SET attributes = ?, last_version = ? WHERE id = ?",
          arguments: [json, version, id])
      } else {
        guard password != nil else { throw VaultError.invalid("password is required") }
        try db.execute(
          cached: """
            INSERT INTO entries (kind, lookup_name, name, created_at, last_version, attributes)
            VALUES (?, ?, ?, ?, 1, ?)
            """,
          arguments: [
            EntryKind.vaultDatabaseConnection.rawValue, entryName, entryName, now, json,
          ])
        id = db.lastInsertedRowID
      }
      if let password {
        let sealed = try self.sealVault(
          password,
          context: SealingContext(
            storeID: self.storeID, kind: .vaultDatabaseConnection, name: entryName,
            version: version))
        try db.execute(
          cached:
            "INSERT INTO entry_versions (entry_id, version, created_at, sealed) VALUES (?, ?, ?, ?)",
          arguments: [id, version, now, Data(sealed)])
        try db.execute(
          cached: "DELETE FROM entry_versions WHERE entry_id = ? AND version < ?",
          arguments: [id, version])
      }
      trail.record(entryName, version: version)
    }
  }

  /// The connection and its opened password, for an operation that connects.
  package func databaseConnection(mount: String, name: String, withPassword: Bool) async throws
    -> (DatabaseConnection, SecretBytes?)?
  {
    let entryName = "\(mount)/\(name)"
    return try await performVault(
      "database/config/read", kind: .vaultDatabaseConnection, name: entryName
    ) { db, _ in
      _ = try Self.mount(named: mount, type: .database, db)
      guard
        let row = try Row.fetchOne(
          db,
          cached:
            "SELECT id, attributes, last_version FROM entries WHERE kind = ? AND lookup_name = ?",
          arguments: [EntryKind.vaultDatabaseConnection.rawValue, entryName])
      else { return nil }
      let json: String = row["attributes"]
      let attributes = try JSONDecoder().decode(
        DatabaseConnectionAttributes.self, from: Data(json.utf8))
      let connection = DatabaseConnection(
        name: name, pluginName: attributes.pluginName, connectionURL: attributes.connectionURL,
        username: attributes.username, allowedRoles: attributes.allowedRoles)
      guard withPassword else { return (connection, nil) }
      let version: Int = row["last_version"]
      guard
        let sealed = try Data.fetchOne(
          db, cached: "SELECT sealed FROM entry_versions WHERE entry_id = ? AND version = ?",
          arguments: [row["id"] as Int64, version])
      else { return (connection, nil) }
      let password = try self.openVault(
        Array(sealed),
        context: SealingContext(
          storeID: self.storeID, kind: .vaultDatabaseConnection, name: entryName,
          version: version),
        displayName: entryName)
      return (connection, password)
    }
  }

  package func writeDatabaseRole(mount: String, _ role: DatabaseRole) async throws {
    let entryName = "\(mount)/\(role.name)"
    try await performVault("database/roles/write", kind: .vaultDatabaseRole, name: entryName) {
      db, _ in
      _ = try Self.mount(named: mount, type: .database, db)
      let json = String(decoding: try JSONEncoder().encode(role), as: UTF8.self)
      try db.execute(
        cached: """
          INSERT INTO entries (kind, lookup_name, name, created_at, last_version, attributes)
          VALUES (?, ?, ?, ?, 0, ?)
          ON CONFLICT (kind, lookup_name) DO UPDATE SET attributes = excluded.attributes
          """,
        arguments: [
          EntryKind.vaultDatabaseRole.rawValue, entryName, entryName,
          self.vaultNow().timeIntervalSince1970, json,
        ])
    }
  }

  package func databaseRole(mount: String, name: String) async throws -> DatabaseRole? {
    let entryName = "\(mount)/\(name)"
    return try await performVault("database/roles/read", kind: .vaultDatabaseRole, name: entryName)
    {
      db, _ in
      _ = try Self.mount(named: mount, type: .database, db)
      guard
        let json = try String.fetchOne(
          db, cached: "SELECT attributes FROM entries WHERE kind = ? AND lookup_name = ?",
          arguments: [EntryKind.vaultDatabaseRole.rawValue, entryName])
      else { return nil }
      return try JSONDecoder().decode(DatabaseRole.self, from: Data(json.utf8))
    }
  }

  /// The names of a database mount's connections (`LIST database/config`), sorted.
  package func databaseConnectionNames(mount: String) async throws -> [String] {
    try await databaseEntryNames(
      "database/config/list", mount: mount, kind: .vaultDatabaseConnection)
  }

  /// The names of a database mount's roles (`LIST database/roles`), sorted.
  package func databaseRoleNames(mount: String) async throws -> [String] {
    try await databaseEntryNames("database/roles/list", mount: mount, kind: .vaultDatabaseRole)
  }

  /// Removes a connection and its sealed password (`DELETE database/config/:name`); a missing
  /// one is a no-op, as in Vault. Leases made through it can no longer be revoked, as in Vault.
  package func deleteDatabaseConnection(mount: String, name: String) async throws {
    try await deleteDatabaseEntry(
      "database/config/delete", mount: mount, name: name, kind: .vaultDatabaseConnection)
  }

  /// Removes a role (`DELETE database/roles/:name`); its leases are revoked with the default
  /// statements, as Vault does for a lease whose role is gone.
  package func deleteDatabaseRole(mount: String, name: String) async throws {
    try await deleteDatabaseEntry(
      "database/roles/delete", mount: mount, name: name, kind: .vaultDatabaseRole)
  }

  private func databaseEntryNames(_ operation: String, mount: String, kind: EntryKind)
    async throws -> [String]
  {
    let prefix = mount + "/"
    return try await performVault(operation, kind: kind, name: mount) { db, _ in
      _ = try Self.mount(named: mount, type: .database, db)
      return try String.fetchAll(
        db,
        cached: """
          SELECT lookup_name FROM entries WHERE kind = ? AND lookup_name LIKE ? ESCAPE '\\'
          ORDER BY lookup_name
          """,
        arguments: [kind.rawValue, prefix.likePrefixPattern]
      ).map { String($0.dropFirst(prefix.count)) }
    }
  }

  private func deleteDatabaseEntry(
    _ operation: String, mount: String, name: String, kind: EntryKind
  ) async throws {
    let entryName = "\(mount)/\(name)"
    try await performVault(operation, kind: kind, name: entryName) { db, trail in
      _ = try Self.mount(named: mount, type: .database, db)
      try db.execute(
        cached: "DELETE FROM entries WHERE kind = ? AND lookup_name = ?",
        arguments: [kind.rawValue, entryName])
      trail.record(entryName)
    }
  }

  // MARK: Leases

  /// Records a lease. One made for a token that has been revoked meanwhile is refused (`invalid
  /// token`), so that no lease outlives its token; the caller then drops the credential.
  package func insertLease(_ lease: VaultLease) async throws {
    try await performVault("sys/leases/issue", kind: nil, name: lease.leaseID) { db, _ in
      if let accessor = lease.tokenAccessor,
        try Bool.fetchOne(
          db, cached: "SELECT 1 FROM vault_tokens WHERE accessor = ?", arguments: [accessor])
          == nil
      {
        throw VaultError.invalidToken
      }
      let attributes = String(
        decoding: try JSONEncoder().encode(
          LeaseAttributes(username: lease.username, dbName: lease.dbName)), as: UTF8.self)
      try db.execute(
        cached: """
          INSERT INTO vault_leases (lease_id, mount, role, issued_at, expires_at, max_expires_at,
            renewable, attributes, token_accessor)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          lease.leaseID, lease.mount, lease.role, lease.issuedAt.timeIntervalSince1970,
          lease.expiresAt.timeIntervalSince1970, lease.maxExpiresAt.timeIntervalSince1970,
          lease.renewable, attributes, lease.tokenAccessor,
        ])
    }
  }

  package func lease(_ leaseID: String) async throws -> VaultLease? {
    try await readSnapshot { db in
      try Row.fetchOne(
        db, cached: "SELECT * FROM vault_leases WHERE lease_id = ?", arguments: [leaseID]
      )
      .map(Self.lease(row:))
    }
  }

  /// Leases whose id starts with `prefix`, sorted by id.
  package func leases(prefix: String) async throws -> [VaultLease] {
    try await readSnapshot { db in
      try Row.fetchAll(
        db,
        cached: "SELECT * FROM vault_leases WHERE lease_id LIKE ? ESCAPE '\\' ORDER BY lease_id",
        arguments: [prefix.likePrefixPattern]
      ).map(Self.lease(row:))
    }
  }

  /// Leases whose time is up, on the store's clock.
  package func expiredLeases() async throws -> [VaultLease] {
    let now = vaultNow().timeIntervalSince1970
    return try await readSnapshot { db in
      try Row.fetchAll(
        db, cached: "SELECT * FROM vault_leases WHERE expires_at <= ? ORDER BY expires_at",
        arguments: [now]
      ).map(Self.lease(row:))
    }
  }

  /// Moves a lease's expiry to now + `seconds`, capped by its maximum with Vault's warning
  /// (`CalculateTTL`'s, which Vault's expiration manager returns with the renewal).
  package func renewLease(_ leaseID: String, seconds: Int) async throws
    -> (lease: VaultLease, warnings: [String])
  {
    try await performVault("sys/leases/renew", kind: nil, name: leaseID) { db, _ in
      guard
        var lease = try Row.fetchOne(
          db, cached: "SELECT * FROM vault_leases WHERE lease_id = ?", arguments: [leaseID]
        ).map(Self.lease(row:))
      else { throw VaultError.invalid("lease not found") }
      let now = self.vaultNow()
      guard lease.expiresAt > now else { throw VaultError.invalid("lease expired") }
      guard lease.renewable else { throw VaultError.invalid("lease is not renewable") }
      var warnings: [String] = []
      let requested = now.addingTimeInterval(TimeInterval(seconds))
      if requested > lease.maxExpiresAt {
        lease.expiresAt = lease.maxExpiresAt
        let allowed = Int(lease.maxExpiresAt.timeIntervalSince(now).rounded(.down))
        warnings.append(Self.cappedTTLWarning(requested: seconds, allowed: allowed))
      } else {
        lease.expiresAt = requested
      }
      lease.lastRenewal = now
      try db.execute(
        cached: "UPDATE vault_leases SET expires_at = ?, last_renewal = ? WHERE lease_id = ?",
        arguments: [
          lease.expiresAt.timeIntervalSince1970, now.timeIntervalSince1970, leaseID,
        ])
      return (lease, warnings)
    }
  }

  /// Forgets a lease once its credential is revoked.
  package func deleteLease(_ leaseID: String) async throws {
    try await performVault("sys/leases/revoke", kind: nil, name: leaseID) { db, _ in
      try db.execute(cached: "DELETE FROM vault_leases WHERE lease_id = ?", arguments: [leaseID])
    }
  }

  static func lease(row: Row) throws -> VaultLease {
    let json: String = row["attributes"]
    let attributes = try JSONDecoder().decode(LeaseAttributes.self, from: Data(json.utf8))
    return VaultLease(
      leaseID: row["lease_id"], mount: row["mount"], role: row["role"],
      username: attributes.username, dbName: attributes.dbName,
      issuedAt: Date(timeIntervalSince1970: row["issued_at"]),
      expiresAt: Date(timeIntervalSince1970: row["expires_at"]),
      maxExpiresAt: Date(timeIntervalSince1970: row["max_expires_at"]),
      lastRenewal: (row["last_renewal"] as Double?).map(Date.init(timeIntervalSince1970:)),
      renewable: row["renewable"], tokenAccessor: row["token_accessor"])
  }

  /// The store's clock (for lease arithmetic in the engines).
  package func vaultClock() -> Date { vaultNow() }
}
