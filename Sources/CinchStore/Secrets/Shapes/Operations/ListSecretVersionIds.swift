public import Foundation

/// `ListSecretVersionIds`: a secret's versions, oldest first; versions without a staging label
/// (deprecated) only with `IncludeDeprecated`.
public struct ListSecretVersionIdsRequest: Codable, Sendable, Hashable {
  public var secretID: String
  /// 1 to 100 (default 100).
  public var maxResults: Int?
  public var nextToken: String?
  public var includeDeprecated: Bool?

  public init(
    secretID: String, maxResults: Int? = nil, nextToken: String? = nil,
    includeDeprecated: Bool? = nil
  ) {
    self.secretID = secretID
    self.maxResults = maxResults
    self.nextToken = nextToken
    self.includeDeprecated = includeDeprecated
  }

  enum CodingKeys: String, CodingKey {
    case secretID = "SecretId"
    case maxResults = "MaxResults"
    case nextToken = "NextToken"
    case includeDeprecated = "IncludeDeprecated"
  }
}

public struct ListSecretVersionIdsResponse: Codable, Sendable, Hashable {
  public var versions: [SecretVersionsListEntry]
  public var nextToken: String?
  public var arn: String
  public var name: String

  public init(
    versions: [SecretVersionsListEntry], nextToken: String? = nil, arn: String, name: String
  ) {
    self.versions = versions
    self.nextToken = nextToken
    self.arn = arn
    self.name = name
  }

  enum CodingKeys: String, CodingKey {
    case versions = "Versions"
    case nextToken = "NextToken"
    case arn = "ARN"
    case name = "Name"
  }
}

/// One version in `ListSecretVersionIds` (AWS shape `SecretVersionsListEntry`).
public struct SecretVersionsListEntry: Codable, Sendable, Hashable {
  public var versionID: String
  /// Omitted for a deprecated version.
  public var versionStages: [String]?
  public var lastAccessedDate: Date?
  public var createdDate: Date
  /// `DefaultEncryptionKey` for the AWS-managed key, else the key as named when the version was
  /// written.
  public var kmsKeyIDs: [String]?

  public init(
    versionID: String, versionStages: [String]? = nil, lastAccessedDate: Date? = nil,
    createdDate: Date, kmsKeyIDs: [String]? = nil
  ) {
    self.versionID = versionID
    self.versionStages = versionStages
    self.lastAccessedDate = lastAccessedDate
    self.createdDate = createdDate
    self.kmsKeyIDs = kmsKeyIDs
  }

  enum CodingKeys: String, CodingKey {
    case versionID = "VersionId"
    case versionStages = "VersionStages"
    case lastAccessedDate = "LastAccessedDate"
    case createdDate = "CreatedDate"
    case kmsKeyIDs = "KmsKeyIds"
  }
}
