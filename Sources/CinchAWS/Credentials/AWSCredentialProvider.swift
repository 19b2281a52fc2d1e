import CinchStore
import Foundation

/// One place credentials may come from. `load` answers nil when this source is not configured
/// (the chain goes on) and throws when it is configured but fails (the chain stops, as the aws
/// CLI's does).
package protocol AWSCredentialProvider: Sendable {
  var name: String { get }
  func load() async throws -> AWSCredentials?
}

/// The sources in order; the first that has credentials wins.
package struct AWSCredentialChain: AWSCredentialProvider {
  package var providers: [any AWSCredentialProvider]

  package init(_ providers: [any AWSCredentialProvider]) {
    self.providers = providers
  }

  package var name: String { providers.map(\.name).joined(separator: ", ") }

  package func load() async throws -> AWSCredentials? {
    for provider in providers {
      if let credentials = try await provider.load() { return credentials }
    }
    return nil
  }

  /// The aws CLI's chain: the environment's keys, then its web identity token (both unless
  /// `--profile` named a profile), the profile in the shared files (static keys,
  /// `credential_process`, a web identity token), the container endpoint, then the instance
  /// metadata service. `region` is where STS is asked for a web identity's credentials.
  package static func standard(
    environment: [String: String], files: AWSConfigFiles, profile: String,
    explicitProfile: Bool, region: String = "us-east-1", transport: any HTTPTransport
  ) -> AWSCredentialChain {
    var providers: [any AWSCredentialProvider] = []
    if !explicitProfile {
      providers.append(EnvironmentCredentials(environment: environment))
      providers.append(
        EnvironmentWebIdentity(environment: environment, region: region, transport: transport))
    }
    providers.append(
      ProfileCredentials(
        profile: profile, files: files, environment: environment, region: region,
        transport: transport))
    providers.append(ContainerCredentials(environment: environment, transport: transport))
    providers.append(InstanceMetadataCredentials(environment: environment, transport: transport))
    return AWSCredentialChain(providers)
  }
}

/// Fixed credentials (tests, and credentials handed over by a caller).
package struct StaticCredentials: AWSCredentialProvider {
  package var credentials: AWSCredentials
  package init(_ credentials: AWSCredentials) { self.credentials = credentials }
  package var name: String { credentials.source }
  package func load() async throws -> AWSCredentials? { credentials }
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` (or the older
/// `AWS_SECURITY_TOKEN`).
package struct EnvironmentCredentials: AWSCredentialProvider {
  package var environment: [String: String]
  package init(environment: [String: String]) { self.environment = environment }
  package var name: String { "environment" }

  package func load() async throws -> AWSCredentials? {
    func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
    let key = value("AWS_ACCESS_KEY_ID")
    let secret = value("AWS_SECRET_ACCESS_KEY")
    switch (key, secret) {
    case (nil, nil): return nil
    case (let key?, let secret?):
      return AWSCredentials(
        accessKeyID: key, secretAccessKey: SecretBytes(utf8: secret),
        sessionToken: (value("AWS_SESSION_TOKEN") ?? value("AWS_SECURITY_TOKEN")).map {
          SecretBytes(utf8: $0)
        }, source: "the environment")
    case (nil, _):
      throw AWSClientError.credentials(
        source: "the environment", reason: "partial credentials found, missing: AWS_ACCESS_KEY_ID")
    case (_, nil):
      throw AWSClientError.credentials(
        source: "the environment",
        reason: "partial credentials found, missing: AWS_SECRET_ACCESS_KEY")
    }
  }
}

/// `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`, when both are set.
package struct EnvironmentWebIdentity: AWSCredentialProvider {
  package var environment: [String: String]
  package var region: String
  package var transport: any HTTPTransport
  package var name: String { "web identity (the environment)" }

  package func load() async throws -> AWSCredentials? {
    try await WebIdentityCredentials.fromEnvironment(
      environment, region: region, transport: transport)?.load()
  }
}

/// A profile of the shared files: `aws_access_key_id` / `aws_secret_access_key` /
/// `aws_session_token` in the credentials file, then `credential_process` in the config file,
/// then static keys in the config file (botocore's order), then a web identity token
/// (`web_identity_token_file` and `role_arn`). Assuming a role from other credentials
/// (`source_profile`, `credential_source`) and SSO are not done here: such a profile fails
/// with a message that says how to hand cinch credentials.
package struct ProfileCredentials: AWSCredentialProvider {
  package var profile: String
  package var files: AWSConfigFiles
  package var environment: [String: String]
  package var region: String
  package var transport: (any HTTPTransport)?

  package init(
    profile: String, files: AWSConfigFiles, environment: [String: String],
    region: String = "us-east-1", transport: (any HTTPTransport)? = nil
  ) {
    self.profile = profile
    self.files = files
    self.environment = environment
    self.region = region
    self.transport = transport
  }

  package var name: String { "profile '\(profile)'" }

  package func load() async throws -> AWSCredentials? {
    if let section = files.credentialsSection(profile),
      let credentials = try Self.staticKeys(
        section, source: "profile '\(profile)' in '\(files.credentialsPath)'")
    {
      return credentials
    }
    let config = files.configSection(profile) ?? [:]
    if let command = config["credential_process"], !command.isEmpty {
      return try await CredentialProcess(
        command: command, profile: profile, environment: environment
      )
      .run()
    }
    if let credentials = try Self.staticKeys(
      config, source: "profile '\(profile)' in '\(files.configPath)'")
    {
      return credentials
    }
    if let transport, config["source_profile"] == nil, config["credential_source"] == nil,
      var webIdentity = try WebIdentityCredentials.fromProfile(
        config, profile: profile, region: region, environment: environment,
        profileEndpoint: files.setting("endpoint_url", profile: profile), transport: transport)
    {
      // The token goes where the profile sends STS calls, never to the public endpoint instead.
      webIdentity.serviceEndpoint = files.serviceEndpoint("sts", profile: profile)
      return try await webIdentity.load()
    }
    for key in ["role_arn", "sso_session", "sso_start_url", "web_identity_token_file"]
    where config[key] != nil {
      throw AWSClientError.credentials(
        source: "profile '\(profile)'",
        reason: "it uses '\(key)', which cinch does not resolve itself; give cinch the temporary "
          + "credentials, for example with 'credential_process = aws configure "
          + "export-credentials --profile \(profile) --format process' in another profile")
    }
    return nil
  }

  static func staticKeys(_ section: [String: String], source: String) throws -> AWSCredentials? {
    let key = section["aws_access_key_id"].flatMap { $0.isEmpty ? nil : $0 }
    let secret = section["aws_secret_access_key"].flatMap { $0.isEmpty ? nil : $0 }
    switch (key, secret) {
    case (nil, nil): return nil
    case (let key?, let secret?):
      let token = (section["aws_session_token"] ?? section["aws_security_token"]).flatMap {
        $0.isEmpty ? nil : $0
      }
      return AWSCredentials(
        accessKeyID: key, secretAccessKey: SecretBytes(utf8: secret),
        sessionToken: token.map { SecretBytes(utf8: $0) }, source: source)
    default:
      throw AWSClientError.credentials(
        source: source,
        reason: "partial credentials found, missing: "
          + (key == nil ? "aws_access_key_id" : "aws_secret_access_key"))
    }
  }
}
