package import Foundation

/// One HTTP exchange. Bodies are bytes; header names of responses are lower-case.
package struct HTTPRequest: Sendable {
  package var method: String
  package var url: URL
  package var headers: [(name: String, value: String)]
  package var body: [UInt8]
  /// Seconds without progress before the exchange fails.
  package var timeout: TimeInterval

  package init(
    method: String, url: URL, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
    timeout: TimeInterval
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.timeout = timeout
  }
}

package struct HTTPResponse: Sendable {
  package var status: Int
  /// Lower-case names.
  package var headers: [String: String]
  package var body: [UInt8]

  package init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
    self.status = status
    self.headers = headers
    self.body = body
  }
}

/// Sends HTTP requests. `CurlTransport` is the real one; tests substitute their own.
package protocol HTTPTransport: Sendable {
  func send(_ request: HTTPRequest) async throws(HTTPTransportError) -> HTTPResponse
}

/// No answer: the connection failed or the timeout passed.
package struct HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
  package var reason: String
  package var timedOut: Bool

  package init(reason: String, timedOut: Bool = false) {
    self.reason = reason
    self.timedOut = timedOut
  }

  package var description: String { reason }
}
