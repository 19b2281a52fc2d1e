import CinchStore
import Foundation
import Testing

/// The recovery window (`reference: aws-store-semantics §2.6`).
@Suite struct SecretDeletionTests {
  @Test(arguments: Backend.allCases) func theWindowIsSevenToThirtyDaysAndNotWithForce(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    try await store.create("s", "v")
    for days in [0, 6, 31] {
      await expectStoreError("InvalidParameterException") {
        _ = try await store.deleteSecret(
          DeleteSecretRequest(secretID: "s", recoveryWindowInDays: days))
      }
    }
    await conforming(.secretErrorWording, on: backend) {
      await expectStoreError(
        "InvalidParameterException",
        message: "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."
      ) {
        _ = try await store.deleteSecret(
          DeleteSecretRequest(secretID: "s", recoveryWindowInDays: 6))
      }
    }
    await expectStoreError("InvalidParameterException") {
      _ = try await store.deleteSecret(
        DeleteSecretRequest(
          secretID: "s", recoveryWindowInDays: 7, forceDeleteWithoutRecovery: true))
    }
  }

  @Test(arguments: Backend.allCases) func aScheduledSecretRefusesReadsButDescribes(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    let created = try await store.create("s", "v", token: tokenA)
    let before = Date()
    let deleted = try await store.deleteSecret(
      DeleteSecretRequest(secretID: "s", recoveryWindowInDays: 7))
    let after = Date()
    #expect(deleted.arn == created.arn)
    // Seven days from when the request was handled, which is somewhere between `before` and
    // `after` (seconds apart when the machine is loaded); a second's slack for dates that a
    // backend writes in whole seconds.
    let earliest = before.addingTimeInterval(7 * 86_400 - 1)
    let latest = after.addingTimeInterval(7 * 86_400 + 1)
    #expect(deleted.deletionDate >= earliest && deleted.deletionDate <= latest)

    let refusal =
      "You can't perform this operation on the secret because it was marked for deletion."
    await expectStoreError("InvalidRequestException") { _ = try await store.value("s") }
    await conforming(.secretErrorWording, on: backend) {
      await expectStoreError("InvalidRequestException", message: refusal) {
        _ = try await store.value("s")
      }
    }
    await conforming(.scheduledDeletionNotEnforced, on: backend) {
      await expectStoreError("InvalidRequestException") { try await store.putValue("s", "w") }
      await expectStoreError("InvalidRequestException") {
        try await store.create("s", "new")
      }
    }
    let described = try await store.describeSecret(DescribeSecretRequest(secretID: "s"))
    #expect(described.deletedDate != nil)
    #expect(try await store.listSecrets(ListSecretsRequest()).secretList.isEmpty)
    let planned = try await store.listSecrets(ListSecretsRequest(includePlannedDeletion: true))
    #expect(planned.secretList.map(\.name) == ["s"])
    #expect(planned.secretList.first?.deletedDate != nil)
    // The catalog still describes it, marked.
    #expect(try await store.secretVersions("s").deletedDate != nil)

    let restored = try await store.restoreSecret(RestoreSecretRequest(secretID: "s"))
    #expect(restored.arn == created.arn)
    #expect(try await store.describeSecret(DescribeSecretRequest(secretID: "s")).deletedDate == nil)
    await conforming(.scheduledDeletionNotEnforced, on: backend) {
      // Nothing written while it was scheduled.
      let value = try await store.value("s")
      #expect(value == "v")
    }
  }

  @Test(arguments: Backend.allCases) func forceDeletionIsImmediateAndTolerant(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
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
