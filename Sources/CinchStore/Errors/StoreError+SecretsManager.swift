/// Secrets Manager's errors, worded as AWS words them (`reference: aws-store-semantics §2.10`).
/// Every message names secrets, versions and labels, never a value.
extension StoreError {
  static let secretNotFound = StoreError(
    code: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret.")

  static func secretValueNotFound(stage: String) -> StoreError {
    StoreError(
      code: "ResourceNotFoundException",
      message: "Secrets Manager can't find the specified secret value for staging label: \(stage)")
  }

  static func secretValueNotFound(versionID: String) -> StoreError {
    StoreError(
      code: "ResourceNotFoundException",
      message: "Secrets Manager can't find the specified secret value for VersionId: \(versionID)")
  }

  static func invalidParameter(_ message: String) -> StoreError {
    StoreError(code: "InvalidParameterException", message: message)
  }

  static func invalidRequest(_ message: String) -> StoreError {
    StoreError(code: "InvalidRequestException", message: message)
  }

  static func resourceExists(_ message: String) -> StoreError {
    StoreError(code: "ResourceExistsException", message: message)
  }

  static func limitExceeded(_ message: String) -> StoreError {
    StoreError(code: "LimitExceededException", message: message)
  }

  /// `PutResourcePolicy` / `ValidateResourcePolicy` on the embedded store, which enforces
  /// identity-based policies only. `InvalidRequestException` is what Secrets Manager answers
  /// for an operation the secret's state or setup does not allow, as for replication here.
  static let resourcePoliciesUnsupported = invalidRequest(
    "Resource policies are not available in the cinch store: it does not keep or enforce them. "
      + "Grant access with identity-based policies instead (cinch iam put-user-policy).")

  /// `kms:Decrypt` refused for a secret's value: Secrets Manager's own `AccessDeniedException`
  /// (aws-samples/aws-secrets-manager-rotation-lambdas#53, awsdocs/aws-kms-developer-guide#36,
  /// external-secrets/kubernetes-external-secrets#838).
  package static let kmsDecryptRefusedForSecret = StoreError(
    code: "AccessDeniedException", message: "Access to KMS is not allowed")

  static let markedForDeletion = invalidRequest(
    "You can't perform this operation on the secret because it was marked for deletion.")

  static let stageAndVersionMismatch = invalidRequest(
    "You provided a VersionStage that is not associated to the provided VersionId.")

  static func secretExists(name: String) -> StoreError {
    resourceExists("The operation failed because the secret \(name) already exists.")
  }

  static let nameScheduledForDeletion = invalidRequest(
    "You can't create this secret because a secret with this name is already scheduled for "
      + "deletion.")

  static func tokenInUse(token: String, arn: String) -> StoreError {
    resourceExists(
      "You can't use ClientRequestToken \(token) because that value is already in use for a "
        + "version of secret \(arn).")
  }

  static let bothValues = invalidParameter(
    "You can't specify both a binary secret value and a string secret value in the same secret.")

  static let noValue = invalidRequest("You must provide either SecretString or SecretBinary.")

  static let invalidSecretName = validation(
    "Invalid name. Must be a valid name containing alphanumeric characters, or any of the "
      + "following: -/_+=.@!")

  static func removeFromVersionRequired(stage: String, versionID: String) -> StoreError {
    invalidParameter(
      "The parameter RemoveFromVersionId can't be empty. Staging label \(stage) is currently "
        + "attached to version \(versionID), so you must explicitly reference that version in "
        + "RemoveFromVersionId.")
  }

  static let recoveryWindowRange = invalidParameter(
    "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).")

  static let recoveryWindowWithForce = invalidParameter(
    "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.")

  static let rotationInProgress = invalidRequest(
    "A previous rotation isn't complete. That rotation will be reattempted.")

  static let noRotationFunction = invalidRequest(
    "No Lambda rotation function ARN is associated with this secret.")

  static let secretsInvalidNextToken = StoreError(
    code: "InvalidNextTokenException", message: "The NextToken value is invalid.")

  /// A value too large, reported as AWS reports a constraint on a sensitive member: without the
  /// value.
  static func sensitiveConstraint(at field: String, _ constraint: String) -> StoreError {
    validation(
      "1 validation error detected: Value at '\(field)' failed to satisfy constraint: \(constraint)"
    )
  }

  /// A rotation step failed: the step, the rotator and its message (scrubbed of secret values).
  /// AWS reports rotation failures only in the rotation function's logs; cinch rotates in the
  /// foreground and says so with this code.
  static func rotationFailed(step: String, rotator: String, message: String) -> StoreError {
    StoreError(
      code: "RotationFailedException",
      message: "rotation step '\(step)' of rotator '\(rotator)' failed"
        + (message.isEmpty ? "" : ": \(message)"))
  }
}
