import CinchJSON
import CinchStore
import Foundation

/// The token store's management paths, as Vault's `token_store.go` serves them: look up, renew
/// and revoke a token named in the body (`token`) or by its `accessor`, revoke a token leaving
/// its children as orphans, and list every accessor.
///
/// Vault's `default` policy grants a token only the `-self` paths; these need a policy cinch
/// has no language for (and `accessors` and `revoke-orphan` need `sudo`), so only a root token
/// may call them, and any other is refused with 403 `permission denied` before its body is read,
/// as Vault's ACL check refuses it.
extension TokenHandler {
  static let managementPaths: Set<String> = [
    "auth/token/lookup", "auth/token/lookup-accessor", "auth/token/revoke",
    "auth/token/revoke-accessor", "auth/token/revoke-orphan", "auth/token/renew",
    "auth/token/renew-accessor", "auth/token/accessors/",
  ]

  func manage(_ request: LogicalRequest) async throws -> LogicalResponse? {
    guard isRoot else { throw VaultError.permissionDenied }
    let write = request.operation == .update || request.operation == .create
    switch request.path.dropFirst("auth/token/".count) {
    case "lookup" where write || request.operation == .read: return try await lookup(request)
    case "lookup-accessor" where write: return try await lookupAccessor(request)
    case "revoke" where write: return try await revoke(request)
    case "revoke-accessor" where write: return try await revokeAccessor(request)
    case "revoke-orphan" where write: return try await revokeOrphan(request)
    case "renew" where write: return try await renew(request)
    case "renew-accessor" where write: return try await renewAccessor(request)
    case "accessors/" where request.operation == .list: return try await accessors()
    default: throw VaultError(status: 405, ["unsupported operation"])
    }
  }

  /// Vault's "bad token": the lookup found no live token (403, as `ErrPermissionDenied`).
  static let badToken = VaultError(status: 403, ["bad token"])

  /// `token` from the body (or, for a read, the query); "missing token ID" when empty.
  func namedToken(_ request: LogicalRequest) throws -> String {
    guard let token = request.data.string("token"), !token.isEmpty else {
      throw VaultError.invalid("missing token ID")
    }
    return token
  }

  /// `accessor` from the body; "missing accessor" when empty.
  func namedAccessor(_ request: LogicalRequest) throws -> String {
    guard let accessor = request.data.string("accessor"), !accessor.isEmpty else {
      throw VaultError.invalid("missing accessor")
    }
    return accessor
  }

  /// `auth/token/lookup` (POST with `token`, or GET with `?token=`). Without a token it looks
  /// up the caller's own, as Vault does; the command line has none.
  func lookup(_ request: LogicalRequest) async throws -> LogicalResponse? {
    let now = store.vaultClock()
    let given = request.data.string("token") ?? ""
    let info: VaultToken?
    if given.isEmpty {
      guard let own = request.token else { throw VaultError.invalid("missing token ID") }
      info = own
    } else {
      info = try await store.vaultToken(id: given)
    }
    guard let info, !info.isExpired(at: now) else { throw Self.badToken }
    let id = given.isEmpty ? request.clientToken ?? "" : given
    return LogicalResponse(data: Self.lookup(info, id: id, now: now))
  }

  /// `auth/token/lookup-accessor`: the same data with an empty `id`.
  func lookupAccessor(_ request: LogicalRequest) async throws -> LogicalResponse? {
    let now = store.vaultClock()
    guard let info = try await store.vaultToken(accessor: try namedAccessor(request)) else {
      throw VaultError.invalid("invalid accessor")
    }
    guard !info.isExpired(at: now) else { throw Self.badToken }
    return LogicalResponse(data: Self.lookup(info, now: now))
  }

  /// `auth/token/revoke`: the token, its children and the leases they created; 204 whether or
  /// not the token existed (Vault answers the same for an unknown token).
  func revoke(_ request: LogicalRequest) async throws -> LogicalResponse? {
    if let info = try await store.vaultToken(id: try namedToken(request)) {
      try await revokeTree(info.accessor)
    }
    return nil
  }

  /// `auth/token/revoke-accessor`: as `revoke`. An unknown accessor answers 200 with Vault's
  /// warning; one whose token has expired is ended (as the sweep would) and answers "token not
  /// found", as Vault's lookup of an expired token does.
  func revokeAccessor(_ request: LogicalRequest) async throws -> LogicalResponse? {
    guard let info = try await store.vaultToken(accessor: try namedAccessor(request)) else {
      var response = LogicalResponse(data: nil)
      response.warnings = ["No token found with this accessor"]
      return response
    }
    try await revokeTree(info.accessor)
    if info.isExpired(at: store.vaultClock()) { throw VaultError.invalid("token not found") }
    return nil
  }

  /// `auth/token/revoke-orphan`: the token and its leases; its children stay, as orphans, with
  /// theirs.
  func revokeOrphan(_ request: LogicalRequest) async throws -> LogicalResponse? {
    guard let info = try await store.vaultToken(id: try namedToken(request)),
      !info.isExpired(at: store.vaultClock())
    else { throw VaultError.invalid("token to revoke not found") }
    let leases = try await store.revokeVaultTokenOrphaningChildren(accessor: info.accessor)
    _ = await LeaseRevoker(store: store).revoke(leases)
    return nil
  }

  /// Revokes a token with its children and the leases they created, as Vault does (for
  /// `revoke-self` too); a lease whose credential cannot be dropped now (the database is down)
  /// is left due, and the sweep retries it.
  func revokeTree(_ accessor: String) async throws {
    let leases = try await store.revokeVaultToken(accessor: accessor)
    _ = await LeaseRevoker(store: store).revoke(leases)
  }

  /// `auth/token/renew`: as `renew-self`, for the named token; `auth.client_token` is that
  /// token, as in Vault.
  func renew(_ request: LogicalRequest) async throws -> LogicalResponse? {
    let token = try namedToken(request)
    let increment = try Self.increment(request.data)
    guard let info = try await store.vaultToken(id: token),
      !info.isExpired(at: store.vaultClock())
    else { throw VaultError.invalid("token not found") }
    return try await renewed(info, increment: increment, clientToken: token)
  }

  /// `auth/token/renew-accessor`: as `renew`, with an empty `auth.client_token`.
  func renewAccessor(_ request: LogicalRequest) async throws -> LogicalResponse? {
    let accessor = try namedAccessor(request)
    let increment = try Self.increment(request.data)
    guard let info = try await store.vaultToken(accessor: accessor) else {
      throw VaultError.invalid("invalid accessor")
    }
    guard !info.isExpired(at: store.vaultClock()) else {
      throw VaultError.invalid("token not found")
    }
    return try await renewed(info, increment: increment, clientToken: "")
  }

  func renewed(_ info: VaultToken, increment: Int?, clientToken: String) async throws
    -> LogicalResponse
  {
    let (renewed, warnings) = try await store.renewVaultToken(
      accessor: info.accessor, increment: increment)
    var response = LogicalResponse(data: nil)
    response.auth = Self.auth(token: clientToken, renewed)
    response.warnings = warnings
    return response
  }

  /// `LIST auth/token/accessors`: every token's accessor, sorted (Vault lists its accessor
  /// index, in storage order); 404 `{"errors":[]}` when there is none.
  func accessors() async throws -> LogicalResponse? {
    let keys = try await store.vaultTokens().map(\.accessor).sorted()
    guard !keys.isEmpty else { return nil }
    return LogicalResponse(data: .object([("keys", .array(keys.map(JSONValue.string)))]))
  }
}
