import CinchStore
import Foundation

/// EC2 instance-profile credentials through IMDSv2: a session token from
/// `PUT /latest/api/token`, then the role name and its credentials from
/// `/latest/meta-data/iam/security-credentials/`. Short timeouts (`AWS_METADATA_SERVICE_TIMEOUT`,
/// default 1 s; `AWS_METADATA_SERVICE_NUM_ATTEMPTS`, default 1): off EC2 it gives up quickly and
/// the chain reports that no credentials were found. `AWS_EC2_METADATA_DISABLED=true` turns it
/// off; `AWS_EC2_METADATA_SERVICE_ENDPOINT` (or `…_ENDPOINT_MODE=IPv6`) moves it.
package struct InstanceMetadataCredentials: AWSCredentialProvider {
  package var environment: [String: String]
  package var transport: any HTTPTransport

  package init(environment: [String: String], transport: any HTTPTransport) {
    self.environment = environment
    self.transport = transport
  }

  package var name: String { "the instance metadata service" }

  var disabled: Bool { environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" }

  package var endpoint: String {
    if let configured = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"], !configured.isEmpty {
      return configured.hasSuffix("/") ? String(configured.dropLast()) : configured
    }
    if environment["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"]?.lowercased() == "ipv6" {
      return "http://[fd00:ec2::254]"
    }
    return "http://169.254.169.254"
  }

  var timeout: TimeInterval {
    environment["AWS_METADATA_SERVICE_TIMEOUT"].flatMap(TimeInterval.init) ?? 1
  }

  var attempts: Int {
    environment["AWS_METADATA_SERVICE_NUM_ATTEMPTS"].flatMap(Int.init).map { max(1, $0) } ?? 1
  }

  package func load() async throws -> AWSCredentials? {
    guard !disabled else { return nil }
    for attempt in 1...attempts {
      do {
        return try await fetch()
      } catch is HTTPTransportError {
        // Unreachable: not on EC2, or the hop limit stops the token. Try again, then give up
        // quietly so the chain can say no credentials were found.
        if attempt == attempts { return nil }
      }
    }
    return nil
  }

  private func fetch() async throws -> AWSCredentials? {
    guard let tokenURL = URL(string: endpoint + "/latest/api/token"),
      let listURL = URL(string: endpoint + "/latest/meta-data/iam/security-credentials/")
    else { throw AWSClientError.configuration("the instance metadata endpoint is not a URL") }
    let tokenResponse = try await transport.send(
      HTTPRequest(
        method: "PUT", url: tokenURL,
        headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")], timeout: timeout))
    guard tokenResponse.status == 200 else { return nil }
    let token = String(decoding: tokenResponse.body, as: UTF8.self)
    let headers: [(name: String, value: String)] = [("X-aws-ec2-metadata-token", token)]
    let list = try await transport.send(
      HTTPRequest(method: "GET", url: listURL, headers: headers, timeout: timeout))
    // 404: the instance has no role.
    guard list.status == 200 else { return nil }
    guard
      let role = String(decoding: list.body, as: UTF8.self).split(whereSeparator: \.isNewline)
        .first.map(String.init), !role.isEmpty,
      let roleURL = URL(string: listURL.absoluteString + SigV4.uriEncode(role))
    else { return nil }
    let credentials = try await transport.send(
      HTTPRequest(method: "GET", url: roleURL, headers: headers, timeout: timeout))
    guard credentials.status == 200 else {
      throw AWSClientError.credentials(
        source: name, reason: "role '\(role)' answered HTTP \(credentials.status)")
    }
    return try CredentialDocument.parse(
      credentials.body, source: "the instance profile role '\(role)'")
  }
}
