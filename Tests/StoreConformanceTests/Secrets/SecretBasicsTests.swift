import CinchStore
import Foundation
import Testing

/// `CreateSecret`, `GetSecretValue`, `DescribeSecret`, `UpdateSecret`, tags: names, ARNs,
/// values, tokens (`reference: aws-store-semantics §2.1–2.3`).
@Suite struct SecretBasicsTests {
  @Test(arguments: Backend.allCases) func createAndReadLikeTheGuide(_ backend: Backend)
    async throws
  {
    let tested = try await backend.makeStore()
    let store = tested.store
    let created = try await store.createSecret(
      CreateSecretRequest(
        name: "prod/MyApp/DBSecret", description: "Production database credentials for MyApp",
        secretString: #"{"username":"dbadmin","password":"MySecurePassword123!"}"#))
    #expect(created.name == "prod/MyApp/DBSecret")
    let prefix = tested.secretARNPrefix("prod/MyApp/DBSecret") + "-"
    #expect(created.arn.hasPrefix(prefix))
    let suffix = created.arn.dropFirst(prefix.count)
    #expect(suffix.count == 6 && suffix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
    let versionID = try #require(created.versionID)
    #expect(versionID.count == 36)

    let read = try await store.getSecretValue(
      GetSecretValueRequest(secretID: "prod/MyApp/DBSecret"))
    #expect(read.secretString == #"{"username":"dbadmin","password":"MySecurePassword123!"}"#)
    #expect(read.secretBinary == nil)
    #expect(read.versionStages == ["AWSCURRENT"])
    #expect(read.versionID == versionID)
    #expect(read.arn == created.arn)

    // A full ARN, a partial ARN (no suffix) and the name all find it.
    for id in [created.arn, String(created.arn.dropLast(7)), "prod/MyApp/DBSecret"] {
      #expect(try await store.value(id) == read.secretString)
    }
    // An ARN with the wrong suffix, region or account does not.
    for id in [
      String(created.arn.dropLast(6)) + "zzzzzz",
      created.arn.replacingOccurrences(of: "us-east-1", with: "eu-west-1"),
      created.arn.replacingOccurrences(of: tested.accountID, with: "999999999999"), "prod/MyApp",
    ] {
      await expectStoreError(
        "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret."
      ) { _ = try await store.value(id) }
    }
  }

  @Test(arguments: Backend.allCases) func namesFollowAWSRules(_ backend: Backend) async throws {
    let store = try await backend.makeStore().store
    for name in ["a", "a/b_c+d=e.f@g-h", String(repeating: "x", count: 512)] {
      try await store.create(name)
    }
    await conforming(.secretInputValidation, on: backend) {
      await expectStoreError(
        "ValidationException",
        message: "Invalid name. Must be a valid name containing alphanumeric characters, or any "
          + "of the following: -/_+=.@!"
      ) { try await store.create("has space") }
      await expectStoreError("ValidationException") {
        try await store.create(String(repeating: "x", count: 513))
      }
    }
  }

  /// A `SecretId` with a character no name has is refused before any lookup, by every
  /// operation, forced deletion included (LocalStack's `test_invalid_secret_name`, recorded
  /// against AWS); an ARN's colons are its own.
  @Test(arguments: Backend.allCases) func secretIDsWithForeignCharactersAreRefused(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    let created = try await store.create("ok")
    await conforming(.secretInputValidation, on: backend) {
      for id in ["bad name", "ok#password", created.arn + "#password"] {
        await expectStoreError(
          "ValidationException",
          message: "Invalid name. Must be a valid name containing alphanumeric characters, or "
            + "any of the following: -/_+=.@!"
        ) { _ = try await store.describeSecret(DescribeSecretRequest(secretID: id)) }
      }
      await expectStoreError("ValidationException") {
        _ = try await store.deleteSecret(
          DeleteSecretRequest(secretID: "bad name", forceDeleteWithoutRecovery: true))
      }
    }
    #expect(
      try await store.describeSecret(DescribeSecretRequest(secretID: created.arn)).name == "ok")
  }

  @Test(arguments: Backend.allCases) func stringXorBinaryAndTheSizeLimit(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    await conforming(.secretInputValidation, on: backend) {
      await expectStoreError(
        "InvalidParameterException",
        message: "You can't specify both a binary secret value and a string secret value in the "
          + "same secret."
      ) {
        _ = try await store.createSecret(
          CreateSecretRequest(name: "both", secretBinary: Data([1]), secretString: "x"))
      }
      await expectStoreError("ValidationException") {
        try await store.create("over", String(repeating: "v", count: 65_537))
      }
    }
    try await store.create("max", String(repeating: "v", count: 65_536))

    let binary = Data((0...255).map { UInt8($0) })
    _ = try await store.createSecret(CreateSecretRequest(name: "bin", secretBinary: binary))
    let read = try await store.getSecretValue(GetSecretValueRequest(secretID: "bin"))
    #expect(read.secretBinary == binary)
    #expect(read.secretString == nil)
    await expectStoreError(
      "InvalidRequestException", message: "You must provide either SecretString or SecretBinary."
    ) { _ = try await store.putSecretValue(PutSecretValueRequest(secretID: "bin")) }
  }

  @Test(arguments: Backend.allCases) func aSecretWithoutAValueHasNoVersions(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    let created = try await store.create("empty")
    #expect(created.versionID == nil)
    await expectStoreError(
      "ResourceNotFoundException",
      message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"
    ) { _ = try await store.value("empty") }
    #expect(try await store.stages("empty").isEmpty)
    let put = try await store.putValue("empty", "v1")
    #expect(put.versionStages == ["AWSCURRENT"])
    #expect(try await store.value("empty") == "v1")
  }

  @Test(arguments: Backend.allCases) func creatingAnExistingNameAndReplayingACreate(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    let first = try await store.create("dup", "v", token: tokenA)
    // The same request again (same token, same value) succeeds and changes nothing.
    let replay = try await store.create("dup", "v", token: tokenA)
    #expect(replay == first)
    #expect(try await store.stages("dup") == [tokenA: ["AWSCURRENT"]])
    await expectStoreError(
      "ResourceExistsException",
      message: "The operation failed because the secret dup already exists."
    ) { try await store.create("dup", "v", token: tokenB) }
    // The same token with another value: a version cannot change (CreateSecret's
    // ClientRequestToken), said as for PutSecretValue.
    await expectStoreError(
      "ResourceExistsException",
      message: "You can't use ClientRequestToken \(tokenA) because that value is already in use "
        + "for a version of secret \(first.arn)."
    ) { try await store.create("dup", "other", token: tokenA) }
  }

  /// The AWS-managed key named outright is still the default: `KmsKeyId` is left out and the
  /// versions' key is `DefaultEncryptionKey`; an empty description is none
  /// (API_DescribeSecret.html: "If the secret is encrypted with the AWS managed key
  /// aws/secretsmanager, this field is omitted").
  @Test(arguments: Backend.allCases) func theDefaultKeyAndAnEmptyDescriptionAreNotShown(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    _ = try await store.createSecret(
      CreateSecretRequest(
        name: "d", clientRequestToken: tokenA, description: "",
        kmsKeyID: "alias/aws/secretsmanager", secretString: "v"))
    let described = try await store.describeSecret(DescribeSecretRequest(secretID: "d"))
    let versions = try await store.listSecretVersionIds(ListSecretVersionIdsRequest(secretID: "d"))
    await conforming(.defaultKeyEchoed, on: backend) {
      #expect(described.kmsKeyID == nil)
      #expect(described.description == nil)
      #expect(versions.versions.map(\.kmsKeyIDs) == [["DefaultEncryptionKey"]])
    }
    _ = try await store.updateSecret(
      UpdateSecretRequest(secretID: "d", description: "now"))
    _ = try await store.updateSecret(UpdateSecretRequest(secretID: "d", description: ""))
    let cleared = try await store.describeSecret(DescribeSecretRequest(secretID: "d"))
    await conforming(.defaultKeyEchoed, on: backend) {
      #expect(cleared.description == nil)
    }
  }

  @Test(arguments: Backend.allCases) func tokensAreThirtyTwoToSixtyFourCharacters(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    await conforming(.secretInputValidation, on: backend) {
      await expectStoreError("ValidationException") {
        try await store.create("t", "v", token: "short")
      }
    }
    try await store.create("t64", "v", token: String(repeating: "a", count: 64))
    #expect(try await store.value("t64") == "v")
  }

  @Test(arguments: Backend.allCases) func describeListsLabelledVersionsAndMetadataOnly(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    _ = try await store.createSecret(
      CreateSecretRequest(
        name: "d", clientRequestToken: tokenA, description: "about d", secretString: "v1",
        tags: [Tag(key: "team", value: "core")]))
    try await store.putValue("d", "v2", token: tokenB)
    let described = try await store.describeSecret(DescribeSecretRequest(secretID: "d"))
    #expect(described.description == "about d")
    #expect(described.kmsKeyID == nil)
    #expect(described.tags == [Tag(key: "team", value: "core")])
    #expect(Set(described.versionIDsToStages?.versionIDs ?? []) == [tokenA, tokenB])
    #expect(described.versionIDsToStages?[tokenA] == ["AWSPREVIOUS"])
    #expect(described.rotationEnabled != true)
  }

  @Test(arguments: Backend.allCases) func updateSecretChangesMetadataAndAddsACurrentVersion(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    try await store.create("u", "v1", token: tokenA)
    let metadataOnly = try await store.updateSecret(
      UpdateSecretRequest(secretID: "u", description: "new"))
    #expect(metadataOnly.versionID == nil)
    #expect(
      try await store.describeSecret(DescribeSecretRequest(secretID: "u")).description == "new")
    let withValue = try await store.updateSecret(
      UpdateSecretRequest(secretID: "u", clientRequestToken: tokenB, secretString: "v2"))
    #expect(withValue.versionID == tokenB)
    #expect(try await store.stages("u") == [tokenA: ["AWSPREVIOUS"], tokenB: ["AWSCURRENT"]])
    // UpdateSecret refuses a token already in use, even with the same value.
    await conforming(.updateSecretReplaysAToken, on: backend) {
      await expectStoreError("ResourceExistsException") {
        _ = try await store.updateSecret(
          UpdateSecretRequest(secretID: "u", clientRequestToken: tokenB, secretString: "v2"))
      }
    }
  }

  @Test(arguments: Backend.allCases) func tagsAndUntags(_ backend: Backend) async throws {
    let store = try await backend.makeStore().store
    try await store.create("tagged", "v")
    _ = try await store.tagResource(
      TagResourceRequest(
        secretID: "tagged", tags: [Tag(key: "a", value: "1"), Tag(key: "b", value: "2")]))
    _ = try await store.tagResource(
      TagResourceRequest(secretID: "tagged", tags: [Tag(key: "a", value: "3")]))
    _ = try await store.untagResource(UntagResourceRequest(secretID: "tagged", tagKeys: ["b"]))
    let tags = try await store.describeSecret(DescribeSecretRequest(secretID: "tagged")).tags
    #expect(tags == [Tag(key: "a", value: "3")])
    // With its last tag removed, a secret that had tags has an empty list, one that never had
    // any has none (AWS's answers, localstack/localstack#10477).
    _ = try await store.untagResource(UntagResourceRequest(secretID: "tagged", tagKeys: ["a"]))
    try await store.create("plain", "v")
    #expect(try await store.describeSecret(DescribeSecretRequest(secretID: "tagged")).tags == [])
    #expect(try await store.describeSecret(DescribeSecretRequest(secretID: "plain")).tags == nil)
    let listed = try await store.listSecrets(ListSecretsRequest()).secretList
    #expect(listed.first { $0.name == "tagged" }?.tags == [])
    #expect(listed.first { $0.name == "plain" }?.tags == nil)
  }

  @Test(arguments: Backend.allCases) func randomPasswordsFollowThePolicy(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    let password = try await store.getRandomPassword(
      PasswordPolicy(passwordLength: 40, excludePunctuation: true, excludeUppercase: true)
    )
    .randomPassword
    #expect(password.count == 40)
    #expect(password.allSatisfy { $0.isLowercase || $0.isNumber })
  }
}
