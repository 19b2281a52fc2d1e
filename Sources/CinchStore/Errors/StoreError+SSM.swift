/// Parameter Store's errors, worded as AWS words them (`reference: aws-store-semantics §1.14`).
extension StoreError {
  /// `GetParameter` and `DeleteParameter` on a missing name: AWS sends an empty message.
  static func parameterNotFound(_ message: String = "") -> StoreError {
    StoreError(code: "ParameterNotFound", message: message)
  }

  static func parameterVersionNotFound(name: String, version: String) -> StoreError {
    StoreError(
      code: "ParameterVersionNotFound",
      message: "Systems Manager could not find version \(version) of \(name). "
        + "Verify the version and try again.")
  }

  /// `kms:Decrypt` refused for a `SecureString` read `WithDecryption`: Parameter Store answers
  /// KMS's `AccessDeniedException` with KMS's message, wrapped as it wraps KMS's errors
  /// (`invalidKeyID`'s suffix, without a request id). Real answers: tryolabs/aws-workshop#6,
  /// Droplr/aws-env#29, external-secrets/kubernetes-external-secrets#627.
  package static let kmsDecryptRefusedForParameter = StoreError(
    code: "AccessDeniedException",
    message: kmsMessage(
      "The ciphertext refers to a customer master key that does not exist, does not exist in "
        + "this region, or you are not allowed to access.", errorCode: "AccessDeniedException"))

  /// KMS's message as the services pass it on: followed by `(Service: AWSKMS; Status Code: 400;
  /// Error Code: CODE)`, without the request id AWS adds.
  package static func kmsMessage(_ message: String, errorCode: String) -> String {
    "\(message) (Service: AWSKMS; Status Code: 400; Error Code: \(errorCode))"
  }

  static let parameterAlreadyExists = StoreError(
    code: "ParameterAlreadyExists",
    message: "The parameter already exists. To overwrite this value, set the overwrite option in "
      + "the request to true.")

  /// No room for another parameter of `tier`. The standard quota's words are AWS's
  /// (NordicSemiconductor/asset-tracker-cloud-aws-js#514, pulumi/docs#11478); no answer for the
  /// advanced quota is quoted anywhere, so its message follows the same form.
  static func parameterLimitExceeded(_ tier: ParameterTier, limit: Int) -> StoreError {
    StoreError(
      code: "ParameterLimitExceeded",
      message: tier == .advanced
        ? "You have reached the maximum number of advanced parameters for this AWS account and "
          + "Region (\(limit)). To add more parameters, delete existing parameters."
        : "You have reached the maximum number of standard parameters for this AWS account and "
          + "Region (\(limit)). To add more parameters, either delete existing parameters or "
          + "upgrade to the advanced-parameter tier (charges apply).")
  }

  static func parameterMaxVersionLimitExceeded(name: String, oldestVersion: Int) -> StoreError {
    StoreError(
      code: "ParameterMaxVersionLimitExceeded",
      message: "You attempted to create a new version of \(name) by calling the PutParameter API "
        + "with the overwrite flag. Version \(oldestVersion), the oldest version, can't be deleted "
        + "because it has a label associated with it. Move the label to another version of the "
        + "parameter, and try again.")
  }

  static let parameterVersionLabelLimitExceeded = StoreError(
    code: "ParameterVersionLabelLimitExceeded",
    message: "A parameter version can have a maximum of ten labels.")

  static let hierarchyLevelLimitExceeded = StoreError(
    code: "HierarchyLevelLimitExceededException",
    message: "A hierarchy can have a maximum of 15 levels. For more information, see Requirements "
      + "and constraints for parameter names in the Amazon Web Services Systems Manager User Guide."
  )

  static func validation(_ message: String) -> StoreError {
    StoreError(code: "ValidationException", message: message)
  }

  /// AWS's generated constraint message: `1 validation error detected: Value '…' at 'name'
  /// failed to satisfy constraint: …`.
  static func constraint(value: String, at field: String, _ constraint: String) -> StoreError {
    constraints([violation(value: value, at: field, constraint)])
  }

  /// One broken constraint as AWS's generated message names it.
  static func violation(value: String, at field: String, _ constraint: String) -> String {
    "Value '\(value)' at '\(field)' failed to satisfy constraint: \(constraint)"
  }

  /// AWS's generated message for every constraint a request breaks, in one answer:
  /// `2 validation errors detected: …; …`.
  static func constraints(_ violations: [String]) -> StoreError {
    validation(
      "\(violations.count) validation error\(violations.count == 1 ? "" : "s") detected: "
        + violations.joined(separator: "; "))
  }

  static func invalidKeyID(_ message: String) -> StoreError {
    StoreError(code: "InvalidKeyId", message: message)
  }

  static func invalidFilterKey(_ message: String) -> StoreError {
    StoreError(code: "InvalidFilterKey", message: message)
  }

  static func invalidFilterOption(_ message: String) -> StoreError {
    StoreError(code: "InvalidFilterOption", message: message)
  }

  static func invalidFilterValue(_ message: String) -> StoreError {
    StoreError(code: "InvalidFilterValue", message: message)
  }

  static let invalidNextToken = StoreError(
    code: "InvalidNextToken", message: "The specified token isn't valid.")

  static func parameterPatternMismatch(pattern: String) -> StoreError {
    StoreError(
      code: "ParameterPatternMismatchException",
      message: "Parameter value, cannot be validated against allowedPattern: \(pattern)")
  }

  static let invalidAllowedPattern = StoreError(
    code: "InvalidAllowedPatternException",
    message: "The request doesn't meet the regular expression requirement.")

  static let invalidResourceType = StoreError(
    code: "InvalidResourceType", message: "The resource type isn't valid.")

  static let invalidResourceID = StoreError(
    code: "InvalidResourceId",
    message: "The resource ID isn't valid. Verify that you entered the correct ID and try again.")

  static let tooManyTags = StoreError(
    code: "TooManyTagsError",
    message: "The Targets parameter includes too many tags. Remove one or more tags and try the "
      + "command again.")

  static func accessDenied(_ message: String) -> StoreError {
    StoreError(code: "AccessDeniedException", message: message)
  }
}
