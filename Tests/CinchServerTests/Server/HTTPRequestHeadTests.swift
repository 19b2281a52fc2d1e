import Foundation
import Testing

@testable import CinchServer

/// The server's request parsing: heads, body framing, chunked bodies, request targets.
struct HTTPRequestHeadTests {
  func parse(_ text: String) throws(HTTPRequestError) -> HTTPRequestHead {
    try HTTPRequestHead.parse(ArraySlice(Array(text.utf8)))
  }

  @Test func aTypicalSignedRequest() throws {
    let head = try parse(
      "POST / HTTP/1.1\r\nHost: 127.0.0.1:4583\r\nX-Amz-Target:AmazonSSM.GetParameter\r\n"
        + "Content-Length:  27 \r\nX-Amz-Date: 20260101T000000Z\r\nx-amz-date: second\r\n\r\n")
    #expect(head.method == "POST")
    #expect(head.target == "/")
    #expect(head.minorVersion == 1)
    #expect(
      head.headers.map(\.name) == [
        "Host", "X-Amz-Target", "Content-Length", "X-Amz-Date", "x-amz-date",
      ])
    #expect(head.header("x-amz-target") == "AmazonSSM.GetParameter")
    #expect(head.headers("x-amz-date") == ["20260101T000000Z", "second"])
    #expect(try head.bodyFraming() == .length(27))
    #expect(head.keepAlive)
    #expect(!head.expectsContinue)
  }

  @Test func bareLineFeedsAndLeadingEmptyLines() throws {
    let head = try parse("\r\n\nGET /health HTTP/1.0\nConnection: Keep-Alive\n\n")
    #expect(head.target == "/health")
    #expect(head.minorVersion == 0)
    #expect(head.keepAlive)
    #expect(try head.bodyFraming() == .none)
  }

  @Test(arguments: [
    ("HTTP/1.1", "", true), ("HTTP/1.1", "Connection: close\r\n", false),
    ("HTTP/1.1", "Connection: keep-alive, Close\r\n", false), ("HTTP/1.0", "", false),
    ("HTTP/1.0", "Connection: keep-alive\r\n", true),
  ])
  func keepAlive(version: String, field: String, expected: Bool) throws {
    #expect(try parse("GET / \(version)\r\n\(field)\r\n").keepAlive == expected)
  }

  @Test(arguments: [
    ("GET /\r\n\r\n", HTTPRequestError.badRequest("a malformed request line")),
    ("GET / HTTP/2.0\r\n\r\n", .versionNotSupported),
    ("G(T / HTTP/1.1\r\n\r\n", .badRequest("a malformed request line")),
    ("GET / HTTP/1.1\r\nHost : x\r\n\r\n", .badRequest("a malformed header field")),
    ("GET / HTTP/1.1\r\nno colon\r\n\r\n", .badRequest("a malformed header field")),
    ("GET / HTTP/1.1\r\nA: 1\r\n folded\r\n\r\n", .badRequest("a malformed header field")),
    ("GET / HTTP/1.1\r\n: empty name\r\n\r\n", .badRequest("a malformed header field")),
  ])
  func malformedHeads(text: String, error: HTTPRequestError) {
    #expect(throws: error) { try parse(text) }
  }

  @Test func tooManyFields() {
    let fields = (0...HTTPRequestHead.maximumFields).map { "X-\($0): v\r\n" }.joined()
    #expect(throws: HTTPRequestError.headerFieldsTooLarge) {
      try parse("GET / HTTP/1.1\r\n\(fields)\r\n")
    }
  }

  @Test(arguments: [
    ("Content-Length: 12\r\nContent-Length: 12\r\n", HTTPBodyFraming.length(12)),
    ("Content-Length: 0\r\n", .none),
    ("Transfer-Encoding: chunked\r\n", .chunked),
    ("Transfer-Encoding: Chunked\r\n", .chunked),
  ])
  func framing(fields: String, expected: HTTPBodyFraming) throws {
    #expect(try parse("POST / HTTP/1.1\r\n\(fields)\r\n").bodyFraming() == expected)
  }

  @Test(arguments: [
    "Content-Length: 12\r\nContent-Length: 13\r\n", "Content-Length: -1\r\n",
    "Content-Length: 1e3\r\n", "Content-Length: \r\n", "Content-Length: 99999999999999999999\r\n",
    "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "Transfer-Encoding: gzip\r\n",
    "Transfer-Encoding: chunked, gzip\r\n",
  ])
  func refusedFraming(fields: String) throws {
    let head = try parse("POST / HTTP/1.1\r\n\(fields)\r\n")
    #expect(throws: HTTPRequestError.self) { try head.bodyFraming() }
  }

  /// Repeated `Content-Length` fields that disagree are refused as such, not as the first
  /// value being invalid.
  @Test func differingContentLengthsAreSaidToDiffer() throws {
    let head = try parse("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")
    #expect(throws: HTTPRequestError.badRequest("differing Content-Length values '5' and '6'")) {
      try head.bodyFraming()
    }
    let list = try parse("POST / HTTP/1.1\r\nContent-Length: 5, 7\r\n\r\n")
    #expect(throws: HTTPRequestError.badRequest("differing Content-Length values '5' and '7'")) {
      try list.bodyFraming()
    }
    let invalid = try parse("POST / HTTP/1.1\r\nContent-Length: 5x\r\n\r\n")
    #expect(throws: HTTPRequestError.badRequest("an invalid Content-Length '5x'")) {
      try invalid.bodyFraming()
    }
  }

  /// A field value holds no control character but horizontal tab (RFC 9110 §5.5: a NUL, a
  /// bare CR, DEL…); other bytes above 0x7F (obs-text) are taken.
  @Test(arguments: ["a\u{0}b", "a\rb", "a\u{7F}", "\u{1B}[31m", "a\u{1}"])
  func controlCharactersInAFieldValueAreRefused(value: String) {
    #expect(throws: HTTPRequestError.badRequest("a control character in a header field value")) {
      try parse("GET / HTTP/1.1\r\nX-A: \(value)\r\n\r\n")
    }
  }

  @Test func aTabAndObsTextInAFieldValueAreTaken() throws {
    let head = try parse("GET / HTTP/1.1\r\nX-A: a\tb é\r\n\r\n")
    #expect(head.header("x-a") == "a\tb é")
  }

  /// The methods the server serves (RFC 9110's, PATCH, and Vault's LIST), matched with case:
  /// another is `501 Not Implemented` (RFC 9110 §9.1).
  @Test func methodsAreKnownWithTheirCase() {
    for method in ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "LIST"] {
      #expect(HTTPRequestHead.isServedMethod(method), "\(method)")
    }
    for method in ["get", "Post", "BREW", "list"] {
      #expect(!HTTPRequestHead.isServedMethod(method), "\(method)")
    }
  }

  @Test func expectContinue() throws {
    #expect(try parse("POST / HTTP/1.1\r\nExpect: 100-Continue\r\n\r\n").expectsContinue)
    #expect(try !parse("POST / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n").expectsContinue)
  }

  // MARK: Scanning

  @Test func theScannerFindsTheEndOfAHeadArrivingByteByByte() throws {
    let text = Array("POST / HTTP/1.1\r\nA: 1\r\n\r\nBODY".utf8)
    var scanner = HTTPHeadScanner(start: 0)
    var buffer: [UInt8] = []
    var end: Int?
    for byte in text where end == nil {
      buffer.append(byte)
      end = try scanner.scan(buffer, headStart: 0)
    }
    #expect(end == text.count - 4)
  }

  @Test func theScannerRefusesAnEndlessHead() {
    var scanner = HTTPHeadScanner(start: 0)
    let buffer =
      Array("GET / HTTP/1.1\r\n".utf8)
      + [UInt8](repeating: UInt8(ascii: "a"), count: HTTPHeadScanner.maximumHeadBytes)
    #expect(throws: HTTPRequestError.headerFieldsTooLarge) {
      try scanner.scan(buffer, headStart: 0)
    }
  }

  // MARK: Chunked bodies

  @Test func aChunkedBodyInPieces() throws {
    let wire = Array(
      "4;ext=1\r\nWiki\r\n6\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nT: x\r\n\r\nNEXT".utf8)
    var decoder = HTTPChunkedDecoder(start: 0)
    var buffer: [UInt8] = []
    for byte in wire {
      buffer.append(byte)
      try decoder.feed(buffer, maximumBody: 1024)
      if decoder.isComplete { break }
    }
    #expect(decoder.isComplete)
    #expect(String(decoding: decoder.body, as: UTF8.self) == "Wikipedia in \r\n\r\nchunks.")
    #expect(decoder.position == wire.count - 4)
  }

  @Test func chunkedBodiesAreLimitedAndChecked() {
    var large = HTTPChunkedDecoder(start: 0)
    #expect(throws: HTTPRequestError.contentTooLarge) {
      try large.feed(Array("401\r\n".utf8), maximumBody: 1024)
    }
    var malformed = HTTPChunkedDecoder(start: 0)
    #expect(throws: HTTPRequestError.self) {
      try malformed.feed(Array("zz\r\n".utf8), maximumBody: 9)
    }
    var unterminated = HTTPChunkedDecoder(start: 0)
    #expect(throws: HTTPRequestError.self) {
      try unterminated.feed(Array("1\r\nab".utf8), maximumBody: 9)
    }
  }

  // MARK: Targets

  /// Plain paths are taken as they are; they are exactly what Foundation's standardized path
  /// gives for them, so the fast path changes nothing.
  @Test(arguments: [
    "/", "/health", "/v1/secret/data/app", "/v1/sys/mounts/transit", "/a.b/c~d/e-f_g", "/.../x",
  ])
  func plainPaths(path: String) {
    #expect(HTTPRequestTarget.isPlainPath(path))
    #expect(HTTPRequestTarget.split(path).path == URL(string: path)?.standardized.path)
    #expect(HTTPRequestTarget.split(path).query.isEmpty)
  }

  @Test(arguments: [
    ("/v1/secret/metadata/", "/v1/secret/metadata/"), ("/v1/a%20b/c", "/v1/a b/c"),
    ("/v1/secret/data/l/", "/v1/secret/data/l/"), ("/v1/./x/../y/", "/v1/y/"),
    ("/v1/./x/../y", "/v1/y"), ("/v1/secret/data/x%2Fy", "/v1/secret/data/x/y"), ("", ""),
    ("/%7Efoo", "/~foo"), ("//v1/a", "//v1/a"),
  ])
  func otherPathsGoThroughFoundation(target: String, path: String) {
    #expect(!HTTPRequestTarget.isPlainPath(target))
    #expect(HTTPRequestTarget.split(target).path == path)
  }

  /// The path as sent, decoded but with its dot segments, for a route that answers them with
  /// a redirect (Vault's, as Go's mux does) rather than serving the path they resolve to.
  @Test(arguments: [
    ("/v1/secret/data/app", "/v1/secret/data/app"), ("/v1/./x/../y/", "/v1/./x/../y/"),
    ("/v1/secret/data/zz/../k?version=2", "/v1/secret/data/zz/../k"),
    ("/v1/a/%2e%2e/b", "/v1/a/../b"), ("/v1//a", "/v1//a"), ("/v1/a%20b", "/v1/a b"),
    // An origin-form target is a path: `//v1/…` has an empty first segment, no authority.
    ("//v1/auth/token/lookup/T", "//v1/auth/token/lookup/T"),
  ])
  func theDecodedPathKeepsItsDotSegments(target: String, path: String) {
    #expect(HTTPRequestTarget.split(target).decodedPath == path)
  }

  /// What a SigV4 signature covers: the path as sent, percent-encoding kept, no query.
  @Test(arguments: [
    ("/", "/"), ("/a%20b", "/a%20b"), ("/a%2Fb?x=1", "/a%2Fb"), ("//v1/x", "//v1/x"),
  ])
  func thePathAsSentKeepsItsEncoding(target: String, path: String) {
    #expect(HTTPRequestTarget.split(target).asSent == path)
  }

  @Test func queries() {
    let parts = HTTPRequestTarget.split("/v1/secret/metadata/?list=true&a=%20b&flag")
    let (path, query) = (parts.path, parts.query)
    #expect(path == "/v1/secret/metadata/")
    #expect(query.map(\.name) == ["list", "a", "flag"])
    #expect(query.map(\.value) == ["true", " b", ""])
  }
}
