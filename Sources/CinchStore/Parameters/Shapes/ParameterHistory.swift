public import Foundation

/// One version in `GetParameterHistory` (AWS shape `ParameterHistory`).
public struct ParameterHistory: Codable, Sendable, Hashable {
  public var name: String
  public var type: ParameterType
  public var keyID: String?
  public var lastModifiedDate: Date
  public var lastModifiedUser: String?
  public var description: String?
  public var value: String
  public var allowedPattern: String?
  public var version: Int
  public var labels: [String]
  public var tier: ParameterTier
  public var policies: [ParameterInlinePolicy]
  public var dataType: ParameterDataType

  public init(
    name: String, type: ParameterType, keyID: String? = nil, lastModifiedDate: Date,
    lastModifiedUser: String? = nil, description: String? = nil, value: String,
    allowedPattern: String? = nil, version: Int, labels: [String] = [], tier: ParameterTier,
    policies: [ParameterInlinePolicy] = [], dataType: ParameterDataType
  ) {
    self.name = name
    self.type = type
    self.keyID = keyID
    self.lastModifiedDate = lastModifiedDate
    self.lastModifiedUser = lastModifiedUser
    self.description = description
    self.value = value
    self.allowedPattern = allowedPattern
    self.version = version
    self.labels = labels
    self.tier = tier
    self.policies = policies
    self.dataType = dataType
  }

  /// Lists AWS leaves out when they are empty decode as empty; a tier or data type left out,
  /// as its default.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    name = try container.decode(String.self, forKey: .name)
    type = try container.decode(ParameterType.self, forKey: .type)
    keyID = try container.decodeIfPresent(String.self, forKey: .keyID)
    lastModifiedDate = try container.decode(Date.self, forKey: .lastModifiedDate)
    lastModifiedUser = try container.decodeIfPresent(String.self, forKey: .lastModifiedUser)
    description = try container.decodeIfPresent(String.self, forKey: .description)
    value = try container.decode(String.self, forKey: .value)
    allowedPattern = try container.decodeIfPresent(String.self, forKey: .allowedPattern)
    version = try container.decode(Int.self, forKey: .version)
    labels = try container.decodeIfPresent([String].self, forKey: .labels) ?? []
    // PutParameter's defaults, for an endpoint that leaves them out (moto does for AWS's
    // public parameters); every member of an AWS response is optional in its model.
    tier = try container.decodeIfPresent(ParameterTier.self, forKey: .tier) ?? .standard
    policies = try container.decodeIfPresent([ParameterInlinePolicy].self, forKey: .policies) ?? []
    dataType = try container.decodeIfPresent(ParameterDataType.self, forKey: .dataType) ?? .text
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case type = "Type"
    case keyID = "KeyId"
    case lastModifiedDate = "LastModifiedDate"
    case lastModifiedUser = "LastModifiedUser"
    case description = "Description"
    case value = "Value"
    case allowedPattern = "AllowedPattern"
    case version = "Version"
    case labels = "Labels"
    case tier = "Tier"
    case policies = "Policies"
    case dataType = "DataType"
  }
}
