import Foundation
import Testing
import _CinchTestSupport

@testable import CinchAWS

/// The real transport (libcurl, loaded on first use) against a server on the loopback
/// interface: what it sends, what it hands back, and how each kind of failure reads.
@Suite struct CurlTransportTests {
  static func url(_ server: LoopbackHTTPServer, _ path: String) throws -> URL {
    try #require(URL(string: path, relativeTo: server.url)?.absoluteURL)
  }

  @Test func aNon200AnswerComesBackWithItsBodyAndLowerCasedHeaders() async throws {
    let server = try LoopbackHTTPServer { _ in
      .init(
        status: 400, reason: "Bad Request",
        headers: [
          ("Content-Type", "application/x-amz-json-1.1"), ("X-Amzn-RequestId", "req-1"),
          ("X-Amzn-ErrorType", "ParameterNotFound"),
        ],
        body: Array(#"{"__type":"ParameterNotFound","message":"none"}"#.utf8))
    }
    defer { server.stop() }
    let response = try await CurlTransport().send(
      HTTPRequest(method: "POST", url: server.url, body: Array("{}".utf8), timeout: 10))
    #expect(response.status == 400)
    #expect(String(decoding: response.body, as: UTF8.self).contains("ParameterNotFound"))
    #expect(response.headers["x-amzn-requestid"] == "req-1")
    #expect(response.headers["x-amzn-errortype"] == "ParameterNotFound")
    #expect(response.headers["content-type"] == "application/x-amz-json-1.1")
    #expect(response.headers["content-length"] == "47")
    #expect(response.headers.keys.allSatisfy { $0 == $0.lowercased() })
  }

  @Test func theRequestGoesOutAsGiven() async throws {
    let server = try LoopbackHTTPServer { _ in .init(status: 200) }
    defer { server.stop() }
    let transport = CurlTransport()
    let body = Array(#"{"Name":"/a/b","WithDecryption":true}"#.utf8)
    _ = try await transport.send(
      HTTPRequest(
        method: "POST", url: try Self.url(server, "/path?x=1"),
        headers: [
          ("Content-Type", "application/x-amz-json-1.1"),
          ("X-Amz-Target", "AmazonSSM.GetParameter"),
          ("X-Empty", ""),
        ], body: body, timeout: 10))
    _ = try await transport.send(
      HTTPRequest(
        method: "PUT", url: try Self.url(server, "/latest/api/token"),
        headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")], timeout: 10))
    _ = try await transport.send(
      HTTPRequest(method: "GET", url: try Self.url(server, "/creds"), timeout: 10))
    let requests = server.requests
    try #require(requests.count == 3)
    let post = requests[0]
    #expect(post.method == "POST")
    #expect(post.path == "/path?x=1")
    #expect(post.body == body)
    #expect(post.header("content-type") == "application/x-amz-json-1.1")
    #expect(post.header("x-amz-target") == "AmazonSSM.GetParameter")
    #expect(post.header("x-empty") == "")
    #expect(post.header("content-length") == String(body.count))
    #expect(post.header("host") == "127.0.0.1:\(server.port)")
    #expect(post.header("user-agent") == "cinch")
    #expect(post.header("expect") == nil)
    #expect(post.header("cookie") == nil)
    // An empty PUT still says its length, and no form Content-Type is made up for it.
    let put = requests[1]
    #expect(put.method == "PUT")
    #expect(put.header("content-length") == "0")
    #expect(put.header("content-type") == nil)
    #expect(put.header("x-aws-ec2-metadata-token-ttl-seconds") == "21600")
    let get = requests[2]
    #expect(get.method == "GET")
    #expect(get.header("content-length") == nil)
    #expect(get.body.isEmpty)
  }

  @Test func onlyTheFinalResponsesHeadersAreKept() async throws {
    let server = try LoopbackHTTPServer { _ in
      .init(
        status: 200, headers: [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")],
        body: Array("done".utf8),
        preamble: "HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n")
    }
    defer { server.stop() }
    let response = try await CurlTransport().send(
      HTTPRequest(method: "POST", url: server.url, body: [1, 2, 3], timeout: 10))
    #expect(response.status == 200)
    #expect(response.headers["x-interim"] == nil)
    #expect(response.headers["set-cookie"] == "a=1, b=2")
    #expect(response.body == Array("done".utf8))
  }

  @Test func aLargeBodyArrivesWhole() async throws {
    let large = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 11) }
    let server = try LoopbackHTTPServer { request in
      .init(status: 200, body: request.body.isEmpty ? large : request.body)
    }
    defer { server.stop() }
    let transport = CurlTransport()
    let response = try await transport.send(
      HTTPRequest(method: "GET", url: server.url, timeout: 10))
    #expect(response.body.count == large.count)
    #expect(response.body == large)
    // And up: the body sent is the body the server read.
    let echoed = try await transport.send(
      HTTPRequest(method: "POST", url: server.url, body: large, timeout: 10))
    #expect(echoed.body == large)
  }

  @Test func connectionsAreKeptAlive() async throws {
    let server = try LoopbackHTTPServer { _ in .init(status: 200, body: Array("ok".utf8)) }
    defer { server.stop() }
    let transport = CurlTransport()
    for _ in 0..<5 {
      let response = try await transport.send(
        HTTPRequest(method: "POST", url: server.url, body: [0x7b, 0x7d], timeout: 10))
      #expect(response.status == 200)
    }
    #expect(server.requests.count == 5)
    #expect(server.accepted == 1)
  }

  @Test func concurrentRequestsEachGetTheirOwnAnswer() async throws {
    let server = try LoopbackHTTPServer { request in
      .init(
        status: 200, headers: [("X-Path", request.path)],
        body: Array(request.path.utf8) + request.body)
    }
    defer { server.stop() }
    let transport = CurlTransport(maxIdle: 4)
    let answers = try await withThrowingTaskGroup(of: (Int, HTTPResponse).self) { group in
      for index in 0..<24 {
        let url = try Self.url(server, "/item/\(index)")
        group.addTask {
          let response = try await transport.send(
            HTTPRequest(method: "POST", url: url, body: Array("#\(index)".utf8), timeout: 10))
          return (index, response)
        }
      }
      var answers: [Int: HTTPResponse] = [:]
      for try await (index, response) in group { answers[index] = response }
      return answers
    }
    #expect(answers.count == 24)
    for (index, response) in answers {
      #expect(response.status == 200)
      #expect(response.headers["x-path"] == "/item/\(index)")
      #expect(String(decoding: response.body, as: UTF8.self) == "/item/\(index)#\(index)")
    }
    #expect(server.requests.count == 24)
    #expect(server.accepted <= 24)
  }

  @Test func aClosedPortIsConnectionRefused() async throws {
    let (descriptor, port) = try LoopbackSocket.closedPort()
    defer { close(descriptor) }
    let url = try #require(URL(string: "http://127.0.0.1:\(port)/"))
    let error = await #expect(throws: HTTPTransportError.self) {
      try await CurlTransport().send(HTTPRequest(method: "GET", url: url, timeout: 10))
    }
    #expect(error == HTTPTransportError(reason: "connection refused"))
  }

  @Test func aServerThatNeverAnswersTimesOut() async throws {
    let (descriptor, port) = try LoopbackSocket.listening()
    defer { close(descriptor) }
    let url = try #require(URL(string: "http://127.0.0.1:\(port)/"))
    let error = await #expect(throws: HTTPTransportError.self) {
      try await CurlTransport().send(
        HTTPRequest(method: "POST", url: url, body: Array("{}".utf8), timeout: 1))
    }
    #expect(
      error == HTTPTransportError(reason: "no answer within the read timeout", timedOut: true))
  }

  @Test func aRequestCancelledBeforeItIsSentIsNotSent() async throws {
    let server = try LoopbackHTTPServer { _ in .init(status: 200) }
    defer { server.stop() }
    let url = server.url
    let request = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return try await CurlTransport().send(HTTPRequest(method: "GET", url: url, timeout: 10))
    }
    let error = await #expect(throws: HTTPTransportError.self) { try await request.value }
    #expect(error == HTTPTransportError(reason: "cancelled"))
    #expect(server.requests.isEmpty)
  }

  @Test func aRequestCancelledWhileWaitingStops() async throws {
    let release = DispatchSemaphore(value: 0)
    let server = try LoopbackHTTPServer { _ in
      release.wait()
      return .init(status: 200)
    }
    defer {
      release.signal()
      server.stop()
    }
    let url = server.url
    let request = Task {
      try await CurlTransport().send(HTTPRequest(method: "GET", url: url, timeout: 600))
    }
    // Bounded wait for the request to reach the server, which then holds its answer back.
    for _ in 0..<1_000 where server.requests.isEmpty {
      try await Task.sleep(nanoseconds: 10_000_000)
    }
    try #require(server.requests.count == 1)
    request.cancel()
    let error = await #expect(throws: HTTPTransportError.self) { try await request.value }
    #expect(error == HTTPTransportError(reason: "cancelled"))
  }

  @Test func otherFailuresSayLibcurlsReason() async throws {
    let url = try #require(URL(string: "ftp://127.0.0.1/file"))
    let error = await #expect(throws: HTTPTransportError.self) {
      try await CurlTransport().send(HTTPRequest(method: "GET", url: url, timeout: 10))
    }
    // Only http and https are spoken (CURLE_UNSUPPORTED_PROTOCOL).
    #expect(error?.reason.hasPrefix("error 1: ") == true)
    #expect(error?.timedOut == false)
  }

  @Test func aHeaderWithALineBreakIsRefusedWithoutItsValue() async throws {
    let server = try LoopbackHTTPServer { _ in .init(status: 200) }
    defer { server.stop() }
    let error = await #expect(throws: HTTPTransportError.self) {
      try await CurlTransport().send(
        HTTPRequest(
          method: "GET", url: server.url,
          headers: [("Authorization", "secret-4d1e\r\nX-Injected: 1")], timeout: 10))
    }
    #expect(error?.reason == "the value of header 'Authorization' has a line break")
    #expect(error?.reason.contains("secret-4d1e") == false)
    #expect(server.requests.isEmpty)
    let badName = await #expect(throws: HTTPTransportError.self) {
      try await CurlTransport().send(
        HTTPRequest(method: "GET", url: server.url, headers: [("X-A: b\nX-C", "d")], timeout: 10))
    }
    #expect(badName?.reason == #"invalid header name "X-A: b\nX-C""#)
  }

  @Test func timeoutsAreWholeMillisecondsOfAtLeastOne() {
    #expect(CurlTransport.milliseconds(60) == 60_000)
    #expect(CurlTransport.milliseconds(0.0004) == 1)
    #expect(CurlTransport.milliseconds(1.2345) == 1_235)
    #expect(CurlTransport.milliseconds(0) == 1)
    #expect(CurlTransport.milliseconds(-3) == 1)
    #expect(CurlTransport.milliseconds(.infinity) == Int(Int32.max))
    #expect(CurlTransport.milliseconds(.nan) == 1)
  }
}
