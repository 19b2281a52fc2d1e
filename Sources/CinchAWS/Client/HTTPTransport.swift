package import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

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

/// Sends HTTP requests. `URLSessionTransport` is the real one; tests substitute their own.
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

/// HTTP through FoundationNetworking's `URLSession` (libcurl on Linux). No cookies, no cache,
/// no redirects followed (AWS endpoints never redirect a JSON call).
package final class URLSessionTransport: HTTPTransport {
  private let session: URLSession

  package init() {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpCookieStorage = nil
    configuration.urlCache = nil
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    session = URLSession(configuration: configuration)
  }

  deinit {
    session.finishTasksAndInvalidate()
  }

  package func send(_ request: HTTPRequest) async throws(HTTPTransportError) -> HTTPResponse {
    var urlRequest = URLRequest(url: request.url, timeoutInterval: request.timeout)
    urlRequest.httpMethod = request.method
    for header in request.headers {
      urlRequest.addValue(header.value, forHTTPHeaderField: header.name)
    }
    if !request.body.isEmpty || request.method == "POST" || request.method == "PUT" {
      urlRequest.httpBody = Data(request.body)
    }
    let data: Data
    let response: URLResponse
    do {
      (data, response) = try await session.data(for: urlRequest)
    } catch let error as URLError {
      throw HTTPTransportError(
        reason: Self.describe(error), timedOut: error.code == .timedOut)
    } catch {
      throw HTTPTransportError(reason: "the request failed")
    }
    guard let http = response as? HTTPURLResponse else {
      throw HTTPTransportError(reason: "the answer was not HTTP")
    }
    var headers: [String: String] = [:]
    for (name, value) in http.allHeaderFields {
      if let name = name as? String, let value = value as? String {
        headers[name.lowercased()] = value
      }
    }
    return HTTPResponse(status: http.statusCode, headers: headers, body: Array(data))
  }

  private static func describe(_ error: URLError) -> String {
    switch error.code {
    case .timedOut: "timed out"
    case .cannotConnectToHost: "connection refused"
    case .cannotFindHost, .dnsLookupFailed: "host not found"
    case .networkConnectionLost: "connection lost"
    case .notConnectedToInternet: "no network"
    case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
      .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
      "TLS failed"
    default: "error \(error.code.rawValue)"
    }
  }
}
