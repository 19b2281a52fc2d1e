import CinchStore
import Foundation
import Testing

@testable import CinchAWS

/// The aws CLI's credential order: environment, profile (credentials file, credential_process,
/// config file), container endpoint, instance metadata (IMDSv2).
@Suite struct CredentialChainTests {
  /// A home directory with `.aws/credentials` and `.aws/config`.
  final class Home: Sendable {
    let path: String
    init(credentials: String = "", config: String = "") throws {
      path = FileManager.default.temporaryDirectory.path + "/cinch-home-" + UUID().uuidString
      try FileManager.default.createDirectory(
        atPath: path + "/.aws", withIntermediateDirectories: true)
      try credentials.write(toFile: path + "/.aws/credentials", atomically: true, encoding: .utf8)
      try config.write(toFile: path + "/.aws/config", atomically: true, encoding: .utf8)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
  }

  static let noMetadata = ["AWS_EC2_METADATA_DISABLED": "true"]

  static func chain(
    _ environment: [String: String], home: Home, profile: String? = nil,
    transport: FakeTransport = FakeTransport()
  ) -> AWSCredentialChain {
    let files = AWSConfigFiles.load(environment: environment, home: home.path)
    return AWSCredentialChain.standard(
      environment: environment, files: files,
      profile: profile ?? environment["AWS_PROFILE"] ?? "default",
      explicitProfile: profile != nil, transport: transport)
  }

  @Test func theEnvironmentComesFirst() async throws {
    let home = try Home(
      credentials: "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = filesecret\n")
    let environment = Self.noMetadata.merging([
      "AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "envsecret",
      "AWS_SESSION_TOKEN": "envtoken",
    ]) { $1 }
    let credentials = try #require(try await Self.chain(environment, home: home).load())
    #expect(credentials.accessKeyID == "ENVKEY")
    #expect(credentials.secretAccessKey.utf8String() == "envsecret")
    #expect(credentials.sessionToken?.utf8String() == "envtoken")
    // --profile names a profile: the environment's keys are passed over, as the aws CLI does.
    let named = try #require(
      try await Self.chain(environment, home: home, profile: "default").load())
    #expect(named.accessKeyID == "FILEKEY")
    // Nothing secret prints.
    #expect(!"\(credentials)".contains("envsecret"))
    #expect(!"\(credentials)".contains("envtoken"))
  }

  @Test func partialEnvironmentCredentialsFail() async throws {
    let home = try Home()
    await expectThrows(AWSClientError.self) {
      _ = try await Self.chain(
        Self.noMetadata.merging(["AWS_ACCESS_KEY_ID": "K"]) { $1 }, home: home
      ).load()
    }
  }

  @Test func profilesFromBothFiles() async throws {
    let home = try Home(
      credentials: """
        # comment
        [default]
        aws_access_key_id = DEFAULTKEY
        aws_secret_access_key = defaultsecret

        [dev]
        aws_access_key_id=DEVKEY
        aws_secret_access_key=devsecret
        aws_session_token=devtoken ; a comment
        """,
      config: """
        [default]
        region = eu-west-1

        [profile ops]
        region = us-west-2
        aws_access_key_id = OPSKEY
        aws_secret_access_key = opssecret
        s3 =
          max_concurrent_requests = 10
        """)
    let dev = try #require(
      try await Self.chain(Self.noMetadata.merging(["AWS_PROFILE": "dev"]) { $1 }, home: home)
        .load())
    #expect(dev.accessKeyID == "DEVKEY")
    #expect(dev.sessionToken?.utf8String() == "devtoken")
    let ops = try #require(try await Self.chain(Self.noMetadata, home: home, profile: "ops").load())
    #expect(ops.accessKeyID == "OPSKEY")
    let files = AWSConfigFiles.load(environment: [:], home: home.path)
    #expect(files.setting("region", profile: "ops") == "us-west-2")
    #expect(files.setting("region", profile: "default") == "eu-west-1")
    #expect(files.configSection("ops")?["s3"] == "")
    #expect(files.configSection("ops")?["max_concurrent_requests"] == nil)
  }

  @Test func credentialProcessRunsWithoutAShell() async throws {
    let home = try Home()
    let script = home.path + "/creds.sh"
    try """
    #!/bin/sh
    echo '{"Version": 1, "AccessKeyId": "PROCKEY", "SecretAccessKey": "procsecret", "SessionToken": "proctoken", "Expiration": "2030-01-01T00:00:00Z"}'
    """.write(toFile: script, atomically: true, encoding: .utf8)
    chmod(script, 0o700)
    try "[profile proc]\ncredential_process = \"\(script)\" --ignored 'two words'\n".write(
      toFile: home.path + "/.aws/config", atomically: true, encoding: .utf8)
    let credentials = try #require(
      try await Self.chain(Self.noMetadata, home: home, profile: "proc").load())
    #expect(credentials.accessKeyID == "PROCKEY")
    #expect(credentials.sessionToken?.utf8String() == "proctoken")
    #expect(credentials.expiration == Date(timeIntervalSince1970: 1_893_456_000))
    #expect(
      try CredentialProcess.split(#"a "b c" 'd e' f\ g"#) == ["a", "b c", "d e", "f g"])
  }

  @Test func aFailingCredentialProcessSaysSoWithoutItsOutput() async throws {
    let home = try Home()
    let script = home.path + "/fail.sh"
    try
      "#!/bin/sh\necho '{\"AccessKeyId\": \"LEAKED\"}'\necho first >&2\necho 'sso: token expired' >&2\nexit 3\n"
      .write(toFile: script, atomically: true, encoding: .utf8)
    chmod(script, 0o700)
    try "[profile bad]\ncredential_process = \(script)\n".write(
      toFile: home.path + "/.aws/config", atomically: true, encoding: .utf8)
    do {
      _ = try await Self.chain(Self.noMetadata, home: home, profile: "bad").load()
      Issue.record("no error")
    } catch let error as AWSClientError {
      // Its standard error's last line says why, on the one line of the error.
      #expect("\(error)".contains("exited with status 3: sso: token expired"), "\(error)")
      #expect(!"\(error)".contains("LEAKED"))
      #expect(!"\(error)".contains("\n"))
    }
    // A program that is not there is said to be missing, not run through /usr/bin/env.
    try "[profile gone]\ncredential_process = \(home.path)/missing.sh --flag\n".write(
      toFile: home.path + "/.aws/config", atomically: true, encoding: .utf8)
    do {
      _ = try await Self.chain(Self.noMetadata, home: home, profile: "gone").load()
      Issue.record("no error")
    } catch let error as AWSClientError {
      #expect("\(error)".contains("missing.sh' is not an executable file"), "\(error)")
      #expect(!"\(error)".contains("/usr/bin/env"))
    }
  }

  /// What a credential process prints is kept to a bound: the start of its output (a document
  /// larger than that is refused), the end of its standard error (whose last line is shown).
  @Test func aProcessThatPrintsWithoutEndCostsABoundedAmount() async throws {
    let home = try Home()
    let script = home.path + "/loud.sh"
    try """
    #!/bin/sh
    head -c 3000000 /dev/zero | tr '\\0' x >&2
    printf '\\nlast words\\n' >&2
    head -c 3000000 /dev/zero | tr '\\0' y
    """.write(toFile: script, atomically: true, encoding: .utf8)
    chmod(script, 0o700)
    try "[profile loud]\ncredential_process = \(script)\n".write(
      toFile: home.path + "/.aws/config", atomically: true, encoding: .utf8)
    do {
      _ = try await Self.chain(Self.noMetadata, home: home, profile: "loud").load()
      Issue.record("no error")
    } catch let error as AWSClientError {
      #expect("\(error)".contains("its output is larger than 1024 KiB"), "\(error)")
    }
    let pipe = Pipe()
    let writer = Task.detached {
      for _ in 0..<40 { pipe.fileHandleForWriting.write(Data(repeating: 0x61, count: 10_000)) }
      pipe.fileHandleForWriting.write(Data("tail".utf8))
      try? pipe.fileHandleForWriting.close()
    }
    let (kept, overflowed) = CredentialProcess.drain(
      pipe.fileHandleForReading, keeping: 100, from: .end)
    await writer.value
    #expect(overflowed)
    #expect(kept.count == 100)
    #expect(String(decoding: kept.suffix(4), as: UTF8.self) == "tail")
  }

  @Test func rolesAndSSOAreRefusedWithAWayOut() async throws {
    let home = try Home(
      config: "[profile role]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n")
    do {
      _ = try await Self.chain(Self.noMetadata, home: home, profile: "role").load()
      Issue.record("no error")
    } catch let error as AWSClientError {
      #expect("\(error)".contains("role_arn"))
      #expect("\(error)".contains("export-credentials"))
    }
  }

  @Test func containerCredentialsWithAnAuthorizationToken() async throws {
    let home = try Home()
    let transport = FakeTransport([
      FakeTransport.json(
        200,
        #"{"AccessKeyId":"CONTAINERKEY","SecretAccessKey":"s","Token":"ctoken","Expiration":"2030-01-01T00:00:00Z"}"#
      )
    ])
    let environment = Self.noMetadata.merging([
      "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9911/creds",
      "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Bearer abc",
    ]) { $1 }
    let credentials = try #require(
      try await Self.chain(environment, home: home, transport: transport).load())
    #expect(credentials.accessKeyID == "CONTAINERKEY")
    #expect(credentials.sessionToken?.utf8String() == "ctoken")
    #expect(transport.sent.first?.url.absoluteString == "http://127.0.0.1:9911/creds")
    #expect(transport.sent.first?.header("Authorization") == "Bearer abc")

    let relative = ContainerCredentials(
      environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"],
      transport: FakeTransport())
    #expect(try relative.endpoint()?.absoluteString == "http://169.254.170.2/v2/credentials/abc")
    let remote = ContainerCredentials(
      environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://example.com/creds"],
      transport: FakeTransport())
    #expect(throws: AWSClientError.self) { try remote.endpoint() }
  }

  @Test func instanceMetadataUsesAnIMDSv2Token() async throws {
    let home = try Home()
    let transport = FakeTransport([
      FakeTransport.json(200, "session-token"),
      FakeTransport.json(200, "my-role\n"),
      FakeTransport.json(
        200,
        #"{"Code":"Success","AccessKeyId":"IMDSKEY","SecretAccessKey":"s","Token":"itoken","Expiration":"2030-01-01T00:00:00Z"}"#
      ),
    ])
    let environment = ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:9912/"]
    let credentials = try #require(
      try await Self.chain(environment, home: home, transport: transport).load())
    #expect(credentials.accessKeyID == "IMDSKEY")
    let sent = transport.sent
    #expect(sent.map(\.method) == ["PUT", "GET", "GET"])
    #expect(sent[0].url.absoluteString == "http://127.0.0.1:9912/latest/api/token")
    #expect(sent[0].header("X-aws-ec2-metadata-token-ttl-seconds") == "21600")
    #expect(sent[0].timeout == 1)
    #expect(
      sent[2].url.absoluteString
        == "http://127.0.0.1:9912/latest/meta-data/iam/security-credentials/my-role")
    #expect(sent[1].header("X-aws-ec2-metadata-token") == "session-token")
    #expect(sent[2].header("X-aws-ec2-metadata-token") == "session-token")
  }

  @Test func noSourceMeansNoCredentials() async throws {
    let home = try Home()
    let unreachable = FakeTransport(fallback: { _ in
      .failure(HTTPTransportError(reason: "timed out", timedOut: true))
    })
    let environment = ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:9913"]
    #expect(try await Self.chain(environment, home: home, transport: unreachable).load() == nil)
    #expect(unreachable.sent.count == 1)
    #expect(try await Self.chain(Self.noMetadata, home: home, transport: unreachable).load() == nil)
    #expect(unreachable.sent.count == 1)
  }
}

/// Region and endpoint as the aws CLI picks them.
@Suite struct AWSStoreConnectTests {
  static func connect(
    _ environment: [String: String], storeRegion: String? = nil, region: String? = nil,
    profile: String? = nil, endpoint: String? = nil, home: String = "/nonexistent"
  ) throws -> AWSStore {
    try AWSStore.connect(
      AWSStoreOptions(
        storeRegion: storeRegion, region: region, profile: profile, endpointURL: endpoint,
        environment: environment, homeDirectory: home, transport: FakeTransport()))
  }

  @Test func regionComesFromTheStoreThenFlagsThenEnvironmentThenProfile() throws {
    #expect(
      try Self.connect(["AWS_REGION": "eu-west-1"], storeRegion: "us-east-2").region == "us-east-2")
    #expect(
      try Self.connect(["AWS_REGION": "eu-west-1"], region: "ap-south-1").region == "ap-south-1")
    #expect(
      try Self.connect(["AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-2"]).region
        == "eu-west-1")
    #expect(try Self.connect(["AWS_DEFAULT_REGION": "eu-west-2"]).region == "eu-west-2")
    let home = try CredentialChainTests.Home(config: "[default]\nregion = sa-east-1\n")
    #expect(try Self.connect([:], home: home.path).region == "sa-east-1")
    #expect(throws: AWSClientError.noRegion) { try Self.connect([:]) }
  }

  @Test func endpointsPerService() throws {
    let plain = try Self.connect([:], storeRegion: "eu-west-1")
    #expect(plain.ssm.endpoint.absoluteString == "https://ssm.eu-west-1.amazonaws.com")
    #expect(
      plain.secretsManager.endpoint.absoluteString
        == "https://secretsmanager.eu-west-1.amazonaws.com")
    #expect(
      try Self.connect([:], storeRegion: "cn-north-1").ssm.endpoint.absoluteString
        == "https://ssm.cn-north-1.amazonaws.com.cn")
    let environment = [
      "AWS_ENDPOINT_URL": "http://127.0.0.1:5000",
      "AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://127.0.0.1:5001",
    ]
    let configured = try Self.connect(environment, storeRegion: "us-east-1")
    #expect(configured.ssm.endpoint.absoluteString == "http://127.0.0.1:5000")
    #expect(configured.secretsManager.endpoint.absoluteString == "http://127.0.0.1:5001")
    let flagged = try Self.connect(
      environment, storeRegion: "us-east-1", endpoint: "http://localhost:7")
    #expect(flagged.ssm.endpoint.absoluteString == "http://localhost:7")
    #expect(flagged.secretsManager.endpoint.absoluteString == "http://localhost:7")
    let ignored = try Self.connect(
      environment.merging(["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"]) { $1 },
      storeRegion: "us-east-1")
    #expect(ignored.ssm.endpoint.absoluteString == "https://ssm.us-east-1.amazonaws.com")
    #expect(throws: AWSClientError.self) {
      try Self.connect([:], storeRegion: "us-east-1", endpoint: "ftp://x")
    }
    #expect(ssmHost(configured) == "127.0.0.1:5000")
    #expect(ssmHost(plain) == "ssm.eu-west-1.amazonaws.com")
  }

  private func ssmHost(_ store: AWSStore) -> String { store.ssm.hostHeader }

  /// A profile's `services` section names endpoints per service, between the service's own
  /// environment variable and `AWS_ENDPOINT_URL` (feature-ss-endpoints.html).
  @Test func servicesSectionEndpoints() throws {
    let home = try CredentialChainTests.Home(
      config: """
        [profile local]
        region = us-east-1
        services = local-services
        endpoint_url = http://127.0.0.1:5009

        [services local-services]
        ssm =
          endpoint_url = http://127.0.0.1:5003
        secrets_manager =
          # a comment inside the block
          endpoint_url = http://127.0.0.1:5004
        kms = http://not-a-block

        """)
    let store = try Self.connect([:], profile: "local", home: home.path)
    #expect(store.ssm.endpoint.absoluteString == "http://127.0.0.1:5003")
    #expect(store.secretsManager.endpoint.absoluteString == "http://127.0.0.1:5004")
    #expect(store.kms.endpoint.absoluteString == "http://127.0.0.1:5009")
    let environment = [
      "AWS_ENDPOINT_URL_SSM": "http://127.0.0.1:6001", "AWS_ENDPOINT_URL": "http://127.0.0.1:6000",
    ]
    let overridden = try Self.connect(environment, profile: "local", home: home.path)
    #expect(overridden.ssm.endpoint.absoluteString == "http://127.0.0.1:6001")
    #expect(overridden.secretsManager.endpoint.absoluteString == "http://127.0.0.1:5004")
    let ignored = try Self.connect(
      ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"], profile: "local", home: home.path)
    #expect(ignored.ssm.endpoint.absoluteString == "https://ssm.us-east-1.amazonaws.com")
  }

  @Test func aNamedProfileMustExist() throws {
    #expect(throws: AWSClientError.configuration("The config profile (nope) could not be found")) {
      try Self.connect(["AWS_REGION": "us-east-1"], profile: "nope")
    }
    #expect(throws: AWSClientError.self) {
      try Self.connect(["AWS_REGION": "us-east-1", "AWS_PROFILE": "nope"])
    }
  }
}
