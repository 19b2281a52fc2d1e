public import Foundation

/// `GetSecretValue`: the AWSCURRENT version, or the one a `VersionId` and/or `VersionStage`
/// names (both must name the same version).
public struct GetSecretValueRequest: Codable, Sendable, Hashable {
  public var secretID: String
  public var versionID: String?
  public var versionStage: String?

  public init(secretID: String, versionID: String? = nil, versionStage: String? = nil) {
    self.secretID = secretID
    self.versionID = versionID
    self.versionStage = versionStage
  }

  enum CodingKeys: String, CodingKey {
    case secretID = "SecretId"
    case versionID = "VersionId"
    case versionStage = "VersionStage"
  }
}

/// One version's value: `SecretString` or `SecretBinary`, whichever was stored.
public struct GetSecretValueResponse: Codable, Sendable, Hashable {
  public var arn: String
  public var name: String
  public var versionID: String
  public var secretBinary: Data?
  public var secretString: String?
  public var versionStages: [String]
  /// When the version was created.
  public var createdDate: Date

  public init(
    arn: String, name: String, versionID: String, secretBinary: Data? = nil,
    secretString: String? = nil, versionStages: [String], createdDate: Date
  ) {
    self.arn = arn
    self.name = name
    self.versionID = versionID
    self.secretBinary = secretBinary
    self.secretString = secretString
    self.versionStages = versionStages
    self.createdDate = createdDate
  }

  enum CodingKeys: String, CodingKey {
    case arn = "ARN"
    case name = "Name"
    case versionID = "VersionId"
    case secretBinary = "SecretBinary"
    case secretString = "SecretString"
    case versionStages = "VersionStages"
    case createdDate = "CreatedDate"
  }
}
