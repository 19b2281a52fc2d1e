public import Foundation

/// `PutSecretValue`: a new version (by default AWSCURRENT), or an idempotent replay of one.
public struct PutSecretValueRequest: Codable, Sendable, Hashable {
  public var secretID: String
  /// The new version's `VersionId`; generated (a UUID) when nil.
  public var clientRequestToken: String?
  public var secretBinary: Data?
  public var secretString: String?
  /// Labels to attach (moved from other versions); AWSCURRENT when nil.
  public var versionStages: [String]?
  /// Accepted for cross-account rotation; the cinch store has one account and ignores it.
  public var rotationToken: String?

  public init(
    secretID: String, clientRequestToken: String? = nil, secretBinary: Data? = nil,
    secretString: String? = nil, versionStages: [String]? = nil, rotationToken: String? = nil
  ) {
    self.secretID = secretID
    self.clientRequestToken = clientRequestToken
    self.secretBinary = secretBinary
    self.secretString = secretString
    self.versionStages = versionStages
    self.rotationToken = rotationToken
  }

  enum CodingKeys: String, CodingKey {
    case secretID = "SecretId"
    case clientRequestToken = "ClientRequestToken"
    case secretBinary = "SecretBinary"
    case secretString = "SecretString"
    case versionStages = "VersionStages"
    case rotationToken = "RotationToken"
  }
}

public struct PutSecretValueResponse: Codable, Sendable, Hashable {
  public var arn: String
  public var name: String
  public var versionID: String
  public var versionStages: [String]

  public init(arn: String, name: String, versionID: String, versionStages: [String]) {
    self.arn = arn
    self.name = name
    self.versionID = versionID
    self.versionStages = versionStages
  }

  enum CodingKeys: String, CodingKey {
    case arn = "ARN"
    case name = "Name"
    case versionID = "VersionId"
    case versionStages = "VersionStages"
  }
}
