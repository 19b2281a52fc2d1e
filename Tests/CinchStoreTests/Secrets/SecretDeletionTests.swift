import Foundation
import GRDB
import Testing

@testable import CinchStore

/// The recovery window (`reference: aws-store-semantics §2.6`).
@Suite struct SecretDeletionTests {
  @Test func theWindowIsSevenToThirtyDaysAndNotWithForce() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("s", "v")
    for days in [0, 6, 31] {
      await expectStoreError(
        "InvalidParameterException",
        message: "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."
      ) {
        _ = try await store.deleteSecret(
          DeleteSecretRequest(secretID: "s", recoveryWindowInDays: days))
      }
    }
    await expectStoreError(
      "InvalidParameterException",
      message: "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."
    ) {
      _ = try await store.deleteSecret(
        DeleteSecretRequest(
          secretID: "s", recoveryWindowInDays: 7, forceDeleteWithoutRecovery: true))
    }
  }

  @Test func aScheduledSecretRefusesReadsAndWritesButDescribes() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let created = try await store.create("s", "v", token: tokenA)
    let before = Date()
    let deleted = try await store.deleteSecret(
      DeleteSecretRequest(secretID: "s", recoveryWindowInDays: 7))
    let after = Date()
    #expect(deleted.arn == created.arn)
    // Seven days from when the request was handled: between `before` and `after`.
    let earliest = before.addingTimeInterval(7 * 86_400 - 1)
    let latest = after.addingTimeInterval(7 * 86_400 + 1)
    #expect(deleted.deletionDate >= earliest && deleted.deletionDate <= latest)

    let refusal =
      "You can't perform this operation on the secret because it was marked for deletion."
    let refused: [(String, () async throws -> Void)] = [
      ("get", { _ = try await store.value("s") }),
      ("put", { try await store.putValue("s", "w") }),
      (
        "update",
        { _ = try await store.updateSecret(UpdateSecretRequest(secretID: "s", description: "d")) }
      ),
      (
        "stage",
        {
          _ = try await store.updateSecretVersionStage(
            UpdateSecretVersionStageRequest(
              secretID: "s", versionStage: "X", moveToVersionID: tokenA))
        }
      ),
      (
        "tag",
        {
          _ = try await store.tagResource(
            TagResourceRequest(secretID: "s", tags: [Tag(key: "a", value: "b")]))
        }
      ),
      (
        "untag",
        { _ = try await store.untagResource(UntagResourceRequest(secretID: "s", tagKeys: ["a"])) }
      ),
      (
        "rotate",
        {
          _ = try await store.rotateSecret(
            RotateSecretRequest(
              secretID: "s",
              rotationLambdaARN: "arn:aws:lambda:us-east-1:123456789012:function:password"))
        }
      ),
      ("delete again", { _ = try await store.deleteSecret(DeleteSecretRequest(secretID: "s")) }),
    ]
    for (_, call) in refused {
      await expectStoreError("InvalidRequestException", message: refusal) { try await call() }
    }
    let described = try await store.describeSecret(DescribeSecretRequest(secretID: "s"))
    #expect(described.deletedDate != nil)
    #expect(try await store.listSecrets(ListSecretsRequest()).secretList.isEmpty)
    let planned = try await store.listSecrets(ListSecretsRequest(includePlannedDeletion: true))
    #expect(planned.secretList.map(\.name) == ["s"])
    #expect(planned.secretList.first?.deletedDate != nil)
    await expectStoreError(
      "InvalidRequestException",
      message: "You can't create this secret because a secret with this name is already "
        + "scheduled for deletion."
    ) { try await store.create("s", "new") }

    let restored = try await store.restoreSecret(RestoreSecretRequest(secretID: "s"))
    #expect(restored.arn == created.arn)
    #expect(try await store.value("s") == "v")
    #expect(try await store.describeSecret(DescribeSecretRequest(secretID: "s")).deletedDate == nil)
  }

  @Test func theSecretIsGoneWhenTheWindowEnds() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let first = try await store.create("s", "v")
    _ = try await store.deleteSecret(DeleteSecretRequest(secretID: "s", recoveryWindowInDays: 7))
    let almost = store.withClock(offset: 7 * 86_400 - 60)
    #expect(try await almost.describeSecret(DescribeSecretRequest(secretID: "s")).name == "s")
    let after = store.withClock(offset: 7 * 86_400 + 1)
    await expectStoreError("ResourceNotFoundException") {
      _ = try await after.describeSecret(DescribeSecretRequest(secretID: "s"))
    }
    // The name is free again, with a new suffix.
    let second = try await after.create("s", "again")
    #expect(second.arn != first.arn)
    await expectStoreError("ResourceNotFoundException") { _ = try await after.value(first.arn) }
    let audit = try await store.auditRecords(name: "s", limit: nil)
    #expect(audit.contains { $0.operation == "PurgeSecret" })
  }

  /// Every Secrets Manager operation first looks for secrets whose window has ended; it finds
  /// them through an index that holds only the scheduled ones, not by reading every secret.
  @Test func expiredSecretsAreFoundThroughAnIndexOfTheScheduledOnes() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    for name in ["a", "b", "c"] { try await store.create(name, "v") }
    _ = try await store.deleteSecret(DeleteSecretRequest(secretID: "b", recoveryWindowInDays: 7))
    let scheduled = """
      SELECT count(*) FROM entries INDEXED BY entries_pending_deletion
      WHERE json_extract(attributes, '$.deletionDate') IS NOT NULL
      """
    let queue = try DatabaseQueue(path: fixture.storePath)
    let (plan, count) = try await queue.read { db in
      (
        try Row.fetchAll(
          db,
          sql: "EXPLAIN QUERY PLAN SELECT id, name, last_version FROM entries "
            + "WHERE kind = ? AND json_extract(attributes, '$.deletionDate') <= ?",
          arguments: [EntryKind.secret.rawValue, 0]
        ).map { $0["detail"] as String },
        try Int.fetchOne(db, sql: scheduled)
      )
    }
    #expect(plan.contains { $0.contains("entries_pending_deletion") }, "\(plan)")
    #expect(count == 1)
    _ = try await store.restoreSecret(RestoreSecretRequest(secretID: "b"))
    #expect(try await queue.read { db in try Int.fetchOne(db, sql: scheduled) } == 0)
    try queue.close()
  }

  @Test func forceDeletionIsImmediateAndTolerant() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("s", "v")
    _ = try await store.deleteSecret(DeleteSecretRequest(secretID: "s", recoveryWindowInDays: 30))
    // A scheduled secret can still be forced out.
    _ = try await store.deleteSecret(
      DeleteSecretRequest(secretID: "s", forceDeleteWithoutRecovery: true))
    await expectStoreError("ResourceNotFoundException") {
      _ = try await store.describeSecret(DescribeSecretRequest(secretID: "s"))
    }
    // Forcing a missing secret is not an error.
    let missing = try await store.deleteSecret(
      DeleteSecretRequest(secretID: "never-was", forceDeleteWithoutRecovery: true))
    #expect(missing.name == "never-was")
    await expectStoreError("ResourceNotFoundException") {
      _ = try await store.deleteSecret(DeleteSecretRequest(secretID: "never-was"))
    }
  }
}
