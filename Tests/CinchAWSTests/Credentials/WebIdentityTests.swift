import CinchStore
import Foundation
import Testing
import _CinchTestSupport

@testable import CinchAWS

/// A web identity token (EKS IAM roles for service accounts, CI OIDC) traded for a role's
/// credentials with STS `AssumeRoleWithWebIdentity`, against moto_server's STS.
@Suite struct WebIdentityTests {
  static let role = "arn:aws:iam::123456789012:role/cinch-validate"
  static let canaryToken = "eyJ.CANARY-oidc-token-4d2e.sig"

  /// A token file in a folder of its own, removed with it.
  final class TokenFile: Sendable {
    let folder: String
    var path: String { folder + "/token" }
    init(_ token: String = WebIdentityTests.canaryToken) throws {
      folder = FileManager.default.temporaryDirectory.path + "/cinch-oidc-" + UUID().uuidString
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try (token + "\n").write(toFile: folder + "/token", atomically: true, encoding: .utf8)
    }
    deinit { try? FileManager.default.removeItem(atPath: folder) }
  }

  static func chain(_ environment: [String: String], home: CredentialChainTests.Home)
    -> AWSCredentialChain
  {
    AWSCredentialChain.standard(
      environment: environment,
      files: AWSConfigFiles.load(environment: environment, home: home.path),
      profile: environment["AWS_PROFILE"] ?? "default", explicitProfile: false,
      region: "eu-west-1", transport: CurlTransport())
  }

  @Test func theEnvironmentsTokenIsTradedWithSTS() async throws {
    let sts = try await MotoServer.shared.start()
    let token = try TokenFile()
    let credentials = try #require(
      try await Self.chain(
        [
          "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL_STS": sts.absoluteString,
          "AWS_WEB_IDENTITY_TOKEN_FILE": token.path, "AWS_ROLE_ARN": Self.role,
          "AWS_ROLE_SESSION_NAME": "ci-run-7",
        ], home: try CredentialChainTests.Home()
      ).load())
    #expect(!credentials.accessKeyID.isEmpty)
    #expect(credentials.sessionToken != nil)
    #expect(credentials.expiration != nil)
    #expect(credentials.source == "web identity (the environment)")
    #expect(!"\(credentials)".contains("CANARY"))
  }

  @Test func aProfilesTokenIsTradedWithSTS() async throws {
    let sts = try await MotoServer.shared.start()
    let token = try TokenFile()
    let home = try CredentialChainTests.Home(
      config: "[profile oidc]\nweb_identity_token_file = \(token.path)\nrole_arn = \(Self.role)\n")
    let credentials = try #require(
      try await Self.chain(
        [
          "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL_STS": sts.absoluteString,
          "AWS_PROFILE": "oidc",
        ], home: home
      ).load())
    #expect(credentials.sessionToken != nil)
    #expect(credentials.source == "web identity (profile 'oidc')")
  }

  /// The profile's `[services NAME]` section names where its STS calls go: the token is traded
  /// there, never sent to the public endpoint instead.
  @Test func aProfilesServicesSectionSendsTheTokenToItsSTS() async throws {
    let sts = try await MotoServer.shared.start()
    let token = try TokenFile()
    let home = try CredentialChainTests.Home(
      config: """
        [profile oidc]
        web_identity_token_file = \(token.path)
        role_arn = \(Self.role)
        services = local

        [services local]
        sts =
          endpoint_url = \(sts.absoluteString)

        """)
    let credentials = try #require(
      try await Self.chain(
        ["AWS_EC2_METADATA_DISABLED": "true", "AWS_PROFILE": "oidc"], home: home
      ).load())
    #expect(credentials.sessionToken != nil)
  }

  @Test func halfAConfigurationOrAMissingFileIsAOneLineError() async throws {
    let home = try CredentialChainTests.Home()
    let base = ["AWS_EC2_METADATA_DISABLED": "true"]
    for (environment, expected) in [
      (["AWS_ROLE_ARN": Self.role], "AWS_WEB_IDENTITY_TOKEN_FILE is not"),
      (
        ["AWS_ROLE_ARN": Self.role, "AWS_WEB_IDENTITY_TOKEN_FILE": "/nonexistent/token"],
        "cannot read the web identity token file '/nonexistent/token'"
      ),
    ] {
      do {
        _ = try await Self.chain(base.merging(environment) { $1 }, home: home).load()
        Issue.record("no error for \(environment)")
      } catch {
        #expect("\(error)".contains(expected), "\(error)")
        #expect(!"\(error)".contains("\n"))
      }
    }
  }

  /// STS's refusal is said with its code and message, never the token.
  @Test func stsRefusalNamesTheRoleAndTheCode() async throws {
    let token = try TokenFile()
    let refusal = FakeTransport.json(
      400,
      "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>"
        + "<Message>Incorrect token audience &amp; issuer</Message></Error></ErrorResponse>")
    let provider = try #require(
      try WebIdentityCredentials.fromEnvironment(
        ["AWS_WEB_IDENTITY_TOKEN_FILE": token.path, "AWS_ROLE_ARN": Self.role],
        region: "eu-west-1", transport: FakeTransport([refusal])))
    do {
      _ = try await provider.load()
      Issue.record("no error")
    } catch {
      #expect(
        "\(error)".contains(
          "STS refused to assume role '\(Self.role)' (InvalidIdentityToken: Incorrect token "
            + "audience & issuer)"), "\(error)")
      #expect(!"\(error)".contains("CANARY"))
    }
  }

  @Test func theRequestIsTheFormSTSDocuments() async throws {
    let token = try TokenFile()
    let transport = FakeTransport([FakeTransport.json(500, "")])
    let provider = try #require(
      try WebIdentityCredentials.fromEnvironment(
        [
          "AWS_WEB_IDENTITY_TOKEN_FILE": token.path, "AWS_ROLE_ARN": Self.role,
          "AWS_ROLE_SESSION_NAME": "s",
        ], region: "cn-north-1", transport: transport))
    _ = try? await provider.load()
    let sent = try #require(transport.sent.first)
    #expect(sent.url.absoluteString == "https://sts.cn-north-1.amazonaws.com.cn")
    #expect(sent.method == "POST")
    #expect(
      String(decoding: sent.body, as: UTF8.self)
        == "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A"
        + "123456789012%3Arole%2Fcinch-validate&RoleSessionName=s&WebIdentityToken=eyJ.CANARY-"
        + "oidc-token-4d2e.sig")
  }
}
