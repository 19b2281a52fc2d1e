import CinchStore
package import Foundation

/// An OpenID Connect token traded for a role's temporary credentials with STS
/// `AssumeRoleWithWebIdentity`, as the aws CLI does for EKS IAM roles for service accounts and
/// CI systems' OIDC: `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN` (and
/// `AWS_ROLE_SESSION_NAME`), or a profile's `web_identity_token_file`, `role_arn` and
/// `role_session_name`. The call is not signed (the token is the proof); it goes to the
/// region's STS endpoint, or `AWS_ENDPOINT_URL_STS` / `AWS_ENDPOINT_URL`.
/// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
/// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-role.html#cli-configure-role-oidc
///
/// The token is read from its file at each call (EKS rotates it) and never printed; errors
/// name the file, the role and STS's code and message.
package struct WebIdentityCredentials: AWSCredentialProvider {
  package var tokenFile: String
  package var roleARN: String
  package var sessionName: String?
  package var region: String
  package var environment: [String: String]
  package var profileEndpoint: String?
  /// STS's `endpoint_url` in the profile's `[services NAME]` section.
  package var serviceEndpoint: String?
  package var transport: any HTTPTransport
  package var origin: String
  /// botocore's default for the STS client the aws CLI creates here (60 s to connect, 60 s to
  /// read), as for the service calls: a busy STS endpoint is waited for, not given up on.
  package var timeout: TimeInterval = 60

  package var name: String { "web identity (\(origin))" }

  /// From `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`; nil when neither is set.
  package static func fromEnvironment(
    _ environment: [String: String], region: String, transport: any HTTPTransport
  ) throws -> WebIdentityCredentials? {
    func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
    return try make(
      tokenFile: value("AWS_WEB_IDENTITY_TOKEN_FILE"), roleARN: value("AWS_ROLE_ARN"),
      sessionName: value("AWS_ROLE_SESSION_NAME"),
      names: ("AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"),
      origin: "the environment", region: region, environment: environment,
      profileEndpoint: nil, transport: transport)
  }

  /// From a profile's `web_identity_token_file` and `role_arn`; nil when it has neither.
  package static func fromProfile(
    _ section: [String: String], profile: String, region: String,
    environment: [String: String], profileEndpoint: String?, transport: any HTTPTransport
  ) throws -> WebIdentityCredentials? {
    func value(_ name: String) -> String? { section[name].flatMap { $0.isEmpty ? nil : $0 } }
    return try make(
      tokenFile: value("web_identity_token_file"), roleARN: value("role_arn"),
      sessionName: value("role_session_name"), names: ("web_identity_token_file", "role_arn"),
      origin: "profile '\(profile)'", region: region, environment: environment,
      profileEndpoint: profileEndpoint, transport: transport)
  }

  private static func make(
    tokenFile: String?, roleARN: String?, sessionName: String?, names: (String, String),
    origin: String, region: String, environment: [String: String], profileEndpoint: String?,
    transport: any HTTPTransport
  ) throws -> WebIdentityCredentials? {
    switch (tokenFile, roleARN) {
    case (nil, nil): return nil
    case (let tokenFile?, let roleARN?):
      return WebIdentityCredentials(
        tokenFile: tokenFile, roleARN: roleARN, sessionName: sessionName, region: region,
        environment: environment, profileEndpoint: profileEndpoint, transport: transport,
        origin: origin)
    case (nil, _):
      throw AWSClientError.credentials(
        source: "web identity (\(origin))", reason: "\(names.1) is set but \(names.0) is not")
    case (_, nil):
      throw AWSClientError.credentials(
        source: "web identity (\(origin))", reason: "\(names.0) is set but \(names.1) is not")
    }
  }

  /// STS's endpoint: the environment's or the profile's, else the region's. `--endpoint-url`
  /// names the store's service, not STS.
  func endpoint() throws -> URL {
    try AWSService.sts.endpoint(
      region: region, override: nil, environment: environment, profileEndpoint: profileEndpoint,
      serviceEndpoint: serviceEndpoint)
  }

  package func load() async throws -> AWSCredentials? {
    guard let data = FileManager.default.contents(atPath: tokenFile) else {
      throw AWSClientError.credentials(
        source: name, reason: "cannot read the web identity token file '\(tokenFile)'")
    }
    let token = String(decoding: data, as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    guard !token.isEmpty else {
      throw AWSClientError.credentials(
        source: name, reason: "the web identity token file '\(tokenFile)' is empty")
    }
    let session = sessionName ?? "cinch-session-\(Int(Date().timeIntervalSince1970))"
    let form = [
      ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleARN),
      ("RoleSessionName", session), ("WebIdentityToken", token),
    ].map { SigV4.uriEncode($0) + "=" + SigV4.uriEncode($1) }.joined(separator: "&")
    let url = try endpoint()
    let response: HTTPResponse
    do {
      response = try await transport.send(
        HTTPRequest(
          method: "POST", url: url,
          headers: [
            ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("Accept", "text/xml"),
          ],
          body: Array(form.utf8), timeout: timeout))
    } catch {
      throw AWSClientError.credentials(
        source: name, reason: "STS could not be reached: \(error.reason)")
    }
    let body = String(decoding: response.body, as: UTF8.self)
    guard response.status == 200 else {
      let code = STSXML.element("Code", in: body) ?? "HTTP \(response.status)"
      let message = STSXML.element("Message", in: body).map { ": \($0)" } ?? ""
      throw AWSClientError.credentials(
        source: name,
        reason: "STS refused to assume role '\(roleARN)' (\(code)\(message))")
    }
    guard let key = STSXML.element("AccessKeyId", in: body),
      let secret = STSXML.element("SecretAccessKey", in: body),
      let sessionToken = STSXML.element("SessionToken", in: body)
    else {
      throw AWSClientError.credentials(
        source: name, reason: "STS's answer holds no credentials")
    }
    return AWSCredentials(
      accessKeyID: key, secretAccessKey: SecretBytes(utf8: secret),
      sessionToken: SecretBytes(utf8: sessionToken),
      expiration: STSXML.element("Expiration", in: body).flatMap(CredentialDocument.parseTimestamp),
      source: name)
  }

}

/// The few elements cinch reads from STS's XML answers: the text of the first `<name>…</name>`
/// with the five predefined entities decoded. STS's answers have no attributes, CDATA or
/// namespaces prefixes on these elements, so no XML library (and no libxml2) is linked.
enum STSXML {
  static func element(_ name: String, in xml: String) -> String? {
    guard let open = xml.range(of: "<\(name)>"),
      let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex)
    else { return nil }
    return String(xml[open.upperBound..<close.lowerBound])
      .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
      .replacingOccurrences(of: "&amp;", with: "&")
  }
}
