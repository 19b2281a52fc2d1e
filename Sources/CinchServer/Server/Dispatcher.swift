import Foundation
import Synchronization

/// Hands each request to its route and writes the access log. Called on a connection's thread:
/// the health endpoint and unknown paths are answered right there (an oversized body never
/// gets here: the connection refuses it by its route's `BodyLimit` before reading it); a
/// route's async handler runs as a task whose jobs that thread runs (`ConnectionExecutor`).
final class Dispatcher: Sendable {
  let routes: RouteTable
  let accessLog: Bool
  let log: @Sendable (String) -> Void
  /// Set once the server stops: the health endpoint answers 503.
  let draining = Atomic<Bool>(false)

  init(routes: RouteTable, accessLog: Bool, log: @escaping @Sendable (String) -> Void) {
    self.routes = routes
    self.accessLog = accessLog
    self.log = log
  }

  /// The route that answers `path`, looked up once per request by the connection (which needs
  /// its body limit before reading the body): nil for the health endpoint and for a path no
  /// route serves.
  func route(for path: String) -> RouteTable.Route? {
    path == Self.healthPath ? nil : routes.route(for: path)
  }

  static let healthPath = "/health"

  /// The answer to `request`, which `route` (from `route(for:)`) serves, or nil when its
  /// handler did not answer within `timeout` seconds (the handler's task is then cancelled).
  func respond(
    to request: ServerRequest, route: RouteTable.Route?, on executor: ConnectionExecutor,
    timeout: TimeInterval
  ) -> ServerResponse? {
    let started = ContinuousClock.now
    let response: ServerResponse
    let routeName: String
    if request.path == Self.healthPath {
      let draining = draining.load(ordering: .relaxed)
      response = ServerResponse.json(
        draining ? 503 : 200,
        Array((draining ? #"{"status":"draining"}"# : #"{"status":"ok"}"#).utf8))
      routeName = "health"
    } else if let route {
      routeName = route.name
      let handler = route.handler
      guard let answered = executor.run(timeout: timeout, { await handler(request) }) else {
        if accessLog {
          log("\(Self.logged(request, route: route)) 500 \(route.name) timed out")
        }
        return nil
      }
      response = answered
    } else {
      response = .text(404, "not found")
      routeName = "-"
    }
    if accessLog {
      let elapsed = ContinuousClock.now - started
      let micros =
        elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
      let millis = String(format: "%.1f", Double(micros) / 1000)
      var line =
        "\(Self.logged(request, route: route)) \(response.status) \(routeName) \(millis)ms"
      if let detail = response.logDetail { line += " " + detail }
      log(line)
    }
    return response
  }

  /// The access log's line for a request refused before any route saw it (a head or body that
  /// cannot be read, too large or too late, a connection over the cap): its method and path
  /// when the head was read (`-` otherwise), the status, and why.
  func logRefusal(
    _ status: Int, _ reason: String, method: String? = nil, path: String? = nil,
    route: RouteTable.Route? = nil
  ) {
    guard accessLog else { return }
    let request: String
    if let method, let path {
      request = Self.logged(
        ServerRequest(method: method, path: path, headers: [], body: []), route: route)
    } else {
      request = "- -"
    }
    // The server's own words (what a client wrote in them is escaped where it is quoted).
    log("\(request) \(status) refused \(reason)")
  }

  /// The method and path as the access log shows them: escaped (`AccessLogField`), and the
  /// path as the route has it logged when it holds a credential.
  static func logged(_ request: ServerRequest, route: RouteTable.Route?) -> String {
    let path = route?.logPath?(request) ?? request.path
    return AccessLogField.escaped(request.method) + " " + AccessLogField.escaped(path)
  }

  static func phrase(_ status: Int) -> String {
    switch status {
    case 200: "OK"
    case 202: "Accepted"
    case 204: "No Content"
    case 301: "Moved Permanently"
    case 307: "Temporary Redirect"
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 408: "Request Timeout"
    case 409: "Conflict"
    case 412: "Precondition Failed"
    case 413: "Content Too Large"
    case 415: "Unsupported Media Type"
    case 429: "Too Many Requests"
    case 431: "Request Header Fields Too Large"
    case 500: "Internal Server Error"
    case 501: "Not Implemented"
    case 502: "Bad Gateway"
    case 503: "Service Unavailable"
    case 505: "HTTP Version Not Supported"
    default: "Status \(status)"
    }
  }
}
