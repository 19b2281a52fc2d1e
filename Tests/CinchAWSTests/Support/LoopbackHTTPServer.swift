import Foundation
import Synchronization
import _CinchTestSupport

/// A small HTTP/1.1 server on 127.0.0.1 for the transport's tests: every request is answered by
/// `respond` on its connection's own thread, and connections stay open between requests
/// (keep-alive), so a test can count how many the client opened. `stop()` closes everything.
final class LoopbackHTTPServer: Sendable {
  struct Request: Sendable {
    var method: String
    var path: String
    /// Names as the client sent them.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
      headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
  }

  struct Response: Sendable {
    var status: Int
    var reason: String = "Answer"
    var headers: [(name: String, value: String)] = []
    var body: [UInt8] = []
    /// Bytes sent before the response itself (an interim `100 Continue`, say).
    var preamble: String = ""
  }

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  let port: Int
  let url: URL
  private let listener: Int32
  private let respond: @Sendable (Request) -> Response
  private let state = Mutex<(accepted: Int, open: Set<Int32>, requests: [Request], stopped: Bool)>(
    (0, [], [], false))

  init(respond: @escaping @Sendable (Request) -> Response) throws {
    let (listener, port) = try LoopbackSocket.listening()
    guard let url = URL(string: "http://127.0.0.1:\(port)") else {
      close(listener)
      throw Failure(description: "no URL for port \(port)")
    }
    self.listener = listener
    self.port = port
    self.url = url
    self.respond = respond
    Thread.detachNewThread { [self] in acceptLoop() }
  }

  /// Connections accepted so far.
  var accepted: Int { state.withLock { $0.accepted } }
  var requests: [Request] { state.withLock { $0.requests } }

  func stop() {
    let open = state.withLock { state -> Set<Int32> in
      state.stopped = true
      return state.open
    }
    shutdown(listener, Int32(SHUT_RDWR))
    for descriptor in open { shutdown(descriptor, Int32(SHUT_RDWR)) }
  }

  private func acceptLoop() {
    defer { close(listener) }
    while true {
      let connection = accept(listener, nil, nil)
      // A signal (the suite's child processes exiting) interrupts the call: not the end.
      if connection < 0, errno == EINTR { continue }
      guard connection >= 0 else { return }
      let admitted = state.withLock { state -> Bool in
        guard !state.stopped else { return false }
        state.accepted += 1
        state.open.insert(connection)
        return true
      }
      guard admitted else {
        close(connection)
        return
      }
      Thread.detachNewThread { [self] in serve(connection) }
    }
  }

  /// Answers requests on one connection until the client closes it or the server stops.
  private func serve(_ connection: Int32) {
    defer {
      state.withLock { _ = $0.open.remove(connection) }
      close(connection)
    }
    var buffer: [UInt8] = []
    while let request = Self.read(connection, &buffer) {
      state.withLock { $0.requests.append(request) }
      let response = respond(request)
      var head = response.preamble + "HTTP/1.1 \(response.status) \(response.reason)\r\n"
      for header in response.headers { head += "\(header.name): \(header.value)\r\n" }
      head += "Content-Length: \(response.body.count)\r\n\r\n"
      guard Self.write(connection, Array(head.utf8) + response.body) else { return }
    }
  }

  /// The next request on the connection, nil at its end.
  private static func read(_ connection: Int32, _ buffer: inout [UInt8]) -> Request? {
    let separator: [UInt8] = Array("\r\n\r\n".utf8)
    var headEnd: Int?
    while headEnd == nil {
      headEnd = buffer.firstRange(of: separator)?.lowerBound
      if headEnd == nil, !fill(connection, &buffer) { return nil }
    }
    guard let headEnd else { return nil }
    let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
    var lines = head.components(separatedBy: "\r\n")
    let requestLine = lines.removeFirst().split(separator: " ")
    guard requestLine.count >= 2 else { return nil }
    let headers = lines.compactMap { line -> (name: String, value: String)? in
      guard let colon = line.firstIndex(of: ":") else { return nil }
      return (
        String(line[..<colon]),
        line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      )
    }
    let length =
      headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
    let bodyStart = headEnd + separator.count
    while buffer.count < bodyStart + length {
      guard fill(connection, &buffer) else { return nil }
    }
    let body = Array(buffer[bodyStart..<bodyStart + length])
    buffer.removeFirst(bodyStart + length)
    return Request(
      method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
  }

  private static func fill(_ connection: Int32, _ buffer: inout [UInt8]) -> Bool {
    var chunk = [UInt8](repeating: 0, count: 65_536)
    var count: Int
    repeat {
      count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
    } while count < 0 && errno == EINTR
    guard count > 0 else { return false }
    buffer += chunk[..<count]
    return true
  }

  private static func write(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let sent = bytes[offset...].withUnsafeBytes {
        send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
      }
      if sent < 0, errno == EINTR { continue }
      guard sent > 0 else { return false }
      offset += sent
    }
    return true
  }
}
