public import Foundation

/// `BatchGetSecretValue`: the AWSCURRENT values of up to 20 secrets named in `SecretIdList`, or
/// of the secrets `Filters` select (paginated); a secret that fails is reported in `Errors`
/// without failing the call.
public struct BatchGetSecretValueRequest: Codable, Sendable, Hashable {
  public var secretIDList: [String]?
  public var filters: [SecretsFilter]?
  /// 1 to 20, only with `Filters`.
  public var maxResults: Int?
  public var nextToken: String?

  public init(
    secretIDList: [String]? = nil, filters: [SecretsFilter]? = nil, maxResults: Int? = nil,
    nextToken: String? = nil
  ) {
    self.secretIDList = secretIDList
    self.filters = filters
    self.maxResults = maxResults
    self.nextToken = nextToken
  }

  enum CodingKeys: String, CodingKey {
    case secretIDList = "SecretIdList"
    case filters = "Filters"
    case maxResults = "MaxResults"
    case nextToken = "NextToken"
  }
}

public struct BatchGetSecretValueResponse: Codable, Sendable, Hashable {
  public var secretValues: [SecretValueEntry]
  public var nextToken: String?
  public var errors: [SecretsManagerAPIError]

  public init(
    secretValues: [SecretValueEntry] = [], nextToken: String? = nil,
    errors: [SecretsManagerAPIError] = []
  ) {
    self.secretValues = secretValues
    self.nextToken = nextToken
    self.errors = errors
  }

  enum CodingKeys: String, CodingKey {
    case secretValues = "SecretValues"
    case nextToken = "NextToken"
    case errors = "Errors"
  }
}

/// One value in `BatchGetSecretValue` (AWS shape `SecretValueEntry`).
public struct SecretValueEntry: Codable, Sendable, Hashable {
  public var arn: String
  public var name: String
  public var versionID: String
  public var secretBinary: Data?
  public var secretString: String?
  public var versionStages: [String]
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

/// A secret `BatchGetSecretValue` could not return (AWS shape `APIErrorType`).
public struct SecretsManagerAPIError: Codable, Sendable, Hashable {
  public var secretID: String
  public var errorCode: String
  public var message: String

  public init(secretID: String, errorCode: String, message: String) {
    self.secretID = secretID
    self.errorCode = errorCode
    self.message = message
  }

  enum CodingKeys: String, CodingKey {
    case secretID = "SecretId"
    case errorCode = "ErrorCode"
    case message = "Message"
  }
}
