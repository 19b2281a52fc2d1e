import CinchStore
import Foundation
import Testing

/// `StoreSync` between backends: history replayed oldest first, labels and tags carried, what
/// exists skipped unless asked, and a round trip that changes nothing.
@Suite struct SyncTests {
  /// A store with a history, labels, a SecureString, a StringList, tags and a top-level name.
  static func seed(_ store: any TestedStore) async throws {
    try await store.put("/app/db/host", "db1", overwrite: false)
    try await store.put("/app/db/host", "db2")
    try await store.put("/app/db/host", "db3")
    _ = try await store.labelParameterVersion(
      LabelParameterVersionRequest(name: "/app/db/host", parameterVersion: 1, labels: ["old"]))
    _ = try await store.labelParameterVersion(
      LabelParameterVersionRequest(
        name: "/app/db/host", parameterVersion: 3, labels: ["prod", "live"]))
    _ = try await store.putParameter(
      PutParameterRequest(
        name: "/app/db/password", description: "the password", value: "p@ss", type: .secureString,
        tags: [Tag(key: "Owner", value: "ops")]))
    try await store.put("/app/regions", "eu-west-1,us-east-1", type: .stringList, overwrite: false)
    try await store.put("/other/x", "x", overwrite: false)
  }

  /// Everything a parameter is, values included, for comparing two stores.
  static func snapshot(_ store: any TestedStore, under path: String = "/") async throws -> [String]
  {
    let names = try await StoreSync(options: .init(path: path)).parameterNames(store)
    var lines: [String] = []
    for name in names {
      let history = try await store.getParameterHistory(
        GetParameterHistoryRequest(name: name, withDecryption: true)
      ).parameters.sorted { $0.version < $1.version }
      for version in history {
        lines.append(
          "\(name) v\(version.version) \(version.type) \(version.value) "
            + "labels=\(version.labels.sorted()) tier=\(version.tier) desc=\(version.description ?? "-")"
        )
      }
      let tags = try await store.listTagsForResource(
        ListTagsForResourceRequest(resourceType: "Parameter", resourceID: name)
      ).tagList.sorted { $0.key < $1.key }
      lines.append("\(name) tags=\(tags.map { "\($0.key)=\($0.value)" })")
    }
    return lines
  }

  @Test(arguments: Backend.allCases) func copiesHistoryLabelsAndTags(_ backend: Backend)
    async throws
  {
    let source = try await Backend.embedded.makeStore().store
    let target = try await backend.makeStore().store
    try await Self.seed(source)
    let report = try await StoreSync(options: .init()).syncParameters(from: source, to: target)
    #expect(report.failures == 0)
    #expect(
      report.entries.map(\.name) == [
        "/app/db/host", "/app/db/password", "/app/regions", "/other/x",
      ])
    #expect(
      report.entries.first?.outcome
        == .copied(versions: 3, from: 1, to: 3, labels: ["old", "live", "prod"], refusedLabels: []))
    #expect(try await Self.snapshot(target) == Self.snapshot(source))
    #expect(try await target.get("/app/db/host:prod").value == "db3")
    #expect(try await target.get("/app/db/host:old").value == "db1")
  }

  @Test(arguments: Backend.allCases) func roundTripsThroughTheOtherBackendUnchanged(
    _ backend: Backend
  ) async throws {
    let original = try await Backend.embedded.makeStore().store
    let middle = try await backend.makeStore().store
    let back = try await Backend.embedded.makeStore().store
    try await Self.seed(original)
    _ = try await StoreSync(options: .init()).syncParameters(from: original, to: middle)
    let report = try await StoreSync(options: .init()).syncParameters(from: middle, to: back)
    #expect(report.failures == 0)
    #expect(try await Self.snapshot(back) == Self.snapshot(original))
  }

  @Test(arguments: Backend.allCases) func existingParametersAreSkippedUnlessOverwritten(
    _ backend: Backend
  ) async throws {
    let source = try await Backend.embedded.makeStore().store
    let target = try await backend.makeStore().store
    try await Self.seed(source)
    try await target.put("/app/db/host", "elsewhere", overwrite: false)
    try await target.put("/app/regions", "eu-west-1,us-east-1", type: .stringList, overwrite: false)

    let path = StoreSync.Options(path: "/app/")
    let dry = try await StoreSync(options: .init(path: "/app", overwrite: true, dryRun: true))
      .syncParameters(from: source, to: target)
    #expect(
      dry.entries.map(\.outcome) == [
        .updated(labels: ["live", "prod"], refusedLabels: []),
        .copied(versions: 1, from: 1, to: 1, labels: [], refusedLabels: []),
        .unchanged,
      ])
    #expect(try await target.get("/app/db/host").value == "elsewhere")

    let skipping = try await StoreSync(options: path).syncParameters(from: source, to: target)
    #expect(skipping.entries.map(\.name) == ["/app/db/host", "/app/db/password", "/app/regions"])
    #expect(skipping.entries.map(\.outcome)[0] == .skipped)
    // The same one-version history: nothing to resume.
    #expect(skipping.entries.map(\.outcome)[2] == .unchanged)
    #expect(try await target.get("/app/db/host").value == "elsewhere")

    let overwriting = try await StoreSync(options: .init(path: "/app", overwrite: true))
      .syncParameters(from: source, to: target)
    #expect(
      overwriting.entries.map(\.outcome)[0]
        == .updated(labels: ["live", "prod"], refusedLabels: []))
    // Copied by the run before, with the same value.
    #expect(overwriting.entries.map(\.outcome)[1] == .unchanged)
    #expect(overwriting.entries.map(\.outcome)[2] == .unchanged)
    let host = try await target.get("/app/db/host:prod")
    #expect(host.value == "db3")
    #expect(host.version == 2)
  }

  @Test(arguments: Backend.allCases) func aRefusedWriteIsReportedAndTheRestGoesOn(
    _ backend: Backend
  ) async throws {
    let source = try await backend.makeStore().store
    let target = try await Backend.embedded.makeStore().store
    try await source.put("/a/one", "1", overwrite: false)
    try await source.put("/a/two", "2", type: .secureString, overwrite: false)
    let report = try await StoreSync(options: .init(keyID: "alias/missing"))
      .syncParameters(from: source, to: target)
    #expect(report.failures == 1)
    guard case .failed(let error, let copied) = report.entries.last?.outcome else {
      Issue.record("the SecureString with a missing key was not refused")
      return
    }
    #expect(error.code == "InvalidKeyId")
    #expect(copied == 0)
    #expect(try await target.get("/a/one").value == "1")
  }
}

/// What a target cannot take fails whole and is known in a dry run: a SecureString under a KMS
/// key the target lacks; AWS's public parameters go only to an embedded target.
@Suite struct SyncTargetLimitsTests {
  @Test(arguments: Backend.allCases) func aMissingKeyFailsTheEntryBeforeAnyWrite(
    _ backend: Backend
  ) async throws {
    let source = try await Backend.embedded.makeStore().store
    let target = try await backend.makeStore().store
    let embedded = try #require(source as? SQLiteStore)
    let key = try await embedded.createKey(CreateKeyRequest()).keyMetadata.keyID
    _ = try await embedded.createAlias(
      CreateAliasRequest(aliasName: "alias/app-cache", targetKeyID: key))
    for value in ["one", "two"] {
      _ = try await source.putParameter(
        PutParameterRequest(
          name: "/app/cache/token", value: value, type: .secureString, keyID: "alias/app-cache",
          overwrite: true))
    }
    try await source.put("/app/host", "db1", overwrite: false)
    let keys = try #require(target as? any KeyStore)
    for dryRun in [true, false] {
      let report = try await StoreSync(options: .init(dryRun: dryRun), targetKeys: keys)
        .syncParameters(from: source, to: target)
      #expect(report.entries.map(\.name) == ["/app/cache/token", "/app/host"])
      guard case .failed(let error, let copied) = report.entries.first?.outcome else {
        Issue.record("expected a failure, got \(String(describing: report.entries.first))")
        continue
      }
      #expect(error.code == "InvalidKeyId")
      #expect(error.message.contains("'alias/app-cache'"))
      #expect(copied == 0)
      #expect(report.failures == 1)
    }
    await #expect(throws: StoreError.self) { try await target.get("/app/cache/token") }
    #expect(try await target.get("/app/host").value == "db1")
  }

  @Test(arguments: Backend.allCases) func publicParametersGoOnlyToAnEmbeddedTarget(
    _ backend: Backend
  ) async throws {
    let source = try #require(try await Backend.embedded.makeStore().store as? SQLiteStore)
    let target = try await backend.makeStore().store
    let name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64"
    _ = try await source.putPublicParameter(
      PutParameterRequest(name: name, value: "ami-0123456789abcdef0", type: .string))
    let report = try await StoreSync(options: .init()).syncParameters(from: source, to: target)
    switch backend {
    case .embedded:
      #expect(
        report.entries.first?.outcome
          == .copied(versions: 1, from: 1, to: 1, labels: [], refusedLabels: []))
      #expect(try await target.get(name).value == "ami-0123456789abcdef0")
    case .moto:
      #expect(report.entries.first?.outcome == .publicParameter)
      #expect(report.failures == 0)
    }
  }
}
