import CinchJSON
import CinchStore
import Foundation

/// `auth/token/`: `lookup-self`, `create` (root tokens only), `renew-self`, `revoke-self`.
struct TokenHandler {
  let store: SQLiteStore
  let isRoot: Bool

  func handle(_ request: LogicalRequest) async throws -> LogicalResponse? {
    switch (request.path, request.operation) {
    case ("auth/token/lookup-self", .read), ("auth/token/lookup-self", .update):
      guard let token = request.token else {
        throw VaultError.invalid("the command line has no token: use 'cinch token root'")
      }
      return LogicalResponse(data: Self.lookup(token))
    case ("auth/token/create", .update), ("auth/token/create", .create):
      guard isRoot else { throw VaultError.permissionDenied }
      var policies: [String] = []
      if case .array(let items)? = request.data["policies"] {
        policies = items.compactMap(\.stringValue)
      }
      let ttl = request.data.duration("ttl").value.map { Int($0 / GoDuration.second) } ?? 0
      let renewable = request.data.bool("renewable").value ?? true
      let name = request.data.string("display_name").map { "token-" + $0 } ?? "token"
      let (token, info) = try await store.createVaultToken(
        policies: policies, ttl: ttl, displayName: name, renewable: renewable)
      var response = LogicalResponse(data: nil)
      response.auth = Self.auth(token: token, info)
      return response
    case ("auth/token/renew-self", .update):
      guard let token = request.token else { throw VaultError.invalid("no token to renew") }
      let increment = request.data.duration("increment").value.map { Int($0 / GoDuration.second) }
      let info = try await store.renewVaultToken(accessor: token.accessor, increment: increment)
      var response = LogicalResponse(data: nil)
      response.auth = Self.auth(token: nil, info)
      return response
    case ("auth/token/revoke-self", .update):
      guard let token = request.token else { throw VaultError.invalid("no token to revoke") }
      try await store.revokeVaultToken(accessor: token.accessor)
      return nil
    case ("auth/token/lookup-self", _), ("auth/token/create", _), ("auth/token/renew-self", _),
      ("auth/token/revoke-self", _):
      throw VaultError(status: 405, ["unsupported operation"])
    default:
      throw VaultError(
        status: 404, ["no handler for route \"\(request.path)\". route entry not found."])
    }
  }

  static func lookup(_ token: VaultToken) -> JSONValue {
    let remaining = token.expiresAt.map { max(0, Int($0.timeIntervalSinceNow.rounded())) } ?? 0
    return .object([
      ("accessor", .string(token.accessor)),
      ("creation_time", .integer(Int64(token.createdAt.timeIntervalSince1970))),
      ("creation_ttl", .integer(Int64(token.ttl))),
      ("display_name", .string(token.displayName)),
      ("entity_id", .string("")),
      ("expire_time", token.expiresAt.map { .string(VaultTime.format($0)) } ?? .null),
      ("explicit_max_ttl", .integer(0)),
      ("id", .string("")),
      ("issue_time", .string(VaultTime.format(token.createdAt))),
      ("meta", .null),
      ("num_uses", .integer(0)),
      ("orphan", .bool(true)),
      ("path", .string("auth/token/create")),
      ("policies", .array(token.policies.map(JSONValue.string))),
      ("renewable", .bool(token.renewable)),
      ("ttl", .integer(Int64(remaining))),
      ("type", .string("service")),
    ])
  }

  static func auth(token: String?, _ info: VaultToken) -> JSONValue {
    var object = JSONObject([
      ("accessor", .string(info.accessor)),
      ("entity_id", .string("")),
      ("lease_duration", .integer(Int64(info.ttl))),
      ("metadata", .null),
      ("orphan", .bool(true)),
      ("policies", .array(info.policies.map(JSONValue.string))),
      ("renewable", .bool(info.renewable)),
      ("token_policies", .array(info.policies.map(JSONValue.string))),
      ("token_type", .string("service")),
    ])
    if let token { object["client_token"] = .string(token) }
    return .object(object)
  }
}
