public import Foundation

/// What `DescribeParameters` tells about a parameter's latest version: everything but the
/// value (AWS shape `ParameterMetadata`).
public struct ParameterMetadata: Codable, Sendable, Hashable {
  public var name: String
  public var arn: String
  public var type: ParameterType
  /// The KMS key for a `SecureString`, as the writer named it (`alias/aws/ssm` by default).
  public var keyID: String?
  public var lastModifiedDate: Date
  public var lastModifiedUser: String?
  public var description: String?
  public var allowedPattern: String?
  public var version: Int
  public var tier: ParameterTier
  public var policies: [ParameterInlinePolicy]
  public var dataType: ParameterDataType

  public init(
    name: String, arn: String, type: ParameterType, keyID: String? = nil, lastModifiedDate: Date,
    lastModifiedUser: String? = nil, description: String? = nil, allowedPattern: String? = nil,
    version: Int, tier: ParameterTier, policies: [ParameterInlinePolicy] = [],
    dataType: ParameterDataType
  ) {
    self.name = name
    self.arn = arn
    self.type = type
    self.keyID = keyID
    self.lastModifiedDate = lastModifiedDate
    self.lastModifiedUser = lastModifiedUser
    self.description = description
    self.allowedPattern = allowedPattern
    self.version = version
    self.tier = tier
    self.policies = policies
    self.dataType = dataType
  }

  /// Lists AWS leaves out when they are empty decode as empty; a tier or data type left out,
  /// as its default.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    name = try container.decode(String.self, forKey: .name)
    // moto leaves the ARN out of DescribeParameters; AWS always sends it.
    arn = try container.decodeIfPresent(String.self, forKey: .arn) ?? ""
    type = try container.decode(ParameterType.self, forKey: .type)
    keyID = try container.decodeIfPresent(String.self, forKey: .keyID)
    lastModifiedDate = try container.decode(Date.self, forKey: .lastModifiedDate)
    lastModifiedUser = try container.decodeIfPresent(String.self, forKey: .lastModifiedUser)
    description = try container.decodeIfPresent(String.self, forKey: .description)
    allowedPattern = try container.decodeIfPresent(String.self, forKey: .allowedPattern)
    version = try container.decode(Int.self, forKey: .version)
    // PutParameter's defaults, for an endpoint that leaves them out (moto does for AWS's
    // public parameters); every member of an AWS response is optional in its model.
    tier = try container.decodeIfPresent(ParameterTier.self, forKey: .tier) ?? .standard
    policies = try container.decodeIfPresent([ParameterInlinePolicy].self, forKey: .policies) ?? []
    dataType = try container.decodeIfPresent(ParameterDataType.self, forKey: .dataType) ?? .text
  }

  /// As AWS writes it; an ARN the service did not send (moto's `DescribeParameters`) stays out
  /// rather than reading `""`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(name, forKey: .name)
    if !arn.isEmpty { try container.encode(arn, forKey: .arn) }
    try container.encode(type, forKey: .type)
    try container.encodeIfPresent(keyID, forKey: .keyID)
    try container.encode(lastModifiedDate, forKey: .lastModifiedDate)
    try container.encodeIfPresent(lastModifiedUser, forKey: .lastModifiedUser)
    try container.encodeIfPresent(description, forKey: .description)
    try container.encodeIfPresent(allowedPattern, forKey: .allowedPattern)
    try container.encode(version, forKey: .version)
    try container.encode(tier, forKey: .tier)
    try container.encode(policies, forKey: .policies)
    try container.encode(dataType, forKey: .dataType)
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case arn = "ARN"
    case type = "Type"
    case keyID = "KeyId"
    case lastModifiedDate = "LastModifiedDate"
    case lastModifiedUser = "LastModifiedUser"
    case description = "Description"
    case allowedPattern = "AllowedPattern"
    case version = "Version"
    case tier = "Tier"
    case policies = "Policies"
    case dataType = "DataType"
  }
}
