import CinchAWS
import CinchJSON
import CinchStore
import Foundation
import Testing
import _CinchTestSupport

@testable import CinchServer

/// The endpoint in process, over a real store: requests signed with the AWS backend's signer,
/// answered as AWS answers them.
struct AWSJSONEndpointTests {
  final class Fixture: Sendable {
    let directory: URL
    let store: SQLiteStore
    let root: AccessKey
    let ci: AccessKey
    let clock: @Sendable () -> Date

    init(now: Date? = nil, configuration: StoreConfiguration = StoreConfiguration())
      async throws
    {
      directory = try CinchProcess.temporaryDirectory()
      store = try await SQLiteStore.create(
        at: directory.path + "/store.db", master: .newKeyFile(path: directory.path + "/master.key"),
        configuration: configuration)
      root = try await store.createAccessKey(userName: nil).accessKey
      ci = try await store.createAccessKey(userName: "ci").accessKey
      try await store.putUserPolicy(
        userName: "ci", policyName: "describe",
        policyDocument:
          #"{"Statement": {"Effect": "Allow", "Action": "ssm:DescribeParameters", "Resource": "*"}}"#
      )
      _ = try await store.putParameter(
        PutParameterRequest(name: "/app/db", value: "s3cr3t", type: .secureString))
      let fixed = now
      clock = { fixed ?? Date() }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    var endpoint: AWSJSONEndpoint { AWSJSONEndpoint(store: store, now: clock) }

    /// A request for `target` with `body`, signed by `key` (with `secret` instead of the key's,
    /// when given) at `date`.
    func request(
      _ target: String, _ body: String, key: AccessKey? = nil, secret: String? = nil,
      at date: Date = Date(), service: String? = nil, region: String = "us-east-1"
    ) -> ServerRequest {
      .signed(
        target, body, key: key ?? root, secret: secret, at: date, service: service, region: region)
    }
  }

  func json(_ response: ServerResponse) throws -> JSONValue {
    try JSONValueParser.parse(String(decoding: response.body, as: UTF8.self))
  }

  /// `AccessDeniedException` naming `action` on `resource` (in `message` or `Message`).
  func expectDenied(
    _ response: ServerResponse, _ action: String, on resource: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    try expectError(response, "AccessDeniedException", sourceLocation: sourceLocation)
    let body = try json(response)
    let message = (body["message"] ?? body["Message"])?.stringValue ?? ""
    #expect(message.contains("\(action) on resource: \(resource)"), sourceLocation: sourceLocation)
  }

  func expectError(
    _ response: ServerResponse, _ code: String, status: Int = 400,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    #expect(response.status == status, sourceLocation: sourceLocation)
    #expect(try json(response)["__type"]?.stringValue == code, sourceLocation: sourceLocation)
    #expect(
      response.headers.contains { $0.name == "X-Amzn-ErrorType" && $0.value == code },
      sourceLocation: sourceLocation)
  }

  @Test func aSignedGetParameterIsAnswered() async throws {
    let fixture = try await Fixture()
    let response = await fixture.endpoint.handle(
      fixture.request("AmazonSSM.GetParameter", #"{"Name": "/app/db", "WithDecryption": true}"#))
    #expect(response.status == 200)
    #expect(try json(response)["Parameter"]?["Value"]?.stringValue == "s3cr3t")
    #expect(response.headers.contains { $0.name == "x-amzn-RequestId" })
    #expect(response.logDetail?.contains("s3cr3t") == false)
  }

  @Test func aWrongSecretATamperedBodyAndAnUnknownKeyAreRefused() async throws {
    let fixture = try await Fixture()
    let endpoint = fixture.endpoint
    try expectError(
      await endpoint.handle(
        fixture.request("AmazonSSM.GetParameter", #"{"Name": "/app/db"}"#, secret: "wrong")),
      "InvalidSignatureException")
    var tampered = fixture.request("AmazonSSM.GetParameter", #"{"Name": "/app/x"}"#)
    tampered.body = Array(#"{"Name": "/app/db"}"#.utf8)
    try expectError(await endpoint.handle(tampered), "InvalidSignatureException")
    let stranger = AccessKey(
      userName: nil, accessKeyID: "AKIAIOSFODNN7EXAMPLE", status: .active,
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", createDate: Date())
    try expectError(
      await endpoint.handle(
        fixture.request("AmazonSSM.GetParameter", #"{"Name": "/a"}"#, key: stranger)),
      "UnrecognizedClientException")
  }

  /// A target left out of the signature could be swapped: a captured GetParameter sent as
  /// DeleteParameter. It must be signed, as a session token must; every SDK signs both.
  @Test func theTargetMustBeSigned() async throws {
    let fixture = try await Fixture()
    let body = Array(#"{"Name": "/app/db"}"#.utf8)
    var unsigned = SigV4Request(
      method: "POST", path: "/",
      headers: [("Host", "127.0.0.1:4583"), ("Content-Type", AWSWireCodec.contentType)],
      body: body)
    SigV4Signer(region: "us-east-1", service: "ssm").sign(
      &unsigned,
      credentials: AWSCredentials(
        accessKeyID: fixture.root.accessKeyID,
        secretAccessKey: SecretBytes(utf8: fixture.root.secretAccessKey), source: "test"),
      at: Date())
    let swapped = ServerRequest(
      method: "POST", path: "/",
      headers: unsigned.headers + [("X-Amz-Target", "AmazonSSM.DeleteParameter")],
      body: body)
    let response = await fixture.endpoint.handle(swapped)
    try expectError(response, "IncompleteSignatureException")
    #expect(
      try json(response)["message"]?.stringValue
        == "'x-amz-target' must be a 'SignedHeader' in the AWS Authorization.")
    // Still there.
    let read = await fixture.endpoint.handle(
      fixture.request("AmazonSSM.GetParameter", #"{"Name": "/app/db"}"#))
    #expect(read.status == 200)
  }

  @Test func theClockSkewIsFifteenMinutesEitherWay() async throws {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let fixture = try await Fixture(now: now)
    let endpoint = fixture.endpoint
    let body = #"{"Name": "/app/db"}"#
    #expect(
      await endpoint.handle(
        fixture.request("AmazonSSM.GetParameter", body, at: now.addingTimeInterval(-14 * 60))
      ).status == 200)
    let expired = await endpoint.handle(
      fixture.request("AmazonSSM.GetParameter", body, at: now.addingTimeInterval(-16 * 60)))
    try expectError(expired, "InvalidSignatureException")
    #expect(try json(expired)["message"]?.stringValue?.hasPrefix("Signature expired: ") == true)
    let early = await endpoint.handle(
      fixture.request("AmazonSSM.GetParameter", body, at: now.addingTimeInterval(16 * 60)))
    try expectError(early, "InvalidSignatureException")
    // 1_800_000_000 is 2027-01-15T08:00:00Z.
    #expect(
      try json(early)["message"]?.stringValue
        == "Signature not yet current: 20270115T081600Z is still later than 20270115T081500Z "
        + "(20270115T080000Z + 15 min.)")
  }

  @Test func unsignedUnknownAndMalformedRequests() async throws {
    let fixture = try await Fixture()
    let endpoint = fixture.endpoint
    try expectError(
      await endpoint.handle(
        ServerRequest(
          method: "POST", path: "/", headers: [("X-Amz-Target", "AmazonSSM.GetParameter")])),
      "MissingAuthenticationTokenException", status: 403)
    try expectError(
      await endpoint.handle(fixture.request("AmazonSSM.Frobnicate", "{}")),
      "UnknownOperationException")
    try expectError(
      await endpoint.handle(fixture.request("Unknown_20250101.Op", "{}", service: "ssm")),
      "UnknownOperationException")
    let broken = await endpoint.handle(fixture.request("AmazonSSM.GetParameter", "{"))
    try expectError(broken, "SerializationException")
    #expect(
      try json(broken)["message"]?.stringValue?.hasPrefix(
        "the request body is not valid JSON: ") == true)
    let list = await endpoint.handle(fixture.request("AmazonSSM.GetParameter", "[1]"))
    #expect(try json(list)["message"]?.stringValue == "the request body is not a JSON object")
    // Deeper than the parsers go: said so, not called "not an object".
    let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
    let nested = await endpoint.handle(
      fixture.request("AmazonSSM.GetParameter", #"{"Name": "/a", "Foo": \#(deep)}"#))
    try expectError(nested, "SerializationException")
    #expect(
      try json(nested)["message"]?.stringValue?.contains("nesting deeper than 512 levels") == true)
    for number in ["2.5", "1e400", "99999999999999999999"] {
      let unfit = await endpoint.handle(
        fixture.request("AmazonSSM.DescribeParameters", #"{"MaxResults": \#(number)}"#))
      try expectError(unfit, "SerializationException")
      #expect(
        try json(unfit)["message"]?.stringValue
          == "a number in the request body does not fit its member (a whole number in range is "
          + "expected)")
    }
    // Text that is not UTF-8 inside a string member: said so, not blamed on a number.
    let notText = await endpoint.handle(
      .signed(
        "AmazonSSM.PutParameter",
        bytes: Array(#"{"Name":"/u/c","Value":""#.utf8) + [0xFF, 0xFE]
          + Array(#"","Type":"String"}"#.utf8), key: fixture.root))
    try expectError(notText, "SerializationException")
    #expect(try json(notText)["message"]?.stringValue == "the request body is not UTF-8 text")
    let missing = await endpoint.handle(fixture.request("AmazonSSM.GetParameter", "{}"))
    try expectError(missing, "ValidationException")
    #expect(
      try json(missing)["Message"]?.stringValue
        == "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"
    )
    try expectError(
      await endpoint.handle(
        fixture.request(
          "AmazonSSM.GetParameter", #"{"Name": "/app/db"}"#, service: "secretsmanager")),
      "IncompleteSignatureException")
  }

  /// AWS answers a scope for another region with `InvalidSignatureException`, naming the region
  /// the request was signed for (as quoted from real answers in aws-sdk issues and by AWS's
  /// other signers: "Credential should be scoped to a valid region, not 'eu-west-1'. ").
  @Test func aScopeForAnotherRegionIsAnInvalidSignature() async throws {
    let fixture = try await Fixture()
    let response = await fixture.endpoint.handle(
      fixture.request("AmazonSSM.GetParameter", #"{"Name": "/app/db"}"#, region: "eu-west-1"))
    try expectError(response, "InvalidSignatureException")
    #expect(
      try json(response)["message"]?.stringValue
        == "Credential should be scoped to a valid region, not 'eu-west-1'. ")
  }

  @Test func secretsManagerErrorsCarryMessage() async throws {
    let fixture = try await Fixture()
    let response = await fixture.endpoint.handle(
      fixture.request("secretsmanager.GetSecretValue", #"{"SecretId": "nope"}"#))
    try expectError(response, "ResourceNotFoundException")
    #expect(
      try json(response)["Message"]?.stringValue
        == "Secrets Manager can't find the specified secret.")
  }

  /// Parameter Store's quota, reached, is AWS's `ParameterLimitExceeded` (its shape's member is
  /// `message`), which boto3 raises by that name; an advanced parameter still has room.
  @Test func aParameterPastTheQuotaIsParameterLimitExceeded() async throws {
    // The fixture holds one standard parameter, `/app/db`.
    let fixture = try await Fixture(
      configuration: StoreConfiguration(parameterLimits: ParameterLimits(standard: 1)))
    let refused = await fixture.endpoint.handle(
      fixture.request(
        "AmazonSSM.PutParameter", #"{"Name": "/app/new", "Value": "v", "Type": "String"}"#))
    try expectError(refused, "ParameterLimitExceeded")
    #expect(
      try json(refused)["message"]?.stringValue
        == "You have reached the maximum number of standard parameters for this AWS account and "
        + "Region (1). To add more parameters, either delete existing parameters or upgrade to "
        + "the advanced-parameter tier (charges apply).")
    let tiered = await fixture.endpoint.handle(
      fixture.request(
        "AmazonSSM.PutParameter",
        #"{"Name": "/app/new", "Value": "v", "Type": "String", "Tier": "Intelligent-Tiering"}"#))
    #expect(tiered.status == 200)
    #expect(try json(tiered)["Tier"]?.stringValue == "Advanced")
  }

  /// An error body spells its message member as the error's shape does in the service's model
  /// (`AWSErrorShapes`): Parameter Store's `ValidationException`, `InvalidNextToken`,
  /// `InvalidFilterValue` and `AccessDeniedException` have `Message`, its `ParameterNotFound`
  /// `message`. botocore reads either; a client generated from the model may read only its own.
  @Test func errorBodiesSpellMessageAsTheirShapeDoes() async throws {
    let fixture = try await Fixture()
    let cases: [(target: String, body: String, key: AccessKey?, code: String, member: String)] = [
      ("AmazonSSM.GetParameter", #"{"Name": "/nope"}"#, nil, "ParameterNotFound", "message"),
      (
        "AmazonSSM.PutParameter", #"{"Name": "/app/db", "Value": "v", "Type": "String"}"#, nil,
        "ParameterAlreadyExists", "message"
      ),
      ("AmazonSSM.GetParameter", "{}", nil, "ValidationException", "Message"),
      (
        "AmazonSSM.DescribeParameters", #"{"NextToken": "bad"}"#, nil, "InvalidNextToken", "Message"
      ),
      (
        "AmazonSSM.DescribeParameters",
        #"{"ParameterFilters": [{"Key": "Type", "Values": ["Nope"]}]}"#, nil,
        "InvalidFilterValue", "Message"
      ),
      (
        "AmazonSSM.GetParameter", #"{"Name": "/app/db"}"#, fixture.ci, "AccessDeniedException",
        "Message"
      ),
      (
        "secretsmanager.GetSecretValue", #"{"SecretId": "nope"}"#, nil,
        "ResourceNotFoundException", "Message"
      ),
      (
        "TrentService.DescribeKey", #"{"KeyId": "alias/nope"}"#, nil, "NotFoundException", "message"
      ),
      // Outside the models: every AWS JSON endpoint's own refusals keep the service's spelling.
      ("AmazonSSM.GetParameter", "{", nil, "SerializationException", "message"),
    ]
    for item in cases {
      let response = await fixture.endpoint.handle(
        fixture.request(item.target, item.body, key: item.key))
      try expectError(response, item.code)
      #expect(
        try json(response).objectValue.map { Set($0.keys) } == ["__type", item.member],
        "\(item.target) \(item.code)")
    }
  }

  /// The SDKs and the aws CLI fill `ClientRequestToken` in; a raw request that writes a value
  /// without one is refused as AWS refuses it, before the secret is looked up, and writes
  /// nothing.
  @Test func aRawValueWriteMustCarryItsClientRequestToken() async throws {
    let fixture = try await Fixture()
    let message = "You must provide a ClientRequestToken value. We recommend a UUID-type value."
    for (target, body) in [
      ("secretsmanager.CreateSecret", #"{"Name": "raw", "SecretString": "v"}"#),
      ("secretsmanager.PutSecretValue", #"{"SecretId": "raw", "SecretString": "v"}"#),
      ("secretsmanager.UpdateSecret", #"{"SecretId": "raw", "SecretString": "v"}"#),
      ("secretsmanager.RotateSecret", #"{"SecretId": "raw"}"#),
    ] {
      let response = await fixture.endpoint.handle(fixture.request(target, body))
      try expectError(response, "InvalidRequestException")
      #expect(try json(response)["Message"]?.stringValue == message, "\(target)")
    }
    // Without a value there is no version to name; with a token the write goes through.
    let empty = await fixture.endpoint.handle(
      fixture.request("secretsmanager.CreateSecret", #"{"Name": "raw"}"#))
    #expect(empty.status == 200)
    let put = await fixture.endpoint.handle(
      fixture.request(
        "secretsmanager.PutSecretValue",
        #"{"SecretId": "raw", "SecretString": "v", "ClientRequestToken": "00000000-0000-4000-8000-00000000000a"}"#
      ))
    #expect(put.status == 200)
  }

  /// Reading a secret through Parameter Store needs `ssm:GetParameter` on the reference and
  /// `secretsmanager:GetSecretValue` on the secret.
  @Test func aSecretReadThroughParameterStoreNeedsGetSecretValue() async throws {
    let fixture = try await Fixture()
    let created = try await fixture.store.createSecret(
      CreateSecretRequest(name: "app/db", secretString: "v"))
    let reader = try await fixture.store.createAccessKey(userName: "reader").accessKey
    try await fixture.store.putUserPolicy(
      userName: "reader", policyName: "ssm",
      policyDocument:
        #"{"Statement": {"Effect": "Allow", "Action": "ssm:GetParameter*", "Resource": "*"}}"#)
    let body = #"{"Name": "/aws/reference/secretsmanager/app/db", "WithDecryption": true}"#
    let denied = await fixture.endpoint.handle(
      fixture.request("AmazonSSM.GetParameter", body, key: reader))
    try expectDenied(denied, "secretsmanager:GetSecretValue", on: created.arn)
    let batch = await fixture.endpoint.handle(
      fixture.request(
        "AmazonSSM.GetParameters",
        #"{"Names": ["/aws/reference/secretsmanager/app/db"], "WithDecryption": true}"#,
        key: reader))
    try expectError(batch, "AccessDeniedException")
    try await fixture.store.putUserPolicy(
      userName: "reader", policyName: "secret",
      policyDocument:
        #"{"Statement": {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}}"#
    )
    let allowed = await fixture.endpoint.handle(
      fixture.request("AmazonSSM.GetParameter", body, key: reader))
    #expect(allowed.status == 200)
    let parameter = try json(allowed)["Parameter"]
    #expect(parameter?["Value"]?.stringValue == "v")
    #expect(parameter?["ARN"]?.stringValue == created.arn)
    #expect(parameter?["DataType"] == nil)
    let rows = try await fixture.store.auditRecords(name: nil, limit: nil)
    #expect(
      rows.contains {
        $0.operation == "GetParameter" && $0.name == "/aws/reference/secretsmanager/app/db"
          && $0.result == "ok" && $0.caller == reader.accessKeyID
      })
  }

  /// A selector after the secret's name (`…/app/db:AWSPREVIOUS`, `…/app/db:VERSION-ID`) is
  /// judged as the version stage or id it names, so a policy that `cinch policy` conditions on
  /// them lets the pinned version through and nothing else.
  @Test func aSelectorThroughParameterStoreIsJudgedAsItsStageOrId() async throws {
    let fixture = try await Fixture()
    let created = try await fixture.store.createSecret(
      CreateSecretRequest(name: "app/db", secretString: "v1"))
    _ = try await fixture.store.putSecretValue(
      PutSecretValueRequest(secretID: "app/db", secretString: "v2"))
    let first = try #require(created.versionID)
    let reader = try await fixture.store.createAccessKey(userName: "reader").accessKey
    let policy =
      #"{"Statement": [{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*"}, "#
      + #"{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*", "#
      + #""Condition": {"StringEquals": {"secretsmanager:VersionStage": "AWSPREVIOUS"}}}, "#
      + #"{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*", "#
      + #""Condition": {"StringEquals": {"secretsmanager:VersionId": "\#(first)"}}}]}"#
    try await fixture.store.putUserPolicy(
      userName: "reader", policyName: "pinned", policyDocument: policy)
    func read(_ selector: String) async -> ServerResponse {
      await fixture.endpoint.handle(
        fixture.request(
          "AmazonSSM.GetParameter",
          #"{"Name": "/aws/reference/secretsmanager/app/db\#(selector)", "WithDecryption": true}"#,
          key: reader))
    }
    #expect(await read(":AWSPREVIOUS").status == 200)
    #expect(await read(":\(first)").status == 200)
    try expectDenied(await read(""), "secretsmanager:GetSecretValue", on: created.arn)
    try expectDenied(await read(":AWSCURRENT"), "secretsmanager:GetSecretValue", on: created.arn)
  }

  /// Terraform's refresh of `aws_secretsmanager_secret` calls `GetResourcePolicy`: answered
  /// without a policy, and authorised as `secretsmanager:GetResourcePolicy` on the secret.
  @Test func getResourcePolicyAnswersWithoutAPolicy() async throws {
    let fixture = try await Fixture()
    let created = try await fixture.store.createSecret(
      CreateSecretRequest(name: "app/db", secretString: "v"))
    let response = await fixture.endpoint.handle(
      fixture.request("secretsmanager.GetResourcePolicy", #"{"SecretId": "app/db"}"#))
    #expect(response.status == 200)
    let body = try json(response)
    #expect(body["ARN"]?.stringValue == created.arn)
    #expect(body["Name"]?.stringValue == "app/db")
    #expect(body["ResourcePolicy"] == nil)
    let denied = await fixture.endpoint.handle(
      fixture.request(
        "secretsmanager.GetResourcePolicy", #"{"SecretId": "app/db"}"#, key: fixture.ci))
    try expectDenied(denied, "secretsmanager:GetResourcePolicy", on: created.arn)
    let refused = await fixture.endpoint.handle(
      fixture.request(
        "secretsmanager.PutResourcePolicy", #"{"SecretId": "app/db", "ResourcePolicy": "{}"}"#))
    try expectError(refused, "InvalidRequestException")
  }

  /// A key policy sent over the wire is refused, not kept and ignored: a Deny of `kms:Decrypt`
  /// in it would never be enforced (keys have no key policies, Docs/Serve.md). So is
  /// `BypassPolicyLockoutSafetyCheck: true` and a custom key store; nothing is created. A value
  /// outside KMS's enums is the model's `ValidationException`.
  @Test func createKeyRefusesAKeyPolicy() async throws {
    let fixture = try await Fixture()
    let endpoint = fixture.endpoint
    let policy =
      #"{\"Statement\": [{\"Effect\": \"Deny\", \"Principal\": \"*\", "#
      + #"\"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}]}"#
    for (body, refusal) in [
      (#"{"Description": "app", "Policy": "\#(policy)"}"#, "Key policies are not available"),
      (#"{"BypassPolicyLockoutSafetyCheck": true}"#, "BypassPolicyLockoutSafetyCheck is not"),
      (#"{"CustomKeyStoreId": "cks-1234567890abcdef0"}"#, "Custom key stores are not"),
    ] {
      let response = await endpoint.handle(fixture.request("TrentService.CreateKey", body))
      try expectError(response, "UnsupportedOperationException")
      let answer = try json(response)
      #expect((answer["message"] ?? answer["Message"])?.stringValue?.hasPrefix(refusal) == true)
    }
    try expectError(
      await endpoint.handle(fixture.request("TrentService.CreateKey", #"{"KeyUsage": "BOGUS"}"#)),
      "ValidationException")
    let listed = try json(await endpoint.handle(fixture.request("TrentService.ListKeys", "{}")))
    #expect(listed["Keys"]?.arrayValue?.count == 2)
    let created = await endpoint.handle(
      fixture.request("TrentService.CreateKey", #"{"BypassPolicyLockoutSafetyCheck": false}"#))
    #expect(created.status == 200)
  }

  @Test func aDescribeOnlyKeyCannotReadAValueAndTheRefusalIsAudited() async throws {
    let fixture = try await Fixture()
    let endpoint = fixture.endpoint
    #expect(
      await endpoint.handle(fixture.request("AmazonSSM.DescribeParameters", "{}", key: fixture.ci))
        .status
        == 200)
    let denied = await endpoint.handle(
      fixture.request(
        "AmazonSSM.GetParameter", #"{"Name": "/app/db", "WithDecryption": true}"#, key: fixture.ci))
    try expectError(denied, "AccessDeniedException")
    #expect(
      try json(denied)["Message"]?.stringValue
        == "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ssm:GetParameter "
        + "on resource: arn:aws:ssm:us-east-1:123456789012:parameter/app/db because no "
        + "identity-based policy allows the ssm:GetParameter action")
    let rows = try await fixture.store.auditRecords(name: nil, limit: nil)
    #expect(
      rows.contains { $0.operation == "DescribeParameters" && $0.caller == fixture.ci.accessKeyID })
    #expect(
      rows.contains {
        $0.operation == "GetParameter" && $0.caller == fixture.ci.accessKeyID
          && $0.result == "AccessDeniedException"
      })
    #expect(!rows.contains { $0.operation == "GetParameter" && $0.result == "ok" })
  }

  /// Parameter Store drops spaces at either end of a name before it reads or writes, so the
  /// ARN a policy is held to is the trimmed name's: a Deny on `/app/*` also refuses
  /// `' /app/db'`, for reads, overwrites and deletes alike.
  @Test func spacesAroundANameDoNotGetPastADeny() async throws {
    let fixture = try await Fixture()
    try await fixture.store.putUserPolicy(
      userName: "ci", policyName: "all-but-app",
      policyDocument: #"""
        {"Statement": [
          {"Effect": "Allow", "Action": ["ssm:*", "kms:Decrypt"], "Resource": "*"},
          {"Effect": "Deny", "Action": "ssm:*",
           "Resource": "arn:aws:ssm:us-east-1:123456789012:parameter/app/*"}]}
        """#)
    let arn = "arn:aws:ssm:us-east-1:123456789012:parameter/app/db"
    for name in [" /app/db", "  /app/db:1 ", " \(arn)"] {
      let get = await fixture.endpoint.handle(
        fixture.request(
          "AmazonSSM.GetParameter", #"{"Name": "\#(name)", "WithDecryption": true}"#,
          key: fixture.ci))
      try expectDenied(get, "ssm:GetParameter", on: arn)
      #expect(!String(decoding: get.body, as: UTF8.self).contains("s3cr3t"))
    }
    try expectDenied(
      await fixture.endpoint.handle(
        fixture.request(
          "AmazonSSM.PutParameter",
          #"{"Name": " /app/db", "Value": "x", "Type": "SecureString", "Overwrite": true}"#,
          key: fixture.ci)), "ssm:PutParameter", on: arn)
    try expectDenied(
      await fixture.endpoint.handle(
        fixture.request("AmazonSSM.DeleteParameter", #"{"Name": " /app/db"}"#, key: fixture.ci)),
      "ssm:DeleteParameter", on: arn)
    try expectDenied(
      await fixture.endpoint.handle(
        fixture.request(
          "AmazonSSM.GetParameters", #"{"Names": [" /app/db"], "WithDecryption": true}"#,
          key: fixture.ci)), "ssm:GetParameters", on: arn)
    let kept = try await fixture.store.getParameter(GetParameterRequest(name: "/app/db"))
    #expect(kept.parameter.version == 1)
  }

  /// A public parameter's ARN has no account, so the grant `cinch policy` writes for one
  /// (`arn:aws:ssm:REGION::parameter/aws/service/…`) is the one that allows reading it.
  @Test func publicParametersAreGrantedByTheirAccountlessARN() async throws {
    let fixture = try await Fixture()
    let name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64"
    _ = try await fixture.store.putPublicParameter(
      PutParameterRequest(name: name, value: "ami-0123456789abcdef0", type: .string))
    let get = #"{"Names": ["\#(name)"]}"#
    let denied = await fixture.endpoint.handle(
      fixture.request("AmazonSSM.GetParameters", get, key: fixture.ci))
    try expectError(denied, "AccessDeniedException")
    #expect(
      try json(denied)["Message"]?.stringValue?.contains(
        "on resource: arn:aws:ssm:us-east-1::parameter\(name) ") == true)
    try await fixture.store.putUserPolicy(
      userName: "ci", policyName: "public",
      policyDocument: #"""
        {"Statement": {"Effect": "Allow", "Action": "ssm:GetParameters",
          "Resource": "arn:aws:ssm:us-east-1::parameter/aws/service/*"}}
        """#)
    let allowed = await fixture.endpoint.handle(
      fixture.request("AmazonSSM.GetParameters", get, key: fixture.ci))
    #expect(allowed.status == 200)
    #expect(
      try json(allowed)["Parameters"]?.arrayValue?.first?["ARN"]?.stringValue
        == "arn:aws:ssm:us-east-1::parameter\(name)")
  }

  /// A secret the caller may not read is reported in `Errors` in IAM's full wording.
  @Test func batchDenialsCarryIAMsMessage() async throws {
    let fixture = try await Fixture()
    for name in ["app/open", "app/closed"] {
      _ = try await fixture.store.createSecret(
        CreateSecretRequest(name: name, secretString: "value-of-\(name)"))
    }
    try await fixture.store.putUserPolicy(
      userName: "ci", policyName: "batch",
      policyDocument: #"""
        {"Statement": [
          {"Effect": "Allow", "Action": "secretsmanager:BatchGetSecretValue", "Resource": "*"},
          {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
           "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/open-??????"}]}
        """#)
    let reply = await fixture.endpoint.handle(
      fixture.request(
        "secretsmanager.BatchGetSecretValue", #"{"SecretIdList": ["app/open", "app/closed"]}"#,
        key: fixture.ci))
    #expect(reply.status == 200)
    let body = try json(reply)
    #expect(body["SecretValues"]?.arrayValue?.map { $0["Name"]?.stringValue } == ["app/open"])
    let error = try #require(body["Errors"]?.arrayValue?.first)
    #expect(error["ErrorCode"]?.stringValue == "AccessDeniedException")
    let message = try #require(error["Message"]?.stringValue)
    #expect(
      message.hasPrefix(
        "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: "
          + "secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:"))
    #expect(
      message.hasSuffix(
        "because no identity-based policy allows the secretsmanager:GetSecretValue action"))
  }

  @Test func inactiveAndDeletedKeysAreRefused() async throws {
    let fixture = try await Fixture()
    let endpoint = fixture.endpoint
    let body = #"{"Name": "/app/db"}"#
    try await fixture.store.updateAccessKey(
      accessKeyID: fixture.root.accessKeyID, status: .inactive, userName: nil)
    try expectError(
      await endpoint.handle(fixture.request("AmazonSSM.GetParameter", body)),
      "UnrecognizedClientException")
    try await fixture.store.updateAccessKey(
      accessKeyID: fixture.root.accessKeyID, status: .active, userName: nil)
    #expect(await endpoint.handle(fixture.request("AmazonSSM.GetParameter", body)).status == 200)
    try await fixture.store.deleteAccessKey(accessKeyID: fixture.root.accessKeyID, userName: nil)
    try expectError(
      await endpoint.handle(fixture.request("AmazonSSM.GetParameter", body)),
      "UnrecognizedClientException")
  }

  /// The endpoint keeps the credentials of keys it has seen; a change made by another process
  /// (here another connection to the file) still applies from the very next request.
  @Test func changesByAnotherProcessApplyToTheNextRequest() async throws {
    let fixture = try await Fixture()
    let endpoint = fixture.endpoint
    let other = try await SQLiteStore.open(
      at: fixture.directory.path + "/store.db",
      master: .keyFile(path: fixture.directory.path + "/master.key"))
    let get = #"{"Name": "/app/db", "WithDecryption": true}"#
    #expect(await endpoint.handle(fixture.request("AmazonSSM.GetParameter", get)).status == 200)
    try expectError(
      await endpoint.handle(fixture.request("AmazonSSM.GetParameter", get, key: fixture.ci)),
      "AccessDeniedException")

    try await other.putUserPolicy(
      userName: "ci", policyName: "write",
      policyDocument: #"{"Statement": {"Effect": "Allow", "Action": "ssm:*", "Resource": "*"}}"#)
    let put = #"{"Name": "/app/x", "Value": "v", "Type": "String"}"#
    #expect(
      await endpoint.handle(fixture.request("AmazonSSM.PutParameter", put, key: fixture.ci))
        .status == 200)
    try await other.deleteUserPolicy(userName: "ci", policyName: "write")
    let putAgain = #"{"Name": "/app/y", "Value": "v", "Type": "String"}"#
    try expectError(
      await endpoint.handle(fixture.request("AmazonSSM.PutParameter", putAgain, key: fixture.ci)),
      "AccessDeniedException")
    await #expect(throws: StoreError.self) {
      _ = try await fixture.store.getParameter(GetParameterRequest(name: "/app/y"))
    }

    #expect(await endpoint.handle(fixture.request("AmazonSSM.GetParameter", get)).status == 200)
    try await other.deleteAccessKey(accessKeyID: fixture.root.accessKeyID, userName: nil)
    // A request refused before it reaches the store, signed by a key deleted meanwhile: the
    // key's state decides, not the request's.
    try expectError(
      await endpoint.handle(fixture.request("AmazonSSM.NoSuchOperation", "{}")),
      "UnrecognizedClientException")
    try expectError(
      await endpoint.handle(fixture.request("AmazonSSM.GetParameter", get)),
      "UnrecognizedClientException")
    let audit = try await fixture.store.auditRecords(name: nil, limit: nil)
    #expect(!audit.contains { $0.name == "/app/y" && $0.result == "ok" })
    #expect(
      !audit.contains { $0.caller == fixture.root.accessKeyID && $0.result != "ok" },
      "a stale run records nothing")
  }

  @Test func writesRecordTheUserAsLastModifiedUser() async throws {
    let fixture = try await Fixture()
    let writer = try await fixture.store.createAccessKey(userName: "deployer").accessKey
    try await fixture.store.putUserPolicy(
      userName: "deployer", policyName: "all",
      policyDocument: #"{"Statement": {"Effect": "Allow", "Action": "ssm:*", "Resource": "*"}}"#)
    let endpoint = fixture.endpoint
    #expect(
      await endpoint.handle(
        fixture.request(
          "AmazonSSM.PutParameter", #"{"Name": "/app/x", "Value": "v", "Type": "String"}"#,
          key: writer)
      ).status == 200)
    let described = try json(
      await endpoint.handle(fixture.request("AmazonSSM.DescribeParameters", "{}")))
    let entry = described["Parameters"]?.arrayValue?.first { $0["Name"]?.stringValue == "/app/x" }
    #expect(entry?["LastModifiedUser"]?.stringValue == "arn:aws:iam::123456789012:user/deployer")
  }

  @Test func everyStoreOperationHasATarget() async throws {
    let fixture = try await Fixture()
    let targets = Set(fixture.endpoint.targets)
    for target in [
      "AmazonSSM.PutParameter", "AmazonSSM.GetParameter", "AmazonSSM.GetParameters",
      "AmazonSSM.GetParametersByPath", "AmazonSSM.GetParameterHistory",
      "AmazonSSM.LabelParameterVersion", "AmazonSSM.UnlabelParameterVersion",
      "AmazonSSM.DeleteParameter", "AmazonSSM.DeleteParameters", "AmazonSSM.DescribeParameters",
      "AmazonSSM.AddTagsToResource", "AmazonSSM.RemoveTagsFromResource",
      "AmazonSSM.ListTagsForResource", "secretsmanager.CreateSecret",
      "secretsmanager.GetSecretValue", "secretsmanager.PutSecretValue",
      "secretsmanager.UpdateSecret", "secretsmanager.DescribeSecret", "secretsmanager.ListSecrets",
      "secretsmanager.ListSecretVersionIds", "secretsmanager.UpdateSecretVersionStage",
      "secretsmanager.DeleteSecret", "secretsmanager.RestoreSecret", "secretsmanager.TagResource",
      "secretsmanager.UntagResource", "secretsmanager.GetRandomPassword",
      "secretsmanager.BatchGetSecretValue", "secretsmanager.RotateSecret",
      "secretsmanager.CancelRotateSecret", "secretsmanager.GetResourcePolicy",
      "secretsmanager.DeleteResourcePolicy", "secretsmanager.PutResourcePolicy",
      "secretsmanager.ValidateResourcePolicy", "TrentService.CreateKey", "TrentService.DescribeKey",
      "TrentService.ListKeys", "TrentService.CreateAlias", "TrentService.ListAliases",
    ] {
      #expect(targets.contains(target), "\(target)")
    }
  }
}
