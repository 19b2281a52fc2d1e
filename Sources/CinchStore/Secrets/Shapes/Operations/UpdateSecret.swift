public import Foundation

/// `UpdateSecret`: description and key, and with a value a new AWSCURRENT version.
public struct UpdateSecretRequest: Codable, Sendable, Hashable {
  public var secretID: String
  public var clientRequestToken: String?
  public var description: String?
  public var kmsKeyID: String?
  public var secretBinary: Data?
  public var secretString: String?

  public init(
    secretID: String, clientRequestToken: String? = nil, description: String? = nil,
    kmsKeyID: String? = nil, secretBinary: Data? = nil, secretString: String? = nil
  ) {
    self.secretID = secretID
    self.clientRequestToken = clientRequestToken
    self.description = description
    self.kmsKeyID = kmsKeyID
    self.secretBinary = secretBinary
    self.secretString = secretString
  }

  enum CodingKeys: String, CodingKey {
    case secretID = "SecretId"
    case clientRequestToken = "ClientRequestToken"
    case description = "Description"
    case kmsKeyID = "KmsKeyId"
    case secretBinary = "SecretBinary"
    case secretString = "SecretString"
  }
}

public struct UpdateSecretResponse: Codable, Sendable, Hashable {
  public var arn: String
  public var name: String
  /// Only when a value was given and a version created.
  public var versionID: String?

  public init(arn: String, name: String, versionID: String? = nil) {
    self.arn = arn
    self.name = name
    self.versionID = versionID
  }

  enum CodingKeys: String, CodingKey {
    case arn = "ARN"
    case name = "Name"
    case versionID = "VersionId"
  }
}
