import CinchAWS
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One client connection of `CinchHTTPServer`, served on its own thread: read a request (head,
/// then its body by `Content-Length` or chunks), hand it to the dispatcher, write the answer,
/// and again while the client keeps the connection alive. A request whose framing cannot be
/// trusted is answered with its error status and the connection closed.
///
/// Only its own thread touches its buffer (hence `@unchecked Sendable`: the thread's closure
/// must capture it); the server's shared state is behind the server's lock.
final class HTTPConnection: @unchecked Sendable {
  let id: Int
  let descriptor: Int32
  let server: CinchHTTPServer
  let timeout: TimeInterval
  /// How long a request's head may take to arrive (`CinchHTTPServer.headTimeout`).
  let headTimeout: TimeInterval
  /// When the connection was accepted: the first request's deadlines count from then.
  let accepted: ContinuousClock.Instant
  /// Received bytes not yet consumed: the request being read, and any pipelined after it.
  private var buffer: [UInt8] = []
  private var scratch = [UInt8](repeating: 0, count: 64 * 1024)
  /// Runs the handlers' jobs on this connection's thread.
  private let executor = ConnectionExecutor()
  /// A buffer grown past this for a large body gives its storage back once the body is read,
  /// rather than keeping it for the connection's life.
  static let keptBufferBytes = 1 << 20
  /// When the request being read must have arrived; nil between requests.
  private var headDeadline: ContinuousClock.Instant?
  private var requestDeadline: ContinuousClock.Instant?
  /// Whether the last `receive()` failed because a deadline passed.
  private var deadlinePassed = false
  /// The request being read, once its head is, for the access log's line if it is refused.
  private var refusing: (method: String, path: String, route: RouteTable.Route?)?

  init(
    id: Int, descriptor: Int32, server: CinchHTTPServer, timeout: TimeInterval,
    headTimeout: TimeInterval, accepted: ContinuousClock.Instant
  ) {
    self.id = id
    self.descriptor = descriptor
    self.server = server
    self.timeout = timeout
    self.headTimeout = headTimeout
    self.accepted = accepted
  }

  func serve() {
    defer { server.closeConnection(id) }
    setTimeouts()
    let peer = SocketAddress.peerAddress(of: descriptor)
    // The first request's deadlines count from the accept, as Go's `ReadHeaderTimeout` does
    // (Vault's listener): a connection that sends nothing is closed when its head is due
    // (silently: there is no request to answer), not kept for the idle timeout. A later
    // request's count from its first byte; between requests the idle timeout applies.
    var firstRequest = true
    while true {
      if firstRequest { setDeadlines(from: accepted) }
      if buffer.isEmpty {
        guard server.connection(id, busy: false), receive() else { return }
        _ = server.connection(id, busy: true)
      }
      let head: HTTPRequestHead
      let body: [UInt8]
      var target = HTTPRequestTarget.Parts(path: "", query: [], decodedPath: "", asSent: "")
      var route: RouteTable.Route?
      var limit = BodyLimit.standard
      if !firstRequest { setDeadlines(from: .now) }
      firstRequest = false
      defer { (headDeadline, requestDeadline, refusing) = (nil, nil, nil) }
      do throws(HTTPRequestError) {
        var scanner = HTTPHeadScanner(start: 0)
        var headEnd: Int?
        while true {
          headEnd = try scanner.scan(buffer, headStart: 0)
          if headEnd != nil { break }
          guard receive() else { return refuseIfLate() }
        }
        headDeadline = nil
        guard let headEnd else { return }
        head = try HTTPRequestHead.parse(buffer[0..<headEnd])
        // The route decides how large a body may be, before any of it is read.
        target = HTTPRequestTarget.split(head.target)
        route = server.dispatcher.route(for: target.path)
        refusing = (head.method, target.path, route)
        guard HTTPRequestHead.isServedMethod(head.method) else {
          throw .methodNotImplemented(head.method)
        }
        limit = route?.bodyLimit ?? .standard
        let consumed: Int
        switch try head.bodyFraming() {
        case .none:
          body = []
          consumed = headEnd
        case .length(let length):
          guard length <= limit.bytes else { throw .contentTooLarge }
          if head.expectsContinue, buffer.count < headEnd + length { continueRequest() }
          while buffer.count < headEnd + length {
            guard receive() else { return refuseIfLate() }
          }
          if length > Self.keptBufferBytes, buffer.count == headEnd + length {
            // A large body alone in the buffer is moved out rather than copied: held once.
            buffer.removeSubrange(0..<headEnd)
            body = buffer
            buffer = []
            consumed = 0
          } else {
            body = Array(buffer[headEnd..<(headEnd + length)])
            consumed = headEnd + length
          }
        case .chunked:
          if head.expectsContinue, buffer.count == headEnd { continueRequest() }
          var decoder = HTTPChunkedDecoder(start: headEnd)
          while true {
            try decoder.feed(buffer, maximumBody: limit.bytes)
            if decoder.isComplete { break }
            guard receive() else { return refuseIfLate() }
          }
          body = decoder.body
          consumed = decoder.position
        }
        if consumed == buffer.count {
          buffer.removeAll(keepingCapacity: buffer.capacity <= Self.keptBufferBytes)
        } else {
          buffer.removeSubrange(0..<consumed)
        }
      } catch {
        refuse(
          error == .contentTooLarge ? limit.refusal : .text(error.status, error.text),
          reason: error.text)
        return
      }

      let request = ServerRequest(
        method: head.method, path: target.path,
        rawPath: target.decodedPath, targetPath: target.asSent, query: target.query,
        headers: head.headers,
        body: body,
        remoteAddress: peer)
      guard
        let response = server.dispatcher.respond(
          to: request, route: route, on: executor, timeout: timeout)
      else {
        let late = ServerResponse.text(
          500, "the request was not answered within \(Int(timeout)) seconds")
        _ = Self.sendAll(
          Self.encode(late, keepAlive: false, minorVersion: head.minorVersion, includeBody: true),
          to: descriptor)
        return
      }
      let keepAlive = head.keepAlive && !server.isDraining
      let sent = Self.sendAll(
        Self.encode(
          response, keepAlive: keepAlive, minorVersion: head.minorVersion,
          includeBody: head.method != "HEAD"), to: descriptor)
      guard sent, keepAlive else { return }
    }
  }

  /// Reads what has arrived (blocking until something has); false at the end of the stream,
  /// on an error, or when nothing arrived within the timeout or before the request's deadline
  /// (`deadlinePassed`).
  private func receive() -> Bool {
    while true {
      if let deadline = headDeadline ?? requestDeadline {
        let left = ContinuousClock.now.duration(to: deadline)
        guard left > .zero else {
          deadlinePassed = true
          return false
        }
        setReceiveTimeout(seconds: min(Self.seconds(left), timeout))
      } else {
        setReceiveTimeout(seconds: timeout)
      }
      let count = scratch.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
      if count > 0 {
        buffer.append(contentsOf: scratch[0..<count])
        return true
      }
      if count < 0, errno == EINTR { continue }
      if count < 0, errno == EAGAIN || errno == EWOULDBLOCK,
        let deadline = headDeadline ?? requestDeadline, ContinuousClock.now >= deadline
      {
        deadlinePassed = true
      }
      return false
    }
  }

  /// The deadlines of a request whose time counts from `start`: its head within the head
  /// timeout (or the request timeout when shorter), the whole of it within the request timeout.
  private func setDeadlines(from start: ContinuousClock.Instant) {
    headDeadline = start + .milliseconds(Int(min(headTimeout, timeout) * 1000))
    requestDeadline = start + .milliseconds(Int(timeout * 1000))
  }

  /// A request that did not arrive in time is answered 408 (the client may still be there);
  /// any other end of the stream closes in silence.
  private func refuseIfLate() {
    guard deadlinePassed else { return }
    let what = headDeadline != nil ? "request's head" : "request"
    let limit = headDeadline != nil ? min(headTimeout, timeout) : timeout
    let text = "the \(what) did not arrive within \(Self.describe(limit)) seconds"
    refuse(.text(408, text), reason: text)
  }

  private static func seconds(_ duration: Duration) -> TimeInterval {
    let (seconds, attoseconds) = duration.components
    return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
  }

  private static func describe(_ seconds: TimeInterval) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
  }

  /// `100 Continue`: the client waits for it before sending the body.
  private func continueRequest() {
    _ = Self.sendAll(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8), to: descriptor)
  }

  /// Answers a request the server cannot read with `response` (logged with `reason`), then
  /// closes: the rest of what
  /// the client sends is read and dropped for a moment, so that it sees the answer rather than
  /// a reset connection.
  private func refuse(_ response: ServerResponse, reason: String) {
    server.dispatcher.logRefusal(
      response.status, reason, method: refusing?.method, path: refusing?.path,
      route: refusing?.route)
    guard
      Self.sendAll(
        Self.encode(response, keepAlive: false, minorVersion: 1, includeBody: true),
        to: descriptor)
    else { return }
    shutdown(descriptor, Int32(SHUT_WR))
    var linger = timeval(tv_sec: 1, tv_usec: 0)
    setsockopt(
      descriptor, SOL_SOCKET, SO_RCVTIMEO, &linger, socklen_t(MemoryLayout<timeval>.size))
    var drained = 0
    while drained < 4 * CinchHTTPServer.maximumBodyBytes {
      let count = scratch.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { break }
      drained += count
    }
  }

  private func setTimeouts() {
    var value = Self.socketTime(seconds: timeout)
    for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
      setsockopt(descriptor, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
    }
  }

  /// The receive timeout is the time left until the deadline while a request arrives, and the
  /// idle timeout between requests.
  private lazy var receiveTimeout: TimeInterval = timeout

  private func setReceiveTimeout(seconds: TimeInterval) {
    guard abs(seconds - receiveTimeout) >= 0.05 else { return }
    receiveTimeout = seconds
    var value = Self.socketTime(seconds: seconds)
    setsockopt(
      descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
  }

  private static func socketTime(seconds: TimeInterval) -> timeval {
    let seconds = max(seconds, 0.001)
    return timeval(
      tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
  }

  // MARK: Answers

  /// The status line, `Date`, the handler's headers, `Content-Length`, `Connection` when it is not
  /// HTTP/1.1's default, and the body: one buffer, written with one `send` when it fits.
  /// Set by the connection itself, never taken from a handler.
  static let framingHeaders = ["content-length", "connection", "transfer-encoding", "date"]

  static func encode(
    _ response: ServerResponse, keepAlive: Bool, minorVersion: Int, includeBody: Bool
  ) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(192 + response.headers.count * 48 + response.body.count)
    out += "HTTP/1.1 ".utf8
    out += String(response.status).utf8
    out.append(UInt8(ascii: " "))
    out += Dispatcher.phrase(response.status).utf8
    out += "\r\n".utf8
    out += HTTPDate.headerLine()
    // A header never ends early: no CR or LF from a handler reaches the wire.
    func appendLine(_ text: String) {
      if text.utf8.contains(where: { $0 == 0x0d || $0 == 0x0a }) {
        out += text.utf8.lazy.filter { $0 != 0x0d && $0 != 0x0a }
      } else {
        out += text.utf8
      }
    }
    for (name, value) in response.headers {
      if Self.framingHeaders.contains(where: { SigV4.asciiCaseInsensitiveEquals(name, $0) }) {
        continue
      }
      appendLine(name)
      out += ": ".utf8
      appendLine(value)
      out += "\r\n".utf8
    }
    // 204 and 304 carry no body and no length (RFC 9110 §8.6): a client would not read one.
    let bodyless = response.status == 204 || response.status == 304
    if !bodyless {
      out += "Content-Length: ".utf8
      out += String(response.body.count).utf8
      out += "\r\n".utf8
    }
    if !keepAlive {
      out += "Connection: close\r\n".utf8
    } else if minorVersion == 0 {
      out += "Connection: keep-alive\r\n".utf8
    }
    out += "\r\n".utf8
    if includeBody, !bodyless { out += response.body }
    return out
  }

  /// Writes all of `bytes`; false when the connection failed or the client stopped reading for
  /// longer than the send timeout.
  static func sendAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
    bytes.withUnsafeBytes { raw in
      guard let base = raw.baseAddress else { return true }
      var offset = 0
      while offset < raw.count {
        #if canImport(Glibc)
          let sent = send(descriptor, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
        #else
          let sent = send(descriptor, base + offset, raw.count - offset, 0)
        #endif
        if sent > 0 {
          offset += sent
        } else if sent < 0, errno == EINTR {
          continue
        } else {
          return false
        }
      }
      return true
    }
  }
}
