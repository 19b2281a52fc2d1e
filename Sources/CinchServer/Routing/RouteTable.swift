/// A route handler: any API surface mounted on the server (the AWS JSON API, the Vault API,
/// the health endpoint). Handlers never throw: each answers its own errors in its protocol's
/// shape.
public typealias ServerHandler = @Sendable (ServerRequest) async -> ServerResponse

/// Which handler answers a path: exact paths first, then the longest mounted prefix. Built
/// before the server starts and not changed while it runs.
///
/// ```swift
/// var routes = RouteTable()
/// routes.mount(exact: "/health", name: "health", healthHandler)
/// routes.mount(prefix: "/v1/", name: "vault", vaultHandler)
/// routes.mount(prefix: "/", name: "aws", awsHandler)
/// ```
public struct RouteTable: Sendable {
  public struct Route: Sendable {
    /// A name for the access log (`aws`, `vault`, `health`).
    public var name: String
    public var path: String
    public var isPrefix: Bool
    public var bodyLimit: BodyLimit
    public var handler: ServerHandler
    /// The path as the access log may show it when it holds a credential (a Vault token),
    /// also for a request whose handler never answered; nil: the path as it is.
    public var logPath: (@Sendable (ServerRequest) -> String?)?
  }

  public private(set) var routes: [Route] = []

  public init() {}

  /// Answers every path that starts with `prefix` (unless a longer prefix or an exact path is
  /// mounted too). Mounting the same prefix twice replaces the first handler.
  public mutating func mount(
    prefix: String, name: String, bodyLimit: BodyLimit = .standard,
    logPath: (@Sendable (ServerRequest) -> String?)? = nil, _ handler: @escaping ServerHandler
  ) {
    add(
      Route(
        name: name, path: prefix, isPrefix: true, bodyLimit: bodyLimit, handler: handler,
        logPath: logPath))
  }

  /// Answers exactly `path`.
  public mutating func mount(
    exact path: String, name: String, bodyLimit: BodyLimit = .standard,
    _ handler: @escaping ServerHandler
  ) {
    add(Route(name: name, path: path, isPrefix: false, bodyLimit: bodyLimit, handler: handler))
  }

  private mutating func add(_ route: Route) {
    routes.removeAll { $0.path == route.path && $0.isPrefix == route.isPrefix }
    routes.append(route)
  }

  /// The route for `path`, or nil when nothing is mounted there. Repeated slashes count as
  /// one (`//v1/…` is under `/v1/`): the handler mounted there decides what such a path means
  /// (Vault's redirects it to its clean form), and no other reads it.
  public func route(for path: String) -> Route? {
    let path = path.contains("//") ? Self.collapsingSlashes(path) : path
    if let exact = routes.first(where: { !$0.isPrefix && $0.path == path }) { return exact }
    return
      routes
      .filter { $0.isPrefix && path.hasPrefix($0.path) }
      .max { $0.path.utf8.count < $1.path.utf8.count }
  }

  static func collapsingSlashes(_ path: String) -> String {
    var result = ""
    var previous: Character?
    for character in path where !(character == "/" && previous == "/") {
      result.append(character)
      previous = character
    }
    return result
  }
}
