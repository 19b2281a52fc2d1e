import CinchStore
import Foundation
import Testing

/// ClientRequestToken idempotency, staging labels and deprecated versions
/// (`reference: aws-store-semantics §2.3–2.4`).
@Suite struct SecretVersionTests {
  @Test(arguments: Backend.allCases) func putMovesCurrentAndPreviousFollows(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
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

  /// A finished rotation leaves AWSCURRENT and AWSPENDING on one version; a new value that
  /// takes AWSCURRENT from it takes AWSPENDING off too (UpdateSecretVersionStage does not), so
  /// the next rotation is not refused as unfinished. AWS's answers as LocalStack recorded them
  /// (`test_update_secret_version_stages_current_pending`).
  @Test(arguments: Backend.allCases) func aNewValueTakesAWSPENDINGOffTheVersionItLeaves(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    try await store.create("s", "v1", token: tokenA)
    try await store.putValue("s", "v2", token: tokenB, stages: ["AWSPENDING"])
    try await store.moveStage("s", "AWSCURRENT", from: tokenA, to: tokenB)
    #expect(
      try await store.stages("s")
        == [tokenA: ["AWSPREVIOUS"], tokenB: ["AWSCURRENT", "AWSPENDING"]])
    try await store.putValue("s", "v3", token: tokenC)
    let stages = try await store.stages("s")
    await conforming(.pendingStaysAfterANewValue, on: backend) {
      #expect(stages == [tokenB: ["AWSPREVIOUS"], tokenC: ["AWSCURRENT"]])
    }
  }

  @Test(arguments: Backend.allCases)
  func theSameTokenAndValueIsAReplayAndADifferentValueIsRefused(_ backend: Backend) async throws {
    let store = try await backend.makeStore().store
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
    // Replaying an older version's token does not move any label.
    try await store.putValue("s", "v1", token: tokenA)
    #expect(try await store.stages("s") == [tokenA: ["AWSPREVIOUS"], tokenB: ["AWSCURRENT"]])
  }

  @Test(arguments: Backend.allCases) func versionStagesAttachOnlyTheLabelsNamed(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    try await store.create("s", "v1", token: tokenA)
    let staged = try await store.putValue("s", "v2", token: tokenB, stages: ["BLUE"])
    #expect(staged.versionStages == ["BLUE"])
    #expect(try await store.value("s") == "v1")
    #expect(try await store.value("s", stage: "BLUE") == "v2")
    // A label already on another version moves, one version per label.
    try await store.putValue("s", "v3", token: tokenC, stages: ["BLUE", "GREEN"])
    #expect(
      try await store.stages("s") == [tokenA: ["AWSCURRENT"], tokenC: ["BLUE", "GREEN"]])
  }

  @Test(arguments: Backend.allCases) func getByVersionIdAndStageMustAgree(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
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
    await expectStoreError("ResourceNotFoundException") {
      _ = try await store.value("s", stage: "NOPE")
    }
    await conforming(.secretErrorWording, on: backend) {
      await expectStoreError(
        "ResourceNotFoundException",
        message: "Secrets Manager can't find the specified secret value for staging label: NOPE"
      ) { _ = try await store.value("s", stage: "NOPE") }
    }
  }

  @Test(arguments: Backend.allCases) func movingALabelNeedsTheVersionItIsOn(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    let created = try await store.create("s", "v1", token: tokenA)
    try await store.putValue("s", "v2", token: tokenB)
    // Roll back: AWSCURRENT to the first version; AWSPREVIOUS follows to the second.
    await expectStoreError(
      "InvalidParameterException",
      message: "The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is "
        + "currently attached to version \(tokenB), so you must explicitly reference that "
        + "version in RemoveFromVersionId."
    ) {
      try await store.moveStage("s", "AWSCURRENT", to: tokenA)
    }
    let moved = try await store.moveStage(created.arn, "AWSCURRENT", from: tokenB, to: tokenA)
    #expect(moved.arn == created.arn)
    #expect(try await store.stages("s") == [tokenA: ["AWSCURRENT"], tokenB: ["AWSPREVIOUS"]])
    #expect(try await store.value("s", stage: "AWSCURRENT") == "v1")
    await conforming(.rolledBackCurrentNotRead, on: backend) {
      let current = try await store.value("s")
      #expect(current == "v1")
    }

    // A custom label: attach, then remove.
    try await store.moveStage("s", "TEST", to: tokenB)
    #expect(
      try await store.stages("s") == [tokenA: ["AWSCURRENT"], tokenB: ["AWSPREVIOUS", "TEST"]])
    await conforming(.customLabelOnTwoVersions, on: backend) {
      await expectStoreError("InvalidParameterException") {
        try await store.moveStage("s", "TEST", to: tokenA)
      }
    }
    try await store.moveStage("s", "TEST", from: tokenB)
    await conforming(.customLabelOnTwoVersions, on: backend) {
      let stages = try await store.stages("s")
      #expect(stages == [tokenA: ["AWSCURRENT"], tokenB: ["AWSPREVIOUS"]])
    }
  }

  @Test(arguments: Backend.allCases) func deprecatedVersionsAreHiddenUnlessAsked(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    try await store.create("s", "v1", token: tokenA)
    try await store.putValue("s", "v2", token: tokenB)
    try await store.putValue("s", "v3", token: tokenC)
    let all = try await store.listSecretVersionIds(
      ListSecretVersionIdsRequest(secretID: "s", includeDeprecated: true))
    #expect(Set(all.versions.map(\.versionID)) == [tokenA, tokenB, tokenC])
    #expect(all.versions.first { $0.versionID == tokenA }?.versionStages ?? [] == [])
    await conforming(.deprecatedVersionsListed, on: backend) {
      let listed = try await store.listSecretVersionIds(
        ListSecretVersionIdsRequest(secretID: "s"))
      #expect(Set(listed.versions.map(\.versionID)) == [tokenC, tokenB])
      let described = try await store.describeSecret(DescribeSecretRequest(secretID: "s"))
      #expect(Set(described.versionIDsToStages?.versionIDs ?? []) == [tokenC, tokenB])
    }
  }

  /// The catalog: every version with its stages and creation date, oldest first, never a value.
  @Test(arguments: Backend.allCases) func theCatalogListsVersionsWithoutValues(
    _ backend: Backend
  ) async throws {
    let tested = try await backend.makeStore()
    let store = tested.store
    let created = try await store.createSecret(
      CreateSecretRequest(
        name: "app/db", clientRequestToken: tokenA, description: "db", secretString: "v1"))
    try await store.putValue("app/db", "v2", token: tokenB)
    try await store.putValue("app/db", "v3", token: tokenC, stages: ["BLUE"])
    let list = try await store.secretVersions(String(created.arn.dropLast(7)))
    #expect(list.name == "app/db")
    #expect(list.arn == created.arn)
    #expect(list.description == "db")
    #expect(list.deletedDate == nil)
    #expect(Set(list.versions.map(\.versionID)) == [tokenA, tokenB, tokenC])
    #expect(list.versions.allSatisfy { $0.valueType == nil || $0.valueType == .string })
    #expect(list.versions.map(\.versionID) == [tokenA, tokenB, tokenC])
    #expect(list.version(staged: "AWSCURRENT")?.versionID == tokenB)
    #expect(list.version(staged: "AWSPREVIOUS")?.versionID == tokenA)
    #expect(list.version(id: tokenC)?.stages == ["BLUE"])
    await expectStoreError("ResourceNotFoundException") {
      _ = try await store.secretVersions("app/none")
    }
  }
}
