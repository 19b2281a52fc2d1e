package import Foundation

/// One HTTP exchange. Bodies are bytes; header names of responses are lower-case.
package struct HTTPRequest: Sendable {
  package var method: String
  package var url: URL
  package var headers: [(name: String, value: String)]
  package var body: [UInt8]
  /// Seconds without progress before the exchange fails (`.infinity`: none).
  package var timeout: TimeInterval
  /// Seconds to connect; nil: the same as `timeout`.
  package var connectTimeout: TimeInterval?
  package var tls: TLSSettings

  package init(
    method: String, url: URL, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
    timeout: TimeInterval, connectTimeout: TimeInterval? = nil, tls: TLSSettings = TLSSettings()
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.timeout = timeout
    self.connectTimeout = connectTimeout
    self.tls = tls
  }
}

/// How an https endpoint's certificate is checked: `--ca-bundle` (or `AWS_CA_BUNDLE`, or a
/// profile's `ca_bundle`) names the authorities instead of the system's; `--no-verify-ssl`
/// checks nothing.
package struct TLSSettings: Sendable, Equatable {
  package var verifies: Bool
  package var caBundle: String?

  package init(verifies: Bool = true, caBundle: String? = nil) {
    self.verifies = verifies
    self.caBundle = caBundle
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

  /// Connected, then no byte moved for the read timeout.
  package static let readTimeout = HTTPTransportError(
    reason: "no answer within the read timeout", timedOut: true)
  /// Not connected within the connect timeout.
  package static let connectTimeout = HTTPTransportError(
    reason: "connect timed out", timedOut: true)
}
