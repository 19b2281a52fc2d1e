import FlyingFox
import FlyingSocks
package import Foundation
import Synchronization

/// The HTTP server of `cinch serve`: FlyingFox on one address, every request handed to the
/// route its path selects (`RouteTable`), a health endpoint, an optional access log, and a
/// graceful stop that lets in-flight requests finish.
///
/// The access log names method, path, status, time and what the route adds (operation, access
/// key id, error code); never a header value, a body or a secret.
package final class CinchHTTPServer: Sendable {
  package let address: ListenAddress
  let server: HTTPServer
  let dispatcher: Dispatcher
  /// Requests with a larger body are refused with 413 (AWS's largest request, a secret of
  /// 64 KiB, base64-encoded in a JSON body, fits well within).
  package static let maximumBodyBytes = 1 << 20

  package init(
    address: ListenAddress, routes: RouteTable, accessLog: Bool = false,
    requestTimeout: TimeInterval = 120, log: @escaping @Sendable (String) -> Void
  ) throws {
    self.address = address
    let socketAddress: any SocketAddress =
      switch address.family {
      case .ipv4: try sockaddr_in.inet(ip4: address.host, port: address.port)
      case .ipv6: try sockaddr_in6.inet6(ip6: address.host, port: address.port)
      }
    dispatcher = Dispatcher(routes: routes, accessLog: accessLog, log: log)
    server = HTTPServer(
      config: HTTPServer.Configuration(
        address: socketAddress, timeout: requestTimeout, logger: .disabled))
  }

  /// Every method FlyingFox knows, and Vault's `LIST` (hvac sends it; FlyingFox's catch-all
  /// route would answer it 404 before any handler saw it).
  static let methods = HTTPMethod.allMethods.union([HTTPMethod("LIST")])

  /// Serves until `stop` is called (or the task is cancelled).
  package func run() async throws {
    await server.appendRoute(HTTPRoute(methods: Self.methods, path: "*"), to: dispatcher)
    try await server.run()
  }

  /// The port the server listens on (the one the system chose for port 0), once listening.
  package func waitUntilListening(timeout: TimeInterval = 10) async throws -> UInt16 {
    try await server.waitUntilListening(timeout: timeout)
    let port: UInt16
    switch await server.listeningAddress {
    case .ip4(_, let bound)?, .ip6(_, let bound)?: port = bound
    default: port = address.port
    }
    Self.disableNagle(onListenerAt: port)
    return port
  }

  /// Sets TCP_NODELAY on the listening socket, which connections accepted from it inherit.
  /// FlyingFox writes a response's head and body in two writes; with Nagle's algorithm the body
  /// waits for the client's delayed ACK of the head (40 ms on Linux), which capped a keep-alive
  /// client at ~25 requests a second. FlyingFox does not expose its socket, so the listener is
  /// found among this process's descriptors by its port.
  static func disableNagle(onListenerAt port: UInt16) {
    for descriptor in Int32(0)..<Int32(4096) {
      var listening: Int32 = 0
      var length = socklen_t(MemoryLayout<Int32>.size)
      guard getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) == 0,
        listening != 0
      else { continue }
      var storage = sockaddr_storage()
      var size = socklen_t(MemoryLayout<sockaddr_storage>.size)
      let named = withUnsafeMutablePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          getsockname(descriptor, $0, &size)
        }
      }
      guard named == 0 else { continue }
      let boundPort: UInt16
      switch Int32(storage.ss_family) {
      case AF_INET:
        boundPort = withUnsafePointer(to: &storage) {
          $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
            UInt16(bigEndian: $0.pointee.sin_port)
          }
        }
      case AF_INET6:
        boundPort = withUnsafePointer(to: &storage) {
          $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
            UInt16(bigEndian: $0.pointee.sin6_port)
          }
        }
      default: continue
      }
      guard boundPort == port else { continue }
      var on: Int32 = 1
      _ = setsockopt(
        descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
    }
  }

  /// Stops accepting connections and waits until the requests in flight are answered (up to
  /// `drainTimeout` seconds). Idle keep-alive connections are closed; a request already read
  /// is still answered. Then cancel the task running `run()` to release the listener.
  package func stop(drainTimeout: TimeInterval) async {
    dispatcher.state.withLock { $0.draining = true }
    let deadline = ContinuousClock.now + .milliseconds(Int(drainTimeout * 1000))
    // FlyingFox closes the listening socket and every idle connection at once, then waits for
    // its listener task, which ends only when `run()` is cancelled: leave that wait behind.
    let server = self.server
    Task { await server.stop(timeout: drainTimeout) }
    while ContinuousClock.now < deadline {
      try? await Task.sleep(for: .milliseconds(10))
      if dispatcher.state.withLock({ $0.inFlight }) == 0 { break }
    }
    // A handler has returned; give its response the time to be written.
    try? await Task.sleep(for: .milliseconds(200))
  }

  /// Requests being handled now.
  package var inFlight: Int { dispatcher.state.withLock { $0.inFlight } }
}

/// Hands each request to its route, counts the requests in flight, writes the access log.
final class Dispatcher: HTTPHandler, Sendable {
  struct State {
    var inFlight = 0
    var draining = false
  }

  let routes: RouteTable
  let accessLog: Bool
  let log: @Sendable (String) -> Void
  let state = Mutex(State())

  init(routes: RouteTable, accessLog: Bool, log: @escaping @Sendable (String) -> Void) {
    self.routes = routes
    self.accessLog = accessLog
    self.log = log
  }

  func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
    await handle(request)
  }

  func handle(_ request: HTTPRequest) async -> HTTPResponse {
    let started = ContinuousClock.now
    state.withLock { $0.inFlight += 1 }
    defer { state.withLock { $0.inFlight -= 1 } }
    let (response, routeName) = await respond(request)
    if accessLog {
      let elapsed = ContinuousClock.now - started
      let micros =
        elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
      let millis = String(format: "%.1f", Double(micros) / 1000)
      var line =
        "\(request.method.rawValue) \(request.path) \(response.status) \(routeName) \(millis)ms"
      if let detail = response.logDetail { line += " " + detail }
      log(line)
    }
    var headers = HTTPHeaders()
    for (name, value) in response.headers { headers.addValue(value, for: HTTPHeader(name)) }
    return HTTPResponse(
      statusCode: HTTPStatusCode(response.status, phrase: Self.phrase(response.status)),
      headers: headers, body: Data(response.body))
  }

  private func respond(_ request: HTTPRequest) async -> (ServerResponse, String) {
    if request.path == "/health" {
      let draining = state.withLock { $0.draining }
      return (
        ServerResponse.json(
          draining ? 503 : 200,
          Array((draining ? #"{"status":"draining"}"# : #"{"status":"ok"}"#).utf8)),
        "health"
      )
    }
    guard let route = routes.route(for: request.path) else {
      return (.text(404, "not found"), "-")
    }
    if let length = request.headers[.contentLength].flatMap(Int.init),
      length > CinchHTTPServer.maximumBodyBytes
    {
      return (
        .text(413, "request body larger than \(CinchHTTPServer.maximumBodyBytes) bytes"), route.name
      )
    }
    let body: Data
    do {
      body = try await request.bodyData
    } catch {
      return (.text(400, "the request body could not be read"), route.name)
    }
    guard body.count <= CinchHTTPServer.maximumBodyBytes else {
      return (
        .text(413, "request body larger than \(CinchHTTPServer.maximumBodyBytes) bytes"), route.name
      )
    }
    let served = ServerRequest(
      method: request.method.rawValue, path: request.path,
      query: request.query.map { (name: $0.name, value: $0.value) },
      headers: request.headers.map { (name: $0.key.rawValue, value: $0.value) },
      body: Array(body), remoteAddress: request.remoteIPAddress)
    return (await route.handler(served), route.name)
  }

  static func phrase(_ status: Int) -> String {
    switch status {
    case 200: "OK"
    case 400: "Bad Request"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 409: "Conflict"
    case 413: "Content Too Large"
    case 500: "Internal Server Error"
    case 503: "Service Unavailable"
    default: "Status \(status)"
    }
  }
}
