import CinchAWS
import CinchJSON
import CinchStore
import Foundation
import Testing
import _CinchTestSupport

@testable import CinchServer

/// The KMS calls a write makes with the caller's credentials, decided as the reads'
/// `kms:Decrypt` is (KMSDecryptAuthorizationTests): `kms:Encrypt` for a `SecureString`
/// `PutParameter`, `kms:GenerateDataKey` and `kms:Decrypt` for a secret's new version. A refused
/// write leaves nothing behind but its audit row.
struct KMSEncryptAuthorizationTests {
  static let region = "eu-west-1"
  static let account = "123456789012"
  static let secretsRefusal = "Access to KMS is not allowed"

  final class Fixture: Sendable {
    let directory: URL
    let store: SQLiteStore
    let canary: String
    let appKeyARN: String
    let keys: [String: AccessKey]

    /// `alias/app-key`, a customer-managed key, protects `/app/existing` and `prod/existing`.
    /// Users: `writer` (the services' writes and reads on everything, no `kms:` statement),
    /// `granted` (the same, plus the KMS calls on `alias/app-key` through each service for
    /// entries under `/app/` and `prod/`), `denied` (the same as `writer`, and a `Deny` of every
    /// `kms:` action), `root` (no user).
    init() async throws {
      directory = try CinchProcess.temporaryDirectory()
      store = try await SQLiteStore.create(
        at: directory.path + "/store.db",
        master: .newKeyFile(path: directory.path + "/master.key"),
        configuration: StoreConfiguration(region: KMSEncryptAuthorizationTests.region))
      canary = "canary-\(UUID().uuidString.prefix(8))"
      let appKey = try await store.createKey(CreateKeyRequest()).keyMetadata.keyID
      _ = try await store.createAlias(
        CreateAliasRequest(aliasName: "alias/app-key", targetKeyID: appKey))
      let region = KMSEncryptAuthorizationTests.region
      let account = KMSEncryptAuthorizationTests.account
      appKeyARN = "arn:aws:kms:\(region):\(account):key/\(appKey)"
      _ = try await store.putParameter(
        PutParameterRequest(
          name: "/app/existing", value: "\(canary)-v1", type: .secureString,
          keyID: "alias/app-key"))
      _ = try await store.createSecret(
        CreateSecretRequest(
          name: "prod/existing", kmsKeyID: "alias/app-key", secretString: "\(canary)-v1"))

      let services = #"""
        {"Effect": "Allow", "Action": ["ssm:PutParameter", "ssm:GetParameter*",
          "secretsmanager:CreateSecret", "secretsmanager:PutSecretValue",
          "secretsmanager:UpdateSecret", "secretsmanager:TagResource"], "Resource": "*"}
        """#
      let granted = """
        {"Statement": [\(services),
          {"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "\(appKeyARN)",
           "Condition": {"StringEquals": {"kms:ViaService": "ssm.\(region).amazonaws.com",
             "kms:CallerAccount": "\(account)"},
             "StringLike": {"kms:EncryptionContext:PARAMETER_ARN":
               "arn:aws:ssm:\(region):\(account):parameter/app/*"}}},
          {"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
           "Resource": "\(appKeyARN)",
           "Condition": {"StringEquals": {
             "kms:ViaService": "secretsmanager.\(region).amazonaws.com"},
             "StringLike": {"kms:EncryptionContext:SecretARN":
               "arn:aws:secretsmanager:\(region):\(account):secret:prod/*"}}}]}
        """
      let denied = """
        {"Statement": [\(services),
          {"Effect": "Deny", "Action": "kms:*", "Resource": "*"}]}
        """
      var issued = ["root": try await store.createAccessKey(userName: nil).accessKey]
      for (user, document) in [
        ("writer", #"{"Statement": [\#(services)]}"#), ("granted", granted), ("denied", denied),
      ] {
        issued[user] = try await store.createAccessKey(userName: user).accessKey
        try await store.putUserPolicy(userName: user, policyName: "p", policyDocument: document)
      }
      keys = issued
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// `target` with `body`, signed by `user`'s key, answered by the endpoint.
    func call(_ target: String, _ body: String, as user: String) async throws -> ServerResponse {
      await call(target, body, key: try #require(keys[user]))
    }

    func call(_ target: String, _ body: String, key: AccessKey) async -> ServerResponse {
      let request = ServerRequest.signed(
        target, body, key: key, region: KMSEncryptAuthorizationTests.region)
      let response = await AWSJSONEndpoint(store: store).handle(request)
      #expect(response.logDetail?.contains(canary) == false)
      return response
    }

    /// A further user with `policy`, for one test.
    func user(_ name: String, policy: String) async throws -> AccessKey {
      let key = try await store.createAccessKey(userName: name).accessKey
      try await store.putUserPolicy(userName: name, policyName: "p", policyDocument: policy)
      return key
    }

    func put(_ name: String, keyID: String? = nil, overwrite: Bool = false, as user: String)
      async throws -> ServerResponse
    {
      let key = keyID.map { #", "KeyId": "\#($0)""# } ?? ""
      return try await call(
        "AmazonSSM.PutParameter",
        #"{"Name": "\#(name)", "Value": "\#(canary)-new", "Type": "SecureString", "Overwrite": \#(overwrite)\#(key)}"#,
        as: user)
    }

    /// The versions of `name` as the root key sees them.
    func versions(_ name: String) async throws -> Int {
      let history = try await call(
        "AmazonSSM.GetParameterHistory", #"{"Name": "\#(name)"}"#, as: "root")
      guard history.status == 200 else { return 0 }
      return try json(history)["Parameters"]?.arrayValue?.count ?? 0
    }

    /// The versions of the secret `name` as the root key sees them (nil: no such secret).
    func secretVersions(_ name: String) async throws -> Int? {
      let listed = try await call(
        "secretsmanager.ListSecretVersionIds", #"{"SecretId": "\#(name)"}"#, as: "root")
      guard listed.status == 200 else { return nil }
      return try json(listed)["Versions"]?.arrayValue?.count
    }
  }

  static func json(_ response: ServerResponse) throws -> JSONValue {
    try JSONValueParser.parse(String(decoding: response.body, as: UTF8.self))
  }

  /// `AccessDeniedException` with exactly `message`, naming no value.
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
  }

  func json(_ response: ServerResponse) throws -> JSONValue { try Self.json(response) }

  func encryptRefusal(
    _ user: String, key: String, explicit: Bool = false, action: String = "kms:Encrypt"
  ) -> String {
    "User: arn:aws:iam::\(Self.account):user/\(user) is not authorized to perform: \(action) "
      + "on resource: \(key) "
      + (explicit
        ? "with an explicit deny in an identity-based policy"
        : "because no identity-based policy allows the \(action) action")
      + " (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException)"
  }

  // MARK: Parameter Store

  /// Without `kms:Encrypt` on a customer-managed key, a `SecureString` cannot be written under
  /// it — named by `KeyId`, or kept from the version it overwrites — and nothing is written;
  /// under `aws/ssm`, whose key policy allows the account, it can.
  /// A key operation is authorized against the key, also when the request names it by an
  /// alias ("you cannot use an alias to identify a KMS key in the Resource element"): a Deny
  /// on the key is not bypassed through `alias/app-key`, nor is an Allow on the alias's ARN a
  /// grant on the key.
  @Test func aKeyNamedByItsAliasIsAuthorizedAsTheKey() async throws {
    let fixture = try await Fixture()
    let region = Self.region
    let account = Self.account
    let denyKey = try await fixture.user(
      "deny-key",
      policy: """
        {"Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"},
          {"Effect": "Deny", "Action": "kms:DescribeKey", "Resource": "\(fixture.appKeyARN)"}]}
        """)
    let aliasOnly = try await fixture.user(
      "alias-only",
      policy: """
        {"Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey",
          "Resource": "arn:aws:kms:\(region):\(account):alias/app-key"}]}
        """)
    for keyID in [
      "alias/app-key", "arn:aws:kms:\(region):\(account):alias/app-key", fixture.appKeyARN,
    ] {
      let body = #"{"KeyId": "\#(keyID)"}"#
      let denied = await fixture.call("TrentService.DescribeKey", body, key: denyKey)
      #expect(denied.status == 400, "\(keyID)")
      #expect(String(decoding: denied.body, as: UTF8.self).contains("AccessDeniedException"))
      let viaAlias = await fixture.call("TrentService.DescribeKey", body, key: aliasOnly)
      #expect(viaAlias.status == 400, "\(keyID)")
    }
  }

  @Test func putParameterNeedsEncryptOnACustomerManagedKey() async throws {
    let fixture = try await Fixture()
    let refusal = encryptRefusal("writer", key: fixture.appKeyARN)
    let named = try await fixture.put("/app/new", keyID: "alias/app-key", as: "writer")
    try expectRefused(named, refusal, canary: fixture.canary)
    #expect(try await fixture.versions("/app/new") == 0)

    // Overwriting keeps the parameter's key: the same refusal, and no version 2.
    let kept = try await fixture.put("/app/existing", overwrite: true, as: "writer")
    try expectRefused(kept, refusal, canary: fixture.canary)
    #expect(try await fixture.versions("/app/existing") == 1)

    let managed = try await fixture.put("/app/managed", as: "writer")
    #expect(managed.status == 200, "\(String(decoding: managed.body, as: UTF8.self))")
    #expect(try await fixture.versions("/app/managed") == 1)
    // Moving the parameter to aws/ssm needs no grant on the key it leaves.
    let moved = try await fixture.put(
      "/app/existing", keyID: "alias/aws/ssm", overwrite: true, as: "writer")
    #expect(moved.status == 200)
    // A String is not encrypted: no KMS call.
    let plain = try await fixture.call(
      "AmazonSSM.PutParameter",
      #"{"Name": "/app/plain", "Value": "text", "Type": "String"}"#, as: "writer")
    #expect(plain.status == 200)

    let rows = try await fixture.store.auditRecords(name: "/app/new", limit: nil)
    #expect(
      rows.contains {
        $0.operation == "PutParameter" && $0.result == "AccessDeniedException"
          && $0.caller == fixture.keys["writer"]?.accessKeyID
      })
    #expect(!rows.contains { $0.result == "ok" })
  }

  /// An advanced parameter is encrypted with the AWS Encryption SDK, whose data key comes from
  /// `kms:GenerateDataKey`: `kms:Encrypt` alone does not let it through.
  @Test func anAdvancedParameterNeedsGenerateDataKey() async throws {
    let fixture = try await Fixture()
    let advanced =
      #"{"Name": "/app/big", "Value": "\#(fixture.canary)", "Type": "SecureString", "KeyId": "alias/app-key", "Tier": "Advanced"}"#
    try expectRefused(
      try await fixture.call("AmazonSSM.PutParameter", advanced, as: "granted"),
      encryptRefusal("granted", key: fixture.appKeyARN, action: "kms:GenerateDataKey"),
      canary: fixture.canary)
    #expect(try await fixture.versions("/app/big") == 0)

    let enveloper = try await fixture.user(
      "enveloper",
      policy: """
        {"Statement": [
          {"Effect": "Allow", "Action": "ssm:PutParameter", "Resource": "*"},
          {"Effect": "Allow", "Action": "kms:GenerateDataKey", "Resource": "\(fixture.appKeyARN)",
           "Condition": {"StringEquals": {"kms:ViaService": "ssm.\(Self.region).amazonaws.com"}}}]}
        """)
    let allowed = await fixture.call("AmazonSSM.PutParameter", advanced, key: enveloper)
    #expect(allowed.status == 200, "\(String(decoding: allowed.body, as: UTF8.self))")
    #expect(try await fixture.versions("/app/big") == 1)
  }

  /// An `Allow` whose conditions the call meets lets the write through; the same key for a
  /// parameter its `PARAMETER_ARN` condition does not match is refused.
  @Test func anAllowWithItsConditionsLetsTheWriteThrough() async throws {
    let fixture = try await Fixture()
    let allowed = try await fixture.put("/app/new", keyID: "alias/app-key", as: "granted")
    #expect(allowed.status == 200, "\(String(decoding: allowed.body, as: UTF8.self))")
    let overwrite = try await fixture.put("/app/existing", overwrite: true, as: "granted")
    #expect(overwrite.status == 200)
    #expect(try await fixture.versions("/app/existing") == 2)
    let read = try await fixture.call(
      "AmazonSSM.GetParameter", #"{"Name": "/app/new", "WithDecryption": true}"#, as: "root")
    #expect(try json(read)["Parameter"]?["Value"]?.stringValue == "\(fixture.canary)-new")

    let elsewhere = try await fixture.put("/other/new", keyID: "alias/app-key", as: "granted")
    try expectRefused(
      elsewhere, encryptRefusal("granted", key: fixture.appKeyARN), canary: fixture.canary)
  }

  /// An explicit `Deny` refuses even under `aws/ssm`, and names the key's ARN, not the alias.
  @Test func anExplicitDenyRefusesTheAWSManagedKey() async throws {
    let fixture = try await Fixture()
    let response = try await fixture.put("/app/managed", as: "denied")
    #expect(response.status == 400)
    // Parameter Store's `AccessDeniedException` shape spells its member `Message`.
    let message = try json(response)["Message"]?.stringValue ?? ""
    #expect(
      message.hasPrefix(
        "User: arn:aws:iam::\(Self.account):user/denied is not authorized to perform: "
          + "kms:Encrypt on resource: arn:aws:kms:\(Self.region):\(Self.account):key/"))
    #expect(
      message.hasSuffix(
        "with an explicit deny in an identity-based policy (Service: "
          + "AWSKMS; Status Code: 400; Error Code: AccessDeniedException)"))
    #expect(!message.contains("alias/"))
    #expect(try await fixture.versions("/app/managed") == 0)
    // An unknown key keeps the store's error: it is resolved before KMS is asked.
    let unknown = try await fixture.put("/app/x", keyID: "alias/missing", as: "denied")
    #expect(try json(unknown)["__type"]?.stringValue == "InvalidKeyId")
  }

  // MARK: Secrets Manager

  /// `CreateSecret`, `PutSecretValue` and `UpdateSecret` with a value need
  /// `kms:GenerateDataKey` and `kms:Decrypt` on a customer-managed key; refused, nothing is
  /// written: no secret, no tag, no version.
  @Test func secretWritesNeedGenerateDataKeyOnACustomerManagedKey() async throws {
    let fixture = try await Fixture()
    let created = try await fixture.call(
      "secretsmanager.CreateSecret",
      #"{"ClientRequestToken": "c0ffee00-0000-0000-0000-000000000001", "Name": "prod/new", "KmsKeyId": "alias/app-key", "SecretString": "\#(fixture.canary)", "Tags": [{"Key": "team", "Value": "a"}]}"#,
      as: "writer")
    try expectRefused(created, Self.secretsRefusal, canary: fixture.canary)
    #expect(try await fixture.secretVersions("prod/new") == nil)

    let put = try await fixture.call(
      "secretsmanager.PutSecretValue",
      #"{"ClientRequestToken": "c0ffee00-0000-0000-0000-000000000002", "SecretId": "prod/existing", "SecretString": "\#(fixture.canary)-v2"}"#,
      as: "writer")
    try expectRefused(put, Self.secretsRefusal, canary: fixture.canary)
    let updated = try await fixture.call(
      "secretsmanager.UpdateSecret",
      #"{"ClientRequestToken": "c0ffee00-0000-0000-0000-000000000003", "SecretId": "prod/existing", "SecretString": "\#(fixture.canary)-v2"}"#,
      as: "writer")
    try expectRefused(updated, Self.secretsRefusal, canary: fixture.canary)
    #expect(try await fixture.secretVersions("prod/existing") == 1)

    // Under aws/secretsmanager, or without a value (no KMS call), the writes go through.
    let managed = try await fixture.call(
      "secretsmanager.CreateSecret",
      #"{"ClientRequestToken": "c0ffee00-0000-0000-0000-000000000004", "Name": "prod/managed", "SecretString": "\#(fixture.canary)"}"#,
      as: "writer")
    #expect(managed.status == 200, "\(String(decoding: managed.body, as: UTF8.self))")
    let empty = try await fixture.call(
      "secretsmanager.CreateSecret",
      #"{"ClientRequestToken": "c0ffee00-0000-0000-0000-000000000005", "Name": "prod/empty", "KmsKeyId": "alias/app-key"}"#,
      as: "writer")
    #expect(empty.status == 200)
    let description = try await fixture.call(
      "secretsmanager.UpdateSecret",
      #"{"ClientRequestToken": "c0ffee00-0000-0000-0000-000000000006", "SecretId": "prod/existing", "Description": "metadata only"}"#,
      as: "writer")
    #expect(description.status == 200)

    let rows = try await fixture.store.auditRecords(name: "prod/existing", limit: nil)
    #expect(
      rows.contains {
        $0.operation == "PutSecretValue" && $0.result == "AccessDeniedException"
          && $0.caller == fixture.keys["writer"]?.accessKeyID
      })
  }

  /// With the grants, the writes go through; an explicit `Deny` refuses under
  /// `aws/secretsmanager` too.
  @Test func secretWritesFollowAllowsAndDenies() async throws {
    let fixture = try await Fixture()
    let created = try await fixture.call(
      "secretsmanager.CreateSecret",
      #"{"ClientRequestToken": "c0ffee00-0000-0000-0000-000000000007", "Name": "prod/new", "KmsKeyId": "alias/app-key", "SecretString": "\#(fixture.canary)"}"#,
      as: "granted")
    #expect(created.status == 200, "\(String(decoding: created.body, as: UTF8.self))")
    let put = try await fixture.call(
      "secretsmanager.PutSecretValue",
      #"{"ClientRequestToken": "c0ffee00-0000-0000-0000-000000000008", "SecretId": "prod/existing", "SecretString": "\#(fixture.canary)-v2"}"#,
      as: "granted")
    #expect(put.status == 200)
    #expect(try await fixture.secretVersions("prod/existing") == 2)

    let denied = try await fixture.call(
      "secretsmanager.CreateSecret",
      #"{"ClientRequestToken": "c0ffee00-0000-0000-0000-000000000009", "Name": "prod/managed", "SecretString": "\#(fixture.canary)"}"#,
      as: "denied")
    try expectRefused(denied, Self.secretsRefusal, canary: fixture.canary)
    #expect(try await fixture.secretVersions("prod/managed") == nil)
  }

  /// A `KmsKeyId` change re-encrypts the labelled versions only where the caller has
  /// `kms:Decrypt` on the key that protects each and `kms:Encrypt` on the new one; otherwise the
  /// update succeeds and the versions stay as they were.
  @Test func aKeyChangeReencryptsOnlyWhatTheCallerMay() async throws {
    let fixture = try await Fixture()
    let otherKey = try await fixture.store.createKey(CreateKeyRequest()).keyMetadata.keyID
    _ = try await fixture.store.createAlias(
      CreateAliasRequest(aliasName: "alias/other-key", targetKeyID: otherKey))
    // `reader` may read the secret and decrypt under alias/app-key only.
    let reader = try await fixture.user(
      "reader",
      policy: """
        {"Statement": [
          {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"},
          {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "\(fixture.appKeyARN)"}]}
        """)
    func read() async -> ServerResponse {
      await fixture.call(
        "secretsmanager.GetSecretValue", #"{"SecretId": "prod/existing"}"#, key: reader)
    }

    // `writer` has no KMS permission: the key is recorded, nothing is re-encrypted.
    let moved = try await fixture.call(
      "secretsmanager.UpdateSecret",
      #"{"ClientRequestToken": "c0ffee00-0000-0000-0000-00000000000a", "SecretId": "prod/existing", "KmsKeyId": "alias/other-key"}"#,
      as: "writer")
    #expect(moved.status == 200, "\(String(decoding: moved.body, as: UTF8.self))")
    let described = try await fixture.call(
      "secretsmanager.DescribeSecret", #"{"SecretId": "prod/existing"}"#, as: "root")
    #expect(try json(described)["KmsKeyId"]?.stringValue == "alias/other-key")
    let stillOld = await read()
    #expect(stillOld.status == 200)
    #expect(try json(stillOld)["SecretString"]?.stringValue == "\(fixture.canary)-v1")

    // The root key may do both: AWSCURRENT is sealed under the other key now.
    let otherARN = "arn:aws:kms:\(Self.region):\(Self.account):key/\(otherKey)"
    let reencrypted = try await fixture.call(
      "secretsmanager.UpdateSecret",
      #"{"ClientRequestToken": "c0ffee00-0000-0000-0000-00000000000b", "SecretId": "prod/existing", "KmsKeyId": "\#(otherARN)"}"#,
      as: "root")
    #expect(reencrypted.status == 200)
    try expectRefused(await read(), Self.secretsRefusal, canary: fixture.canary)
    let byRoot = try await fixture.call(
      "secretsmanager.GetSecretValue", #"{"SecretId": "prod/existing"}"#, as: "root")
    #expect(try json(byRoot)["SecretString"]?.stringValue == "\(fixture.canary)-v1")
  }

  /// The account's root key is not limited.
  @Test func theRootKeyWritesUnderEveryKey() async throws {
    let fixture = try await Fixture()
    let parameter = try await fixture.put("/app/root", keyID: "alias/app-key", as: "root")
    #expect(parameter.status == 200)
    let secret = try await fixture.call(
      "secretsmanager.PutSecretValue",
      #"{"ClientRequestToken": "c0ffee00-0000-0000-0000-00000000000c", "SecretId": "prod/existing", "SecretString": "\#(fixture.canary)-v2"}"#,
      as: "root")
    #expect(secret.status == 200)
    let audit = try await fixture.store.auditRecords(name: nil, limit: nil)
    #expect(!audit.contains { ($0.name ?? "").contains(fixture.canary) })
  }
}
