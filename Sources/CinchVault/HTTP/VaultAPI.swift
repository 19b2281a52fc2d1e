import CinchJSON
public import CinchStore
import Foundation

/// Vault's HTTP API under `/v1/` over the embedded store, as a transport-independent handler:
/// `(method, target, headers, body) -> (status, headers, body)`. `cinch serve` mounts it; the
/// `cinch kv` and `cinch transit` commands call it in process with the store's root authority.
///
/// What it answers, and how it differs from Vault, is in Docs/Vault.md.
public final class VaultAPI: Sendable {
  let store: SQLiteStore
  let auditor: VaultAuditor

  /// `serving`: the API answers a server's clients (`cinch serve`), whose standard output is
  /// the server's; false for the command line, whose standard output is its user's answer, so
  /// an audit device on `stdout` writes to standard error there instead.
  public init(store: SQLiteStore, serving: Bool = true) {
    self.store = store
    self.auditor = VaultAuditor(
      store: store, console: serving ? .standardOutput : .standardError)
  }

  /// Who is asking: a request over HTTP carries a token; the command line holds the store (and
  /// its master key) and acts as root.
  enum Caller: Sendable {
    case http
    case local
  }

  /// Answers one HTTP request.
  public func handle(_ request: VaultHTTPRequest) async -> VaultHTTPResponse {
    await respond(request, caller: .http)
  }

  /// Revokes every lease whose time is up (dropping its database role); `cinch serve` calls
  /// this periodically and `cinch lease tidy` once. Says how many were revoked and which could
  /// not be, and why (those are tried again next time); throws when the store cannot list them.
  public func revokeExpiredLeases() async throws -> LeaseSweep {
    try await LeaseRevoker(store: store).revokeExpired()
  }

  /// Answers one HTTP request whose path is already percent-decoded and whose query is
  /// already split (as an HTTP server hands them over).
  public func handle(
    method: String, path: String, query: [(name: String, value: String)],
    headers: [String: String], body: [UInt8], remoteAddress: String? = nil
  ) async -> VaultHTTPResponse {
    var parameters: [String: String] = [:]
    for (name, value) in query where parameters[name] == nil { parameters[name] = value }
    return await respond(
      VaultHTTPRequest(
        method: method, target: path, headers: headers, body: body,
        remoteAddress: remoteAddress),
      rawPath: path, query: parameters, caller: .http)
  }

  /// Answers a request made by the command line (root authority, no token).
  package func handleLocal(_ request: VaultHTTPRequest) async -> VaultHTTPResponse {
    await respond(request, caller: .local)
  }

  func respond(_ request: VaultHTTPRequest, caller: Caller) async -> VaultHTTPResponse {
    let (rawPath, query) = Self.split(request.target)
    let decoded = rawPath.removingPercentEncoding ?? rawPath
    return await respond(request, rawPath: decoded, query: query, caller: caller)
  }

  func respond(
    _ request: VaultHTTPRequest, rawPath: String, query: [String: String], caller: Caller
  ) async -> VaultHTTPResponse {
    // A NUL (`%00`) in a path is refused before anything else. Vault keeps it as part of the
    // name; cinch's store refuses a name holding one (`StoreArguments`: SQLite would cut it
    // short there, and `victim%00x` was written as `victim`), and says so here, for every
    // path, before the name reaches a handler (Docs/Vault.md).
    if rawPath.utf8.contains(0) {
      return Self.errorResponse(
        .invalid("invalid request path: a NUL character (%00) is not allowed"))
    }
    // Vault's Go mux answers a path with `//`, `.` or `..` segments with a 301 to the cleaned
    // path, before it routes anything; read as it is, `secret/data//a` was a key named `/a`,
    // and `secret/data/zz/../k` reads `k`.
    if caller == .http, rawPath.hasPrefix("/"), case let cleaned = Self.cleanPath(rawPath),
      cleaned != rawPath
    {
      return Self.movedPermanently(to: cleaned, query: query)
    }
    guard rawPath.hasPrefix("/v1/") else { return Self.errorResponse(.notFound) }
    var path = String(rawPath.dropFirst(4))
    while path.hasPrefix("/") { path.removeFirst() }

    let method = request.method.uppercased()
    var operation: LogicalRequest.Operation
    switch method {
    case "GET": operation = .read
    case "POST", "PUT": operation = .update
    case "DELETE": operation = .delete
    case "LIST": operation = .list
    case "PATCH": operation = .patch
    case "HEAD": operation = .header
    default: return Self.errorResponse(VaultError(status: 405, []))
    }
    // Vault's own handlers for these take GET (and HEAD for health; PUT and POST for init,
    // which cinch does not serve) only (http/sys_health.go, http/sys_seal.go,
    // http/sys_init.go): anything else is 405, whatever its body.
    if path == "sys/health", operation != .read, operation != .header {
      return Self.errorResponse(VaultError(status: 405, []))
    }
    if path == "sys/seal-status", method != "GET" {
      return Self.errorResponse(VaultError(status: 405, []))
    }
    if path == "sys/init", !["GET", "PUT", "POST"].contains(method) {
      return Self.errorResponse(VaultError(status: 405, []))
    }
    // Response wrapping would hand back a wrapping token instead of the secret; answering in
    // clear instead would surprise a caller who asked for it, so no handler runs.
    if let wrapTTL = request.header("X-Vault-Wrap-TTL"),
      !wrapTTL.trimmingCharacters(in: .whitespaces).isEmpty
    {
      return Self.errorResponse(
        .invalid("response wrapping (X-Vault-Wrap-TTL) is not supported by cinch"))
    }
    if operation == .patch {
      let type = request.header("Content-Type") ?? ""
      guard
        type.split(separator: ";").first.map({ $0.trimmingCharacters(in: .whitespaces) })
          == "application/merge-patch+json"
      else {
        return Self.errorResponse(
          VaultError(
            status: 415,
            ["PATCH requires Content-Type of application/merge-patch+json, provided \(type)"]))
      }
    }
    if operation == .read, let list = query["list"] {
      switch list.lowercased() {
      case "true", "1", "t": operation = .list
      case "false", "0", "f", "": break
      default: return Self.errorResponse(.invalid("error parsing 'list' query parameter"))
      }
    }
    if operation == .list, !path.hasSuffix("/") { path += "/" }

    var data = JSONObject()
    if !request.body.isEmpty, operation != .read, operation != .header {
      let text = String(decoding: request.body, as: UTF8.self)
      if Self.isForm(request.body, contentType: request.header("Content-Type")) {
        guard let form = Self.formData(text) else {
          return Self.errorResponse(.invalid("error parsing form data"))
        }
        data = form
      } else if !text.allSatisfy(\.isWhitespace) {
        do {
          guard case .object(let object) = try JSONValueParser.parse(text) else {
            return Self.errorResponse(.invalid("failed to parse JSON input: not a JSON object"))
          }
          data = object
        } catch {
          return Self.errorResponse(.invalid("failed to parse JSON input: \(error)"))
        }
      }
    }
    if [.read, .list, .delete, .header].contains(operation) {
      for (key, value) in query.sorted(by: { $0.key < $1.key }) where key != "list" {
        data[key] = .string(value)
      }
    }

    var logical = LogicalRequest(
      operation: operation, path: path, data: data, query: query, method: method, token: nil)
    logical.remoteAddress = request.remoteAddress

    // Health, seal status and init status need no token and are not audited.
    if path == "sys/health" {
      return Self.render(SystemHandler.health(query: query), operation: operation)
    }
    if path == "sys/seal-status", operation == .read {
      return Self.render(SystemHandler.sealStatus(), operation: operation)
    }
    if path == "sys/init", method == "GET" {
      return Self.render(SystemHandler.initStatus(), operation: operation)
    }

    if caller == .http {
      let token =
        request.header("X-Vault-Token")
        ?? request.header("Authorization").flatMap { header -> String? in
          header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : nil
        }
      guard let token, !token.isEmpty else {
        return await refusedUnauthenticated(logical, .permissionDenied)
      }
      do {
        guard let info = try await store.lookupVaultToken(token) else {
          // Hashed in the entry, as Vault's audit devices record a token they refused.
          logical.clientToken = token
          return await refusedUnauthenticated(logical, .invalidToken)
        }
        logical.token = info
        logical.clientToken = token
      } catch let error as StoreError where error.fault == .busy {
        // Held by another process past the busy timeout (or closing): said as the handlers'
        // store errors are, below, rather than as an internal error.
        return Self.errorResponse(
          VaultError(status: Self.status(of: error), [error.served.message]))
      } catch {
        return Self.errorResponse(.internalError)
      }
    }

    let requestID = Crypto.randomUUIDString()
    // Resolved before the request entry, which names the mount's type; a path no mount
    // serves is still audited, and answered 404 when it would have run.
    let target: Result<Route, any Error>
    do { target = .success(try await resolve(logical.path)) } catch { target = .failure(error) }
    let mountType = (try? target.get())?.mountType ?? ""
    let reply: Result<LogicalResponse?, any Error>
    // Fail closed, except that the holder of the master key may still disable a device that
    // cannot write (a deleted folder, a full disk): otherwise nothing, that included, could
    // run until the file was fixed. cinch's own audit log records the disable.
    let disablesADevice =
      caller == .local && logical.operation == .delete && logical.path.hasPrefix("sys/audit/")
    do {
      try await auditor.logRequest(logical, id: requestID, caller: caller, mountType: mountType)
    } catch {
      if !disablesADevice { return Self.auditFailed(error, caller: caller) }
    }
    var outcome: Result<LogicalResponse?, any Error>
    do {
      outcome = .success(try await run(logical, at: try target.get(), caller: caller))
    } catch {
      outcome = .failure(error)
    }
    // The last use is spent however the request ends: the token goes now, with its leases.
    if let token = logical.token, token.isOnLastUse {
      outcome = await revokingSpent(token, after: outcome)
    }
    reply = outcome
    do {
      try await auditor.logResponse(
        logical, id: requestID, caller: caller, mountType: mountType, reply: reply)
    } catch {
      if !disablesADevice { return Self.auditFailed(error, caller: caller) }
    }
    switch reply {
    case .success(let response):
      return Self.render(
        response, operation: operation, requestID: requestID, mountType: mountType)
    case .failure(let error as VaultError):
      return Self.errorResponse(error)
    case .failure(let error as StoreError):
      // A busy (or closing) store without its path to a remote caller, as the AWS API answers
      // it; the command line, on the store's machine, is told which store is held.
      let message = caller == .http ? error.served.message : error.message
      return Self.errorResponse(VaultError(status: Self.status(of: error), [message]))
    case .failure:
      return Self.errorResponse(.internalError)
    }
  }

  /// The status a store error is answered with. A busy (or closing) store is 503, what Vault
  /// answers while it cannot serve (sealed, a standby) and what its clients retry: the Go API
  /// client's default retry policy retries 5xx, never 400 (AWS's `ThrottlingException` is a
  /// 400, but an AWS SDK retries it by its code, which a Vault client has no notion of).
  static func status(of error: StoreError) -> Int {
    error.fault == .busy ? 503 : error.httpStatus
  }

  /// A request refused before any handler, for want of a valid token: audited all the same,
  /// as Vault's `handleRequest` audits a failed token check ("the audit log contains every
  /// interaction with the Vault API, including errors"), so a guessed or revoked token leaves
  /// a trace. An audit device that cannot write fails the request closed, as any other.
  private func refusedUnauthenticated(_ logical: LogicalRequest, _ error: VaultError) async
    -> VaultHTTPResponse
  {
    let requestID = Crypto.randomUUIDString()
    let mountType = (try? await resolve(logical.path))?.mountType ?? ""
    do {
      try await auditor.logRequest(logical, id: requestID, caller: .http, mountType: mountType)
      try await auditor.logResponse(
        logical, id: requestID, caller: .http, mountType: mountType, reply: .failure(error))
    } catch {
      return Self.auditFailed(error, caller: .http)
    }
    return Self.errorResponse(error)
  }

  /// The outcome of a request that spent `token`'s last use: the token is revoked at once, with
  /// its leases; a reply that hands out a lease is replaced by Vault's error, since the
  /// credentials it carries were just revoked (Vault's `tokenRevocationPending`,
  /// vault/request_handling.go; hashicorp/vault#615). A failed request keeps its error.
  private func revokingSpent(
    _ token: VaultToken, after outcome: Result<LogicalResponse?, any Error>
  ) async -> Result<LogicalResponse?, any Error> {
    do {
      let leases = try await store.revokeVaultToken(accessor: token.accessor)
      _ = await LeaseRevoker(store: store).revoke(leases)
    } catch {
      if case .failure = outcome { return outcome }
      return .failure(error)
    }
    if case .success(let response?) = outcome, !response.leaseID.isEmpty {
      return .failure(
        VaultError.invalid(
          "Secret cannot be returned; token had one use left, so leased credentials were "
            + "immediately revoked."))
    }
    return outcome
  }

  /// Go's `net/http` `cleanPath`: `path.Clean`, keeping a trailing slash.
  package static func cleanPath(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/") {
      switch part {
      case ".": continue
      case "..": if !parts.isEmpty { parts.removeLast() }
      default: parts.append(part)
      }
    }
    let cleaned = "/" + parts.joined(separator: "/")
    return path.hasSuffix("/") && cleaned != "/" ? cleaned + "/" : cleaned
  }

  /// 301 to `path` (percent-encoded again) with the request's query, as Go's mux redirects.
  static func movedPermanently(to path: String, query: [String: String]) -> VaultHTTPResponse {
    var location = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
    if !query.isEmpty {
      var allowed = CharacterSet.urlQueryAllowed
      allowed.remove(charactersIn: "&=+")
      location +=
        "?"
        + query.sorted { $0.key < $1.key }.map { name, value in
          (name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name) + "="
            + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
        }.joined(separator: "&")
    }
    let body = "<a href=\"\(location)\">Moved Permanently</a>.\n\n"
    return VaultHTTPResponse(
      status: 301,
      headers: [("Location", location), ("Content-Type", "text/html; charset=utf-8")],
      body: Array(body.utf8))
  }

  /// The answer when no audit device could write: 500 `internal error`, as Vault answers. Why
  /// goes to the server's log (stderr), and to a local caller, who holds the master key and
  /// needs to know which device to fix or disable, after `internal error`.
  static func auditFailed(_ error: any Error, caller: Caller) -> VaultHTTPResponse {
    let reasons = (error as? VaultAuditor.Failure)?.reasons ?? []
    if caller == .http {
      for reason in reasons {
        FileHandle.standardError.write(Data("cinch serve: \(reason)\n".utf8))
      }
      return errorResponse(.internalError)
    }
    return errorResponse(
      VaultError(
        status: 500,
        ["internal error"]
          + reasons.map { $0 + " (fix it, or disable the device with 'cinch audit disable')" }))
  }

  /// Where a request goes: `sys/`, `auth/token/`, or the engine mounted at its path.
  enum Route {
    case system
    case token
    case engine(VaultMount, rest: String)

    /// The audit log's `mount_type`, also answered as the response's `mount_type`.
    var mountType: String {
      switch self {
      case .system: "system"
      case .token: "token"
      case .engine(let mount, _): mount.type.rawValue
      }
    }
  }

  /// The route of `path`; 404 when no mount serves it.
  func resolve(_ path: String) async throws -> Route {
    if path.hasPrefix("sys/") { return .system }
    if path.hasPrefix("auth/token/") { return .token }
    guard let (mount, rest) = try await store.vaultMount(for: path) else {
      throw VaultError.invalid(
        "no handler for route \"\(path)\". route entry not found."
      )
      .with(status: 404)
    }
    return .engine(mount, rest: rest)
  }

  /// Runs the request on its route's handler.
  func run(_ request: LogicalRequest, at route: Route, caller: Caller) async throws
    -> LogicalResponse?
  {
    let isRoot = caller == .local || (request.token?.isRoot ?? false)
    switch route {
    case .system:
      return try await SystemHandler(api: self, isRoot: isRoot).handle(request)
    case .token:
      return try await TokenHandler(store: store, isRoot: isRoot).handle(request)
    case .engine(let mount, let rest):
      guard isRoot || Self.isEngineUse(mount.type, rest, request.operation) else {
        throw VaultError.permissionDenied
      }
      switch mount.type {
      case .kv:
        return try await KVEngine(store: store, mount: mount).handle(request, rest: rest)
      case .transit:
        return try await TransitEngine(store: store, mount: mount, mayCreateKeys: isRoot).handle(
          request, rest: rest)
      case .database:
        let name = caller == .local ? "root" : (request.token?.displayName ?? "token")
        return try await DatabaseEngine(
          store: store, mount: mount, displayName: name,
          tokenAccessor: caller == .local ? nil : request.token?.accessor
        )
        .handle(request, rest: rest)
      }
    }
  }

  /// What a token other than root may do on an engine: use it, not configure it. cinch keeps
  /// no ACL policies (Docs/Vault.md), so this line is the one it draws: otherwise any token
  /// could rewrite a database role's creation statements (a superuser credential), point a
  /// connection at another host (whose check is sent the sealed admin password), destroy
  /// every version of a secret, or delete a transit key and all it encrypted.
  /// - KV: the data paths (read, write, patch, soft delete), `delete/`, `undelete/`,
  ///   `subkeys/`, and reading or listing `metadata/`; not `destroy/`, writing or deleting
  ///   metadata, or `config`.
  /// - Transit: `encrypt/` (of an existing key: `TransitEngine.mayCreateKeys`), `decrypt/`,
  ///   `rewrap/`, `datakey/`, and reading or listing keys; not creating, configuring,
  ///   rotating, trimming or deleting them.
  /// - Database: reading `creds/ROLE`; not connections, roles or root rotation.
  static func isEngineUse(
    _ type: VaultMount.EngineType, _ rest: String, _ operation: LogicalRequest.Operation
  ) -> Bool {
    let section = rest.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
    let reads: Set<LogicalRequest.Operation> = [.read, .list, .header]
    switch type {
    case .kv:
      switch section {
      case "data", "delete", "undelete", "subkeys": return true
      case "metadata": return reads.contains(operation)
      default: return false
      }
    case .transit:
      switch section {
      case "encrypt", "decrypt", "rewrap", "datakey": return true
      case "keys":
        // `keys/NAME` and `LIST keys`, not `keys/NAME/config|rotate|trim`.
        return reads.contains(operation) && rest.split(separator: "/").count <= 2
      default: return false
      }
    case .database:
      return section == "creds" && operation == .read
    }
  }

  // MARK: Rendering

  /// Vault's listener `max_request_size` default: 32 MiB.
  public static let maximumRequestBytes = 33_554_432

  /// Vault's answer to a larger body: 413 with Go's `http.MaxBytesReader` error.
  public static let requestTooLarge = errorResponse(
    VaultError(status: 413, ["http: request body too large"]))

  static let jsonHeaders: [(String, String)] = [
    ("Content-Type", "application/json"), ("Cache-Control", "no-store"),
  ]

  static func errorResponse(_ error: VaultError) -> VaultHTTPResponse {
    let body = JSONValue.object([("errors", .array(error.errors.map(JSONValue.string)))])
    return VaultHTTPResponse(
      status: error.status, headers: jsonHeaders, body: Array((body.compact() + "\n").utf8))
  }

  static func render(
    _ response: LogicalResponse?, operation: LogicalRequest.Operation, requestID: String = "",
    mountType: String = ""
  ) -> VaultHTTPResponse {
    guard let response else {
      if operation == .read || operation == .list { return errorResponse(.notFound) }
      return VaultHTTPResponse(status: 204, headers: [("Cache-Control", "no-store")], body: [])
    }
    if response.emptyBody {
      return VaultHTTPResponse(status: response.status ?? 204, headers: jsonHeaders, body: [])
    }
    let body: JSONValue
    if response.unwrapped {
      body = response.data ?? .null
    } else {
      var envelope = JSONObject([
        ("request_id", .string(requestID)),
        ("lease_id", .string(response.leaseID)),
        ("renewable", .bool(response.renewable)),
        ("lease_duration", .integer(Int64(response.leaseDuration))),
        ("data", response.data.map(sortedKeys) ?? .null),
        ("wrap_info", .null),
        (
          "warnings",
          response.warnings.isEmpty ? .null : .array(response.warnings.map(JSONValue.string))
        ),
        ("auth", sortedKeys(response.auth)),
        ("mount_type", .string(mountType)),
      ])
      if response.injectTopLevel, case .object(let data)? = response.data {
        for member in data where envelope[member.key] == nil {
          envelope[member.key] = sortedKeys(member.value)
        }
      }
      body = .object(envelope)
    }
    let status = response.status ?? 200
    if status == 204 {
      return VaultHTTPResponse(status: 204, headers: [("Cache-Control", "no-store")], body: [])
    }
    return VaultHTTPResponse(
      status: status, headers: jsonHeaders, body: Array((body.compact() + "\n").utf8))
  }

  /// Go marshals maps with sorted keys: every object inside `data` comes out sorted.
  static func sortedKeys(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let object):
      return .object(
        JSONObject(object.members.sorted { $0.key < $1.key }.map { ($0.key, sortedKeys($0.value)) })
      )
    case .array(let array):
      return .array(array.map(sortedKeys))
    default:
      return value
    }
  }

  /// `/v1/a/b?x=1&y=2` → (`/v1/a/b`, [x: 1, y: 2]).
  static func split(_ target: String) -> (String, [String: String]) {
    guard let mark = target.firstIndex(of: "?") else { return (target, [:]) }
    var query: [String: String] = [:]
    for (key, value) in formPairs(target[target.index(after: mark)...]) {
      query[key.removingPercentEncoding ?? key] = value.removingPercentEncoding ?? value
    }
    return (String(target[..<mark]), query)
  }

  /// `a=1&b=x+y` → [(a, 1), (b, x y)], `+` read as a space, still percent-encoded.
  private static func formPairs(_ text: Substring) -> [(String, String)] {
    text.split(separator: "&").compactMap { pair in
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard let key = parts.first, !key.isEmpty else { return nil }
      let plus = { (text: Substring) in text.replacingOccurrences(of: "+", with: " ") }
      return (plus(key), parts.count > 1 ? plus(parts[1]) : "")
    }
  }

  /// Vault reads a body as a form only when it says `application/x-www-form-urlencoded` and
  /// does not start (after blanks) with `{` or `[`: otherwise JSON, as every client sends
  /// (`isForm` in Vault's http/logical.go).
  static func isForm(_ body: [UInt8], contentType: String?) -> Bool {
    let type = contentType?.split(separator: ";").first?
      .trimmingCharacters(in: .whitespaces).lowercased()
    guard type == "application/x-www-form-urlencoded" else { return false }
    let first = body.prefix(512).first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    return first != UInt8(ascii: "{") && first != UInt8(ascii: "[")
  }

  /// A form body's fields as strings; a field given more than once is its values joined
  /// with commas (`parseFormRequest` in Vault's http/logical.go). Nil for a bad `%` escape.
  static func formData(_ text: String) -> JSONObject? {
    var values: [(String, [String])] = []
    for (rawKey, rawValue) in formPairs(Substring(text)) {
      guard let key = rawKey.removingPercentEncoding, let value = rawValue.removingPercentEncoding
      else { return nil }
      if let index = values.firstIndex(where: { $0.0 == key }) {
        values[index].1.append(value)
      } else {
        values.append((key, [value]))
      }
    }
    var object = JSONObject()
    for (key, list) in values { object[key] = .string(list.joined(separator: ",")) }
    return object
  }
}

extension VaultError {
  func with(status: Int) -> VaultError {
    VaultError(status: status, errors)
  }
}

extension VaultAPI {
  /// `path` as an access log may show it: Vault's older token endpoints take the token in the
  /// path (`/v1/auth/token/lookup/TOKEN`, also `revoke`, `revoke-orphan`, `renew`), and a
  /// client may still send them; what follows the endpoint is logged as `<token>`. nil when the
  /// path holds no token.
  public static func loggablePath(_ path: String) -> String? {
    // Read as the route reads it once cleaned (`/v1//auth/token/lookup/T` is redirected there).
    replacingTokens(in: cleanPath(path), under: "/v1/auth/token/") { _ in "<token>" }
  }

  /// `path` with the tokens it carries replaced: what follows an operation under `tokenRoot`
  /// (`lookup/T`, and the mistyped `lookup-self/T` or `Lookup/T` too, which are answered 404),
  /// and any segment shaped like a token (`secret/data/hvs.…`, a token pasted where a path
  /// belongs). nil when it carries none.
  static func replacingTokens(
    in path: String, under tokenRoot: String, with replacement: (Substring) -> String
  ) -> String? {
    if path.hasPrefix(tokenRoot) {
      let rest = path.dropFirst(tokenRoot.count)
      if let slash = rest.firstIndex(of: "/"), rest.index(after: slash) < rest.endIndex {
        // A LIST request's path ends in `/`, which is not the token's.
        let token = rest[rest.index(after: slash)...]
        return token.hasSuffix("/") && token.count > 1
          ? tokenRoot + rest[...slash] + replacement(token.dropLast()) + "/"
          : tokenRoot + rest[...slash] + replacement(token)
      }
    }
    let segments = path.split(separator: "/", omittingEmptySubsequences: false)
    var replaced = false
    let tokenShaped = segments.map { segment -> Substring in
      guard ["hvs.", "hvb.", "hvr."].contains(where: { segment.hasPrefix($0) }) else {
        return segment
      }
      replaced = true
      return Substring(replacement(segment))
    }
    return replaced ? tokenShaped.joined(separator: "/") : nil
  }
}
