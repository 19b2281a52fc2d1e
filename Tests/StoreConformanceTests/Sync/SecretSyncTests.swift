import CinchStore
import Foundation
import Testing

/// `StoreSync` of secrets: labelled versions under their own ids, labels as the source has
/// them, what exists skipped unless asked, and a round trip that changes nothing.
@Suite struct SecretSyncTests {
  static let v1 = "11111111-1111-4111-8111-111111111111"
  static let v2 = "22222222-2222-4222-8222-222222222222"
  static let v3 = "33333333-3333-4333-8333-333333333333"
  static let v4 = "44444444-4444-4444-8444-444444444444"

  /// A rolled-back secret (AWSCURRENT on an older version), a custom label, a binary secret, a
  /// secret without a value, and one scheduled for deletion.
  static func seed(_ store: any TestedStore) async throws {
    _ = try await store.createSecret(
      CreateSecretRequest(
        name: "app/db", clientRequestToken: v1, description: "the db", secretString: "pw-1",
        tags: [Tag(key: "team", value: "core")]))
    try await store.putValue("app/db", "pw-2", token: v2)
    try await store.putValue("app/db", "pw-3", token: v3)
    try await store.putValue("app/db", "pw-4", token: v4, stages: ["BLUE"])
    try await store.moveStage("app/db", "AWSCURRENT", from: v3, to: v2)
    _ = try await store.createSecret(
      CreateSecretRequest(name: "app/cert", secretBinary: Data([9, 8, 7])))
    try await store.create("app/empty")
    try await store.create("other/gone", "x")
    _ = try await store.deleteSecret(DeleteSecretRequest(secretID: "other/gone"))
  }

  /// Everything about the secrets that sync carries, values by version id included.
  static func snapshot(_ store: any TestedStore) async throws -> [String] {
    var lines: [String] = []
    for name in try await StoreSync(options: .init()).secretNames(store) {
      let described = try await store.describeSecret(DescribeSecretRequest(secretID: name))
      lines.append(
        "\(name) desc=\(described.description ?? "-") tags=\((described.tags ?? []).map { "\($0.key)=\($0.value)" })"
      )
      for (versionID, stages) in try await store.stages(name).sorted(by: { $0.key < $1.key }) {
        let value = try await store.getSecretValue(
          GetSecretValueRequest(secretID: name, versionID: versionID))
        lines.append(
          "\(name) \(versionID) \(stages) "
            + (value.secretString ?? value.secretBinary.map { "\(Array($0))" } ?? "-"))
      }
    }
    return lines
  }

  @Test(arguments: Backend.allCases) func copiesLabelledVersionsUnderTheirIds(_ backend: Backend)
    async throws
  {
    let source = try await Backend.embedded.makeStore().store
    let target = try await backend.makeStore().store
    try await Self.seed(source)
    let report = try await StoreSync(options: .init()).syncSecrets(from: source, to: target)
    #expect(report.failures == 0)
    #expect(report.entries.map(\.name) == ["app/cert", "app/db", "app/empty"])
    #expect(
      report.entries.map(\.outcome)[1]
        == .copiedSecret(
          versions: 3, labels: ["AWSCURRENT", "AWSPREVIOUS", "BLUE"], refusedLabels: [],
          emptyLabels: []))
    #expect(try await Self.snapshot(target) == Self.snapshot(source))
    #expect(try await target.value("app/db", stage: "AWSCURRENT") == "pw-2")
    #expect(try await target.value("app/db", versionID: Self.v4) == "pw-4")
  }

  @Test(arguments: Backend.allCases) func roundTripsThroughTheOtherBackendUnchanged(
    _ backend: Backend
  ) async throws {
    let original = try await Backend.embedded.makeStore().store
    let middle = try await backend.makeStore().store
    let back = try await Backend.embedded.makeStore().store
    try await Self.seed(original)
    _ = try await StoreSync(options: .init()).syncSecrets(from: original, to: middle)
    let report = try await StoreSync(options: .init()).syncSecrets(from: middle, to: back)
    #expect(report.failures == 0)
    #expect(try await Self.snapshot(back) == Self.snapshot(original))
  }

  @Test(arguments: Backend.allCases) func existingSecretsAreSkippedUnlessOverwritten(
    _ backend: Backend
  ) async throws {
    let source = try await Backend.embedded.makeStore().store
    let target = try await backend.makeStore().store
    try await Self.seed(source)
    try await target.create("app/db", "elsewhere")
    let options = StoreSync.Options(path: "/app")
    let dry = try await StoreSync(options: .init(path: "app", overwrite: true, dryRun: true))
      .syncSecrets(from: source, to: target)
    #expect(dry.entries.map(\.name) == ["app/cert", "app/db", "app/empty"])
    #expect(dry.entries.map(\.outcome)[1] == .updated(labels: ["AWSCURRENT"], refusedLabels: []))
    #expect(try await target.value("app/db") == "elsewhere")

    let skipping = try await StoreSync(options: options).syncSecrets(from: source, to: target)
    #expect(skipping.entries.map(\.outcome)[1] == .skipped)
    #expect(try await target.value("app/db") == "elsewhere")

    let overwriting = try await StoreSync(options: .init(path: "/app", overwrite: true))
      .syncSecrets(from: source, to: target)
    #expect(
      overwriting.entries.map(\.outcome)[1] == .updated(labels: ["AWSCURRENT"], refusedLabels: []))
    #expect(overwriting.entries.map(\.outcome)[0] == .unchanged)
    #expect(try await target.value("app/db") == "pw-2")
    let again = try await StoreSync(options: .init(path: "/app", overwrite: true))
      .syncSecrets(from: source, to: target)
    #expect(again.entries.map(\.outcome)[1] == .unchanged)
  }
}
