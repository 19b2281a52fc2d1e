public import Foundation

/// `DescribeSecret`: a secret's metadata, never its value. Works on a secret scheduled for
/// deletion (it shows `DeletedDate`).
public struct DescribeSecretRequest: Codable, Sendable, Hashable {
  public var secretID: String

  public init(secretID: String) { self.secretID = secretID }

  enum CodingKeys: String, CodingKey {
    case secretID = "SecretId"
  }
}

/// Only members with a value are present, as AWS sends them.
public struct DescribeSecretResponse: Codable, Sendable, Hashable {
  public var arn: String
  public var name: String
  public var description: String?
  /// Omitted when the secret uses the AWS-managed key `aws/secretsmanager`.
  public var kmsKeyID: String?
  /// Absent when rotation was never configured.
  public var rotationEnabled: Bool?
  public var rotationLambdaARN: String?
  public var rotationRules: RotationRules?
  public var lastRotatedDate: Date?
  public var lastChangedDate: Date?
  public var lastAccessedDate: Date?
  public var deletedDate: Date?
  public var nextRotationDate: Date?
  public var tags: [Tag]?
  /// Labelled versions only.
  public var versionIDsToStages: VersionStagesMap?
  public var createdDate: Date?
  /// cinch's rotation facts (rotator, password policy, last failure); not an AWS member.
  public var cinchRotation: CinchRotationState?

  public init(
    arn: String, name: String, description: String? = nil, kmsKeyID: String? = nil,
    rotationEnabled: Bool? = nil, rotationLambdaARN: String? = nil,
    rotationRules: RotationRules? = nil, lastRotatedDate: Date? = nil,
    lastChangedDate: Date? = nil, lastAccessedDate: Date? = nil, deletedDate: Date? = nil,
    nextRotationDate: Date? = nil, tags: [Tag]? = nil,
    versionIDsToStages: VersionStagesMap? = nil, createdDate: Date? = nil,
    cinchRotation: CinchRotationState? = nil
  ) {
    self.arn = arn
    self.name = name
    self.description = description
    self.kmsKeyID = kmsKeyID
    self.rotationEnabled = rotationEnabled
    self.rotationLambdaARN = rotationLambdaARN
    self.rotationRules = rotationRules
    self.lastRotatedDate = lastRotatedDate
    self.lastChangedDate = lastChangedDate
    self.lastAccessedDate = lastAccessedDate
    self.deletedDate = deletedDate
    self.nextRotationDate = nextRotationDate
    self.tags = tags
    self.versionIDsToStages = versionIDsToStages
    self.createdDate = createdDate
    self.cinchRotation = cinchRotation
  }

  enum CodingKeys: String, CodingKey {
    case arn = "ARN"
    case name = "Name"
    case description = "Description"
    case kmsKeyID = "KmsKeyId"
    case rotationEnabled = "RotationEnabled"
    case rotationLambdaARN = "RotationLambdaARN"
    case rotationRules = "RotationRules"
    case lastRotatedDate = "LastRotatedDate"
    case lastChangedDate = "LastChangedDate"
    case lastAccessedDate = "LastAccessedDate"
    case deletedDate = "DeletedDate"
    case nextRotationDate = "NextRotationDate"
    case tags = "Tags"
    case versionIDsToStages = "VersionIdsToStages"
    case createdDate = "CreatedDate"
    case cinchRotation = "CinchRotation"
  }
}
