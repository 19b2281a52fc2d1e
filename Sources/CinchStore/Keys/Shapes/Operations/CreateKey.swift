/// `CreateKey`: a customer-managed symmetric key with its own key material.
public struct CreateKeyRequest: Codable, Sendable, Hashable {
  public var description: String?
  /// `ENCRYPT_DECRYPT`, the only usage the store supports.
  public var keyUsage: String?
  /// `SYMMETRIC_DEFAULT`, the only spec the store supports.
  public var keySpec: String?
  public var customerMasterKeySpec: String?
  /// `AWS_KMS`, the only origin the store supports.
  public var origin: String?
  public var multiRegion: Bool?
  public var tags: [KMSTag]?
  /// A key policy: the store keeps none, so it refuses one rather than keep it unenforced; the
  /// AWS backend sends it to AWS.
  public var policy: String?
  /// Refused when true by the store, which has no key policy and so no lockout check.
  public var bypassPolicyLockoutSafetyCheck: Bool?
  /// A custom key store (CloudHSM or external): refused by the store.
  public var customKeyStoreID: String?
  /// An external key of an external key store: refused by the store.
  public var xksKeyID: String?

  public init(
    description: String? = nil, keyUsage: String? = nil, keySpec: String? = nil,
    customerMasterKeySpec: String? = nil, origin: String? = nil, multiRegion: Bool? = nil,
    tags: [KMSTag]? = nil, policy: String? = nil, bypassPolicyLockoutSafetyCheck: Bool? = nil,
    customKeyStoreID: String? = nil, xksKeyID: String? = nil
  ) {
    self.description = description
    self.keyUsage = keyUsage
    self.keySpec = keySpec
    self.customerMasterKeySpec = customerMasterKeySpec
    self.origin = origin
    self.multiRegion = multiRegion
    self.tags = tags
    self.policy = policy
    self.bypassPolicyLockoutSafetyCheck = bypassPolicyLockoutSafetyCheck
    self.customKeyStoreID = customKeyStoreID
    self.xksKeyID = xksKeyID
  }

  enum CodingKeys: String, CodingKey {
    case description = "Description"
    case keyUsage = "KeyUsage"
    case keySpec = "KeySpec"
    case customerMasterKeySpec = "CustomerMasterKeySpec"
    case origin = "Origin"
    case multiRegion = "MultiRegion"
    case tags = "Tags"
    case policy = "Policy"
    case bypassPolicyLockoutSafetyCheck = "BypassPolicyLockoutSafetyCheck"
    case customKeyStoreID = "CustomKeyStoreId"
    case xksKeyID = "XksKeyId"
  }
}

/// `CreateKey`'s answer.
public struct CreateKeyResponse: Codable, Sendable, Hashable {
  public var keyMetadata: KeyMetadata

  public init(keyMetadata: KeyMetadata) {
    self.keyMetadata = keyMetadata
  }

  enum CodingKeys: String, CodingKey {
    case keyMetadata = "KeyMetadata"
  }
}
