package import Foundation
import GRDB

/// A token `X-Vault-Token` carries, as the store knows it: never the token itself (only a keyed
/// hash of it is kept), its accessor, policies and lifetime.
package struct VaultToken: Sendable, Hashable {
  package var accessor: String
  package var policies: [String]
  package var displayName: String
  package var meta: [String: String]
  package var createdAt: Date
  /// Seconds; 0 for a token that never expires (root).
  package var ttl: Int
  package var expiresAt: Date?
  package var renewable: Bool
  /// Uses left (`num_uses`); 0 means unlimited.
  package var numUses: Int = 0
  /// Seconds from creation past which no renewal goes (`explicit_max_ttl`); 0 means none.
  package var explicitMaxTTL: Int = 0
  /// The token that created this one; nil for an orphan. A child is revoked with its parent.
  package var parentAccessor: String?
  /// Seconds the token was created with (`creation_ttl`); `ttl` is what the last renewal granted.
  package var creationTTL: Int = 0
  /// When the token was last renewed; nil if never.
  package var lastRenewal: Date?
  /// The path that created it, as Vault records it: `auth/token/root` for the store's root token
  /// (`cinch token root`), `auth/token/create` for the others.
  package var path: String = "auth/token/create"
  /// Set by `lookupVaultToken` when the request it was looked up for spends the last of its
  /// uses: Vault then revokes it, with its leases, as soon as the request has run.
  package var isOnLastUse = false

  /// `root` may do anything, including minting tokens, mounting engines and enabling audit
  /// devices; other tokens use the engines only (Docs/Vault.md).
  package var isRoot: Bool { policies.contains("root") }

  /// Whether its time is up at `now` (a token that never expires never is).
  package func isExpired(at now: Date) -> Bool {
    expiresAt.map { $0 <= now } ?? false
  }
}

extension SQLiteStore {
  /// Tokens last at most this long (Vault's default system max TTL, 32 days).
  package static let vaultMaxTokenTTL = 768 * 3600

  /// Mints a token (`cinch token create`, `auth/token/create`). A `ttl` of 0 means the maximum
  /// (768h), except for root tokens, which then never expire; a longer one is capped at it with
  /// Vault's `CalculateTTL` warning, as a renewal is.
  package func createVaultToken(
    policies: [String], ttl: Int, displayName: String = "token", renewable: Bool = true,
    meta: [String: String] = [:], numUses: Int = 0, explicitMaxTTL: Int = 0,
    parentAccessor: String? = nil
  ) async throws -> (token: String, info: VaultToken, warnings: [String]) {
    try await performVault("auth/token/create", kind: nil, name: nil) { db, trail in
      if let parentAccessor,
        try Bool.fetchOne(
          db, cached: "SELECT 1 FROM vault_tokens WHERE accessor = ?", arguments: [parentAccessor])
          == nil
      {
        throw VaultError.invalid("parent token not found")
      }
      let (token, info) = try self.insertToken(
        policies: policies, ttl: ttl, displayName: displayName, renewable: renewable, meta: meta,
        root: false, numUses: numUses, explicitMaxTTL: explicitMaxTTL,
        parentAccessor: parentAccessor, db)
      trail.record(info.accessor)
      let warnings =
        ttl > Self.vaultMaxTokenTTL
        ? [Self.cappedTTLWarning(requested: ttl, allowed: Self.vaultMaxTokenTTL)] : []
      return (token, info, warnings)
    }
  }

  /// The store's root token, created (and sealed, so it can be shown again) on first use.
  package func vaultRootToken() async throws -> String {
    try await performVault("auth/token/root", kind: nil, name: nil) { db, trail in
      if let row = try Row.fetchOne(
        db, cached: "SELECT accessor, sealed FROM vault_tokens WHERE is_root_token = 1"),
        let sealed = row["sealed"] as Data?
      {
        let accessor: String = row["accessor"]
        trail.record(accessor)
        return try self.openVault(
          Array(sealed), context: Self.tokenContext(self.storeID, accessor),
          displayName: "root token"
        ).utf8String()
      }
      let (token, info) = try self.insertToken(
        policies: ["root"], ttl: 0, displayName: "root", renewable: false, meta: [:], root: true,
        db)
      trail.record(info.accessor)
      return token
    }
  }

  /// The token, if it is known and has not expired, for one request: a use-limited token
  /// spends a use, and its last use expires it (its leases go at the next sweep, as Vault
  /// revokes a token whose uses are spent). An expired token is revoked with its children, and
  /// their leases made due.
  package func lookupVaultToken(_ token: String) async throws -> VaultToken? {
    let hash = try vaultLookupHash(token, purpose: "token")
    let now = vaultNow()
    return try await writeWithRetry { db in
      guard
        let row = try Row.fetchOne(
          db, cached: "SELECT * FROM vault_tokens WHERE token_hash = ?", arguments: [Data(hash)])
      else { return nil }
      var info = try Self.token(row: row)
      if let expires = info.expiresAt, expires <= now {
        _ = try Self.retireTokens([info.accessor], now: now, db)
        return nil
      }
      if info.numUses > 0 {
        info.numUses -= 1
        if info.numUses == 0 {
          info.expiresAt = now
          info.isOnLastUse = true
        }
        try db.execute(
          cached: "UPDATE vault_tokens SET num_uses = ?, expires_at = ? WHERE accessor = ?",
          arguments: [info.numUses, info.expiresAt?.timeIntervalSince1970, info.accessor])
      }
      return info
    }
  }

  /// Revokes every token whose time is up (with its children), making their leases due;
  /// returns how many tokens ended. The lease sweep calls it first.
  package func retireExpiredVaultTokens() async throws -> Int {
    let now = vaultNow()
    return try await writeWithRetry { db in
      let expired = try String.fetchAll(
        db, cached: "SELECT accessor FROM vault_tokens WHERE expires_at <= ?",
        arguments: [now.timeIntervalSince1970])
      guard !expired.isEmpty else { return 0 }
      return try Self.retireTokens(expired, now: now, db).tokens.count
    }
  }

  /// Deletes these tokens and their descendants, and moves the expiry of every lease they
  /// created to `now` at the latest, so that the lease revoker ends them (at once after a
  /// revocation, at the next sweep otherwise; a revocation that fails is retried there).
  static func retireTokens(_ accessors: [String], now: Date, _ db: Database) throws
    -> (tokens: [String], leases: [VaultLease])
  {
    var tokens: [String] = []
    var pending = accessors
    while let accessor = pending.popLast() {
      guard !tokens.contains(accessor) else { continue }
      tokens.append(accessor)
      pending += try String.fetchAll(
        db, cached: "SELECT accessor FROM vault_tokens WHERE parent_accessor = ?",
        arguments: [accessor])
    }
    var leases: [VaultLease] = []
    for accessor in tokens {
      try db.execute(
        cached: """
          UPDATE vault_leases SET expires_at = MIN(expires_at, ?) WHERE token_accessor = ?
          """,
        arguments: [now.timeIntervalSince1970, accessor])
      leases += try Row.fetchAll(
        db, cached: "SELECT * FROM vault_leases WHERE token_accessor = ?", arguments: [accessor]
      ).map(Self.lease(row:))
      try db.execute(
        // The root token too, as Vault revokes one: the next `cinch token root` (which needs
        // the master key) makes a new one.
        cached: "DELETE FROM vault_tokens WHERE accessor = ?", arguments: [accessor])
    }
    return (tokens, leases)
  }

  /// Every token's facts (never a token), by accessor.
  package func vaultTokens() async throws -> [VaultToken] {
    try await readSnapshot { db in
      try Row.fetchAll(db, cached: "SELECT * FROM vault_tokens ORDER BY created_at").map(Self.token)
    }
  }

  /// Revokes the token with this accessor and its children; returns the leases they created,
  /// now due, for the caller to revoke (those it cannot revoke, the sweep retries).
  package func revokeVaultToken(accessor: String) async throws -> [VaultLease] {
    let now = vaultNow()
    return try await performVault("auth/token/revoke", kind: nil, name: accessor) { db, _ in
      try Self.retireTokens([accessor], now: now, db).leases
    }
  }

  /// A token's facts, found by the token itself, without spending one of its uses (Vault's
  /// `auth/token/lookup`, `revoke` and `renew` name a token that is not the caller's); nil when
  /// the store has no such token. An expired token the sweep has not ended yet is returned too:
  /// the caller decides (Vault's lookup no longer finds it).
  package func vaultToken(id token: String) async throws -> VaultToken? {
    let hash = try vaultLookupHash(token, purpose: "token")
    return try await readSnapshot { db in
      try Row.fetchOne(
        db, cached: "SELECT * FROM vault_tokens WHERE token_hash = ?", arguments: [Data(hash)]
      ).map(Self.token(row:))
    }
  }

  /// A token's facts by its accessor, as `vaultToken(id:)`.
  package func vaultToken(accessor: String) async throws -> VaultToken? {
    try await readSnapshot { db in
      try Row.fetchOne(
        db, cached: "SELECT * FROM vault_tokens WHERE accessor = ?", arguments: [accessor]
      ).map(Self.token(row:))
    }
  }

  /// Revokes the token with this accessor but not its children, which become orphans (Vault's
  /// `auth/token/revoke-orphan`) and keep their leases; returns the leases the token itself
  /// created, now due, for the caller to revoke.
  package func revokeVaultTokenOrphaningChildren(accessor: String) async throws -> [VaultLease] {
    let now = vaultNow()
    return try await performVault("auth/token/revoke-orphan", kind: nil, name: accessor) { db, _ in
      try db.execute(
        cached: "UPDATE vault_tokens SET parent_accessor = NULL WHERE parent_accessor = ?",
        arguments: [accessor])
      return try Self.retireTokens([accessor], now: now, db).leases
    }
  }

  /// Whether `sys/leases/revoke-prefix/PREFIX` reaches tokens: Vault keeps a token's lease at
  /// its creation path and a hashed id (`auth/token/create/h…`), and reads the prefix as a
  /// folder, so `auth/token` and `auth/token/create/` do and `auth/tok` does not.
  package static func prefixCoversTokens(_ prefix: String) -> Bool {
    let folder = prefix.hasSuffix("/") ? prefix : prefix + "/"
    return [rootTokenPath, createdTokenPath].contains { ($0 + "/").hasPrefix(folder) }
  }

  /// Revokes, with their children, the tokens whose creation path is under `prefix` (see
  /// `prefixCoversTokens`); returns the leases they created, now due.
  package func revokeVaultTokens(pathPrefix prefix: String) async throws -> [VaultLease] {
    guard Self.prefixCoversTokens(prefix) else { return [] }
    let folder = prefix.hasSuffix("/") ? prefix : prefix + "/"
    let now = vaultNow()
    return try await performVault("sys/leases/revoke-prefix", kind: nil, name: prefix) { db, _ in
      let covered = try Row.fetchAll(
        db, cached: "SELECT accessor, is_root_token FROM vault_tokens"
      ).compactMap { row -> String? in
        let path: String = row["is_root_token"] ? Self.rootTokenPath : Self.createdTokenPath
        return (path + "/").hasPrefix(folder) ? row["accessor"] : nil
      }
      return try Self.retireTokens(covered, now: now, db).leases
    }
  }

  /// Extends a renewable token by `increment` seconds (or its TTL), capped at the maximum and,
  /// with Vault's warning, at its explicit maximum TTL counted from its creation.
  package func renewVaultToken(accessor: String, increment: Int?) async throws
    -> (info: VaultToken, warnings: [String])
  {
    try await performVault("auth/token/renew", kind: nil, name: accessor) { db, _ in
      guard
        let row = try Row.fetchOne(
          db, cached: "SELECT * FROM vault_tokens WHERE accessor = ?", arguments: [accessor])
      else { throw VaultError.invalid("token not found") }
      var info = try Self.token(row: row)
      let now = self.vaultNow()
      // Its time is up but the sweep has not ended it yet: Vault's lookup no longer finds it.
      guard !info.isExpired(at: now) else { throw VaultError.invalid("token not found") }
      guard info.expiresAt != nil else { return (info, []) }
      guard info.renewable else { throw VaultError.invalid("lease is not renewable") }
      // Uncapped here: the warning below names the TTL asked for, as Vault's RenewToken hands
      // the increment to CalculateTTL as given (`TTL of "900h0m0s" exceeded …`).
      let requested = increment.flatMap { $0 > 0 ? $0 : nil } ?? info.ttl
      var seconds = requested
      var warnings: [String] = []
      // Vault's `CalculateTTL` for a renewal: the max TTL (the explicit one, else the
      // system's 768h) counts from the token's issue time, not from now, so renewing never
      // keeps a token past it (framework.LeaseExtend → CalculateTTL(startTime: IssueTime)).
      let maxTTL =
        info.explicitMaxTTL > 0
        ? min(info.explicitMaxTTL, Self.vaultMaxTokenTTL) : Self.vaultMaxTokenTTL
      let limit = info.createdAt.addingTimeInterval(TimeInterval(maxTTL))
      let left = Int(limit.timeIntervalSince(now).rounded(.down))
      guard left > 0 else { throw VaultError.invalid("past the max TTL, cannot renew") }
      if seconds > left {
        seconds = left
        warnings.append(Self.cappedTTLWarning(requested: requested, allowed: left))
      }
      info.expiresAt = now.addingTimeInterval(TimeInterval(seconds))
      info.ttl = seconds
      info.lastRenewal = now
      try db.execute(
        cached: """
          UPDATE vault_tokens SET expires_at = ?, ttl_seconds = ?, last_renewal = ?
          WHERE accessor = ?
          """,
        arguments: [
          info.expiresAt?.timeIntervalSince1970, seconds, now.timeIntervalSince1970, accessor,
        ])
      return (info, warnings)
    }
  }

  /// Vault's `CalculateTTL` warning for a TTL capped by the maximum (both in seconds).
  package static func cappedTTLWarning(requested: Int, allowed: Int) -> String {
    "TTL of \"\(GoDuration.format(Int64(requested) * GoDuration.second))\" exceeded the "
      + "effective max_ttl of \"\(GoDuration.format(Int64(allowed) * GoDuration.second))\"; "
      + "TTL value is capped accordingly"
  }

  static func tokenContext(_ storeID: [UInt8], _ accessor: String) -> SealingContext {
    SealingContext(
      storeID: storeID, kind: EntryKind(rawValue: "vault-token"), name: accessor,
      version: 1)
  }

  func insertToken(
    policies: [String], ttl: Int, displayName: String, renewable: Bool,
    meta: [String: String], root: Bool, numUses: Int = 0, explicitMaxTTL: Int = 0,
    parentAccessor: String? = nil, _ db: Database
  ) throws -> (String, VaultToken) {
    let token = "hvs." + (try Self.randomBase62(count: 24))
    let accessor = try Self.randomBase62(count: 24)
    let now = vaultNow()
    let isRootPolicy = policies.contains("root")
    let seconds =
      ttl > 0 ? min(ttl, Self.vaultMaxTokenTTL) : (isRootPolicy ? 0 : Self.vaultMaxTokenTTL)
    let expires = seconds > 0 ? now.addingTimeInterval(TimeInterval(seconds)) : nil
    let sealed =
      root
      ? try sealVault(SecretBytes(utf8: token), context: Self.tokenContext(storeID, accessor))
      : nil
    let policyList = policies.isEmpty ? ["default"] : policies
    try db.execute(
      cached: """
        INSERT INTO vault_tokens (token_hash, accessor, policies, display_name, meta, created_at,
          ttl_seconds, expires_at, renewable, is_root_token, sealed, num_uses, explicit_max_ttl,
          parent_accessor, creation_ttl)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        Data(try vaultLookupHash(token, purpose: "token")), accessor,
        String(decoding: try JSONEncoder().encode(policyList), as: UTF8.self), displayName,
        String(decoding: try JSONEncoder().encode(meta), as: UTF8.self),
        now.timeIntervalSince1970, seconds, expires?.timeIntervalSince1970,
        renewable && seconds > 0, root, sealed.map { Data($0) }, max(0, numUses),
        max(0, explicitMaxTTL), parentAccessor, seconds,
      ])
    return (
      token,
      VaultToken(
        accessor: accessor, policies: policyList, displayName: displayName, meta: meta,
        createdAt: now, ttl: seconds, expiresAt: expires, renewable: renewable && seconds > 0,
        numUses: max(0, numUses), explicitMaxTTL: max(0, explicitMaxTTL),
        parentAccessor: parentAccessor, creationTTL: seconds,
        path: root ? Self.rootTokenPath : Self.createdTokenPath)
    )
  }

  static func token(row: Row) throws -> VaultToken {
    let policies: String = row["policies"]
    let meta: String = row["meta"]
    return VaultToken(
      accessor: row["accessor"],
      policies: try JSONDecoder().decode([String].self, from: Data(policies.utf8)),
      displayName: row["display_name"],
      meta: try JSONDecoder().decode([String: String].self, from: Data(meta.utf8)),
      createdAt: Date(timeIntervalSince1970: row["created_at"]), ttl: row["ttl_seconds"],
      expiresAt: (row["expires_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
      renewable: row["renewable"], numUses: row["num_uses"],
      explicitMaxTTL: row["explicit_max_ttl"], parentAccessor: row["parent_accessor"],
      creationTTL: row["creation_ttl"],
      lastRenewal: (row["last_renewal"] as Double?).map(Date.init(timeIntervalSince1970:)),
      path: row["is_root_token"] ? rootTokenPath : createdTokenPath)
  }

  /// The creation paths Vault records: the root token's, and every other token's.
  static let rootTokenPath = "auth/token/root"
  static let createdTokenPath = "auth/token/create"

  private static let base62 = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

  /// Uniformly random letters and digits (rejection sampling: no modulo bias).
  package static func randomBase62(count: Int) throws -> String {
    var result = ""
    while result.count < count {
      for byte in try Crypto.randomBytes(count * 2) where byte < 248 {
        result.append(base62[Int(byte) % 62])
        if result.count == count { break }
      }
    }
    return result
  }
}
