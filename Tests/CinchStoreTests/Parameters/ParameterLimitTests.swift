import Foundation
import GRDB
import Testing

@testable import CinchStore

/// Parameter Store's quotas: 10,000 standard and 100,000 advanced parameters per account and
/// Region (reference §1.2, §1.14 `ParameterLimitExceeded`). Most tests set lower limits through
/// the store's configuration; one writes the real 10,000.
@Suite struct ParameterLimitTests {
  /// AWS's message for a full standard tier of `limit` parameters.
  static func standardFull(_ limit: Int = 3) -> String {
    "You have reached the maximum number of standard parameters for this AWS account and "
      + "Region (\(limit)). To add more parameters, either delete existing parameters or upgrade "
      + "to the advanced-parameter tier (charges apply)."
  }
  static let advancedFull =
    "You have reached the maximum number of advanced parameters for this AWS account and "
    + "Region (2). To add more parameters, delete existing parameters."

  static func limited() async throws -> StoreFixture {
    try await StoreFixture.make(
      configuration: StoreConfiguration(
        parameterLimits: ParameterLimits(standard: 3, advanced: 2)))
  }

  @Test func aNewStandardParameterPastTheLimitIsRefused() async throws {
    let fixture = try await Self.limited()
    let store = fixture.store
    // Secrets and AWS's public parameters are not the account's parameters.
    for index in 1...4 {
      _ = try await store.createSecret(CreateSecretRequest(name: "s\(index)", secretString: "v"))
    }
    _ = try await store.putPublicParameter(
      PutParameterRequest(name: "/aws/service/ami", value: "ami-1", type: .string))
    for index in 1...3 { try await store.put("/p\(index)", "v", overwrite: false) }
    await expectStoreError("ParameterLimitExceeded", message: Self.standardFull()) {
      try await store.put("/p4", "v", overwrite: false)
    }
    await expectStoreError("ParameterNotFound") { _ = try await store.get("/p4") }
    // A new version is no new parameter; an advanced one has room of its own.
    #expect(try await store.put("/p1", "w").version == 2)
    #expect(try await store.put("/a1", "v", overwrite: false, tier: .advanced).tier == .advanced)
    // Intelligent-Tiering makes a new parameter advanced when the standard ones are full, and
    // keeps an existing standard one standard.
    #expect(
      try await store.put("/i1", "v", overwrite: false, tier: .intelligentTiering).tier
        == .advanced)
    #expect(try await store.put("/p2", "w", tier: .intelligentTiering).tier == .standard)
    // A deleted parameter frees its room, which Intelligent-Tiering then takes.
    _ = try await store.deleteParameter(DeleteParameterRequest(name: "/p3"))
    #expect(
      try await store.put("/i2", "v", overwrite: false, tier: .intelligentTiering).tier
        == .standard)
    await expectStoreError("ParameterLimitExceeded", message: Self.standardFull()) {
      try await store.put("/p4", "v", overwrite: false)
    }
  }

  @Test func advancedParametersHaveALimitOfTheirOwn() async throws {
    let fixture = try await Self.limited()
    let store = fixture.store
    try await store.put("/a1", "v", overwrite: false, tier: .advanced)
    try await store.put("/s1", "v", overwrite: false)
    try await store.put(
      "/a2", String(repeating: "x", count: 5000), overwrite: false, tier: .intelligentTiering)
    await expectStoreError("ParameterLimitExceeded", message: Self.advancedFull) {
      try await store.put("/a3", "v", overwrite: false, tier: .advanced)
    }
    // Moving a standard parameter up takes advanced room too; a new version of an advanced one
    // does not.
    await expectStoreError("ParameterLimitExceeded", message: Self.advancedFull) {
      try await store.put("/s1", "w", tier: .advanced)
    }
    #expect(try await store.get("/s1").value == "v")
    #expect(try await store.put("/a1", "w").tier == .advanced)
    // With both tiers full, Intelligent-Tiering has nowhere to go.
    for index in 2...3 { try await store.put("/s\(index)", "v", overwrite: false) }
    await expectStoreError("ParameterLimitExceeded", message: Self.advancedFull) {
      try await store.put("/i", "v", overwrite: false, tier: .intelligentTiering)
    }
  }

  /// The real limit: 10,000 standard parameters, written through `put` in one transaction (a
  /// transaction each would spend the test's time on fsync), then the 10,001st.
  @Test func theTenThousandAndFirstStandardParameterIsRefused() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.perform("PutParameter", name: nil) { db, trail in
      for index in 0..<10_000 {
        _ = try store.put(
          PutParameterRequest(name: "/load/p\(index)", value: "v\(index)", type: .string), db,
          &trail)
      }
    }
    await expectStoreError("ParameterLimitExceeded", message: Self.standardFull(10_000)) {
      try await store.put("/load/more", "v", overwrite: false)
    }
    #expect(
      try await store.put("/load/more", "v", overwrite: false, tier: .intelligentTiering).tier
        == .advanced)
    #expect(try await store.put("/load/p0", "w").version == 2)
  }

  /// The advanced parameters are counted over an index of the advanced versions alone, not by
  /// reading every version.
  @Test func advancedParametersAreCountedOverTheirIndex() async throws {
    let fixture = try await StoreFixture.make()
    let plan = try await fixture.store.perform("Plan", name: nil) { db, _ in
      try Row.fetchAll(
        db,
        sql: "EXPLAIN QUERY PLAN SELECT COUNT(DISTINCT entry_id) FROM entry_versions "
          + "WHERE tier = 'Advanced'"
      ).map { $0["detail"] as String }
    }
    #expect(plan.contains { $0.contains("entry_versions_advanced") }, "\(plan)")
  }
}
