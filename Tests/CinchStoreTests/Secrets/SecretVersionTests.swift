import Foundation
import GRDB
import Testing

@testable import CinchStore

/// ClientRequestToken idempotency, staging labels and deprecated versions
/// (`reference: aws-store-semantics §2.3–2.4`).
@Suite struct SecretVersionTests {
  @Test func putMovesCurrentAndPreviousFollows() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("s", "v1", token: tokenA)
    let second = try await store.putValue("s", "v2", token: tokenB)
    #expect(second.versionStages == ["AWSCURRENT"])
    #expect(try await store.stages("s") == [tokenA: ["AWSPREVIOUS"], tokenB: ["AWSCURRENT"]])
    try await store.putValue("s", "v3", token: tokenC)
    // AWSPREVIOUS left the first version: it has no label and is deprecated.
    #expect(try await store.stages("s") == [tokenB: ["AWSPREVIOUS"], tokenC: ["AWSCURRENT"]])
    #expect(try await store.value("s") == "v3")
    #expect(try await store.value("s", stage: "AWSPREVIOUS") == "v2")
    // A deprecated version is still readable by its id.
    #expect(try await store.value("s", versionID: tokenA) == "v1")
  }

  @Test func theSameTokenAndValueIsAReplayAndADifferentValueIsRefused() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let created = try await store.create("s", "v1", token: tokenA)
    try await store.putValue("s", "v2", token: tokenB)
    let replay = try await store.putValue("s", "v2", token: tokenB)
    #expect(replay.versionID == tokenB && replay.versionStages == ["AWSCURRENT"])
    #expect(try await store.stages("s") == [tokenA: ["AWSPREVIOUS"], tokenB: ["AWSCURRENT"]])
    await expectStoreError(
      "ResourceExistsException",
      message: "You can't use ClientRequestToken \(tokenB) because that value is already in use "
        + "for a version of secret \(created.arn)."
    ) { try await store.putValue("s", "changed", token: tokenB) }
    // A string and a binary value with the same bytes are different values.
    await expectStoreError("ResourceExistsException") {
      _ = try await store.putSecretValue(
        PutSecretValueRequest(
          secretID: "s", clientRequestToken: tokenB, secretBinary: Data("v2".utf8)))
    }
    // Replaying an older version's token does not move any label.
    try await store.putValue("s", "v1", token: tokenA)
    #expect(try await store.stages("s") == [tokenA: ["AWSPREVIOUS"], tokenB: ["AWSCURRENT"]])
  }

  @Test func versionStagesAttachOnlyTheLabelsNamed() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("s", "v1", token: tokenA)
    let staged = try await store.putValue("s", "v2", token: tokenB, stages: ["BLUE"])
    #expect(staged.versionStages == ["BLUE"])
    #expect(try await store.value("s") == "v1")
    #expect(try await store.value("s", stage: "BLUE") == "v2")
    // A label already on another version moves, one version per label.
    try await store.putValue("s", "v3", token: tokenC, stages: ["BLUE", "GREEN"])
    #expect(
      try await store.stages("s") == [tokenA: ["AWSCURRENT"], tokenC: ["BLUE", "GREEN"]])
    await expectStoreError("ValidationException") {
      try await store.putValue("s", "v4", stages: [])
    }
    await expectStoreError("LimitExceededException") {
      try await store.putValue("s", "v5", stages: (1...19).map { "L\($0)" })
    }
  }

  @Test func getByVersionIdAndStageMustAgree() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("s", "v1", token: tokenA)
    try await store.putValue("s", "v2", token: tokenB)
    #expect(try await store.value("s", versionID: tokenA, stage: "AWSPREVIOUS") == "v1")
    await expectStoreError(
      "InvalidRequestException",
      message: "You provided a VersionStage that is not associated to the provided VersionId."
    ) { _ = try await store.value("s", versionID: tokenA, stage: "AWSCURRENT") }
    await expectStoreError(
      "ResourceNotFoundException",
      message: "Secrets Manager can't find the specified secret value for VersionId: \(tokenC)"
    ) { _ = try await store.value("s", versionID: tokenC) }
    await expectStoreError(
      "ResourceNotFoundException",
      message: "Secrets Manager can't find the specified secret value for staging label: NOPE"
    ) { _ = try await store.value("s", stage: "NOPE") }
  }

  @Test func movingALabelNeedsTheVersionItIsOn() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let created = try await store.create("s", "v1", token: tokenA)
    try await store.putValue("s", "v2", token: tokenB)
    // Roll back: AWSCURRENT to the first version; AWSPREVIOUS follows to the second.
    await expectStoreError(
      "InvalidParameterException",
      message: "The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is "
        + "currently attached to version \(tokenB), so you must explicitly reference that "
        + "version in RemoveFromVersionId."
    ) {
      _ = try await store.updateSecretVersionStage(
        UpdateSecretVersionStageRequest(
          secretID: "s", versionStage: "AWSCURRENT", moveToVersionID: tokenA))
    }
    await expectStoreError("InvalidParameterException") {
      _ = try await store.updateSecretVersionStage(
        UpdateSecretVersionStageRequest(
          secretID: "s", versionStage: "AWSCURRENT", removeFromVersionID: tokenA,
          moveToVersionID: tokenA))
    }
    let moved = try await store.updateSecretVersionStage(
      UpdateSecretVersionStageRequest(
        secretID: created.arn, versionStage: "AWSCURRENT", removeFromVersionID: tokenB,
        moveToVersionID: tokenA))
    #expect(moved.arn == created.arn)
    #expect(try await store.stages("s") == [tokenA: ["AWSCURRENT"], tokenB: ["AWSPREVIOUS"]])
    #expect(try await store.value("s") == "v1")

    // A custom label: attach, move (naming its version), remove.
    _ = try await store.updateSecretVersionStage(
      UpdateSecretVersionStageRequest(secretID: "s", versionStage: "TEST", moveToVersionID: tokenB))
    await expectStoreError("InvalidParameterException") {
      _ = try await store.updateSecretVersionStage(
        UpdateSecretVersionStageRequest(
          secretID: "s", versionStage: "TEST", moveToVersionID: tokenA))
    }
    _ = try await store.updateSecretVersionStage(
      UpdateSecretVersionStageRequest(
        secretID: "s", versionStage: "TEST", removeFromVersionID: tokenB))
    #expect(try await store.stages("s") == [tokenA: ["AWSCURRENT"], tokenB: ["AWSPREVIOUS"]])
    // AWSCURRENT can move but not disappear.
    await expectStoreError("InvalidParameterException") {
      _ = try await store.updateSecretVersionStage(
        UpdateSecretVersionStageRequest(
          secretID: "s", versionStage: "AWSCURRENT", removeFromVersionID: tokenA))
    }
  }

  @Test func deprecatedVersionsAreHiddenUnlessAsked() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("s", "v1", token: tokenA)
    try await store.putValue("s", "v2", token: tokenB)
    try await store.putValue("s", "v3", token: tokenC)
    let listed = try await store.listSecretVersionIds(ListSecretVersionIdsRequest(secretID: "s"))
    // Oldest first, as AWS lists them.
    #expect(listed.versions.map(\.versionID) == [tokenB, tokenC])
    #expect(listed.versions.map(\.versionStages) == [["AWSPREVIOUS"], ["AWSCURRENT"]])
    #expect(listed.versions.first?.kmsKeyIDs == ["DefaultEncryptionKey"])
    let all = try await store.listSecretVersionIds(
      ListSecretVersionIdsRequest(secretID: "s", includeDeprecated: true))
    #expect(all.versions.map(\.versionID) == [tokenA, tokenB, tokenC])
    #expect(all.versions.first?.versionStages == nil)
    let page = try await store.listSecretVersionIds(
      ListSecretVersionIdsRequest(secretID: "s", maxResults: 1, includeDeprecated: true))
    #expect(page.versions.map(\.versionID) == [tokenA])
    let rest = try await store.listSecretVersionIds(
      ListSecretVersionIdsRequest(
        secretID: "s", nextToken: page.nextToken, includeDeprecated: true))
    #expect(rest.versions.map(\.versionID) == [tokenB, tokenC])
    #expect(rest.nextToken == nil)
    await expectStoreError("InvalidNextTokenException") {
      _ = try await store.listSecretVersionIds(
        ListSecretVersionIdsRequest(secretID: "s", nextToken: "bogus"))
    }
  }

  @Test func moreThanAHundredDeprecatedVersionsLoseTheOldestPastADay() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("many", "v0")
    // 101 writes leave 100 deprecated versions and the two labelled ones.
    for index in 1...101 { try await store.putValue("many", "v\(index)") }
    func values(_ store: SQLiteStore) async throws -> [String?] {
      var found: [String?] = []
      for version in try await store.secretVersions("many").versions {
        found.append(try await store.value("many", versionID: version.versionID))
      }
      return found
    }
    #expect(try await values(store).count == 102)
    // All are younger than a day: the next write would make 101 deprecated ones, and fails.
    await expectStoreError("LimitExceededException") {
      try await store.putValue("many", "too-soon")
    }
    #expect(try await values(store).count == 102)
    #expect(try await store.value("many") == "v101")
    // A day later the oldest deprecated version goes, and only it.
    let later = store.withClock(offset: 24 * 3600 + 1)
    try await later.putValue("many", "next-day")
    let kept = try await values(later)
    #expect(kept.count == 102)
    #expect(kept.first == "v1")
    #expect(kept.last == "next-day")
    #expect(try await later.value("many", stage: "AWSPREVIOUS") == "v101")
  }
}
