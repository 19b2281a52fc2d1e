public import Foundation

/// `CreateSecret`: a new secret, with a first version when a value is given.
public struct CreateSecretRequest: Codable, Sendable, Hashable {
  public var name: String
  /// The first version's `VersionId`; generated (a UUID) when nil, as the aws CLI and SDKs do.
  public var clientRequestToken: String?
  public var description: String?
  public var kmsKeyID: String?
  public var secretBinary: Data?
  public var secretString: String?
  public var tags: [Tag]?
  /// Replication is not supported by the cinch store; a non-empty list is refused.
  public var addReplicaRegions: [ReplicaRegion]?
  public var forceOverwriteReplicaSecret: Bool?

  public init(
    name: String, clientRequestToken: String? = nil, description: String? = nil,
    kmsKeyID: String? = nil, secretBinary: Data? = nil, secretString: String? = nil,
    tags: [Tag]? = nil, addReplicaRegions: [ReplicaRegion]? = nil,
    forceOverwriteReplicaSecret: Bool? = nil
  ) {
    self.name = name
    self.clientRequestToken = clientRequestToken
    self.description = description
    self.kmsKeyID = kmsKeyID
    self.secretBinary = secretBinary
    self.secretString = secretString
    self.tags = tags
    self.addReplicaRegions = addReplicaRegions
    self.forceOverwriteReplicaSecret = forceOverwriteReplicaSecret
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case clientRequestToken = "ClientRequestToken"
    case description = "Description"
    case kmsKeyID = "KmsKeyId"
    case secretBinary = "SecretBinary"
    case secretString = "SecretString"
    case tags = "Tags"
    case addReplicaRegions = "AddReplicaRegions"
    case forceOverwriteReplicaSecret = "ForceOverwriteReplicaSecret"
  }
}

/// A region to replicate a secret to (AWS shape `ReplicaRegionType`).
public struct ReplicaRegion: Codable, Sendable, Hashable {
  public var region: String?
  public var kmsKeyID: String?

  public init(region: String? = nil, kmsKeyID: String? = nil) {
    self.region = region
    self.kmsKeyID = kmsKeyID
  }

  enum CodingKeys: String, CodingKey {
    case region = "Region"
    case kmsKeyID = "KmsKeyId"
  }
}

public struct CreateSecretResponse: Codable, Sendable, Hashable {
  public var arn: String
  public var name: String
  /// Absent when the secret was created without a value.
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
