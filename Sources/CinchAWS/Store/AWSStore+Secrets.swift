package import CinchStore
import Foundation

/// Secrets Manager: each operation is its API call, the request and response shapes unchanged.
///
/// Like the aws CLI and the SDKs, a value-creating call without a `ClientRequestToken` is sent
/// with a new UUID (AWS refuses raw requests without one). Rotation is AWS's own: a Lambda
/// function runs the four steps; cinch's local rotators belong to the embedded store.
extension AWSStore: SecretStore {
  package func createSecret(_ request: CreateSecretRequest) async throws -> CreateSecretResponse {
    var request = request
    request.clientRequestToken = Self.token(request.clientRequestToken)
    return try await secretsManager.send("CreateSecret", request)
  }

  package func getSecretValue(_ request: GetSecretValueRequest) async throws
    -> GetSecretValueResponse
  {
    try await secretsManager.send("GetSecretValue", request)
  }

  package func putSecretValue(_ request: PutSecretValueRequest) async throws
    -> PutSecretValueResponse
  {
    var request = request
    request.clientRequestToken = Self.token(request.clientRequestToken)
    return try await secretsManager.send("PutSecretValue", request)
  }

  package func updateSecret(_ request: UpdateSecretRequest) async throws -> UpdateSecretResponse {
    var request = request
    request.clientRequestToken = Self.token(request.clientRequestToken)
    return try await secretsManager.send("UpdateSecret", request)
  }

  package func describeSecret(_ request: DescribeSecretRequest) async throws
    -> DescribeSecretResponse
  {
    try await secretsManager.send("DescribeSecret", request)
  }

  package func getResourcePolicy(_ request: GetResourcePolicyRequest) async throws
    -> GetResourcePolicyResponse
  {
    try await secretsManager.send("GetResourcePolicy", request)
  }

  package func deleteResourcePolicy(_ request: DeleteResourcePolicyRequest) async throws
    -> DeleteResourcePolicyResponse
  {
    try await secretsManager.send("DeleteResourcePolicy", request)
  }

  package func putResourcePolicy(_ request: PutResourcePolicyRequest) async throws
    -> PutResourcePolicyResponse
  {
    try await secretsManager.send("PutResourcePolicy", request)
  }

  package func validateResourcePolicy(_ request: ValidateResourcePolicyRequest) async throws
    -> ValidateResourcePolicyResponse
  {
    try await secretsManager.send("ValidateResourcePolicy", request)
  }

  package func listSecrets(_ request: ListSecretsRequest) async throws -> ListSecretsResponse {
    try await secretsManager.send("ListSecrets", request)
  }

  package func listSecretVersionIds(_ request: ListSecretVersionIdsRequest) async throws
    -> ListSecretVersionIdsResponse
  {
    try await secretsManager.send("ListSecretVersionIds", request)
  }

  package func updateSecretVersionStage(_ request: UpdateSecretVersionStageRequest) async throws
    -> UpdateSecretVersionStageResponse
  {
    try await secretsManager.send("UpdateSecretVersionStage", request)
  }

  package func deleteSecret(_ request: DeleteSecretRequest) async throws -> DeleteSecretResponse {
    try await secretsManager.send("DeleteSecret", request)
  }

  package func restoreSecret(_ request: RestoreSecretRequest) async throws
    -> RestoreSecretResponse
  {
    try await secretsManager.send("RestoreSecret", request)
  }

  package func tagResource(_ request: TagResourceRequest) async throws
    -> SecretsManagerEmptyResponse
  {
    try await secretsManager.send("TagResource", request)
  }

  package func untagResource(_ request: UntagResourceRequest) async throws
    -> SecretsManagerEmptyResponse
  {
    try await secretsManager.send("UntagResource", request)
  }

  package func getRandomPassword(_ request: GetRandomPasswordRequest) async throws
    -> GetRandomPasswordResponse
  {
    try await secretsManager.send("GetRandomPassword", request)
  }

  package func batchGetSecretValue(_ request: BatchGetSecretValueRequest) async throws
    -> BatchGetSecretValueResponse
  {
    try await secretsManager.send("BatchGetSecretValue", request)
  }

  /// AWS's rotation: sets the Lambda function and schedule given, then (unless
  /// `RotateImmediately` is false) starts a rotation that the Lambda runs asynchronously; the
  /// answer names the new AWSPENDING version. The built-in password rotator's policy is a
  /// cinch member AWS has no place for, so a request carrying one is refused before sending.
  package func rotateSecret(_ request: RotateSecretRequest) async throws -> RotateSecretResponse {
    if request.passwordPolicy != nil {
      throw AWSClientError.unsupported(
        "a password policy configures cinch's local 'password' rotator, a feature of the "
          + "embedded store; on AWS a Lambda function rotates (RotationLambdaARN)")
    }
    return try await secretsManager.send(
      "RotateSecret",
      RotateSecretWire(
        secretID: request.secretID, clientRequestToken: Self.token(request.clientRequestToken),
        rotationLambdaARN: request.rotationLambdaARN, rotationRules: request.rotationRules,
        rotateImmediately: request.rotateImmediately))
  }

  package func cancelRotateSecret(_ request: CancelRotateSecretRequest) async throws
    -> CancelRotateSecretResponse
  {
    try await secretsManager.send("CancelRotateSecret", request)
  }

  /// The token given, or a new UUID as the SDKs generate one (`idempotencyToken` members).
  static func token(_ given: String?) -> String {
    given ?? Crypto.randomUUIDString()
  }
}

/// `RotateSecret` as AWS's model has it: the request without cinch's own members.
struct RotateSecretWire: Encodable {
  var secretID: String
  var clientRequestToken: String
  var rotationLambdaARN: String?
  var rotationRules: RotationRules?
  var rotateImmediately: Bool?

  enum CodingKeys: String, CodingKey {
    case secretID = "SecretId"
    case clientRequestToken = "ClientRequestToken"
    case rotationLambdaARN = "RotationLambdaARN"
    case rotationRules = "RotationRules"
    case rotateImmediately = "RotateImmediately"
  }
}
