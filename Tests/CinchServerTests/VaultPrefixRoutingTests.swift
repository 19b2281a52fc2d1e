import CinchServer
import Testing

/// The Vault API is mounted at `/v1/` beside the AWS API at `/`: the longer prefix must win for
/// every Vault path, and nothing else may reach it.
@Suite struct VaultPrefixRoutingTests {
  static func table() -> RouteTable {
    var routes = RouteTable()
    routes.mount(prefix: "/", name: "aws") { _ in ServerResponse(status: 200) }
    routes.mount(prefix: "/v1/", name: "vault") { _ in ServerResponse(status: 200) }
    routes.mount(exact: "/health", name: "health") { _ in ServerResponse(status: 200) }
    return routes
  }

  @Test(arguments: [
    ("/v1/secret/data/app", "vault"), ("/v1/sys/health", "vault"), ("/v1/", "vault"),
    ("/", "aws"), ("/v1", "aws"), ("/v2/secret", "aws"), ("/health", "health"),
  ])
  func routes(path: String, expected: String) {
    #expect(Self.table().route(for: path)?.name == expected)
  }
}
