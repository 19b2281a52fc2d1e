import CinchStore
package import Foundation

/// Calls one AWS JSON 1.1 service: `POST /` with `X-Amz-Target: <prefix>.<Operation>`, the
/// request shape as the body, SigV4-signed; decodes the response shape, or turns an error
/// response into the `StoreError` AWS sent (code and message unchanged). Throttling, server
/// faults and lost connections are retried per `AWSRetryPolicy`; an expired session token is
/// refreshed once.
package struct AWSJSONClient: Sendable {
  package var service: AWSService
  package var region: String
  package var endpoint: URL
  package var credentials: AWSCredentialsCache
  package var transport: any HTTPTransport
  package var retry: AWSRetryPolicy
  /// Seconds without progress before one attempt fails (the aws CLI's default: 60;
  /// `--cli-read-timeout`).
  package var timeout: TimeInterval
  /// Seconds to connect (the aws CLI's default: 60; `--cli-connect-timeout`).
  package var connectTimeout: TimeInterval
  package var tls: TLSSettings
  /// Headers added to (and signed with) every request.
  package var extraHeaders: [(name: String, value: String)]
  package var now: @Sendable () -> Date

  package init(
    service: AWSService, region: String, endpoint: URL, credentials: AWSCredentialsCache,
    transport: any HTTPTransport, retry: AWSRetryPolicy = AWSRetryPolicy(),
    timeout: TimeInterval = 60, connectTimeout: TimeInterval = 60,
    tls: TLSSettings = TLSSettings(), extraHeaders: [(name: String, value: String)] = [],
    now: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.service = service
    self.region = region
    self.endpoint = endpoint
    self.credentials = credentials
    self.transport = transport
    self.retry = retry
    self.timeout = timeout
    self.connectTimeout = connectTimeout
    self.tls = tls
    self.extraHeaders = extraHeaders
    self.now = now
  }

  static let expiredTokenCodes: Set<String> = [
    "ExpiredToken", "ExpiredTokenException", "RequestExpired",
  ]

  /// Sends `operation` with `input` and decodes the answer as `Output`.
  package func send<Output: Decodable>(
    _ operation: String, _ input: some Encodable, as output: Output.Type = Output.self
  ) async throws -> Output {
    let body = try AWSWireCodec.encode(input)
    let response = try await exchange(operation, body: body)
    return try AWSWireCodec.decode(Output.self, from: response.body)
  }

  /// The `Host` header value for the endpoint, as the HTTP client will send it.
  var hostHeader: String {
    let host = endpoint.host ?? ""
    let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    guard let port = endpoint.port else { return bracketed }
    let scheme = endpoint.scheme?.lowercased()
    if (scheme == "https" && port == 443) || (scheme == "http" && port == 80) { return bracketed }
    return "\(bracketed):\(port)"
  }

  /// The signed request for one attempt.
  func signedRequest(_ operation: String, body: [UInt8], credentials: AWSCredentials)
    -> HTTPRequest
  {
    var request = SigV4Request(
      method: "POST", path: endpoint.path.isEmpty ? "/" : endpoint.path,
      headers: [
        ("Host", hostHeader),
        ("Content-Type", AWSWireCodec.contentType),
        ("X-Amz-Target", "\(service.targetPrefix).\(operation)"),
      ] + extraHeaders, body: body)
    SigV4Signer(region: region, service: service.signingName).sign(
      &request, credentials: credentials, at: now())
    // The HTTP client (libcurl) sets Host itself, from the URL, to the same value.
    let headers = request.headers.filter { $0.name.lowercased() != "host" }
    return HTTPRequest(
      method: "POST", url: endpoint, headers: headers, body: body, timeout: timeout,
      connectTimeout: connectTimeout, tls: tls)
  }

  func exchange(_ operation: String, body: [UInt8]) async throws -> HTTPResponse {
    var attempt = 0
    var refreshed = false
    while true {
      attempt += 1
      let credentials = try await self.credentials.credentials()
      let request = signedRequest(operation, body: body, credentials: credentials)
      let failure: any Error
      do {
        let response = try await transport.send(request)
        if (200..<300).contains(response.status) { return response }
        let error = AWSWireCodec.decodeError(
          status: response.status, headers: response.headers, body: response.body)
        if Self.expiredTokenCodes.contains(error.code), !refreshed,
          credentials.sessionToken != nil || credentials.expiration != nil
        {
          refreshed = true
          await self.credentials.invalidate()
          attempt -= 1
          continue
        }
        guard AWSRetryPolicy.isRetryable(error) else { throw error }
        var exhausted = error
        exhausted.maxRetriesReached = attempt - 1
        failure = exhausted
      } catch let error as HTTPTransportError {
        failure = AWSClientError.transport(
          endpoint: endpoint.absoluteString, reason: error.reason)
      }
      guard attempt < retry.maxAttempts else { throw failure }
      try await retry.sleep(retry.delay(beforeRetry: attempt))
    }
  }
}
