import CinchStore
import Foundation
import Testing

/// `GetResourcePolicy` / `DeleteResourcePolicy` on secrets without a policy, which Terraform's
/// `aws_secretsmanager_secret` reads on every refresh
/// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetResourcePolicy.html).
@Suite struct SecretResourcePolicyTests {
  @Test(arguments: Backend.allCases) func aSecretWithoutAPolicyAnswersItsARNAndName(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    let created = try await store.create("app/db", "v1")
    for id in ["app/db", created.arn] {
      let policy = try await store.getResourcePolicy(GetResourcePolicyRequest(secretID: id))
      #expect(policy == GetResourcePolicyResponse(arn: created.arn, name: "app/db"))
    }
    let deleted = try await store.deleteResourcePolicy(
      DeleteResourcePolicyRequest(secretID: "app/db"))
    #expect(deleted == DeleteResourcePolicyResponse(arn: created.arn, name: "app/db"))
    #expect(
      try await store.getResourcePolicy(GetResourcePolicyRequest(secretID: "app/db"))
        .resourcePolicy == nil)
  }

  @Test(arguments: Backend.allCases) func aMissingSecretIsResourceNotFound(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    await expectStoreError("ResourceNotFoundException") {
      _ = try await store.getResourcePolicy(GetResourcePolicyRequest(secretID: "nope"))
    }
    await expectStoreError("ResourceNotFoundException") {
      _ = try await store.deleteResourcePolicy(DeleteResourcePolicyRequest(secretID: "nope"))
    }
  }

  /// The embedded store keeps and enforces no resource policy, so it refuses to take one
  /// (AWS and moto accept it: this is cinch's choice, Docs/Secrets.md).
  @Test func theEmbeddedStoreRefusesToKeepAPolicy() async throws {
    let store = try await Backend.embedded.makeStore().store
    try await store.create("app/db", "v1")
    let policy = #"{"Version":"2012-10-17","Statement":[]}"#
    let message =
      "Resource policies are not available in the cinch store: it does not keep or enforce "
      + "them. Grant access with identity-based policies instead (cinch iam put-user-policy)."
    await expectStoreError("InvalidRequestException", message: message) {
      _ = try await store.putResourcePolicy(
        PutResourcePolicyRequest(secretID: "app/db", resourcePolicy: policy))
    }
    await expectStoreError("InvalidRequestException", message: message) {
      _ = try await store.validateResourcePolicy(
        ValidateResourcePolicyRequest(secretID: "app/db", resourcePolicy: policy))
    }
    await expectStoreError("InvalidRequestException", message: message) {
      _ = try await store.validateResourcePolicy(
        ValidateResourcePolicyRequest(resourcePolicy: policy))
    }
    await expectStoreError("ResourceNotFoundException") {
      _ = try await store.putResourcePolicy(
        PutResourcePolicyRequest(secretID: "nope", resourcePolicy: policy))
    }
  }
}
