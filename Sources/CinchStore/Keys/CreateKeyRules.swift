/// What the store's `CreateKey` takes, checked in KMS's order: the model's constraints first
/// (each enum member's value set, the description's length), every broken one in a single
/// `ValidationException`; then what the store does not do, `UnsupportedOperationException`
/// with the reason; then the tags.
enum CreateKeyRules {
  // The API reference's value sets, in its order
  // (https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html).
  static let keyUsages = ["SIGN_VERIFY", "ENCRYPT_DECRYPT", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"]
  /// `CustomerMasterKeySpec`, deprecated: its set stopped growing when `KeySpec` replaced it.
  static let customerMasterKeySpecs = [
    "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
    "ECC_SECG_P256K1", "SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2",
  ]
  static let keySpecs =
    customerMasterKeySpecs + ["ML_DSA_44", "ML_DSA_65", "ML_DSA_87", "ECC_NIST_EDWARDS25519"]
  static let origins = ["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"]

  static func check(_ request: CreateKeyRequest) throws(StoreError) {
    try checkConstraints(request)
    try checkSupported(request)
    for tag in request.tags ?? [] {
      guard !tag.tagKey.isEmpty, tag.tagKey.count <= 128, tag.tagValue.count <= 256 else {
        throw .validation("Tag keys must be 1-128 characters and values 0-256.")
      }
      // "can't be prefixed with aws:" (any case): AWS's own tags
      // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-kms-key-tag.html).
      guard !tag.tagKey.lowercased().hasPrefix("aws:") else {
        throw StoreError(
          code: "TagException",
          message: "Tag keys starting with 'aws:' are reserved for AWS use: '\(tag.tagKey)'.")
      }
    }
  }

  private static func checkConstraints(_ request: CreateKeyRequest) throws(StoreError) {
    var violations: [String] = []
    for (value, member, allowed) in [
      (request.keyUsage, "keyUsage", keyUsages),
      (request.customerMasterKeySpec, "customerMasterKeySpec", customerMasterKeySpecs),
      (request.keySpec, "keySpec", keySpecs), (request.origin, "origin", origins),
    ] {
      guard let value, !allowed.contains(value) else { continue }
      violations.append(
        StoreError.violation(
          value: value, at: member,
          "Member must satisfy enum value set: [\(allowed.joined(separator: ", "))]"))
    }
    if let description = request.description, description.count > 8192 {
      violations.append(
        StoreError.violation(
          value: description, at: "description",
          "Member must have length less than or equal to 8192"))
    }
    if !violations.isEmpty { throw .constraints(violations) }
  }

  private static func checkSupported(_ request: CreateKeyRequest) throws(StoreError) {
    // Kept and never enforced, a key policy would look like protection it is not: a Deny of
    // kms:Decrypt that denies nothing. Refused, as Secrets Manager's PutResourcePolicy is.
    if request.policy != nil {
      throw .kmsUnsupported(
        "Key policies are not available in the cinch store: it does not keep or enforce them, "
          + "and a policy stored but never enforced would look like protection it is not. "
          + "Grant access with identity-based policies instead (cinch iam put-user-policy).")
    }
    if request.bypassPolicyLockoutSafetyCheck == true {
      throw .kmsUnsupported(
        "BypassPolicyLockoutSafetyCheck is not available in the cinch store: it keeps no key "
          + "policies, so there is no lockout check to bypass.")
    }
    if request.customKeyStoreID != nil || request.xksKeyID != nil {
      throw .kmsUnsupported(
        "Custom key stores are not available in the cinch store: it generates and keeps the "
          + "material of every key itself.")
    }
    if let usage = request.keyUsage, usage != "ENCRYPT_DECRYPT" {
      throw .kmsUnsupported(
        "KeyUsage \(usage) is not supported: the cinch store holds symmetric ENCRYPT_DECRYPT keys."
      )
    }
    for spec in [request.keySpec, request.customerMasterKeySpec].compactMap({ $0 })
    where spec != "SYMMETRIC_DEFAULT" {
      throw .kmsUnsupported(
        "KeySpec \(spec) is not supported: the cinch store holds SYMMETRIC_DEFAULT keys.")
    }
    if let origin = request.origin, origin != "AWS_KMS" {
      throw .kmsUnsupported(
        "Origin \(origin) is not supported: the cinch store generates its own key material.")
    }
    if request.multiRegion == true {
      throw .kmsUnsupported("Multi-Region keys are not supported by the cinch store.")
    }
  }
}
