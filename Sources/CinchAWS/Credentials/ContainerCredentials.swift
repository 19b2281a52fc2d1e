import CinchStore
package import Foundation

/// ECS / EKS Pod Identity credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on
/// `http://169.254.170.2`) or `AWS_CONTAINER_CREDENTIALS_FULL_URI` (HTTPS, or HTTP to a
/// loopback or container-agent address), with the `Authorization` header from
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
package struct ContainerCredentials: AWSCredentialProvider {
  package var environment: [String: String]
  package var transport: any HTTPTransport
  package var timeout: TimeInterval = 2
  package var attempts = 3

  package init(environment: [String: String], transport: any HTTPTransport) {
    self.environment = environment
    self.transport = transport
  }

  package var name: String { "the container credentials endpoint" }

  static let allowedHTTPHosts: Set<String> = [
    "127.0.0.1", "localhost", "::1", "[::1]", "169.254.170.2", "169.254.170.23", "fd00:ec2::23",
    "[fd00:ec2::23]",
  ]

  /// The endpoint the environment names, or nil when it names none.
  package func endpoint() throws -> URL? {
    func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
    if let relative = value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
      guard let url = URL(string: "http://169.254.170.2" + relative) else {
        throw AWSClientError.configuration(
          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not a URL path")
      }
      return url
    }
    guard let full = value("AWS_CONTAINER_CREDENTIALS_FULL_URI") else { return nil }
    guard let url = URL(string: full), let scheme = url.scheme?.lowercased(), let host = url.host
    else {
      throw AWSClientError.configuration("AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL")
    }
    if scheme == "https" { return url }
    guard scheme == "http",
      Self.allowedHTTPHosts.contains(host.lowercased()) || host.hasPrefix("127.")
    else {
      throw AWSClientError.configuration(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI must use HTTPS, or HTTP to a loopback or container "
          + "agent address; '\(host)' is neither")
    }
    return url
  }

  /// The `Authorization` header value, if the environment gives one.
  func authorization() throws -> String? {
    if let path = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], !path.isEmpty {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw AWSClientError.credentials(
          source: name, reason: "cannot read the token file '\(path)'")
      }
      return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
    return environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
  }

  package func load() async throws -> AWSCredentials? {
    guard let url = try endpoint() else { return nil }
    var headers: [(name: String, value: String)] = [("Accept", "application/json")]
    if let token = try authorization() { headers.append(("Authorization", token)) }
    var lastReason = "no answer"
    for _ in 0..<max(1, attempts) {
      do {
        let response = try await transport.send(
          HTTPRequest(method: "GET", url: url, headers: headers, timeout: timeout))
        guard response.status == 200 else {
          lastReason = "it answered HTTP \(response.status)"
          if response.status < 500 { break }
          continue
        }
        return try CredentialDocument.parse(response.body, source: name)
      } catch let error as HTTPTransportError {
        lastReason = error.reason
      }
    }
    throw AWSClientError.credentials(source: name, reason: lastReason)
  }
}
