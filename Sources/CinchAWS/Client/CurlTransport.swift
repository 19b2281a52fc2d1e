internal import CCurlLoader
import Dispatch
import Foundation
import Synchronization

/// HTTP through libcurl, loaded when the first request is made (`CCurlLoader` dlopens it), so
/// a process that never calls AWS loads none of it. No cookies, no cache, no redirects followed
/// (AWS endpoints never redirect a JSON call), no signals, never verbose.
///
/// Proxies are libcurl's own: it reads `http_proxy`, `HTTPS_PROXY`/`https_proxy`, `ALL_PROXY`
/// and `NO_PROXY` from the environment, as the aws CLI does.
///
/// Connections stay open between requests: each exchange borrows an easy handle (which keeps its
/// connections) from a small pool and gives it back. `curl_easy_perform` blocks, so it runs on a
/// Dispatch worker, never on the Swift concurrency pool.
package final class CurlTransport: HTTPTransport {
  private let idle = Mutex<[EasyHandle]>([])
  private let maxIdle: Int
  private let userAgent: String

  /// `maxIdle` easy handles (each with its open connections) are kept between requests.
  package init(userAgent: String = "cinch", maxIdle: Int = 8) {
    self.userAgent = userAgent
    self.maxIdle = max(0, maxIdle)
  }

  deinit {
    for handle in idle.withLock({ $0 }) { cinch_curl_easy_free(handle.pointer) }
  }

  package func send(_ request: HTTPRequest) async throws(HTTPTransportError) -> HTTPResponse {
    let lines = try Self.headerLines(request.headers)
    if let reason = cinch_curl_load() {
      throw HTTPTransportError(reason: String(cString: reason))
    }
    if Task.isCancelled { throw HTTPTransportError(reason: "cancelled") }
    let cancelled = CancelFlag()
    let result = await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async {
          continuation.resume(returning: self.perform(request, lines, cancelled))
        }
      }
    } onCancel: {
      cancelled.set()
    }
    return try result.get()
  }

  /// "Name: value" lines for libcurl ("Name;" sends an empty value, which "Name:" would remove).
  /// A name or value with a line break or NUL would smuggle in another header: refused, naming
  /// the header only (values may be credentials).
  static func headerLines(_ headers: [(name: String, value: String)]) throws(HTTPTransportError)
    -> [String]
  {
    try headers.map { header throws(HTTPTransportError) in
      // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
      let forbidden: (Unicode.Scalar) -> Bool = { $0 == "\r" || $0 == "\n" || $0 == "\0" }
      guard !header.name.isEmpty,
        !header.name.unicodeScalars.contains(where: { forbidden($0) || $0 == ":" })
      else {
        throw HTTPTransportError(reason: "invalid header name \(header.name.debugDescription)")
      }
      guard !header.value.unicodeScalars.contains(where: forbidden) else {
        throw HTTPTransportError(reason: "the value of header '\(header.name)' has a line break")
      }
      return header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
    }
  }

  /// One exchange on a borrowed handle, blocking this thread.
  private func perform(_ request: HTTPRequest, _ lines: [String], _ cancelled: CancelFlag)
    -> Result<HTTPResponse, HTTPTransportError>
  {
    guard let handle = borrow() else {
      return .failure(HTTPTransportError(reason: "libcurl could not make a handle"))
    }
    defer { giveBack(handle) }

    var cLines: [UnsafePointer<CChar>] = []
    cLines.reserveCapacity(lines.count)
    defer { for line in cLines { free(UnsafeMutablePointer(mutating: line)) } }
    for line in lines {
      guard let copy = strdup(line) else {
        return .failure(HTTPTransportError(reason: "out of memory"))
      }
      cLines.append(UnsafePointer(copy))
    }

    let exchange = Exchange(cancelled)
    let hasBody = !request.body.isEmpty || request.method == "POST" || request.method == "PUT"
    let result = request.method.withCString { method in
      withOptionalCString(request.tls.caBundle) { caBundle in
        request.url.absoluteString.withCString { url in
          userAgent.withCString { userAgent in
            cLines.withUnsafeBufferPointer { headers in
              request.body.withUnsafeBufferPointer { body in
                var exchangeRequest = cinch_curl_request(
                  method: method, url: url, headers: headers.baseAddress,
                  header_count: headers.count, body: body.baseAddress, body_length: body.count,
                  has_body: hasBody ? 1 : 0, user_agent: userAgent,
                  timeout_ms: Self.milliseconds(request.timeout),
                  connect_timeout_ms: Self.milliseconds(request.connectTimeout ?? request.timeout),
                  insecure: request.tls.verifies ? 0 : 1, ca_bundle: caBundle,
                  context: Unmanaged.passUnretained(exchange).toOpaque(),
                  on_header: { data, length, context in
                    Exchange.from(context)?.header(
                      UnsafeRawBufferPointer(start: data, count: length))
                    return length
                  },
                  on_body: { data, length, context in
                    Exchange.from(context)?.body.append(
                      contentsOf: UnsafeBufferPointer(
                        start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self),
                        count: length))
                    return length
                  },
                  should_abort: { context in
                    Exchange.from(context)?.cancelled.isSet ?? true ? 1 : 0
                  })
                return withExtendedLifetime(exchange) {
                  cinch_curl_perform(handle.pointer, &exchangeRequest)
                }
              }
            }
          }
        }
      }
    }
    if let error = Self.error(result) { return .failure(error) }
    return .success(
      HTTPResponse(status: Int(result.status), headers: exchange.headers, body: exchange.body))
  }

  /// The request timeout in whole milliseconds, at least one.
  static func milliseconds(_ timeout: TimeInterval) -> Int {
    guard timeout.isFinite, timeout > 0 else { return timeout > 0 ? Int(Int32.max) : 1 }
    return Int(min((timeout * 1000).rounded(.up), Double(Int32.max)))
  }

  /// The transport error for a failed exchange; nil when it succeeded.
  static func error(_ result: cinch_curl_result) -> HTTPTransportError? {
    switch result.outcome {
    case CINCH_CURL_OK: return nil
    case CINCH_CURL_TIMED_OUT: return .connectTimeout
    case CINCH_CURL_READ_TIMED_OUT: return .readTimeout
    case CINCH_CURL_CONNECTION_REFUSED: return HTTPTransportError(reason: "connection refused")
    case CINCH_CURL_HOST_NOT_FOUND: return HTTPTransportError(reason: "host not found")
    case CINCH_CURL_TLS_FAILED:
      switch result.code {
      case 60:  // CURLE_PEER_FAILED_VERIFICATION
        return HTTPTransportError(
          reason: "TLS: the endpoint's certificate could not be verified: an authority not "
            + "trusted here signed it (name it with --ca-bundle or AWS_CA_BUNDLE), or it does "
            + "not name the endpoint's host")
      case 77:  // CURLE_SSL_CACERT_BADFILE
        return HTTPTransportError(
          reason: "TLS: the certificate authorities (--ca-bundle, AWS_CA_BUNDLE or the "
            + "profile's ca_bundle) could not be read")
      default:
        return HTTPTransportError(
          reason: "TLS failed: \(String(cString: cinch_curl_strerror(result.code)))")
      }
    case CINCH_CURL_CONNECTION_LOST: return HTTPTransportError(reason: "connection lost")
    case CINCH_CURL_ABORTED: return HTTPTransportError(reason: "cancelled")
    default:
      // libcurl's text for the code: fixed per code, never anything the request carried.
      var text = String(cString: cinch_curl_strerror(result.code))
      if let first = text.first, first.isUppercase,
        text.dropFirst().first.map({ !$0.isUppercase }) ?? true
      {
        text = first.lowercased() + text.dropFirst()
      }
      return HTTPTransportError(
        reason: text.isEmpty ? "error \(result.code)" : "error \(result.code): \(text)")
    }
  }

  private func borrow() -> EasyHandle? {
    if let handle = idle.withLock({ $0.popLast() }) { return handle }
    return cinch_curl_easy_new().map(EasyHandle.init)
  }

  private func giveBack(_ handle: EasyHandle) {
    let kept = idle.withLock { idle -> Bool in
      guard idle.count < maxIdle else { return false }
      idle.append(handle)
      return true
    }
    if !kept { cinch_curl_easy_free(handle.pointer) }
  }
}

/// A libcurl easy handle. One thread uses it at a time: the pool hands each to one exchange.
private struct EasyHandle: @unchecked Sendable {
  var pointer: UnsafeMutableRawPointer
}

/// Set when the task that sent the request is cancelled; the transfer stops at libcurl's next
/// progress call (within about a second).
private final class CancelFlag: Sendable {
  private let flag = Atomic(false)
  func set() { flag.store(true, ordering: .relaxed) }
  var isSet: Bool { flag.load(ordering: .relaxed) }
}

/// What one exchange has received so far. Touched only by the thread running the exchange.
private final class Exchange {
  let cancelled: CancelFlag
  /// The headers of the latest response: a new status line (after `100 Continue`, or a proxy's
  /// `CONNECT` answer) starts them afresh, so only the final response's remain.
  var headers: [String: String] = [:]
  var body: [UInt8] = []
  private var lastName: String?

  init(_ cancelled: CancelFlag) {
    self.cancelled = cancelled
  }

  func header(_ bytes: UnsafeRawBufferPointer) {
    var line = String(decoding: bytes, as: UTF8.self)
    while line.last == "\n" || line.last == "\r" || line.last == "\r\n" { line.removeLast() }
    if line.hasPrefix("HTTP/") {
      headers = [:]
      body = []
      lastName = nil
      return
    }
    if line.isEmpty { return }
    if line.first == " " || line.first == "\t" {
      // A folded continuation of the previous header.
      if let lastName { headers[lastName, default: ""] += " " + Self.trimmed(line) }
      return
    }
    guard let colon = line.firstIndex(of: ":") else { return }
    let name = Self.trimmed(line[..<colon]).lowercased()
    let value = Self.trimmed(line[line.index(after: colon)...])
    headers[name] = headers[name].map { "\($0), \(value)" } ?? value
    lastName = name
    if name == "content-length", let length = Int(value), length > 0 {
      body.reserveCapacity(min(length, 64 << 20))
    }
  }

  static func from(_ context: UnsafeMutableRawPointer?) -> Exchange? {
    context.map { Unmanaged<Exchange>.fromOpaque($0).takeUnretainedValue() }
  }

  private static func trimmed(_ text: some StringProtocol) -> String {
    var text = Substring(text)
    while text.first == " " || text.first == "\t" { text.removeFirst() }
    while text.last == " " || text.last == "\t" { text.removeLast() }
    return String(text)
  }
}

/// `body` with `text` as a C string, or with NULL when there is none.
private func withOptionalCString<Result>(
  _ text: String?, _ body: (UnsafePointer<CChar>?) -> Result
) -> Result {
  guard let text else { return body(nil) }
  return text.withCString { body($0) }
}
