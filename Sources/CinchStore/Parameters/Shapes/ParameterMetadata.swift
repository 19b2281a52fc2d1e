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
