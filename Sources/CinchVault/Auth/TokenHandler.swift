import CinchJSON
import CinchStore
import Foundation

/// `auth/token/`: `lookup-self`, `renew-self`, `revoke-self` for any token; `create` and the
/// management paths (`TokenHandler+Management.swift`) for root tokens only.
struct TokenHandler {
  let store: SQLiteStore
  let isRoot: Bool

  func handle(_ request: LogicalRequest) async throws -> LogicalResponse? {
    switch (request.path, request.operation) {
    case ("auth/token/lookup-self", .read), ("auth/token/lookup-self", .update):
      guard let token = request.token else {
        throw VaultError.invalid("the command line has no token: use 'cinch token root'")
      }
      return LogicalResponse(
        data: Self.lookup(token, id: request.clientToken ?? "", now: store.vaultClock()))
    case ("auth/token/create", .update), ("auth/token/create", .create):
      guard isRoot else { throw VaultError.permissionDenied }
      return try await create(request)
    case ("auth/token/create-orphan", .update), ("auth/token/create-orphan", .create):
      // Vault's `create-orphan`: `create` with `no_parent` (hvac's `create_orphan`).
      guard isRoot else { throw VaultError.permissionDenied }
      return try await create(request, orphan: true)
    case ("auth/token/renew-self", .update):
      guard let token = request.token else { throw VaultError.invalid("no token to renew") }
      return try await renewed(
        token, increment: try Self.increment(request.data), clientToken: request.clientToken ?? "")
    case ("auth/token/revoke-self", .update):
      guard let token = request.token else { throw VaultError.invalid("no token to revoke") }
      try await revokeTree(token.accessor)
      return nil
    case ("auth/token/lookup-self", _), ("auth/token/create", _), ("auth/token/renew-self", _),
      ("auth/token/revoke-self", _), ("auth/token/create-orphan", _):
      throw VaultError(status: 405, ["unsupported operation"])
    case (let path, _) where Self.managementPaths.contains(path):
      return try await manage(request)
    default:
      throw VaultError(
        status: 404, ["no handler for route \"\(request.path)\". route entry not found."])
    }
  }

  /// `auth/token/create`, as Vault's `handleCreateCommon`: `policies` (with `default` unless
  /// `no_default_policy`; `root` alone stays alone), `ttl`, `explicit_max_ttl` (caps the TTL
  /// and every renewal), `num_uses`, `meta`, `renewable`, `display_name`, and `no_parent`. A
  /// token made over HTTP is its caller's child unless `no_parent`; the command line's are
  /// orphans. `period` is refused: cinch makes no periodic tokens.
  func create(_ request: LogicalRequest, orphan alwaysOrphan: Bool = false) async throws
    -> LogicalResponse?
  {
    let data = request.data
    let noDefaultPolicy = try data.flag("no_default_policy") ?? false
    let orphan = try alwaysOrphan || (data.flag("no_parent") ?? false)
    let renewable = try data.flag("renewable") ?? true
    if let period = data.duration("period").value, period != 0 {
      throw VaultError.invalid("period is not supported: cinch does not make periodic tokens")
    }
    // What cinch cannot honour is refused rather than replaced: a batch token would come back
    // a service token, a chosen id a random one.
    switch data.string("type") ?? "" {
    case "", "service", "default": break
    case "batch":
      throw VaultError.invalid("batch tokens are not supported: cinch makes service tokens")
    case let other: throw VaultError.invalid("invalid 'token_type' value \"\(other)\"")
    }
    if let id = data.string("id"), !id.isEmpty {
      throw VaultError.invalid("a custom token id is not supported: cinch makes its own ids")
    }
    for key in ["role_name", "entity_alias"] where !(data.string(key) ?? "").isEmpty {
      throw VaultError.invalid("\(key) is not supported: cinch has no token roles or entities")
    }
    // vault/token_store.go: a negative duration is refused, not taken as "the maximum".
    func seconds(_ key: String) throws -> Int {
      switch data.duration(key) {
      case .absent: return 0
      case .invalid: throw VaultError.invalid("error parsing \(key)")
      case .value(let nanos):
        guard nanos >= 0 else { throw VaultError.invalid("\(key) must be positive") }
        return Int(nanos / GoDuration.second)
      }
    }
    // `lease` is the TTL's deprecated name, read when `ttl` is not given.
    var ttl: Int
    if case .absent = data.duration("ttl") {
      ttl = try seconds("lease")
    } else {
      ttl = try seconds("ttl")
    }
    var explicitMaxTTL = try seconds("explicit_max_ttl")
    let numUses: Int
    switch data.int("num_uses") {
    case .absent: numUses = 0
    case .invalid: throw VaultError.invalid("error parsing num_uses")
    case .value(let uses):
      guard uses >= 0 else { throw VaultError.invalid("number of uses cannot be negative") }
      numUses = uses
    }
    var meta: [String: String] = [:]
    switch data["meta"] {
    case .object(let object)?:
      for member in object { meta[member.key] = object.string(member.key) ?? "" }
    case nil, .null?: break
    default: throw VaultError.invalid("error parsing meta: expected a map of strings")
    }
    var policies: [String] = []
    switch data["policies"] {
    case .array(let items)?: policies = items.compactMap(\.stringValue)
    case .string(let text)?: policies = text.split(separator: ",").map(String.init)
    default: break
    }
    policies = Self.sanitize(
      policies, addDefault: !noDefaultPolicy)

    var warnings: [String] = []
    if let ignored = data.ignoredFieldsWarning(known: Self.createParameters) {
      warnings.append(ignored)
    }
    // A policy name is accepted, as Vault accepts one nobody has written, but said to grant
    // nothing of its own: cinch keeps no ACL policies, and a token made with `-policy=app-ro`
    // must not look restricted to what that name suggests.
    let unenforced = policies.filter { $0 != "default" && $0 != "root" }
    if !unenforced.isEmpty {
      warnings.append(
        "cinch keeps no ACL policies: \(unenforced.map { "\"\($0)\"" }.joined(separator: ", ")) "
          + (unenforced.count == 1 ? "grants nothing of its own" : "grant nothing of their own")
          + "; every token other than root may use the engines' data "
          + "paths (KV data, transit encrypt/decrypt, database creds) and configure nothing")
    }
    if explicitMaxTTL > 0 {
      let maximum = SQLiteStore.vaultMaxTokenTTL
      if explicitMaxTTL > maximum {
        warnings.append(
          "Explicit max TTL of \(explicitMaxTTL) seconds is greater than system/mount allowed "
            + "value; value is being capped to \(maximum) seconds")
        explicitMaxTTL = maximum
      }
      if ttl == 0 {
        ttl = explicitMaxTTL
      } else if ttl > explicitMaxTTL {
        warnings.append(
          "Requested TTL of \(ttl) seconds higher than explicit max TTL; value being capped to "
            + "\(explicitMaxTTL) seconds")
        ttl = explicitMaxTTL
      }
    }
    let (token, info, capped) = try await store.createVaultToken(
      policies: policies, ttl: ttl,
      displayName: Self.displayName(data.string("display_name")),
      renewable: renewable, meta: meta, numUses: numUses,
      explicitMaxTTL: explicitMaxTTL, parentAccessor: orphan ? nil : request.token?.accessor)
    var response = LogicalResponse(data: nil)
    response.auth = Self.auth(token: token, info)
    response.warnings = warnings + capped
    return response
  }

  /// The display name a token is kept with, as Vault's token store makes it
  /// (token_store.go, handleCreateCommon): `token-` and the name given, each character outside
  /// `[a-zA-Z0-9-]` (each code point, as Go's regexp replaces) turned into `-`, then one
  /// trailing `-` trimmed (`strings.TrimSuffix`); `token` when none or an empty one is given.
  /// Lookups and audit entries show this form, and a database credential's username starts
  /// with it.
  static func displayName(_ given: String?) -> String {
    guard let given, !given.isEmpty else { return "token" }
    var name = String.UnicodeScalarView()
    for scalar in ("token-" + given).unicodeScalars {
      let kept =
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
        || ("0"..."9").contains(scalar) || scalar == "-"
      name.append(kept ? scalar : "-")
    }
    if name.last == "-" { name.removeLast() }
    return String(name)
  }

  /// The parameters of `auth/token/create` (vault/token_store.go, `tokenCreateRequest`).
  static let createParameters: Set<String> = [
    "id", "role_name", "policies", "meta", "no_parent", "no_default_policy", "lease", "ttl",
    "type", "explicit_max_ttl", "display_name", "num_uses", "period", "renewable",
    "entity_alias",
  ]

  /// Vault's `policyutil.SanitizePolicies`: trimmed, lowercased, without empty names or
  /// duplicates, sorted; `root` makes every other policy moot; `default` is added unless told
  /// not to (or `root` is there). With no policy at all the token gets `default`: Vault would
  /// give it its parent's, and cinch never grants `root` by omission.
  static func sanitize(_ policies: [String], addDefault: Bool) -> [String] {
    var names = Set(
      policies.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter {
        !$0.isEmpty
      })
    if names.contains("root") { return ["root"] }
    if addDefault || names.isEmpty { names.insert("default") }
    return names.sorted()
  }

  /// The `increment` of a renewal in seconds (nil: the token's TTL), as Vault's
  /// `TypeDurationSecond` reads it: whole seconds, and never negative.
  static func increment(_ data: JSONObject) throws -> Int? {
    let raw = data.string("increment") ?? data["increment"]?.compact() ?? ""
    let prefix = "error converting input \(raw) for field \"increment\": "
    switch data.duration("increment") {
    case .absent: return nil
    case .value(let nanos):
      let seconds = Int(nanos / GoDuration.second)
      guard seconds >= 0 else {
        throw VaultError.invalid(prefix + "cannot provide negative value '\(seconds)'")
      }
      return seconds
    case .invalid:
      throw VaultError.invalid(prefix + "time: invalid duration \"\(raw)\"")
    }
  }

  /// Vault's token lookup (`handleLookup`). `id` is the token as the request carried it (named
  /// in the body, or the caller's own); a lookup by accessor has none, as Vault's
  /// `lookup-accessor` has none. `last_renewal` and `last_renewal_time` appear once the token
  /// has been renewed.
  static func lookup(_ token: VaultToken, id: String = "", now: Date) -> JSONValue {
    let remaining =
      token.expiresAt.map { max(0, Int($0.timeIntervalSince(now).rounded())) } ?? 0
    var object = JSONObject([
      ("accessor", .string(token.accessor)),
      ("creation_time", .integer(Int64(token.createdAt.timeIntervalSince1970))),
      ("creation_ttl", .integer(Int64(token.creationTTL))),
      ("display_name", .string(token.displayName)),
      ("entity_id", .string("")),
      ("expire_time", token.expiresAt.map { .string(VaultTime.format($0)) } ?? .null),
      ("explicit_max_ttl", .integer(Int64(token.explicitMaxTTL))),
      ("id", .string(id)),
      ("issue_time", .string(VaultTime.format(token.createdAt))),
      ("meta", meta(token)),
      ("num_uses", .integer(Int64(token.numUses))),
      ("orphan", .bool(token.parentAccessor == nil)),
      ("path", .string(token.path)),
      ("policies", .array(token.policies.map(JSONValue.string))),
      ("renewable", .bool(token.renewable && !token.isExpired(at: now))),
      ("ttl", .integer(Int64(remaining))),
      ("type", .string("service")),
    ])
    if let renewed = token.lastRenewal {
      object["last_renewal"] = .string(VaultTime.format(renewed))
      object["last_renewal_time"] = .integer(Int64(renewed.timeIntervalSince1970))
    }
    return .object(object)
  }

  static func auth(token: String?, _ info: VaultToken) -> JSONValue {
    var object = JSONObject([
      ("accessor", .string(info.accessor)),
      ("entity_id", .string("")),
      ("lease_duration", .integer(Int64(info.ttl))),
      ("metadata", meta(info)),
      ("num_uses", .integer(Int64(info.numUses))),
      ("orphan", .bool(info.parentAccessor == nil)),
      ("policies", .array(info.policies.map(JSONValue.string))),
      ("renewable", .bool(info.renewable)),
      ("token_policies", .array(info.policies.map(JSONValue.string))),
      ("token_type", .string("service")),
    ])
    if let token { object["client_token"] = .string(token) }
    return .object(object)
  }

  /// A token's `meta`, as Vault returns it: an object, or null when empty.
  static func meta(_ token: VaultToken) -> JSONValue {
    token.meta.isEmpty
      ? .null
      : .object(
        JSONObject(token.meta.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
  }
}
