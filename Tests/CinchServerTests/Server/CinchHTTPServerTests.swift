import Foundation
import Synchronization
import Testing

@testable import CinchServer

#if canImport(Glibc)
  import Glibc
#endif

/// The HTTP server over real loopback sockets: keep-alive, pipelining, body framing, the
/// refusals, the connection cap and the drain.
@Suite struct CinchHTTPServerTests {
  /// A server on a free port whose routes echo what they received.
  final class Running: Sendable {
    let server: CinchHTTPServer
    let task: Task<Void, any Error>
    let port: UInt16
    let logged = LogLines()

    final class LogLines: Sendable {
      let lines = Mutex<[String]>([])
      func append(_ line: String) { lines.withLock { $0.append(line) } }
      func contains(prefix: String) -> Bool {
        lines.withLock { $0.contains { $0.hasPrefix(prefix) } }
      }
    }

    init(
      maximumConnections: Int = 64, slow: Bool = false, requestTimeout: TimeInterval = 120,
      headTimeout: TimeInterval = 10
    ) async throws {
      var routes = RouteTable()
      routes.mount(prefix: "/", name: "echo") { request in
        if slow { try? await Task.sleep(for: .milliseconds(300)) }
        var text = "\(request.method) \(request.path)"
        for item in request.query { text += " \(item.name)=\(item.value)" }
        text += " body=\(String(decoding: request.body, as: UTF8.self))"
        return ServerResponse(
          status: 200, headers: [("Content-Type", "text/plain"), ("X-Bad", "a\r\nInjected: 1")],
          body: Array(text.utf8), logDetail: "detail")
      }
      routes.mount(exact: "/empty", name: "empty") { _ in ServerResponse(status: 204) }
      let logged = self.logged
      let server = try CinchHTTPServer(
        address: ListenAddress(host: "127.0.0.1", port: 0, family: .ipv4), routes: routes,
        accessLog: true, requestTimeout: requestTimeout, headTimeout: headTimeout,
        maximumConnections: maximumConnections, log: { line in logged.append(line) })
      self.server = server
      port = try server.start()
      task = Task { try await server.run() }
    }

    func stop() async {
      await server.stop(drainTimeout: 5)
      task.cancel()
      _ = await task.result
    }
  }

  /// A loopback client. Its reads block, so they run on a thread of their own: blocking the
  /// test's thread could starve the concurrency pool the server's handlers run on.
  final class Client: @unchecked Sendable {
    let descriptor: Int32
    var received: [UInt8] = []

    init(port: UInt16) throws {
      descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = port.bigEndian
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      var timeout = timeval(tv_sec: 20, tv_usec: 0)
      setsockopt(
        descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
      let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
      try #require(connected == 0)
    }

    deinit { close(descriptor) }

    func send(_ text: String) {
      let bytes = Array(text.utf8)
      // No SIGPIPE when the server has closed the connection already.
      _ = bytes.withUnsafeBytes {
        Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
      }
    }

    /// Reads one response (status line, fields, and a body by Content-Length, none for an
    /// answer to HEAD); nil when the server closed the connection first.
    func response(toHead: Bool = false) async -> (
      status: Int, headers: [String: String], body: String
    )? {
      await Self.offThePool { self.blockingResponse(toHead: toHead) }
    }

    func isClosed() async -> Bool {
      await Self.offThePool { self.blockingIsClosed() }
    }

    static func offThePool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
      await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
      }
    }

    private func blockingResponse(toHead: Bool) -> (
      status: Int, headers: [String: String], body: String
    )? {
      while true {
        if let end = find(Array("\r\n\r\n".utf8)) {
          let head = String(decoding: received[..<end], as: UTF8.self)
          var lines = head.components(separatedBy: "\r\n")
          let status = Int(lines.removeFirst().split(separator: " ")[1]) ?? 0
          var headers: [String: String] = [:]
          for line in lines {
            let parts = line.split(separator: ":", maxSplits: 1)
            headers[parts[0].lowercased()] =
              parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
          }
          let length = toHead ? 0 : Int(headers["content-length"] ?? "0") ?? 0
          while received.count < end + 4 + length { guard read() else { return nil } }
          let body = String(decoding: received[(end + 4)..<(end + 4 + length)], as: UTF8.self)
          received.removeFirst(end + 4 + length)
          return (status, headers, body)
        }
        guard read() else { return nil }
      }
    }

    /// Whether the server closes the connection (reading past anything else it sends): true
    /// at the end of the stream, false when the read times out or fails otherwise.
    private func blockingIsClosed() -> Bool {
      while true {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count == 0 { return true }
        if count < 0 { return false }
      }
    }

    private func read() -> Bool {
      var chunk = [UInt8](repeating: 0, count: 65536)
      let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
      guard count > 0 else { return false }
      received += chunk[0..<count]
      return true
    }

    private func find(_ pattern: [UInt8]) -> Int? {
      guard received.count >= pattern.count else { return nil }
      for index in 0...(received.count - pattern.count)
      where received[index..<(index + pattern.count)].elementsEqual(pattern) {
        return index
      }
      return nil
    }
  }

  @Test func keepAliveAndPipelinedRequestsOnOneConnection() async throws {
    let running = try await Running()
    let client = try Client(port: running.port)
    client.send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
    let first = try #require(await client.response())
    #expect(first.status == 200)
    #expect(first.body == "POST /a body=hello")
    #expect(first.headers["connection"] == nil)
    #expect(first.headers["x-bad"] == "aInjected: 1")
    #expect(first.headers["injected"] == nil)
    // Two requests in one write: both answered, in order.
    client.send(
      "GET /b?x=1&y=%20z HTTP/1.1\r\nHost: x\r\n\r\nPOST /c HTTP/1.1\r\nContent-Length: 2\r\n\r\nok"
    )
    #expect(await client.response()?.body == "GET /b x=1 y= z body=")
    #expect(await client.response()?.body == "POST /c body=ok")
    client.send("GET /d HTTP/1.1\r\nConnection: close\r\n\r\n")
    let last = try #require(await client.response())
    #expect(last.headers["connection"] == "close")
    #expect(await client.isClosed())
    #expect(running.logged.contains(prefix: "POST /a 200 echo "))
    await running.stop()
  }

  /// What a client puts in its request line reaches the access log one line per request,
  /// with nothing a terminal or a log reader would act on: a `%0A` in the path cannot write a
  /// second, forged line, nor an escape sequence colour the terminal.
  @Test func theAccessLogEscapesWhatTheClientWrote() async throws {
    let running = try await Running()
    let client = try Client(port: running.port)
    client.send(
      "GET /v1/x%0Acinch%20serve:%20POST%20/%20200%0D%1B%5B31m%25 HTTP/1.1\r\nHost: x\r\n\r\n")
    #expect(await client.response()?.status == 200)
    await running.stop()
    let lines = running.logged.lines.withLock { $0 }
    #expect(lines.count == 1)
    #expect(
      lines.first?.hasPrefix("GET /v1/x%0Acinch%20serve:%20POST%20/%20200%0D%1B[31m%25 200 echo ")
        == true)
    #expect(
      lines.allSatisfy { line in
        line.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
      })
  }

  @Test func aBodyArrivingInPartsChunkedAndAfterContinue() async throws {
    let running = try await Running()
    let client = try Client(port: running.port)
    client.send("PUT /p HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123")
    try await Task.sleep(for: .milliseconds(50))
    client.send("456789")
    #expect(await client.response()?.body == "PUT /p body=0123456789")

    client.send("POST /q HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
    try await Task.sleep(for: .milliseconds(50))
    client.send("2\r\nde\r\n0\r\n\r\n")
    #expect(await client.response()?.body == "POST /q body=abcde")

    client.send("POST /r HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n")
    let interim = try #require(await client.response())
    #expect(interim.status == 100)
    client.send("xyz")
    #expect(await client.response()?.body == "POST /r body=xyz")
    await running.stop()
  }

  /// Every answer carries `Date` (RFC 9110 §6.6.1), as AWS's do: the SDKs correct a skewed
  /// client clock from it.
  @Test func answersCarryTheDate() async throws {
    #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
    let running = try await Running()
    let client = try Client(port: running.port)
    client.send("GET /health HTTP/1.1\r\n\r\n")
    let answer = try #require(await client.response())
    let date = try #require(answer.headers["date"])
    #expect(date.hasSuffix(" GMT") && date.count == 29, "\(date)")
    await running.stop()
  }

  @Test func headHealthNotFoundAndNoContent() async throws {
    let running = try await Running()
    let client = try Client(port: running.port)
    client.send("GET /health HTTP/1.1\r\n\r\n")
    #expect(await client.response()?.body == #"{"status":"ok"}"#)
    client.send("HEAD /x HTTP/1.1\r\n\r\nGET /empty HTTP/1.1\r\n\r\n")
    // HEAD: the length of the body it would have, and no body (the next answer follows).
    let head = try #require(await client.response(toHead: true))
    #expect(head.status == 200)
    #expect(head.headers["content-length"] == String("HEAD /x body=".utf8.count))
    let empty = try #require(await client.response())
    #expect(empty.status == 204)
    #expect(empty.headers["content-length"] == nil)
    await running.stop()

    let unrouted = try CinchHTTPServer(
      address: ListenAddress(host: "127.0.0.1", port: 0, family: .ipv4), routes: RouteTable(),
      log: { _ in })
    let port = try unrouted.start()
    let task = Task { try await unrouted.run() }
    let lost = try Client(port: port)
    lost.send("GET /nowhere HTTP/1.1\r\n\r\n")
    #expect(await lost.response()?.status == 404)
    await unrouted.stop(drainTimeout: 1)
    task.cancel()
  }

  @Test(arguments: [
    ("GARBAGE\r\n\r\n", 400), ("GET / HTTP/3\r\n\r\n", 505),
    ("POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n", 413),
    ("POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
    ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n100001\r\n", 413),
    // Methods are case-sensitive (RFC 9110 §9.1): `get` is not `GET`, and no method the
    // server does not know reaches a route.
    ("get /health HTTP/1.1\r\n\r\n", 501), ("BREW / HTTP/1.1\r\n\r\n", 501),
    // A control character in a field value (RFC 9110 §5.5).
    ("GET /health HTTP/1.1\r\nX-A: a\u{0}b\r\n\r\n", 400),
  ])
  func refusedRequestsAreAnsweredThenClosed(request: String, status: Int) async throws {
    let running = try await Running()
    let client = try Client(port: running.port)
    client.send(request)
    let response = try #require(await client.response())
    #expect(response.status == status)
    #expect(response.headers["connection"] == "close")
    #expect(await client.isClosed())
    await running.stop()
    // In the access log too, one line per request, as every request is.
    let lines = running.logged.lines.withLock { $0 }
    #expect(lines.count == 1 && lines[0].contains(" \(status) refused "), "\(lines)")
  }

  /// A client that sends a byte now and then keeps its connection no longer than the request
  /// may take to arrive (its head within 10 s, or the request timeout when shorter; the whole
  /// request within the timeout): answered 408, logged and closed, so slow clients cannot hold
  /// every connection. Between requests the connection waits the timeout, as before.
  @Test func aRequestTricklingInIsCutOffAtItsDeadline() async throws {
    let running = try await Running(requestTimeout: 1.5)
    let head = try Client(port: running.port)
    let body = try Client(port: running.port)
    head.send("POST / HTTP/1.1\r\nX-A: ")
    body.send("POST /b HTTP/1.1\r\nContent-Length: 100\r\n\r\n")
    // On a thread of its own, so a busy pool cannot hold the trickle back: a byte every
    // 250 ms for 3 s, twice the timeout. Without the deadlines both connections would be kept
    // as long as bytes come, and then closed without an answer.
    let trickle = Thread {
      for _ in 0..<12 {
        Thread.sleep(forTimeInterval: 0.25)
        head.send("a")
        body.send("b")
      }
    }
    trickle.start()
    let headRefused = await head.response()
    let bodyRefused = await body.response()
    #expect(headRefused?.status == 408)
    #expect(headRefused?.body == "the request's head did not arrive within 1.5 seconds\n")
    #expect(bodyRefused?.status == 408)
    #expect(bodyRefused?.body == "the request did not arrive within 1.5 seconds\n")
    #expect(
      running.logged.contains(prefix: "- - 408 refused the request's head did not arrive"),
      "\(running.logged.lines.withLock { $0 })")
    #expect(running.logged.contains(prefix: "POST /b 408 refused the request did not arrive"))
    await running.stop()
  }

  /// A connection that sends nothing is closed once the head timeout has passed since it was
  /// accepted, as Go's `ReadHeaderTimeout` (Vault's listener) counts it, without an answer
  /// (there is no request to answer). Until 2026-12-08 the deadline started at the first byte,
  /// and a silent connection was kept for the idle timeout (120 s): one local process could
  /// hold the 1024-connection cap for two minutes at a time. Between requests on a keep-alive
  /// connection the idle timeout applies, and the head deadline starts at the next request's
  /// first byte.
  @Test func aConnectionThatSendsNothingIsClosedAtTheHeadDeadline() async throws {
    let running = try await Running(requestTimeout: 120, headTimeout: 0.5)
    let silent = try Client(port: running.port)
    // The client's read gives up after 20 s (false), long before the idle timeout.
    #expect(await silent.isClosed())

    let kept = try Client(port: running.port)
    kept.send("GET /first HTTP/1.1\r\n\r\n")
    #expect(await kept.response()?.status == 200)
    try await Task.sleep(for: .seconds(1))
    kept.send("GET /second HTTP/1.1\r\n\r\n")
    #expect(await kept.response()?.body == "GET /second body=")
    await running.stop()
    let lines = running.logged.lines.withLock { $0 }
    #expect(lines.count == 2, "\(lines)")
  }

  /// A route may take larger bodies than the default and refuse them in its own protocol's
  /// shape (the Vault API: 32 MiB, a JSON `errors` body); others keep the default.
  @Test func aRouteSetsItsOwnBodyLimitAndRefusal() async throws {
    var routes = RouteTable()
    routes.mount(prefix: "/", name: "echo") { request in
      ServerResponse(status: 200, body: Array(String(request.body.count).utf8))
    }
    let refusal = ServerResponse.json(413, Array(#"{"errors":["too large"]}"#.utf8))
    routes.mount(
      prefix: "/big/", name: "big", bodyLimit: BodyLimit(bytes: 2 << 20, refusal: refusal)
    ) { request in
      ServerResponse(status: 200, body: Array(String(request.body.count).utf8))
    }
    let server = try CinchHTTPServer(
      address: ListenAddress(host: "127.0.0.1", port: 0, family: .ipv4), routes: routes,
      log: { _ in })
    let port = try server.start()
    let task = Task { try await server.run() }
    let body = String(repeating: "a", count: 1_500_000)

    let fits = try Client(port: port)
    fits.send("POST /big/x HTTP/1.1\r\nContent-Length: 1500000\r\n\r\n" + body)
    let accepted = try #require(await fits.response())
    #expect(accepted.status == 200)
    #expect(accepted.body == "1500000")
    for request in [
      "POST /big/x HTTP/1.1\r\nContent-Length: 3000000\r\n\r\n",
      "POST /big/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n300000\r\n",
    ] {
      let client = try Client(port: port)
      client.send(request)
      let refused = try #require(await client.response())
      #expect(refused.status == 413)
      #expect(refused.headers["content-type"] == "application/json")
      #expect(refused.body == #"{"errors":["too large"]}"#)
      #expect(await client.isClosed())
    }
    let small = try Client(port: port)
    small.send("POST /x HTTP/1.1\r\nContent-Length: 1500000\r\n\r\n")
    let standard = try #require(await small.response())
    #expect(standard.status == 413)
    #expect(standard.headers["content-type"] == "text/plain; charset=utf-8")
    await server.stop(drainTimeout: 1)
    task.cancel()
  }

  @Test func startingListensBeforeAnyTaskRunsAndOnlyOnce() async throws {
    let server = try CinchHTTPServer(
      address: ListenAddress(host: "127.0.0.1", port: 0, family: .ipv4), routes: RouteTable(),
      log: { _ in })
    let port = try server.start()
    // Accepted by the server's own thread: no task has run `run()` yet.
    let client = try Client(port: port)
    client.send("GET /nowhere HTTP/1.1\r\n\r\n")
    #expect(await client.response()?.status == 404)
    #expect(throws: HTTPServerError.self) { try server.start() }
    let task = Task { try await server.run() }
    await server.stop(drainTimeout: 1)
    try await task.value

    let neverStarted = try CinchHTTPServer(
      address: ListenAddress(host: "127.0.0.1", port: 0, family: .ipv4), routes: RouteTable(),
      log: { _ in })
    await neverStarted.stop(drainTimeout: 1)
    try await neverStarted.run()  // returns at once
    #expect(throws: HTTPServerError.self) { try neverStarted.start() }
  }

  @Test func aHeadTooLargeIsRefused() async throws {
    let running = try await Running()
    let client = try Client(port: running.port)
    client.send("GET / HTTP/1.1\r\nX-Long: " + String(repeating: "a", count: 70_000))
    #expect(await client.response()?.status == 431)
    await running.stop()
  }

  @Test func connectionsBeyondTheCapAreAnswered503() async throws {
    let running = try await Running(maximumConnections: 1)
    let first = try Client(port: running.port)
    first.send("GET /one HTTP/1.1\r\n\r\n")
    #expect(await first.response()?.status == 200)
    let second = try Client(port: running.port)
    #expect(await second.response()?.status == 503)
    #expect(await second.isClosed())
    await running.stop()
    #expect(running.logged.contains(prefix: "- - 503 refused connection limit (1) reached"))
  }

  @Test func stoppingClosesIdleConnectionsAndFinishesARequestInFlight() async throws {
    let running = try await Running(slow: true)
    let idle = try Client(port: running.port)
    idle.send("GET /warm HTTP/1.1\r\n\r\n")
    #expect(await idle.response()?.status == 200)
    let busy = try Client(port: running.port)
    busy.send("POST /late HTTP/1.1\r\nContent-Length: 4\r\n\r\nab")
    try await Task.sleep(for: .milliseconds(100))
    let stopping = Task { await running.stop() }
    try await Task.sleep(for: .milliseconds(100))
    busy.send("cd")
    let answer = try #require(await busy.response())
    #expect(answer.body == "POST /late body=abcd")
    #expect(answer.headers["connection"] == "close")
    #expect(await idle.isClosed())
    await stopping.value
    #expect(running.server.inFlight == 0)
  }
}
