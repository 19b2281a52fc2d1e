/// `UpdateSecretVersionStage`: attach a staging label to a version, move it from another (whose
/// id must then be named in `RemoveFromVersionId`), or remove it.
public struct UpdateSecretVersionStageRequest: Codable, Sendable, Hashable {
  public var secretID: String
  public var versionStage: String
  public var removeFromVersionID: String?
  public var moveToVersionID: String?

  public init(
    secretID: String, versionStage: String, removeFromVersionID: String? = nil,
    moveToVersionID: String? = nil
  ) {
    self.secretID = secretID
    self.versionStage = versionStage
    self.removeFromVersionID = removeFromVersionID
    self.moveToVersionID = moveToVersionID
  }

  enum CodingKeys: String, CodingKey {
    case secretID = "SecretId"
    case versionStage = "VersionStage"
    case removeFromVersionID = "RemoveFromVersionId"
    case moveToVersionID = "MoveToVersionId"
  }
}

public typealias UpdateSecretVersionStageResponse = SecretIdentity
