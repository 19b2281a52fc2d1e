/// `PutParameter`: create a parameter, or with `Overwrite` add a version.
public struct PutParameterRequest: Codable, Sendable, Hashable {
  public var name: String
  public var description: String?
  public var value: String
  public var type: ParameterType?
  public var keyID: String?
  public var overwrite: Bool?
  public var allowedPattern: String?
  public var tags: [Tag]?
  public var tier: ParameterTier?
  /// Parameter policies (JSON); the cinch store refuses them.
  public var policies: String?
  public var dataType: ParameterDataType?

  public init(
    name: String, description: String? = nil, value: String, type: ParameterType? = nil,
    keyID: String? = nil, overwrite: Bool? = nil, allowedPattern: String? = nil, tags: [Tag]? = nil,
    tier: ParameterTier? = nil, policies: String? = nil, dataType: ParameterDataType? = nil
  ) {
    self.name = name
    self.description = description
    self.value = value
    self.type = type
    self.keyID = keyID
    self.overwrite = overwrite
    self.allowedPattern = allowedPattern
    self.tags = tags
    self.tier = tier
    self.policies = policies
    self.dataType = dataType
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case description = "Description"
    case value = "Value"
    case type = "Type"
    case keyID = "KeyId"
    case overwrite = "Overwrite"
    case allowedPattern = "AllowedPattern"
    case tags = "Tags"
    case tier = "Tier"
    case policies = "Policies"
    case dataType = "DataType"
  }
}

/// `PutParameter`'s answer: the new version and the tier it was stored in.
public struct PutParameterResponse: Codable, Sendable, Hashable {
  public var version: Int
  public var tier: ParameterTier

  public init(version: Int, tier: ParameterTier) {
    self.version = version
    self.tier = tier
  }

  enum CodingKeys: String, CodingKey {
    case version = "Version"
    case tier = "Tier"
  }
}
