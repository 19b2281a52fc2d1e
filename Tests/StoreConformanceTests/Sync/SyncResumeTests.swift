import CinchStore
import Foundation
import Testing

/// A target that holds the start of an entry's history (what a sync that stopped partway leaves,
/// or a copy the source has moved on from) is brought level by the next sync, with --overwrite
/// or without: the missing versions in order, then the labels as the source has them. A target
/// whose history is its own keeps today's rule (skipped, or with --overwrite the latest value as
/// a new version), and the report says the history was not carried.
@Suite struct SyncResumeTests {
  /// `/lab/db`: three SecureString versions, `prod` on the second.
  static func seedParameter(_ store: any TestedStore) async throws {
    for value in ["db-1", "db-2", "db-3"] {
      try await store.put("/lab/db", value, type: .secureString)
    }
    _ = try await store.labelParameterVersion(
      LabelParameterVersionRequest(name: "/lab/db", parameterVersion: 2, labels: ["prod"]))
  }

  static func sync(
    _ source: any TestedStore, _ target: any TestedStore, overwrite: Bool = false,
    dryRun: Bool = false
  ) async throws -> [StoreSync.Outcome] {
    try await StoreSync(options: .init(path: "/lab", overwrite: overwrite, dryRun: dryRun))
      .syncParameters(from: source, to: target).entries.map(\.outcome)
  }

  static let resumed = StoreSync.Outcome.resumed(
    versions: 2, held: 1, labels: ["prod"], refusedLabels: [])

  @Test(arguments: Backend.allCases, [false, true])
  func aTargetHoldingTheFirstVersionsIsResumed(_ backend: Backend, overwrite: Bool)
    async throws
  {
    let source = try await Backend.embedded.makeStore().store
    let target = try await backend.makeStore().store
    try await Self.seedParameter(source)
    // What a sync that stopped after the first PutParameter leaves.
    try await target.put("/lab/db", "db-1", type: .secureString, overwrite: false)

    #expect(
      try await Self.sync(source, target, overwrite: overwrite, dryRun: true) == [Self.resumed])
    #expect(try await target.get("/lab/db").version == 1)
    #expect(try await Self.sync(source, target, overwrite: overwrite) == [Self.resumed])
    #expect(try await SyncTests.snapshot(target) == SyncTests.snapshot(source))
    #expect(try await target.get("/lab/db:prod").value == "db-2")
    #expect(try await Self.sync(source, target, overwrite: overwrite) == [.unchanged])
  }

  @Test(arguments: Backend.allCases)
  func labelsACopyStoppedBeforeAreSetWithoutAnotherVersion(_ backend: Backend) async throws {
    let source = try await Backend.embedded.makeStore().store
    let target = try await backend.makeStore().store
    try await Self.seedParameter(source)
    // Every version written, then stopped before LabelParameterVersion.
    for value in ["db-1", "db-2", "db-3"] {
      try await target.put("/lab/db", value, type: .secureString)
    }
    #expect(
      try await Self.sync(source, target)
        == [.resumed(versions: 0, held: 3, labels: ["prod"], refusedLabels: [])])
    #expect(try await SyncTests.snapshot(target) == SyncTests.snapshot(source))

    // A label moved in the target is moved back, as the source has it.
    _ = try await target.labelParameterVersion(
      LabelParameterVersionRequest(name: "/lab/db", parameterVersion: 3, labels: ["prod"]))
    #expect(
      try await Self.sync(source, target, overwrite: true)
        == [.resumed(versions: 0, held: 3, labels: ["prod"], refusedLabels: [])])
    #expect(try await target.get("/lab/db:prod").value == "db-2")
  }

  @Test(arguments: Backend.allCases)
  func versionsTheSourceGainedSinceFollowWithTheirLabels(_ backend: Backend) async throws {
    let source = try await Backend.embedded.makeStore().store
    let target = try await backend.makeStore().store
    try await Self.seedParameter(source)
    _ = try await Self.sync(source, target)
    try await source.put("/lab/db", "db-4", type: .secureString)
    _ = try await source.labelParameterVersion(
      LabelParameterVersionRequest(name: "/lab/db", parameterVersion: 4, labels: ["prod"]))

    #expect(
      try await Self.sync(source, target)
        == [.resumed(versions: 1, held: 3, labels: ["prod"], refusedLabels: [])])
    #expect(try await SyncTests.snapshot(target) == SyncTests.snapshot(source))
  }

  @Test(arguments: Backend.allCases)
  func aTargetWithAHistoryOfItsOwnKeepsIt(_ backend: Backend) async throws {
    let source = try await Backend.embedded.makeStore().store
    let target = try await backend.makeStore().store
    try await Self.seedParameter(source)
    try await source.put("/lab/short", "s-1", overwrite: false)
    // A second version the source never had; more versions than the source has.
    for value in ["db-1", "db-x"] { try await target.put("/lab/db", value, type: .secureString) }
    for value in ["s-0", "s-1"] { try await target.put("/lab/short", value) }

    #expect(try await Self.sync(source, target) == [.skipped, .skipped])
    #expect(
      try await Self.sync(source, target, overwrite: true)
        == [.updated(labels: [], refusedLabels: []), .unchanged])
    let history = try await target.getParameterHistory(
      GetParameterHistoryRequest(name: "/lab/db", withDecryption: true)
    ).parameters.sorted { $0.version < $1.version }
    #expect(history.map(\.value) == ["db-1", "db-x", "db-3"])
    #expect(history.flatMap(\.labels).isEmpty)
  }

  @Test(arguments: Backend.allCases)
  func aTypeTheSourceDoesNotHaveIsAHistoryOfItsOwn(_ backend: Backend) async throws {
    let source = try await Backend.embedded.makeStore().store
    let target = try await backend.makeStore().store
    try await Self.seedParameter(source)
    try await target.put("/lab/db", "db-1", overwrite: false)
    #expect(try await Self.sync(source, target) == [.skipped])
    #expect(try await target.get("/lab/db").version == 1)
  }

  // MARK: Secrets

  static let (v1, v2, v3) = (SecretSyncTests.v1, SecretSyncTests.v2, SecretSyncTests.v3)

  /// `lab/key`: AWSPREVIOUS on v1, AWSCURRENT on v2, and an AWSPENDING v3 of an unfinished
  /// rotation (the newest, so a replay leaves AWSCURRENT on it until the labels are set).
  static func seedSecret(_ store: any TestedStore) async throws {
    try await heldSecret(store, held: 2)
    try await store.putValue("lab/key", "k-3", token: v3, stages: ["AWSPENDING"])
  }

  /// What a sync of `lab/key` that stopped after `held` of its writes leaves: the secret
  /// created with the first version, and the next ones put in turn.
  static func heldSecret(_ store: any TestedStore, held: Int) async throws {
    _ = try await store.createSecret(
      CreateSecretRequest(
        name: "lab/key", clientRequestToken: v1, description: "the key", secretString: "k-1",
        tags: [Tag(key: "team", value: "core")]))
    for (token, value) in [(v2, "k-2"), (v3, "k-3")].prefix(held - 1) {
      try await store.putValue("lab/key", value, token: token)
    }
  }

  static func syncSecrets(
    _ source: any TestedStore, _ target: any TestedStore, overwrite: Bool = false,
    dryRun: Bool = false
  ) async throws -> [StoreSync.Outcome] {
    try await StoreSync(options: .init(path: "lab", overwrite: overwrite, dryRun: dryRun))
      .syncSecrets(from: source, to: target).entries.map(\.outcome)
  }

  static let labels = ["AWSPREVIOUS", "AWSCURRENT", "AWSPENDING"]

  @Test(arguments: Backend.allCases, [false, true])
  func aSecretHoldingItsFirstVersionsIsResumed(_ backend: Backend, overwrite: Bool)
    async throws
  {
    let source = try await Backend.embedded.makeStore().store
    let target = try await backend.makeStore().store
    try await Self.seedSecret(source)
    try await Self.heldSecret(target, held: 1)

    let resumed = StoreSync.Outcome.resumed(
      versions: 2, held: 1, labels: Self.labels, refusedLabels: [])
    #expect(
      try await Self.syncSecrets(source, target, overwrite: overwrite, dryRun: true) == [resumed])
    #expect(try await Self.syncSecrets(source, target, overwrite: overwrite) == [resumed])
    #expect(try await SecretSyncTests.snapshot(target) == SecretSyncTests.snapshot(source))
    #expect(try await target.value("lab/key", stage: "AWSCURRENT") == "k-2")
    #expect(try await Self.syncSecrets(source, target, overwrite: overwrite) == [.unchanged])
  }

  @Test(arguments: Backend.allCases)
  func aSecretStoppedBeforeItsLabelsHasThemSet(_ backend: Backend) async throws {
    let source = try await Backend.embedded.makeStore().store
    let target = try await backend.makeStore().store
    try await Self.seedSecret(source)
    // Every version put, so AWSCURRENT is on the rotation's pending value.
    try await Self.heldSecret(target, held: 3)
    #expect(try await target.value("lab/key") == "k-3")

    #expect(
      try await Self.syncSecrets(source, target)
        == [.resumed(versions: 0, held: 3, labels: Self.labels, refusedLabels: [])])
    #expect(try await SecretSyncTests.snapshot(target) == SecretSyncTests.snapshot(source))
    #expect(try await target.value("lab/key", stage: "AWSCURRENT") == "k-2")
  }

  @Test(arguments: Backend.allCases)
  func aSecretWithVersionsOfItsOwnKeepsThem(_ backend: Backend) async throws {
    let source = try await Backend.embedded.makeStore().store
    let target = try await backend.makeStore().store
    try await Self.seedSecret(source)
    _ = try await target.create("lab/key", "k-1", token: Self.v1)
    try await target.putValue("lab/key", "elsewhere")

    #expect(try await Self.syncSecrets(source, target) == [.skipped])
    #expect(
      try await Self.syncSecrets(source, target, overwrite: true)
        == [.updated(labels: ["AWSCURRENT"], refusedLabels: [])])
    #expect(try await target.value("lab/key", stage: "AWSCURRENT") == "k-2")
    await #expect(throws: StoreError.self) {
      try await target.value("lab/key", versionID: Self.v3)
    }
  }
}

/// A copy is brought level only where the target's state is one a copy leaves: labels moved in
/// the target since (a rollback) stay without --overwrite, and a source past the 100 versions
/// Parameter Store keeps is still matched against the copy.
@Suite struct SyncResumeLimitsTests {
  typealias Resume = SyncResumeTests

  /// Labels moved in a complete copy of `lab/key`: AWSCURRENT back to the first version (a
  /// rollback), or a label of the target's own on the second; `kept` is what stays.
  static let moves:
    [(change: UpdateSecretVersionStageRequest, kept: (stage: String, value: String))] =
      [
        (
          UpdateSecretVersionStageRequest(
            secretID: "lab/key", versionStage: "AWSCURRENT", removeFromVersionID: Resume.v2,
            moveToVersionID: Resume.v1), ("AWSCURRENT", "k-1")
        ),
        (
          UpdateSecretVersionStageRequest(
            secretID: "lab/key", versionStage: "mine", moveToVersionID: Resume.v2), ("mine", "k-2")
        ),
      ]

  @Test(arguments: Backend.allCases, moves.indices)
  func labelsMovedInTheTargetAreLeftUnlessOverwritten(_ backend: Backend, move: Int)
    async throws
  {
    let source = try await Backend.embedded.makeStore().store
    let target = try await backend.makeStore().store
    try await Resume.seedSecret(source)
    _ = try await Resume.syncSecrets(source, target)
    let (change, kept) = Self.moves[move]
    _ = try await target.updateSecretVersionStage(change)

    #expect(try await Resume.syncSecrets(source, target, dryRun: true) == [.labelsMoved])
    #expect(try await Resume.syncSecrets(source, target) == [.labelsMoved])
    #expect(try await target.value("lab/key", stage: kept.stage) == kept.value)
    #expect(
      try await Resume.syncSecrets(source, target, overwrite: true)
        == [.resumed(versions: 0, held: 3, labels: Resume.labels, refusedLabels: [])])
    #expect(try await SecretSyncTests.snapshot(target) == SecretSyncTests.snapshot(source))
  }

  @Test(arguments: Backend.allCases)
  func aSourcePastItsHundredVersionsStillBringsTheCopyLevel(_ backend: Backend) async throws {
    let source = try await Backend.embedded.makeStore().store
    let target = try await backend.makeStore().store
    // Versions 1…101: the source keeps 2…101, which the copy numbers 1…100.
    for value in 1...101 { try await source.put("/lab/many", "m-\(value)") }
    #expect(
      try await Resume.sync(source, target)
        == [.copied(versions: 100, from: 2, to: 101, labels: [], refusedLabels: [])])

    for round in 0..<2 {
      try await source.put("/lab/many", "m-\(102 + round)")
      #expect(
        try await Resume.sync(source, target)
          == [.resumed(versions: 1, held: 99, labels: [], refusedLabels: [])])
      // The same values in the same order, numbered from the copy's 1 in the target.
      #expect(try await Self.values(target) == Self.values(source))
      #expect(try await target.get("/lab/many").value == "m-\(102 + round)")
      #expect(try await Resume.sync(source, target) == [.unchanged])
    }
  }

  static func values(_ store: any TestedStore) async throws -> [String] {
    var values: [(Int, String)] = []
    var token: String?
    repeat {
      let page = try await store.getParameterHistory(
        GetParameterHistoryRequest(name: "/lab/many", maxResults: 50, nextToken: token))
      values += page.parameters.map { ($0.version, $0.value) }
      token = page.nextToken
    } while token != nil
    return values.sorted { $0.0 < $1.0 }.map(\.1)
  }
}
