import Foundation

/// The head of an HTTP/1.x request as it arrived: request line and header fields, parsed from
/// bytes without Foundation. `HTTPHeadScanner` finds where a head ends in a growing buffer;
/// `parse` turns its bytes into this value or a reason to answer 400.
struct HTTPRequestHead: Sendable, Equatable {
  var method: String
  /// The request target as sent: an origin-form path with an optional `?query`.
  var target: String
  /// `1` for HTTP/1.1, `0` for HTTP/1.0.
  var minorVersion: Int
  /// Field names as sent, values without surrounding whitespace, in order, repeats kept.
  var headers: [(name: String, value: String)]

  static func == (lhs: HTTPRequestHead, rhs: HTTPRequestHead) -> Bool {
    lhs.method == rhs.method && lhs.target == rhs.target && lhs.minorVersion == rhs.minorVersion
      && lhs.headers.elementsEqual(rhs.headers) { $0.name == $1.name && $0.value == $1.value }
  }

  /// The first value of a field, by case-insensitive name (`name` in lower case).
  func header(_ name: String) -> String? {
    headers.first { HTTPRequestHead.equalsLowercased($0.name, name) }?.value
  }

  /// Every value of a field, by case-insensitive name (`name` in lower case).
  func headers(_ name: String) -> [String] {
    headers.filter { HTTPRequestHead.equalsLowercased($0.name, name) }.map(\.value)
  }

  /// Whether the connection stays open after the answer: HTTP/1.1 unless `Connection: close`,
  /// HTTP/1.0 only with `Connection: keep-alive`.
  var keepAlive: Bool {
    let tokens = headers("connection").flatMap { value in
      value.split(separator: ",").map { $0.trimmingASCIIWhitespace().lowercased() }
    }
    if tokens.contains("close") { return false }
    return minorVersion >= 1 || tokens.contains("keep-alive")
  }

  /// Whether the client waits for `100 Continue` before sending the body.
  var expectsContinue: Bool {
    minorVersion >= 1 && header("expect").map { $0.lowercased() == "100-continue" } == true
  }

  /// How the body is framed: by `Content-Length`, chunked, or absent.
  func bodyFraming() throws(HTTPRequestError) -> HTTPBodyFraming {
    let encodings = headers("transfer-encoding")
    let lengths = headers("content-length")
    if !encodings.isEmpty {
      // RFC 9112 §6.1: both is a framing error; `chunked` must be the final coding.
      guard lengths.isEmpty else {
        throw .badRequest("a request with both Content-Length and Transfer-Encoding")
      }
      let codings = encodings.flatMap { $0.split(separator: ",") }.map {
        $0.trimmingASCIIWhitespace().lowercased()
      }
      guard codings == ["chunked"] else {
        throw .badRequest("unsupported Transfer-Encoding (only chunked is accepted)")
      }
      return .chunked
    }
    guard let first = lengths.first else { return .none }
    // Repeated fields must agree (RFC 9110 §8.6); a list of equal values is allowed.
    let listed = lengths.flatMap { $0.split(separator: ",") }.map { $0.trimmingASCIIWhitespace() }
    if let other = listed.first(where: { $0 != listed[0] }) {
      // The client's bytes, escaped as an access-log field: the text is logged too.
      func quoted(_ text: String) -> String { AccessLogField.escaped(String(text.prefix(40))) }
      throw .badRequest(
        "differing Content-Length values '\(quoted(listed[0]))' and '\(quoted(other))'")
    }
    let values = Set(listed)
    guard values.count == 1, let text = values.first, !text.isEmpty, text.utf8.count <= 18,
      text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
      let length = Int(text)
    else {
      // The client's bytes, escaped as an access-log field: the text is logged too.
      throw .badRequest(
        "an invalid Content-Length '\(AccessLogField.escaped(String(first.prefix(40))))'")
    }
    return length == 0 ? .none : .length(length)
  }

  private static func equalsLowercased(_ name: String, _ lowercased: String) -> Bool {
    guard name.utf8.count == lowercased.utf8.count else { return false }
    return zip(name.utf8, lowercased.utf8).allSatisfy { a, b in
      (a >= UInt8(ascii: "A") && a <= UInt8(ascii: "Z") ? a | 0x20 : a) == b
    }
  }

  // MARK: Parsing

  /// The most header fields a request may carry.
  static let maximumFields = 128

  /// Parses the head in `bytes` (request line, fields, and the empty line that ends them).
  static func parse(_ bytes: ArraySlice<UInt8>) throws(HTTPRequestError) -> HTTPRequestHead {
    var lines: [ArraySlice<UInt8>] = []
    lines.reserveCapacity(16)
    var start = bytes.startIndex
    var index = bytes.startIndex
    while index < bytes.endIndex {
      if bytes[index] == UInt8(ascii: "\n") {
        var line = bytes[start..<index]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        if line.isEmpty {
          if lines.isEmpty {
            // RFC 9112 §2.2: empty lines before the request line are ignored.
            start = index + 1
            index += 1
            continue
          }
          break
        }
        lines.append(line)
        start = index + 1
      }
      index += 1
    }
    guard let requestLine = lines.first else { throw .badRequest("no request line") }
    let parts = requestLine.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)
    guard parts.count == 3, parts[0].allSatisfy(isTokenByte) else {
      throw .badRequest("a malformed request line")
    }
    let minorVersion: Int
    switch String(decoding: parts[2], as: UTF8.self) {
    case "HTTP/1.1": minorVersion = 1
    case "HTTP/1.0": minorVersion = 0
    default: throw .versionNotSupported
    }
    guard lines.count - 1 <= maximumFields else { throw .headerFieldsTooLarge }
    var headers: [(name: String, value: String)] = []
    headers.reserveCapacity(lines.count - 1)
    for line in lines.dropFirst() {
      // No whitespace before the colon, no obsolete line folding (RFC 9112 §5.1, §5.2).
      guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
        line[line.startIndex..<colon].allSatisfy(isTokenByte)
      else { throw .badRequest("a malformed header field") }
      var value = line[(colon + 1)...]
      while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
      while let last = value.last, last == 0x20 || last == 0x09 { value = value.dropLast() }
      // No control character but HTAB in a value (RFC 9110 §5.5: a NUL, a bare CR, DEL are
      // invalid); bytes from 0x80 (obs-text) are taken.
      guard !value.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7f }) else {
        throw .badRequest("a control character in a header field value")
      }
      headers.append(
        (
          name: String(decoding: line[line.startIndex..<colon], as: UTF8.self),
          value: String(decoding: value, as: UTF8.self)
        ))
    }
    return HTTPRequestHead(
      method: String(decoding: parts[0], as: UTF8.self),
      target: String(decoding: parts[1], as: UTF8.self), minorVersion: minorVersion,
      headers: headers)
  }

  /// The methods a route may serve: RFC 9110's (§9.3), PATCH (RFC 5789) and Vault's LIST.
  /// Methods are case-sensitive (RFC 9110 §9.1): `get` is not one of them.
  static let servedMethods: Set<String> = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "LIST",
  ]

  /// Whether `method` is one a route may serve; another is answered `501 Not Implemented`, as
  /// RFC 9110 §9.1 says of "a request method that is unrecognized or not implemented".
  static func isServedMethod(_ method: String) -> Bool {
    servedMethods.contains(method)
  }

  /// RFC 9110 §5.6.2 `tchar`.
  static func isTokenByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      true
    case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"),
      UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
      UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
      UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
      true
    default: false
    }
  }
}

/// How a request's body is delimited.
enum HTTPBodyFraming: Sendable, Equatable {
  case none
  case length(Int)
  case chunked
}

/// A request the server answers with an error status and then closes the connection: its
/// framing can no longer be trusted.
enum HTTPRequestError: Error, Sendable, Equatable {
  case badRequest(String)
  case headerFieldsTooLarge
  case versionNotSupported
  case contentTooLarge
  /// A method no route serves (`HTTPRequestHead.isServedMethod`): the method as sent.
  case methodNotImplemented(String)

  var status: Int {
    switch self {
    case .badRequest: 400
    case .headerFieldsTooLarge: 431
    case .versionNotSupported: 505
    case .contentTooLarge: 413
    case .methodNotImplemented: 501
    }
  }

  var text: String {
    switch self {
    case .badRequest(let reason): "bad request: \(reason)"
    case .methodNotImplemented(let method):
      // The client's bytes, escaped as an access-log field: the text is logged too.
      "method '\(AccessLogField.escaped(String(method.prefix(40))))' is not implemented "
        + "(methods are case-sensitive)"
    case .headerFieldsTooLarge: "request header fields too large"
    case .versionNotSupported: "only HTTP/1.1 and HTTP/1.0 are served"
    case .contentTooLarge:
      "request body larger than \(CinchHTTPServer.maximumBodyBytes) bytes"
    }
  }
}

/// Finds the end of a request head (the empty line after the fields) in a buffer that grows
/// as bytes arrive, resuming where the last scan stopped, so a head that trickles in byte by
/// byte is still scanned once.
struct HTTPHeadScanner {
  /// The largest head accepted: request line and fields together.
  static let maximumHeadBytes = 64 * 1024

  private var position: Int
  private var lineStart: Int
  private var sawRequestLine = false

  init(start: Int) {
    position = start
    lineStart = start
  }

  /// The index just past the head's final empty line, or nil while it has not arrived.
  /// Throws when the head grows past `maximumHeadBytes`.
  mutating func scan(_ buffer: [UInt8], headStart: Int) throws(HTTPRequestError) -> Int? {
    while position < buffer.count {
      let byte = buffer[position]
      position += 1
      guard byte == UInt8(ascii: "\n") else { continue }
      let length = position - 1 - lineStart
      let empty = length == 0 || (length == 1 && buffer[lineStart] == UInt8(ascii: "\r"))
      lineStart = position
      if empty {
        if sawRequestLine { return position }
      } else {
        sawRequestLine = true
      }
    }
    if position - headStart > Self.maximumHeadBytes { throw .headerFieldsTooLarge }
    return nil
  }
}

/// Decodes a chunked body (RFC 9112 §7.1) from a buffer that grows as bytes arrive; chunk
/// extensions and trailer fields are read and dropped.
struct HTTPChunkedDecoder {
  private enum State {
    case size
    case data(remaining: Int)
    case dataEnd
    case trailers
    case done
  }

  private var state = State.size
  private var lineStart: Int
  private(set) var body: [UInt8] = []
  /// Where decoding goes on in the buffer.
  private(set) var position: Int

  init(start: Int) {
    position = start
    lineStart = start
  }

  var isComplete: Bool {
    if case .done = state { return true }
    return false
  }

  /// Decodes what `buffer` holds from `position` on; `isComplete` tells whether the body ended.
  mutating func feed(_ buffer: [UInt8], maximumBody: Int) throws(HTTPRequestError) {
    while position < buffer.count {
      switch state {
      case .size, .trailers:
        guard let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) else {
          position = buffer.count
          guard position - lineStart <= 4096 else { throw .badRequest("a chunk line too long") }
          return
        }
        var line = buffer[lineStart..<newline]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        position = newline + 1
        lineStart = position
        if case .trailers = state {
          if line.isEmpty { state = .done }
          continue
        }
        if let semicolon = line.firstIndex(of: UInt8(ascii: ";")) { line = line[..<semicolon] }
        while let last = line.last, last == 0x20 || last == 0x09 { line = line.dropLast() }
        guard !line.isEmpty, line.count <= 15,
          let size = Int(String(decoding: line, as: UTF8.self), radix: 16), size >= 0
        else { throw .badRequest("a malformed chunk size") }
        if size == 0 {
          state = .trailers
        } else {
          guard body.count + size <= maximumBody else { throw .contentTooLarge }
          state = .data(remaining: size)
        }
      case .data(let remaining):
        let take = min(remaining, buffer.count - position)
        body.append(contentsOf: buffer[position..<(position + take)])
        position += take
        state = take == remaining ? .dataEnd : .data(remaining: remaining - take)
      case .dataEnd:
        if buffer[position] == UInt8(ascii: "\r") {
          position += 1
          continue
        }
        guard buffer[position] == UInt8(ascii: "\n") else {
          throw .badRequest("a chunk not followed by CRLF")
        }
        position += 1
        lineStart = position
        state = .size
      case .done:
        return
      }
    }
  }
}

extension Substring {
  func trimmingASCIIWhitespace() -> String {
    var slice = self[...]
    while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
    while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
    return String(slice)
  }
}
