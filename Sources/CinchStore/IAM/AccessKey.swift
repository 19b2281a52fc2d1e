public import Foundation

/// `CreateAccessKey`'s answer, as `aws iam create-access-key` prints it: the only time the
/// secret is shown. `UserName` is absent for a key of the account root.
public struct CreateAccessKeyResponse: Codable, Sendable {
  public var accessKey: AccessKey

  public init(accessKey: AccessKey) {
    self.accessKey = accessKey
  }

  enum CodingKeys: String, CodingKey {
    case accessKey = "AccessKey"
  }
}

/// A new access key and its secret.
public struct AccessKey: Codable, Sendable {
  public var userName: String?
  public var accessKeyID: String
  public var status: AccessKeyStatus
  public var secretAccessKey: String
  public var createDate: Date

  public init(
    userName: String?, accessKeyID: String, status: AccessKeyStatus, secretAccessKey: String,
    createDate: Date
  ) {
    self.userName = userName
    self.accessKeyID = accessKeyID
    self.status = status
    self.secretAccessKey = secretAccessKey
    self.createDate = createDate
  }

  enum CodingKeys: String, CodingKey {
    case userName = "UserName"
    case accessKeyID = "AccessKeyId"
    case status = "Status"
    case secretAccessKey = "SecretAccessKey"
    case createDate = "CreateDate"
  }
}

/// `Active` keys sign requests; `Inactive` ones are refused until made active again.
public enum AccessKeyStatus: String, Codable, Sendable, Hashable {
  case active = "Active"
  case inactive = "Inactive"
}

/// An access key without its secret (`ListAccessKeys`).
public struct AccessKeyMetadata: Codable, Sendable, Hashable {
  public var userName: String?
  public var accessKeyID: String
  public var status: AccessKeyStatus
  public var createDate: Date

  public init(userName: String?, accessKeyID: String, status: AccessKeyStatus, createDate: Date) {
    self.userName = userName
    self.accessKeyID = accessKeyID
    self.status = status
    self.createDate = createDate
  }

  enum CodingKeys: String, CodingKey {
    case userName = "UserName"
    case accessKeyID = "AccessKeyId"
    case status = "Status"
    case createDate = "CreateDate"
  }
}

/// `ListAccessKeys`'s answer.
public struct ListAccessKeysResponse: Codable, Sendable, Hashable {
  public var accessKeyMetadata: [AccessKeyMetadata]
  public var isTruncated: Bool

  public init(accessKeyMetadata: [AccessKeyMetadata], isTruncated: Bool = false) {
    self.accessKeyMetadata = accessKeyMetadata
    self.isTruncated = isTruncated
  }

  enum CodingKeys: String, CodingKey {
    case accessKeyMetadata = "AccessKeyMetadata"
    case isTruncated = "IsTruncated"
  }

  /// As the aws CLI prints it: `ListAccessKeys` is paginated (`IsTruncated`, `Marker`), and its
  /// paginator gathers every page and drops both; the store never truncates.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(accessKeyMetadata, forKey: .accessKeyMetadata)
  }
}

/// An inline policy of a user (`GetUserPolicy`): the document as it was put.
public struct UserPolicy: Codable, Sendable, Hashable {
  public var userName: String
  public var policyName: String
  public var policyDocument: String

  public init(userName: String, policyName: String, policyDocument: String) {
    self.userName = userName
    self.policyName = policyName
    self.policyDocument = policyDocument
  }

  enum CodingKeys: String, CodingKey {
    case userName = "UserName"
    case policyName = "PolicyName"
    case policyDocument = "PolicyDocument"
  }
}

/// `ListUserPolicies`'s answer.
public struct ListUserPoliciesResponse: Codable, Sendable, Hashable {
  public var policyNames: [String]
  public var isTruncated: Bool

  public init(policyNames: [String], isTruncated: Bool = false) {
    self.policyNames = policyNames
    self.isTruncated = isTruncated
  }

  enum CodingKeys: String, CodingKey {
    case policyNames = "PolicyNames"
    case isTruncated = "IsTruncated"
  }

  /// As the aws CLI prints it, its paginator's `IsTruncated` left out (`ListAccessKeysResponse`).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(policyNames, forKey: .policyNames)
  }
}

/// What `cinch serve` needs to authenticate and authorise one request signed with an access
/// key: its secret, whose key it is, whether it may sign, and the user's policy documents.
package struct AccessKeyCredential: Sendable {
  package var accessKeyID: String
  /// Nil for a key of the account root, which no policy limits.
  package var userName: String?
  package var status: AccessKeyStatus
  package var secretAccessKey: SecretBytes
  /// The user's inline policies: name and document, by name.
  package var policies: [(name: String, document: String)]
  /// The store's IAM generation when these were read (`CredentialCheck`).
  package var iamGeneration: Int64
}
