import CinchAWS
import CinchJSON
import CinchStore
import Foundation
import Testing
import _CinchTestSupport

@testable import CinchServer

/// `kms:Decrypt` for every value returned decrypted, decided as KMS decides the call Parameter
/// Store or Secrets Manager makes with the caller's credentials: the policies are the ones
/// `cinch policy` writes for the `keys` case (Tests/Fixtures/policy/keys), over a store holding
/// what that case describes, in its region.
struct KMSDecryptAuthorizationTests {
  static let region = "eu-west-1"
  static let ssmRefusal =
    "The ciphertext refers to a customer master key that does not exist, does not exist in this "
    + "region, or you are not allowed to access. (Service: AWSKMS; Status Code: 400; Error Code: "
    + "AccessDeniedException)"
  static let secretsRefusal = "Access to KMS is not allowed"

  final class Fixture: Sendable {
    let directory: URL
    let store: SQLiteStore
    let canary: String
    /// The two customer-managed keys: `alias/app-key`, `alias/other-key`.
    let appKey: String
    let otherKey: String
    let keys: [String: AccessKey]

    /// Users: `validate` (the validate profile's policy), `validate-get` (the same, plus
    /// `ssm:GetParameter*` on everything), `consumer` (the ECS role's consumer policy, plus
    /// `ssm:GetParameters` on `/app/shared-key`), `reader` (the services' read actions and
    /// `secretsmanager:RotateSecret` on everything, no `kms:` statement), `root` (no user).
    init() async throws {
      directory = try CinchProcess.temporaryDirectory()
      store = try await SQLiteStore.create(
        at: directory.path + "/store.db",
        master: .newKeyFile(path: directory.path + "/master.key"),
        configuration: StoreConfiguration(region: KMSDecryptAuthorizationTests.region))
      canary = "canary-\(UUID().uuidString.prefix(8))"
      let appKey = try await store.createKey(CreateKeyRequest()).keyMetadata.keyID
      let otherKey = try await store.createKey(CreateKeyRequest()).keyMetadata.keyID
      self.appKey = appKey
      self.otherKey = otherKey
      _ = try await store.createAlias(
        CreateAliasRequest(aliasName: "alias/app-key", targetKeyID: appKey))
      _ = try await store.createAlias(
        CreateAliasRequest(aliasName: "alias/other-key", targetKeyID: otherKey))
      for (name, key) in [
        ("/app/customer-key", "alias/app-key"), ("/app/aws-managed", nil),
        ("/app/other-key", "alias/other-key"), ("/app/shared-key", "alias/app-key"),
      ] {
        _ = try await store.putParameter(
          PutParameterRequest(
            name: name, value: "\(canary)\(name)", type: .secureString, keyID: key))
      }
      _ = try await store.putParameter(
        PutParameterRequest(name: "/app/plain", value: "plain-text", type: .string))
      for (name, key) in [("prod/customer-key", "alias/app-key"), ("prod/aws-managed", nil)] {
        _ = try await store.createSecret(
          CreateSecretRequest(name: name, kmsKeyID: key, secretString: "\(canary)/\(name)"))
      }

      let generated = try JSONValueParser.parse(
        String(
          contentsOf: Fixtures.directory("policy", "keys")
            .appendingPathComponent("expected/policies.json"), encoding: .utf8))
      func policy(_ role: String) throws -> String {
        let document = try #require(generated[role], "the keys case has no \(role) policy")
        // The case's store gives its keys fixed ids; this one's are random.
        return document.compact()
          .replacingOccurrences(of: "00000000-0000-4000-8000-000000000001", with: appKey)
          .replacingOccurrences(of: "00000000-0000-4000-8000-000000000002", with: otherKey)
      }
      let readEverything = #"""
        {"Statement": {"Effect": "Allow", "Action": ["ssm:GetParameter*",
          "secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue",
          "secretsmanager:RotateSecret"],
          "Resource": "*"}}
        """#
      let sharedKey = #"""
        {"Statement": {"Effect": "Allow", "Action": "ssm:GetParameters",
          "Resource": "arn:aws:ssm:eu-west-1:123456789012:parameter/app/shared-key"}}
        """#
      let batchOne = #"""
        {"Statement": [
          {"Effect": "Allow", "Action": "secretsmanager:BatchGetSecretValue", "Resource": "*"},
          {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
           "Resource": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/aws-managed-??????"}]}
        """#
      let policies: [(user: String, name: String, document: String)] = [
        ("validate", "validate", try policy("validate")),
        ("validate-get", "validate", try policy("validate")),
        (
          "validate-get", "get",
          #"{"Statement": {"Effect": "Allow", "Action": "ssm:GetParameter*", "Resource": "*"}}"#
        ),
        ("consumer", "role", try policy("consumers:Role")),
        ("consumer", "shared", sharedKey),
        ("reader", "read", readEverything),
        ("batch", "read", batchOne),
      ]
      var issued = ["root": try await store.createAccessKey(userName: nil).accessKey]
      for entry in policies {
        if issued[entry.user] == nil {
          issued[entry.user] = try await store.createAccessKey(userName: entry.user).accessKey
        }
        try await store.putUserPolicy(
          userName: entry.user, policyName: entry.name, policyDocument: entry.document)
      }
      keys = issued
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    var endpoint: AWSJSONEndpoint { AWSJSONEndpoint(store: store) }

    /// `target` with `body`, signed by `user`'s key, answered by the endpoint.
    func call(_ target: String, _ body: String, as user: String) async throws -> ServerResponse {
      let key = try #require(keys[user])
      let request = ServerRequest.signed(
        target, body, key: key, region: KMSDecryptAuthorizationTests.region)
      let response = await endpoint.handle(request)
      #expect(response.logDetail?.contains(canary) == false)
      return response
    }
  }

  func json(_ response: ServerResponse) throws -> JSONValue {
    try JSONValueParser.parse(String(decoding: response.body, as: UTF8.self))
  }

  /// `AccessDeniedException` with exactly `message` (`message` or `Message`) and nothing else:
  /// no value, plaintext (the canary) or sealed.
  func expectRefused(
    _ response: ServerResponse, _ message: String, canary: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    #expect(response.status == 400, sourceLocation: sourceLocation)
    let body = try json(response)
    #expect(body["__type"]?.stringValue == "AccessDeniedException", sourceLocation: sourceLocation)
    #expect(
      (body["message"] ?? body["Message"])?.stringValue == message, sourceLocation: sourceLocation)
    #expect(
      !String(decoding: response.body, as: UTF8.self).contains(canary),
      sourceLocation: sourceLocation)
    #expect(
      body.objectValue?.keys.map { $0.lowercased() }.sorted() == ["__type", "message"],
      "the code and the message, nothing else", sourceLocation: sourceLocation)
  }

  func values(_ response: ServerResponse, _ member: String) throws -> [String: String] {
    var found: [String: String] = [:]
    for item in try json(response)[member]?.arrayValue ?? [] {
      if let name = item["Name"]?.stringValue {
        found[name] = (item["Value"] ?? item["SecretString"])?.stringValue
      }
    }
    return found
  }

  // MARK: The validate profile

  /// The pull-request profile allows `ssm:GetParameterHistory` and denies `kms:Decrypt` on
  /// every key: metadata, sealed values and `String` values, never a `SecureString` decrypted,
  /// not even under `aws/ssm`, whose key policy would otherwise allow it.
  @Test func theValidateProfileReadsHistoryButNeverDecrypts() async throws {
    let fixture = try await Fixture()
    for name in ["/app/customer-key", "/app/aws-managed"] {
      let decrypted = try await fixture.call(
        "AmazonSSM.GetParameterHistory", #"{"Name": "\#(name)", "WithDecryption": true}"#,
        as: "validate")
      try expectRefused(decrypted, Self.ssmRefusal, canary: fixture.canary)
      let sealed = try await fixture.call(
        "AmazonSSM.GetParameterHistory", #"{"Name": "\#(name)"}"#, as: "validate")
      #expect(sealed.status == 200)
      let history = try json(sealed)["Parameters"]?.arrayValue ?? []
      #expect(history.count == 1)
      #expect(history.first?["KeyId"] != nil)
      #expect(!String(decoding: sealed.body, as: UTF8.self).contains(fixture.canary))
    }
    // A String parameter is not encrypted: no kms:Decrypt, and nothing to deny.
    let plain = try await fixture.call(
      "AmazonSSM.GetParameterHistory", #"{"Name": "/app/plain", "WithDecryption": true}"#,
      as: "validate")
    #expect(plain.status == 200)
    #expect(try json(plain)["Parameters"]?.arrayValue?.first?["Value"]?.stringValue == "plain-text")

    let rows = try await fixture.store.auditRecords(name: "/app/customer-key", limit: nil)
    #expect(
      rows.contains {
        $0.operation == "GetParameterHistory" && $0.result == "AccessDeniedException"
          && $0.version == 1 && $0.caller == fixture.keys["validate"]?.accessKeyID
      })
  }

  /// With `ssm:GetParameter*` added, the validate profile's `Deny` still keeps every read that
  /// would decrypt from returning, whichever operation asks, and the same reads without
  /// decryption are answered.
  @Test func theValidateDenyAppliesToEveryRead() async throws {
    let fixture = try await Fixture()
    let decrypting: [(String, String)] = [
      ("AmazonSSM.GetParameter", #"{"Name": "/app/aws-managed", "WithDecryption": true}"#),
      ("AmazonSSM.GetParameter", #"{"Name": "/app/customer-key:1", "WithDecryption": true}"#),
      // One value that may not be decrypted fails the whole request.
      (
        "AmazonSSM.GetParameters",
        #"{"Names": ["/app/plain", "/app/aws-managed"], "WithDecryption": true}"#
      ),
      ("AmazonSSM.GetParametersByPath", #"{"Path": "/app", "WithDecryption": true}"#),
    ]
    for (target, body) in decrypting {
      let response = try await fixture.call(target, body, as: "validate-get")
      try expectRefused(response, Self.ssmRefusal, canary: fixture.canary)
      let plain = try await fixture.call(
        target,
        body.replacingOccurrences(
          of: #""WithDecryption": true"#, with: #""WithDecryption": false"#),
        as: "validate-get")
      #expect(plain.status == 200, "\(target) without decryption")
      #expect(!String(decoding: plain.body, as: UTF8.self).contains(fixture.canary))
    }
    let strings = try await fixture.call(
      "AmazonSSM.GetParameters", #"{"Names": ["/app/plain"], "WithDecryption": true}"#,
      as: "validate-get")
    #expect(try values(strings, "Parameters") == ["/app/plain": "plain-text"])
    // GetParameters names the value refused in its audit row, not the first name asked for.
    let rows = try await fixture.store.auditRecords(name: "/app/aws-managed", limit: nil)
    #expect(
      rows.contains { $0.operation == "GetParameters" && $0.result == "AccessDeniedException" })
  }

  // MARK: Consumer policies

  /// The consumer policy's `kms:Decrypt` statements (on the key, through Parameter Store or
  /// Secrets Manager, for the entry's ARN) let it decrypt exactly its entries.
  @Test func aConsumerPolicyDecryptsItsEntriesUnderCustomerManagedKeys() async throws {
    let fixture = try await Fixture()
    let read = try await fixture.call(
      "AmazonSSM.GetParameters",
      #"{"Names": ["/app/customer-key", "/app/other-key", "/app/plain"], "WithDecryption": true}"#,
      as: "consumer")
    #expect(read.status == 200)
    #expect(
      try values(read, "Parameters") == [
        "/app/customer-key": "\(fixture.canary)/app/customer-key",
        "/app/other-key": "\(fixture.canary)/app/other-key", "/app/plain": "plain-text",
      ])
    let secret = try await fixture.call(
      "secretsmanager.GetSecretValue", #"{"SecretId": "prod/customer-key"}"#, as: "consumer")
    #expect(secret.status == 200)
    #expect(
      try json(secret)["SecretString"]?.stringValue == "\(fixture.canary)/prod/customer-key")

    // The same key, another parameter: the statement's PARAMETER_ARN does not match.
    let shared = try await fixture.call(
      "AmazonSSM.GetParameters", #"{"Names": ["/app/shared-key"], "WithDecryption": true}"#,
      as: "consumer")
    try expectRefused(shared, Self.ssmRefusal, canary: fixture.canary)
    let sealed = try await fixture.call(
      "AmazonSSM.GetParameters", #"{"Names": ["/app/shared-key"]}"#, as: "consumer")
    #expect(sealed.status == 200)
  }

  /// Without a `kms:Decrypt` statement: refused under a customer-managed key, answered under
  /// `aws/ssm` / `aws/secretsmanager`, whose key policies allow the account through the service.
  @Test func withoutAKMSGrantOnlyAWSManagedKeysDecrypt() async throws {
    let fixture = try await Fixture()
    let customer = try await fixture.call(
      "AmazonSSM.GetParameter", #"{"Name": "/app/customer-key", "WithDecryption": true}"#,
      as: "reader")
    try expectRefused(customer, Self.ssmRefusal, canary: fixture.canary)
    let managed = try await fixture.call(
      "AmazonSSM.GetParameter", #"{"Name": "/app/aws-managed", "WithDecryption": true}"#,
      as: "reader")
    #expect(
      try json(managed)["Parameter"]?["Value"]?.stringValue == "\(fixture.canary)/app/aws-managed")
    let sealed = try await fixture.call(
      "AmazonSSM.GetParameter", #"{"Name": "/app/customer-key"}"#, as: "reader")
    #expect(sealed.status == 200)
    let byPath = try await fixture.call(
      "AmazonSSM.GetParametersByPath", #"{"Path": "/app", "WithDecryption": true}"#, as: "reader")
    try expectRefused(byPath, Self.ssmRefusal, canary: fixture.canary)

    let secret = try await fixture.call(
      "secretsmanager.GetSecretValue", #"{"SecretId": "prod/customer-key"}"#, as: "reader")
    try expectRefused(secret, Self.secretsRefusal, canary: fixture.canary)
    let managedSecret = try await fixture.call(
      "secretsmanager.GetSecretValue", #"{"SecretId": "prod/aws-managed"}"#, as: "reader")
    #expect(
      try json(managedSecret)["SecretString"]?.stringValue
        == "\(fixture.canary)/prod/aws-managed")
    // Read through Parameter Store, a secret is still decrypted by Secrets Manager.
    let reference = try await fixture.call(
      "AmazonSSM.GetParameter",
      #"{"Name": "/aws/reference/secretsmanager/prod/customer-key", "WithDecryption": true}"#,
      as: "reader")
    try expectRefused(reference, Self.secretsRefusal, canary: fixture.canary)

    let rows = try await fixture.store.auditRecords(name: "prod/customer-key", limit: nil)
    #expect(
      rows.contains {
        $0.operation == "GetSecretValue" && $0.result == "AccessDeniedException"
          && $0.caller == fixture.keys["reader"]?.accessKeyID
      })
    #expect(!rows.contains { $0.operation == "GetSecretValue" && $0.result == "ok" })
  }

  /// `BatchGetSecretValue` lists a secret it may not decrypt under `Errors` and answers the rest.
  @Test func batchGetSecretValueListsUndecryptableSecretsInErrors() async throws {
    let fixture = try await Fixture()
    let response = try await fixture.call(
      "secretsmanager.BatchGetSecretValue",
      #"{"SecretIdList": ["prod/customer-key", "prod/aws-managed"]}"#, as: "reader")
    #expect(response.status == 200)
    #expect(
      try values(response, "SecretValues") == [
        "prod/aws-managed": "\(fixture.canary)/prod/aws-managed"
      ])
    let errors = try json(response)["Errors"]?.arrayValue ?? []
    #expect(errors.count == 1)
    #expect(errors.first?["SecretId"]?.stringValue == "prod/customer-key")
    #expect(errors.first?["ErrorCode"]?.stringValue == "AccessDeniedException")
    #expect(errors.first?["Message"]?.stringValue == Self.secretsRefusal)
    #expect(
      !String(decoding: response.body, as: UTF8.self).contains(
        "\(fixture.canary)/prod/customer-key"))

    // `batch` may read prod/aws-managed only: for the other, IAM's refusal of
    // GetSecretValue is reported, as IAM decides before KMS is asked.
    let narrow = try await fixture.call(
      "secretsmanager.BatchGetSecretValue",
      #"{"SecretIdList": ["prod/customer-key", "prod/aws-managed"]}"#, as: "batch")
    #expect(try values(narrow, "SecretValues").keys.sorted() == ["prod/aws-managed"])
    let refused = try json(narrow)["Errors"]?.arrayValue?.first
    #expect(refused?["ErrorCode"]?.stringValue == "AccessDeniedException")
    #expect(
      refused?["Message"]?.stringValue?.hasPrefix(
        "User: arn:aws:iam::123456789012:user/batch is not authorized to perform: "
          + "secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:eu-west-1:") == true)
  }

  /// The rotator is the rotation function, which AWS runs under its own role: it reads the
  /// versions of a secret under a customer-managed key whatever the caller's `kms:Decrypt`.
  @Test func aRotationIsNotLimitedByTheCallersKMSGrants() async throws {
    let fixture = try await Fixture()
    let rotate = try await fixture.call(
      "secretsmanager.RotateSecret",
      #"{"ClientRequestToken": "c0ffee00-0000-0000-0000-0000000003e9", "SecretId": "prod/customer-key", "RotationLambdaARN": "arn:aws:lambda:eu-west-1:123456789012:function:password"}"#,
      as: "reader")
    #expect(rotate.status == 200, "\(String(decoding: rotate.body, as: UTF8.self))")
    let read = try await fixture.call(
      "secretsmanager.GetSecretValue", #"{"SecretId": "prod/customer-key"}"#, as: "reader")
    try expectRefused(read, Self.secretsRefusal, canary: fixture.canary)
  }

  /// The account's root key, and the store itself, are not limited.
  @Test func theRootKeyDecryptsEverything() async throws {
    let fixture = try await Fixture()
    let response = try await fixture.call(
      "AmazonSSM.GetParametersByPath", #"{"Path": "/app", "WithDecryption": true}"#, as: "root")
    #expect(try values(response, "Parameters").count == 5)
    let secret = try await fixture.call(
      "secretsmanager.GetSecretValue", #"{"SecretId": "prod/customer-key"}"#, as: "root")
    #expect(secret.status == 200)
    let audit = try await fixture.store.auditRecords(name: nil, limit: nil)
    #expect(!audit.contains { ($0.name ?? "").contains(fixture.canary) })
  }

  // MARK: The decision

  /// KMS's rules, one request at a time: an explicit `Deny` refuses even under an AWS-managed
  /// key; a customer-managed key needs an `Allow` whose conditions the call's context meets.
  @Test func theDecisionFollowsTheKeyPolicies() async throws {
    let fixture = try await Fixture()
    let endpoint = fixture.endpoint
    let key = "arn:aws:kms:eu-west-1:123456789012:key/\(fixture.appKey)"
    let parameter = "arn:aws:ssm:eu-west-1:123456789012:parameter/app/x"
    func decide(_ policy: String, managed: Bool, context: [String: String] = [:]) throws
      -> StoreError?
    {
      let check = endpoint.kmsCallCheck(
        [try PolicyDocument(parsing: policy)], [:],
        principal: "arn:aws:iam::123456789012:user/test")
      return check(
        KMSCall(
          service: .parameterStore, keyARN: key, isAWSManaged: managed,
          encryptionContext: context.isEmpty ? ["PARAMETER_ARN": parameter] : context))
    }
    let nothing = #"{"Statement": {"Effect": "Allow", "Action": "ssm:*", "Resource": "*"}}"#
    let deny = #"{"Statement": {"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}}"#
    let allow = """
      {"Statement": {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "\(key)",
        "Condition": {"StringEquals": {"kms:ViaService": "ssm.eu-west-1.amazonaws.com",
          "kms:CallerAccount": "123456789012",
          "kms:EncryptionContext:PARAMETER_ARN": "\(parameter)"}}}}
      """
    #expect(try decide(nothing, managed: true) == nil)
    #expect(try decide(nothing, managed: false) == StoreError.kmsDecryptRefusedForParameter)
    #expect(try decide(deny, managed: true) == StoreError.kmsDecryptRefusedForParameter)
    #expect(try decide(allow, managed: false) == nil)
    #expect(
      try decide(allow, managed: false, context: ["PARAMETER_ARN": parameter + "-other"])
        == StoreError.kmsDecryptRefusedForParameter)
  }
}
