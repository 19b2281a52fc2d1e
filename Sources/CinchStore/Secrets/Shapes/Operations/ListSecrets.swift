public import Foundation

/// `ListSecrets`: metadata of every secret (not those scheduled for deletion unless
/// `IncludePlannedDeletion`), filtered, sorted (by `CreatedDate` unless `SortBy` says otherwise)
/// and paginated.
public struct ListSecretsRequest: Codable, Sendable, Hashable {
  public var includePlannedDeletion: Bool?
  /// 1 to 100 (default 100).
  public var maxResults: Int?
  public var nextToken: String?
  public var filters: [SecretsFilter]?
  /// `asc` or `desc` (default `asc`).
  public var sortOrder: String?
  /// `created-date` (default), `last-accessed-date`, `last-changed-date` or `name`.
  public var sortBy: String?

  public init(
    includePlannedDeletion: Bool? = nil, maxResults: Int? = nil, nextToken: String? = nil,
    filters: [SecretsFilter]? = nil, sortOrder: String? = nil, sortBy: String? = nil
  ) {
    self.includePlannedDeletion = includePlannedDeletion
    self.maxResults = maxResults
    self.nextToken = nextToken
    self.filters = filters
    self.sortOrder = sortOrder
    self.sortBy = sortBy
  }

  enum CodingKeys: String, CodingKey {
    case includePlannedDeletion = "IncludePlannedDeletion"
    case maxResults = "MaxResults"
    case nextToken = "NextToken"
    case filters = "Filters"
    case sortOrder = "SortOrder"
    case sortBy = "SortBy"
  }
}

public struct ListSecretsResponse: Codable, Sendable, Hashable {
  public var secretList: [SecretListEntry]
  public var nextToken: String?

  public init(secretList: [SecretListEntry] = [], nextToken: String? = nil) {
    self.secretList = secretList
    self.nextToken = nextToken
  }

  enum CodingKeys: String, CodingKey {
    case secretList = "SecretList"
    case nextToken = "NextToken"
  }
}

/// One secret in `ListSecrets` (AWS shape `SecretListEntry`).
public struct SecretListEntry: Codable, Sendable, Hashable {
  public var arn: String
  public var name: String
  public var description: String?
  public var kmsKeyID: String?
  public var rotationEnabled: Bool?
  public var rotationLambdaARN: String?
  public var rotationRules: RotationRules?
  public var lastRotatedDate: Date?
  public var lastChangedDate: Date?
  public var lastAccessedDate: Date?
  public var deletedDate: Date?
  public var nextRotationDate: Date?
  public var tags: [Tag]?
  public var secretVersionsToStages: VersionStagesMap?
  public var createdDate: Date?

  public init(
    arn: String, name: String, description: String? = nil, kmsKeyID: String? = nil,
    rotationEnabled: Bool? = nil, rotationLambdaARN: String? = nil,
    rotationRules: RotationRules? = nil, lastRotatedDate: Date? = nil,
    lastChangedDate: Date? = nil, lastAccessedDate: Date? = nil, deletedDate: Date? = nil,
    nextRotationDate: Date? = nil, tags: [Tag]? = nil,
    secretVersionsToStages: VersionStagesMap? = nil, createdDate: Date? = nil
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
    self.secretVersionsToStages = secretVersionsToStages
    self.createdDate = createdDate
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
    case secretVersionsToStages = "SecretVersionsToStages"
    case createdDate = "CreatedDate"
  }
}
