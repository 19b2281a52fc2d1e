import CinchStore

/// Store errors print as the aws CLI prints service errors (exit 254).
extension StoreError: AWSServiceError {
  package var httpStatusCode: Int { httpStatus }
  package var localDetail: String? { rotatorOutput.map(RotatorOutput.text) }
}

extension StoreService {
  /// The service whose command runs `operation`, for the error codes it names
  /// (`StoreError.inService`): KMS's and IAM's few operations by name, Secrets Manager's by the
  /// word in theirs; anything else is Parameter Store's.
  init(operation: String) {
    if Self.kmsOperations.contains(operation) {
      self = .kms
    } else if operation.hasSuffix("AccessKey") || operation.hasSuffix("AccessKeys")
      || operation.hasSuffix("UserPolicy") || operation.hasSuffix("UserPolicies")
    {
      self = .iam
    } else if operation.contains("Secret") || Self.secretsManagerOperations.contains(operation) {
      self = .secretsManager
    } else {
      self = .ssm
    }
  }

  static let kmsOperations: Set<String> = [
    "CreateKey", "DescribeKey", "ListKeys", "CreateAlias", "ListAliases",
  ]
  /// Secrets Manager's operations without `Secret` in their names.
  static let secretsManagerOperations: Set<String> = [
    "GetRandomPassword", "TagResource", "UntagResource", "GetResourcePolicy",
    "PutResourcePolicy", "DeleteResourcePolicy", "ValidateResourcePolicy",
  ]
}

/// What a failed command rotator wrote to standard error, as `rotate-secret` and `rotate --due`
/// show it to whoever ran the rotation (the store scrubbed the secret's values from it; it is
/// never stored, nor returned by `cinch serve`).
enum RotatorOutput {
  static func text(_ output: String) -> String {
    let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
    return "the rotator's standard error (the secret's values redacted):\n"
      + lines.map { "  \($0)\n" }.joined()
  }
}
