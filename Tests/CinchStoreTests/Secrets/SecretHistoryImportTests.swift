import Foundation
import Testing

@testable import CinchStore

/// `cinch sync` copies a secret's labelled versions into the embedded store in one
/// transaction: a version the store refuses midway leaves no secret holding only the first
/// ones, which a later sync would skip as existing.
@Suite struct SecretHistoryImportTests {
  static let v1 = "11111111-1111-4111-8111-111111111111"
  static let v2 = "22222222-2222-4222-8222-222222222222"
  static let v3 = "33333333-3333-4333-8333-333333333333"

  func put(_ value: String, token: String) -> PutSecretValueRequest {
    PutSecretValueRequest(secretID: "app/db", clientRequestToken: token, secretString: value)
  }

  var create: CreateSecretRequest {
    CreateSecretRequest(name: "app/db", clientRequestToken: Self.v1, secretString: "pw-1")
  }

  /// Longer than the 256 characters Secrets Manager takes for a staging label.
  static let badLabel = String(repeating: "L", count: 257)

  @Test func aSecretIsWrittenWholeWithItsLabelsAsGiven() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    // A rolled-back secret: AWSCURRENT on the middle version, a custom label, a bad one.
    let refused = try await store.createSecretHistory(
      create, versions: [put("pw-2", token: Self.v2), put("pw-3", token: Self.v3)],
      stages: [
        (Self.v1, ["OLD"]), (Self.v2, ["AWSCURRENT"]), (Self.v3, ["AWSPREVIOUS", Self.badLabel]),
      ])
    #expect(refused == [Self.badLabel])
    let described = try await store.describeSecret(DescribeSecretRequest(secretID: "app/db"))
    let stages = described.versionIDsToStages?.entries.reduce(into: [String: [String]]()) {
      $0[$1.0] = $1.1.sorted()
    }
    #expect(
      stages == [Self.v1: ["OLD"], Self.v2: ["AWSCURRENT"], Self.v3: ["AWSPREVIOUS"]])
    let current = try await store.getSecretValue(GetSecretValueRequest(secretID: "app/db"))
    #expect(current.secretString == "pw-2")
    #expect(try await store.verifyAuditLog().isIntact)
  }

  @Test func withoutAnAWSCURRENTTheLastVersionKeepsIt() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    _ = try await store.createSecretHistory(
      create, versions: [put("pw-2", token: Self.v2)], stages: [(Self.v1, ["BLUE"])])
    let current = try await store.getSecretValue(GetSecretValueRequest(secretID: "app/db"))
    #expect(current.versionID == Self.v2)
    let blue = try await store.getSecretValue(
      GetSecretValueRequest(secretID: "app/db", versionStage: "BLUE"))
    #expect(blue.secretString == "pw-1")
  }

  @Test func aVersionRefusedMidwayLeavesNothing() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    await #expect(throws: StoreError.self) {
      _ = try await store.createSecretHistory(
        create,
        versions: [
          put("pw-2", token: Self.v2),
          put(
            String(repeating: "x", count: SecretValueRules.maximumValueBytes + 1), token: Self.v3),
        ],
        stages: [(Self.v3, ["AWSCURRENT"])])
    }
    await #expect(throws: StoreError.self) {
      _ = try await store.describeSecret(DescribeSecretRequest(secretID: "app/db"))
    }
    let records = try await store.auditRecords(name: "app/db", limit: nil)
    #expect(!records.isEmpty)
    #expect(records.allSatisfy { $0.result != "ok" }, "\(records)")
    #expect(try await store.verifyAuditLog().isIntact)
  }
}
