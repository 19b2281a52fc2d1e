import CinchServer
import CinchStore
import CinchVault

/// Vault's API on `cinch serve`: every path under `/v1/` goes to `VaultAPI`, so `VAULT_ADDR`
/// can point at the server and the vault CLI or hvac work against the store.
enum VaultRoute {
  /// Vault's request size limit and its refusal, `{"errors":["…"]}` with 413.
  static let bodyLimit = BodyLimit(
    bytes: VaultAPI.maximumRequestBytes,
    refusal: ServerResponse(
      status: VaultAPI.requestTooLarge.status,
      headers: VaultAPI.requestTooLarge.headers.map { (name: $0.0, value: $0.1) },
      body: VaultAPI.requestTooLarge.body))

  /// The path as the access log shows it: a token in an older token endpoint's path masked
  /// (`VaultAPI.loggablePath`), also for a request whose handler never answered.
  static let logPath: @Sendable (ServerRequest) -> String? = { VaultAPI.loggablePath($0.path) }

  static func handler(_ api: VaultAPI) -> ServerHandler {
    { request in
      var headers: [String: String] = [:]
      for (name, value) in request.headers where headers[name] == nil { headers[name] = value }
      // The path as sent: the API answers `.`, `..` and `//` segments with a 301 to the clean
      // path, as Vault's Go mux does, rather than serving what they resolve to.
      let response = await api.handle(
        method: request.method, path: request.rawPath, query: request.query, headers: headers,
        body: request.body, remoteAddress: request.remoteAddress)
      return ServerResponse(
        status: response.status,
        headers: response.headers.map { (name: $0.0, value: $0.1) }, body: response.body,
        logDetail: "vault")
    }
  }
}
