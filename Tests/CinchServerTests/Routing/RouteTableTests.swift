import Testing

@testable import CinchServer

struct RouteTableTests {
  func handler(_ name: String) -> ServerHandler {
    { _ in .text(200, name) }
  }

  @Test func exactPathsThenTheLongestPrefix() async {
    var routes = RouteTable()
    routes.mount(prefix: "/", name: "aws", handler("aws"))
    routes.mount(prefix: "/v1/", name: "vault", handler("vault"))
    routes.mount(exact: "/v1/sys/health", name: "vault-health", handler("vault-health"))
    #expect(routes.route(for: "/")?.name == "aws")
    #expect(routes.route(for: "/v1/secret/data/a")?.name == "vault")
    #expect(routes.route(for: "/v1/sys/health")?.name == "vault-health")
    #expect(routes.route(for: "/v2")?.name == "aws")
  }

  /// Repeated slashes count as one when choosing the route: `//v1/…` is the Vault API's to
  /// answer (it redirects to the clean path), not the AWS endpoint's.
  @Test func repeatedSlashesRouteAsOne() {
    var routes = RouteTable()
    routes.mount(prefix: "/", name: "aws", handler("aws"))
    routes.mount(prefix: "/v1/", name: "vault", handler("vault"))
    #expect(routes.route(for: "//v1/auth/token/lookup/T")?.name == "vault")
    #expect(routes.route(for: "/v1//secret")?.name == "vault")
  }

  /// A route's own way of logging a path (a token in it masked) holds also when its handler
  /// never answered (a timeout), where there is no response to carry it.
  @Test func aRoutesLogPathHoldsWithoutAResponse() throws {
    var routes = RouteTable()
    routes.mount(
      prefix: "/v1/", name: "vault",
      logPath: {
        $0.path.hasPrefix("/v1/auth/token/lookup/") ? "/v1/auth/token/lookup/<token>" : nil
      },
      handler("vault"))
    let route = try #require(routes.route(for: "/v1/auth/token/lookup/hvs.SECRET"))
    let request = ServerRequest(method: "POST", path: "/v1/auth/token/lookup/hvs.SECRET")
    #expect(
      Dispatcher.logged(request, route: route) == "POST /v1/auth/token/lookup/<token>")
  }

  @Test func nothingMounted() {
    var routes = RouteTable()
    routes.mount(prefix: "/v1/", name: "vault", handler("vault"))
    #expect(routes.route(for: "/") == nil)
  }

  @Test func mountingAPrefixAgainReplacesIt() async throws {
    var routes = RouteTable()
    routes.mount(prefix: "/v1/", name: "first", handler("first"))
    routes.mount(prefix: "/v1/", name: "second", handler("second"))
    #expect(routes.routes.count == 1)
    let response = try #require(
      await routes.route(for: "/v1/x")?.handler(ServerRequest(method: "GET", path: "/v1/x")))
    #expect(String(decoding: response.body, as: UTF8.self) == "second\n")
  }
}

struct ListenAddressTests {
  @Test(arguments: [
    ("127.0.0.1:4583", "127.0.0.1", 4583, true),
    ("localhost:80", "127.0.0.1", 80, true),
    (":0", "127.0.0.1", 0, true),
    ("9000", "127.0.0.1", 9000, true),
    ("0.0.0.0:4583", "0.0.0.0", 4583, false),
    ("10.1.2.3:1", "10.1.2.3", 1, false),
    ("[::1]:4583", "::1", 4583, true),
    ("[::]:4583", "::", 4583, false),
  ])
  func parses(text: String, host: String, port: Int, loopback: Bool) throws {
    let address = try ListenAddress(parsing: text)
    #expect(address.host == host)
    #expect(Int(address.port) == port)
    #expect(address.isLoopback == loopback)
  }

  @Test(arguments: ["", "127.0.0.1", "127.0.0.1:70000", "host.example:80", "[::1]", "1.2.3:4"])
  func refuses(text: String) {
    #expect(throws: ListenAddressError.self) { try ListenAddress(parsing: text) }
  }
}
