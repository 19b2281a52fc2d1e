import CinchJSON
import CinchStore
import Foundation

/// The `sys/` paths cinch serves: health, seal status, mounts (and the CLI's mount preflight),
/// audit devices and `audit-hash`. Everything but health, seal status, the preflight and
/// leases needs a root token (Vault's `sudo`; its `default` policy grants no `sys/audit-hash`,
/// which would let a token confirm a guessed value against the log's hashes).
struct SystemHandler {
  let api: VaultAPI
  let isRoot: Bool

  var store: SQLiteStore { api.store }

  func handle(_ request: LogicalRequest) async throws -> LogicalResponse? {
    let path = request.path
    if path == "sys/mounts" || path == "sys/mounts/" {
      try requireRoot()
      return try await listMounts()
    }
    if path.hasPrefix("sys/mounts/") {
      try requireRoot()
      return try await mount(String(path.dropFirst("sys/mounts/".count)), request)
    }
    for prefix in ["sys/mounts-all/", "sys/internal/ui/mounts/"] where path.hasPrefix(prefix) {
      return try await preflight(String(path.dropFirst(prefix.count)), request)
    }
    if path == "sys/audit" || path == "sys/audit/" {
      try requireRoot()
      return try await listAudit()
    }
    if path.hasPrefix("sys/audit/") {
      try requireRoot()
      return try await audit(String(path.dropFirst("sys/audit/".count)), request)
    }
    if path.hasPrefix("sys/leases/") {
      return try await leases(String(path.dropFirst("sys/leases/".count)), request)
    }
    if path.hasPrefix("sys/audit-hash/") {
      try requireRoot()
      return try await auditHash(String(path.dropFirst("sys/audit-hash/".count)), request)
    }
    throw VaultError(status: 404, ["no handler for route \"\(path)\". route entry not found."])
  }

  func requireRoot() throws {
    guard isRoot else { throw VaultError.permissionDenied }
  }

  // MARK: Health

  static func health(query: [String: String]) -> LogicalResponse {
    var response = LogicalResponse(
      data: .object([
        ("initialized", .bool(true)),
        ("sealed", .bool(false)),
        ("standby", .bool(false)),
        ("performance_standby", .bool(false)),
        ("replication_performance_mode", .string("disabled")),
        ("replication_dr_mode", .string("disabled")),
        ("server_time_utc", .integer(Int64(Date().timeIntervalSince1970))),
        ("version", .string(version)),
        ("cluster_name", .string("cinch")),
        ("cluster_id", .string("")),
        ("enterprise", .bool(false)),
      ]))
    response.unwrapped = true
    if let code = query["activecode"].flatMap(Int.init) { response.status = code }
    return response
  }

  /// `sys/seal-status` (no token needed): the store is unsealed by its master key when opened,
  /// so it answers as an initialized, unsealed single-key Shamir seal.
  static func sealStatus() -> LogicalResponse {
    var response = LogicalResponse(
      data: .object([
        ("type", .string("shamir")),
        ("initialized", .bool(true)),
        ("sealed", .bool(false)),
        ("t", .integer(1)),
        ("n", .integer(1)),
        ("progress", .integer(0)),
        ("nonce", .string("")),
        ("version", .string(version)),
        ("build_date", .string("")),
        ("migration", .bool(false)),
        ("cluster_name", .string("cinch")),
        ("cluster_id", .string("")),
        ("recovery_seal", .bool(false)),
        ("storage_type", .string("sqlite")),
      ]))
    response.unwrapped = true
    return response
  }

  /// `GET sys/init` (no token needed; hvac's `sys.is_initialized()`): a store is initialized
  /// once it exists, so it always is. Initializing (`PUT sys/init`) is not served.
  static func initStatus() -> LogicalResponse {
    var response = LogicalResponse(data: .object([("initialized", .bool(true))]))
    response.unwrapped = true
    return response
  }

  static let version = "1.21.0+cinch"

  // MARK: Mounts

  static func mountObject(_ mount: VaultMount) -> JSONValue {
    .object([
      ("accessor", .string(mount.accessor)),
      (
        "config",
        .object([
          ("default_lease_ttl", .integer(0)), ("force_no_cache", .bool(false)),
          ("max_lease_ttl", .integer(0)),
        ])
      ),
      ("description", .string(mount.description)),
      ("external_entropy_access", .bool(false)),
      ("local", .bool(false)),
      (
        "options",
        mount.type == .kv
          ? .object(
            JSONObject(mount.options.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
          )
          : .null
      ),
      ("plugin_version", .string("")),
      ("running_plugin_version", .string("")),
      ("seal_wrap", .bool(false)),
      ("type", .string(mount.type.rawValue)),
      ("uuid", .string(mount.uuid)),
    ])
  }

  /// `GET sys/mounts-all/:path` (`sys/internal/ui/mounts/:path` before Vault 1.13): the mount
  /// that serves a path, which the `vault kv` commands read first to learn the KV version. As
  /// Vault, a path under no mount is 403 (the endpoint must not list mounts by brute force).
  func preflight(_ path: String, _ request: LogicalRequest) async throws -> LogicalResponse? {
    guard request.operation == .read else {
      throw VaultError(status: 405, ["unsupported operation"])
    }
    guard !path.isEmpty else { throw VaultError.invalid("path not set") }
    let sanitized = path.hasSuffix("/") ? path : path + "/"
    guard let (mount, _) = try await store.vaultMount(for: sanitized) else {
      throw VaultError(
        status: 403,
        [
          "preflight capability check returned 403, please ensure client's policies grant "
            + "access to path \"\(sanitized)\""
        ])
    }
    guard case .object(var object) = Self.mountObject(mount) else { return nil }
    object["path"] = .string(mount.path)
    var response = LogicalResponse(data: .object(object))
    response.injectTopLevel = true
    return response
  }

  func listMounts() async throws -> LogicalResponse? {
    var table = JSONObject()
    for mount in try await store.vaultMounts() { table[mount.path] = Self.mountObject(mount) }
    var response = LogicalResponse(data: .object(table))
    response.injectTopLevel = true
    return response
  }

  func mount(_ rawPath: String, _ request: LogicalRequest) async throws -> LogicalResponse? {
    // `sys/mounts/:path/tune` before `sys/mounts/:path`, as Vault's router matches it.
    // (`secret//tune`, as a local caller may write it, is `secret/`'s; over HTTP it is
    // redirected to `secret/tune` first, as Vault's mux does.)
    for suffix in ["/tune", "/tune/"] where rawPath.hasSuffix(suffix) {
      return try await tune(SQLiteStore.mountPath(String(rawPath.dropLast(suffix.count))), request)
    }
    let path = rawPath.hasSuffix("/") ? rawPath : rawPath + "/"
    switch request.operation {
    case .read:
      guard let mount = try await store.vaultMounts().first(where: { $0.path == path }) else {
        throw VaultError.invalid("No secret engine mount at \(path)")
      }
      var response = LogicalResponse(data: Self.mountObject(mount))
      response.injectTopLevel = true
      return response
    case .update, .create:
      guard var type = request.data.string("type"), !type.isEmpty else {
        throw VaultError.invalid("backend type must be specified as a string")
      }
      var options: [String: String] = [:]
      if case .object(let given)? = request.data["options"] {
        for member in given { options[member.key] = given.string(member.key) }
      }
      if type == "kv-v2" {
        type = "kv"
        options["version"] = "2"
      }
      guard let engine = VaultMount.EngineType(rawValue: type) else {
        throw VaultError.invalid("plugin not found in the catalog: \(type)")
      }
      if engine == .kv, options["version"] == nil { options["version"] = "1" }
      try await store.enableVaultMount(
        path: path, type: engine, description: request.data.string("description") ?? "",
        options: options)
      return nil
    case .delete:
      try await revokeLeases(ofMount: path)
      try await store.disableVaultMount(path: path)
      return nil
    default:
      throw VaultError(status: 405, ["unsupported operation"])
    }
  }

  /// Revokes what a mount issued before it goes, as Vault's unmount does (`RevokePrefix` on the
  /// mount's path; "all secrets it generated are immediately revoked"): a database role left
  /// behind would log in until its `VALID UNTIL` with no lease left to end it. One that cannot
  /// be revoked stops the unmount, which removes nothing; `lease revoke -force -prefix`
  /// forgets leases whose database is gone for good.
  /// https://developer.hashicorp.com/vault/docs/commands/secrets/disable
  private func revokeLeases(ofMount rawPath: String) async throws {
    let mount = SQLiteStore.mountPath(rawPath)
    let leases = try await store.leases(prefix: mount)
    guard !leases.isEmpty else { return }
    let sweep = await LeaseRevoker(store: store).revoke(leases)
    guard let first = sweep.failures.first else { return }
    throw VaultError.invalid(
      "cannot disable '\(mount)': \(sweep.failed) of its \(leases.count) lease(s) could not be "
        + "revoked (\(first.leaseID): \(first.reason)); nothing was removed. Revoke them, or "
        + "forget them with 'lease revoke -force -prefix \(mount)', then disable it again")
  }

  /// Vault's default and maximum lease TTL (768h, the system's), which every mount of cinch's
  /// keeps.
  static let systemLeaseTTL = SQLiteStore.vaultMaxTokenTTL

  /// The settings of `sys/mounts/:path/tune` that cinch's mounts cannot take: Vault's tune
  /// fields besides `description`, the TTLs and `options`.
  static let untunable: Set<String> = [
    "audit_non_hmac_request_keys", "audit_non_hmac_response_keys", "listing_visibility",
    "passthrough_request_headers", "allowed_response_headers", "token_type",
    "allowed_managed_keys", "plugin_version", "force_no_cache", "user_lockout_config",
    "delegated_auth_accessors", "identity_token_key",
  ]

  /// `GET|POST sys/mounts/:path/tune` (`vault secrets tune`): the mount's settings as Vault
  /// reports them (the TTLs are the system's, 768h), and a new `description`. What cinch's
  /// mounts cannot keep (other TTLs, another KV version, audit or header settings) is refused
  /// with 400 rather than accepted and ignored; a field tune does not know is named in Vault's
  /// warning.
  func tune(_ path: String, _ request: LogicalRequest) async throws -> LogicalResponse? {
    guard let mount = try await store.vaultMounts().first(where: { $0.path == path }) else {
      throw VaultError.invalid("No secret engine mount at \(path)")
    }
    switch request.operation {
    case .read:
      var settings = JSONObject([
        ("default_lease_ttl", .integer(Int64(Self.systemLeaseTTL))),
        ("description", .string(mount.description)),
        ("force_no_cache", .bool(false)),
        ("max_lease_ttl", .integer(Int64(Self.systemLeaseTTL))),
      ])
      if mount.type == .kv {
        settings["options"] = .object(
          JSONObject(mount.options.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
      }
      var response = LogicalResponse(data: .object(settings))
      response.injectTopLevel = true
      return response
    case .update, .create:
      let data = request.data
      for key in ["default_lease_ttl", "max_lease_ttl"] where data[key] != nil {
        if data.string(key) == "system" { continue }
        guard case .value(let nanos) = data.duration(key) else {
          throw VaultError.invalid("unable to parse \(key)")
        }
        guard nanos == 0 || nanos == Int64(Self.systemLeaseTTL) * GoDuration.second else {
          throw VaultError.invalid(
            "\(key) cannot be tuned: cinch's mounts keep Vault's default of 768h")
        }
      }
      if case .object(let options)? = data["options"] {
        if let other = options.members.first(where: { mount.type != .kv || $0.key != "version" }) {
          throw VaultError.invalid("option '\(other.key)' cannot be tuned on cinch's mounts")
        }
        if let version = options.string("version"), version != "2" {
          throw VaultError.invalid("cinch serves KV version 2 only, not version \(version)")
        }
      }
      if let refused = data.members.map(\.key).sorted().first(where: Self.untunable.contains) {
        throw VaultError.invalid("\(refused) cannot be tuned on cinch's mounts")
      }
      if let description = data.string("description") {
        try await store.tuneVaultMount(path: path, description: description)
      }
      guard
        let ignored = data.ignoredFieldsWarning(
          known: ["description", "default_lease_ttl", "max_lease_ttl", "options"])
      else { return nil }
      var response = LogicalResponse(data: nil)
      response.warnings = [ignored]
      return response
    default:
      throw VaultError(status: 405, ["unsupported operation"])
    }
  }

  // MARK: Leases

  /// The body fields of Vault's lease paths (vault/logical_system_paths.go), by route; a path's
  /// own captures (`url_lease_id`, `prefix`) come from the path and are not read from the body.
  static let leaseFields: [String: [String: FieldType]] = [
    "renew": ["lease_id": .string, "increment": .unsignedDurationSecond],
    "revoke": ["lease_id": .string, "sync": .bool],
    "lookup": ["lease_id": .string],
    "revoke-prefix": ["sync": .bool],
  ]

  func leases(_ rest: String, _ request: LogicalRequest) async throws -> LogicalResponse? {
    let revoker = LeaseRevoker(store: store)
    // Vault's `leases/renew(/(?P<url_lease_id>.+))?` (and `revoke`): the id in the body, or
    // else in the path.
    var endpoint = rest
    var pathID: String?
    for name in ["renew", "revoke"] where rest.hasPrefix(name + "/") && rest.count > name.count + 1
    {
      endpoint = name
      pathID = String(rest.dropFirst(name.count + 1))
    }
    // As Vault's framework validates a path's fields before its handler runs: `increment=abc`
    // renewed for the default TTL and `sync=maybe` revoked.
    if request.operation == .update || request.operation == .create {
      let route = ["revoke-prefix", "revoke-force"].first { rest.hasPrefix($0 + "/") } ?? endpoint
      try request.data.validate(Self.leaseFields[route] ?? [:])
    }
    let leaseID = request.data.string("lease_id").flatMap { $0.isEmpty ? nil : $0 } ?? pathID
    switch (endpoint, request.operation) {
    case ("renew", .update), ("renew", .create):
      guard let id = leaseID else { throw VaultError.invalid("lease id is required") }
      let increment = try request.data.durationSeconds("increment")
      guard let current = try await store.lease(id) else {
        throw VaultError.invalid("lease not found")
      }
      // Without an increment a lease is renewed for its role's default TTL, not for its last
      // term: Vault's database backend (secretCredsRenew) answers with the role's DefaultTTL,
      // which the expiration manager's CalculateTTL takes when the increment is 0; with the
      // role gone the renewal fails, as there.
      guard
        let role = try await store.databaseRole(
          mount: String(current.mount.dropLast()), name: current.role)
      else {
        throw VaultError.invalid(
          "error during renew: could not find role with name \"\(current.role)\"")
      }
      let seconds =
        increment.flatMap { $0 > 0 ? $0 : nil }
        ?? (role.defaultTTL > 0 ? role.defaultTTL : DatabaseEngine.defaultTTL)
      let (lease, warnings) = try await store.renewLease(id, seconds: seconds)
      // Vault's database engine renews the credential too; without it the login would end at
      // the old expiry while the lease said otherwise.
      if !lease.username.isEmpty { try await revoker.extendRole(lease) }
      var response = LogicalResponse(data: nil)
      response.warnings = warnings
      response.leaseID = lease.leaseID
      response.renewable = lease.renewable
      // The time granted by this renewal (capped by the lease's maximum), as Vault reports it;
      // not what is left after the role was extended, which a slow database would shorten.
      // Whole seconds truncated, as Vault's `int(ttl.Seconds())` gives them and as the cap in
      // the warning beside it reads ("1h59m59s" is 7199, not 7200).
      // (A millisecond's allowance keeps an uncapped 1800 from reading 1799.9999998 → 1799.)
      let granted = lease.expiresAt.timeIntervalSince(lease.lastRenewal ?? lease.issuedAt)
      response.leaseDuration = max(0, Int((granted + 0.001).rounded(.down)))
      return response
    case ("revoke", .update), ("revoke", .create):
      guard let id = leaseID else { throw VaultError.invalid("lease id is required") }
      if let lease = try await store.lease(id) {
        // Vault's `default` policy has no `sys/leases/revoke`: a token other than root revokes
        // only the leases issued to it (lease ids are in every audit entry of their read).
        guard
          isRoot || (lease.tokenAccessor != nil && lease.tokenAccessor == request.token?.accessor)
        else { throw VaultError.permissionDenied }
        try await revoker.revoke(lease)
      }
      return nil
    case ("lookup", .update), ("lookup", .create):
      guard let id = request.data.string("lease_id"), !id.isEmpty else {
        throw VaultError.invalid("lease_id must be specified")
      }
      guard let lease = try await store.lease(id) else { throw VaultError.invalid("invalid lease") }
      // Vault's `leaseEntry.ttl()`: the expiry less now rounded to the second, truncated.
      let now = Date(
        timeIntervalSince1970: store.vaultClock().timeIntervalSince1970.rounded())
      let ttl = max(0, Int(lease.expiresAt.timeIntervalSince(now)))
      return LogicalResponse(
        data: .object([
          ("expire_time", .string(VaultTime.format(lease.expiresAt))),
          ("id", .string(lease.leaseID)),
          ("issue_time", .string(VaultTime.format(lease.issuedAt))),
          ("last_renewal", lease.lastRenewal.map { .string(VaultTime.format($0)) } ?? .null),
          ("renewable", .bool(lease.renewable)),
          ("ttl", .integer(Int64(ttl))),
        ]))
    case ("tidy", .update), ("tidy", .create):
      try requireRoot()
      _ = try await revoker.revokeExpired()
      // Vault answers 202 with this warning (vault/logical_system.go, handleTidyLeases); its
      // tidy runs in the background, cinch's has finished.
      var response = LogicalResponse(data: nil)
      response.warnings = [
        "Tidy operation successfully started. Any information from the operation will be "
          + "printed to Vault's server logs."
      ]
      response.status = 202
      return response
    default:
      break
    }
    if rest.hasPrefix("revoke-prefix/") || rest.hasPrefix("revoke-force/"),
      request.operation == .update || request.operation == .create
    {
      try requireRoot()
      let force = rest.hasPrefix("revoke-force/")
      var prefix = String(rest.drop { $0 != "/" }.dropFirst())
      // Vault's route needs a prefix (`leases/revoke-prefix/(?P<prefix>.+)`).
      guard !prefix.isEmpty else {
        throw VaultError(
          status: 404, ["no handler for route \"\(request.path)\". route entry not found."])
      }
      // As Vault's `revokePrefixCommon`: a prefix without a trailing slash that is a lease's
      // whole id revokes that lease; otherwise it is a folder, so `database/creds/read` does
      // not reach the leases of `database/creds/readonly`.
      if !prefix.hasSuffix("/") {
        if let lease = try await store.lease(prefix) {
          try await revoke(lease, force: force, revoker)
          return nil
        }
        prefix += "/"
      }
      // Tokens have their leases under the path that created them (`vault token revoke
      // -mode=path auth/token/create`): they end with their children and those tokens' leases.
      _ = await revoker.revoke(try await store.revokeVaultTokens(pathPrefix: prefix))
      for lease in try await store.leases(prefix: prefix) {
        try await revoke(lease, force: force, revoker)
      }
      return nil
    }
    if rest.hasPrefix("lookup/"), request.operation == .list {
      try requireRoot()
      let prefix = String(rest.dropFirst("lookup/".count))
      var keys = Set<String>()
      for lease in try await store.leases(prefix: prefix) {
        let remainder = lease.leaseID.dropFirst(prefix.count)
        if let slash = remainder.firstIndex(of: "/") {
          keys.insert(String(remainder[...slash]))
        } else {
          keys.insert(String(remainder))
        }
      }
      guard !keys.isEmpty else { return nil }
      return LogicalResponse(data: .object([("keys", .array(keys.sorted().map(JSONValue.string)))]))
    }
    throw VaultError(
      status: 404, ["no handler for route \"\(request.path)\". route entry not found."])
  }

  // MARK: Audit

  /// Ends one lease: its role dropped and the lease forgotten, or with `force` (`revoke-force`)
  /// forgotten even when the role cannot be dropped.
  private func revoke(_ lease: VaultLease, force: Bool, _ revoker: LeaseRevoker) async throws {
    if force {
      try? await revoker.dropRole(lease)
      try await store.deleteLease(lease.leaseID)
    } else {
      try await revoker.revoke(lease)
    }
  }

  func listAudit() async throws -> LogicalResponse? {
    var table = JSONObject()
    for device in try await store.vaultAuditDevices() {
      table[device.path] = .object([
        ("description", .string(device.description)),
        ("local", .bool(false)),
        (
          "options",
          .object(
            JSONObject(
              device.options.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        ),
        ("path", .string(device.path)),
        ("type", .string(device.type)),
      ])
    }
    var response = LogicalResponse(data: .object(table))
    response.injectTopLevel = true
    return response
  }

  func audit(_ path: String, _ request: LogicalRequest) async throws -> LogicalResponse? {
    switch request.operation {
    case .update, .create:
      var options: [String: String] = [:]
      if case .object(let given)? = request.data["options"] {
        for member in given { options[member.key] = given.string(member.key) }
      }
      try await store.enableVaultAuditDevice(
        path: path, type: request.data.string("type") ?? "",
        description: request.data.string("description") ?? "", options: options,
        testEntry: VaultAuditor.writeTestEntry)
      return nil
    case .delete:
      try await store.disableVaultAuditDevice(path: path)
      return nil
    default:
      throw VaultError(status: 405, ["unsupported operation"])
    }
  }

  func auditHash(_ rawPath: String, _ request: LogicalRequest) async throws -> LogicalResponse? {
    let path = rawPath.hasSuffix("/") ? rawPath : rawPath + "/"
    guard let input = request.data.string("input"), !input.isEmpty else {
      throw VaultError.invalid("the \"input\" parameter is empty")
    }
    guard let device = try await store.vaultAuditDevices().first(where: { $0.path == path }) else {
      throw VaultError.invalid("unknown audit backend \"\(path)\"")
    }
    var response = LogicalResponse(
      data: .object([
        ("hash", .string(VaultAuditor.hash(input, salt: device.salt)))
      ]))
    response.injectTopLevel = true
    return response
  }
}
