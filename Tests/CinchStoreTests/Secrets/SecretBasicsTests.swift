import Foundation
import Testing

@testable import CinchStore

@Suite struct SecretBasicsTests {
  @Test func createAndReadLikeTheGuide() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let created = try await store.createSecret(
      CreateSecretRequest(
        name: "prod/MyApp/DBSecret", description: "Production database credentials for MyApp",
        secretString: #"{"username":"dbadmin","password":"MySecurePassword123!"}"#))
    #expect(created.name == "prod/MyApp/DBSecret")
    let prefix = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/MyApp/DBSecret-"
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
      created.arn.replacingOccurrences(of: "123456789012", with: "999999999999"), "prod/MyApp",
    ] {
      await expectStoreError(
        "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret."
      ) { _ = try await store.value(id) }
    }
  }

  @Test func aFullARNWinsOverASecretNamedLikeIt() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let first = try await store.create("app", "first")
    let suffix = String(first.arn.suffix(6))
    // A second secret whose name is the first one's name plus its suffix.
    let second = try await store.create("app-\(suffix)", "second")
    #expect(try await store.value(first.arn) == "first")
    #expect(try await store.value(second.arn) == "second")
    // The partial ARN "…:secret:app-XXXXXX" is also the full ARN of the first: exact ARN first.
    #expect(try await store.value(String(second.arn.dropLast(7))) == "first")
    #expect(try await store.value("app-\(suffix)") == "second")
  }

  @Test func namesFollowAWSRules() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    for name in ["a", "a/b_c+d=e.f@g-h", String(repeating: "x", count: 512)] {
      try await store.create(name)
    }
    await expectStoreError(
      "ValidationException",
      message: "Invalid name. Must be a valid name containing alphanumeric characters, or any of "
        + "the following: -/_+=.@!"
    ) { try await store.create("has space") }
    await expectStoreError("ValidationException") { try await store.create("é") }
    await expectStoreError(
      "ValidationException",
      message: "1 validation error detected: Value '\(String(repeating: "x", count: 513))' at "
        + "'name' failed to satisfy constraint: Member must have length less than or equal to 512"
    ) { try await store.create(String(repeating: "x", count: 513)) }
  }

  @Test func stringXorBinaryAndTheSizeLimit() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    await expectStoreError(
      "InvalidParameterException",
      message: "You can't specify both a binary secret value and a string secret value in the "
        + "same secret."
    ) {
      _ = try await store.createSecret(
        CreateSecretRequest(name: "both", secretBinary: Data([1]), secretString: "x"))
    }
    try await store.create("max", String(repeating: "v", count: 65_536))
    await expectStoreError(
      "ValidationException",
      message: "1 validation error detected: Value at 'secretString' failed to satisfy "
        + "constraint: Member must have length less than or equal to 65536"
    ) { try await store.create("over", String(repeating: "v", count: 65_537)) }
    // Bytes, not characters: 21,846 three-byte characters are 65,538 bytes.
    await expectStoreError("ValidationException") {
      try await store.create("wide", String(repeating: "€", count: 21_846))
    }

    let binary = Data((0...255).map { UInt8($0) })
    _ = try await store.createSecret(CreateSecretRequest(name: "bin", secretBinary: binary))
    let read = try await store.getSecretValue(GetSecretValueRequest(secretID: "bin"))
    #expect(read.secretBinary == binary)
    #expect(read.secretString == nil)
    await expectStoreError("ValidationException") {
      _ = try await store.putSecretValue(
        PutSecretValueRequest(secretID: "bin", secretBinary: Data(count: 65_537)))
    }
    await expectStoreError(
      "InvalidRequestException", message: "You must provide either SecretString or SecretBinary."
    ) { _ = try await store.putSecretValue(PutSecretValueRequest(secretID: "bin")) }
  }

  @Test func aSecretWithoutAValueHasNoVersions() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let created = try await store.create("empty")
    #expect(created.versionID == nil)
    await expectStoreError(
      "ResourceNotFoundException",
      message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"
    ) { _ = try await store.value("empty") }
    #expect(try await store.stages("empty").isEmpty)
    // The first value becomes AWSCURRENT even when other labels are asked for.
    let put = try await store.putValue("empty", "v1", stages: ["BLUE"])
    #expect(put.versionStages == ["AWSCURRENT", "BLUE"])
  }

  @Test func creatingAnExistingNameAndReplayingACreate() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let first = try await store.create("dup", "v", token: tokenA)
    // The same request again (same token, same value) succeeds and changes nothing.
    let replay = try await store.create("dup", "v", token: tokenA)
    #expect(replay == first)
    #expect(try await store.stages("dup") == [tokenA: ["AWSCURRENT"]])
    await expectStoreError(
      "ResourceExistsException",
      message: "The operation failed because the secret dup already exists."
    ) { try await store.create("dup", "v", token: tokenB) }
    await expectStoreError("ResourceExistsException") {
      try await store.create("dup", "other", token: tokenA)
    }
  }

  @Test func tokensAreThirtyTwoToSixtyFourCharacters() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    await expectStoreError(
      "ValidationException",
      message: "1 validation error detected: Value 'short' at 'clientRequestToken' failed to "
        + "satisfy constraint: Member must have length greater than or equal to 32"
    ) { try await store.create("t", "v", token: "short") }
    try await store.create("t", "v", token: String(repeating: "a", count: 64))
    await expectStoreError("ValidationException") {
      try await store.putValue("t", "w", token: String(repeating: "b", count: 65))
    }
  }

  @Test func describeListsLabelledVersionsAndMetadataOnly() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    _ = try await store.createSecret(
      CreateSecretRequest(
        name: "d", clientRequestToken: tokenA, description: "about d", secretString: "v1",
        tags: [Tag(key: "team", value: "core")]))
    try await store.putValue("d", "v2", token: tokenB)
    let described = try await store.describeSecret(DescribeSecretRequest(secretID: "d"))
    #expect(described.description == "about d")
    #expect(described.kmsKeyID == nil)
    #expect(described.rotationEnabled == nil)
    #expect(described.tags == [Tag(key: "team", value: "core")])
    #expect(described.versionIDsToStages?.versionIDs == [tokenA, tokenB])
    #expect(described.versionIDsToStages?[tokenA] == ["AWSPREVIOUS"])
    #expect(described.lastAccessedDate == nil)
    _ = try await store.value("d")
    let accessed = try await store.describeSecret(DescribeSecretRequest(secretID: "d"))
    let day = try #require(accessed.lastAccessedDate)
    #expect(day.timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) == 0)
    // Today's midnight, UTC: not later than now and less than a day before it.
    let elapsed = Date().timeIntervalSince(day)
    #expect(elapsed >= 0 && elapsed < 86_400)
  }

  @Test func updateSecretChangesMetadataAndAddsACurrentVersion() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("u", "v1", token: tokenA)
    let metadataOnly = try await store.updateSecret(
      UpdateSecretRequest(secretID: "u", description: "new"))
    #expect(metadataOnly.versionID == nil)
    let withValue = try await store.updateSecret(
      UpdateSecretRequest(secretID: "u", clientRequestToken: tokenB, secretString: "v2"))
    #expect(withValue.versionID == tokenB)
    #expect(try await store.stages("u") == [tokenA: ["AWSPREVIOUS"], tokenB: ["AWSCURRENT"]])
    // UpdateSecret refuses a token already in use, even with the same value.
    await expectStoreError(
      "ResourceExistsException",
      message: "You can't use ClientRequestToken \(tokenB) because that value is already in use "
        + "for a version of secret \(withValue.arn)."
    ) {
      _ = try await store.updateSecret(
        UpdateSecretRequest(secretID: "u", clientRequestToken: tokenB, secretString: "v2"))
    }
  }

  @Test func aCustomerKeySealsNewVersionsAndReKeysLabelledOnes() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let key = try await store.createKey(CreateKeyRequest(description: "secrets")).keyMetadata
    try await store.create("k", "v1", token: tokenA)
    _ = try await store.updateSecret(UpdateSecretRequest(secretID: "k", kmsKeyID: key.keyID))
    #expect(try await store.value("k") == "v1")
    let versions = try await store.listSecretVersionIds(
      ListSecretVersionIdsRequest(secretID: "k"))
    #expect(versions.versions.first?.kmsKeyIDs == [key.keyID])
    let described = try await store.describeSecret(DescribeSecretRequest(secretID: "k"))
    #expect(described.kmsKeyID == key.keyID)
    await expectStoreError("EncryptionFailure") {
      _ = try await store.createSecret(
        CreateSecretRequest(name: "bad-key", kmsKeyID: "alias/none", secretString: "v"))
    }
  }

  @Test func tagsAndUntags() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("tagged", "v")
    _ = try await store.tagResource(
      TagResourceRequest(
        secretID: "tagged", tags: [Tag(key: "a", value: "1"), Tag(key: "b", value: "2")]))
    _ = try await store.tagResource(
      TagResourceRequest(secretID: "tagged", tags: [Tag(key: "a", value: "3")]))
    _ = try await store.untagResource(UntagResourceRequest(secretID: "tagged", tagKeys: ["b"]))
    let tags = try await store.describeSecret(DescribeSecretRequest(secretID: "tagged")).tags
    #expect(tags == [Tag(key: "a", value: "3")])
    await expectStoreError("LimitExceededException") {
      _ = try await store.tagResource(
        TagResourceRequest(
          secretID: "tagged", tags: (0..<50).map { Tag(key: "k\($0)", value: "") }))
    }
  }
}
