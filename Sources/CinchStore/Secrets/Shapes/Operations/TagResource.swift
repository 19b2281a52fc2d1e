/// `TagResource`: add or replace tags on a secret.
public struct TagResourceRequest: Codable, Sendable, Hashable {
  public var secretID: String
  public var tags: [Tag]

  public init(secretID: String, tags: [Tag]) {
    self.secretID = secretID
    self.tags = tags
  }

  enum CodingKeys: String, CodingKey {
    case secretID = "SecretId"
    case tags = "Tags"
  }
}

/// `UntagResource`: remove tags by key.
public struct UntagResourceRequest: Codable, Sendable, Hashable {
  public var secretID: String
  public var tagKeys: [String]

  public init(secretID: String, tagKeys: [String]) {
    self.secretID = secretID
    self.tagKeys = tagKeys
  }

  enum CodingKeys: String, CodingKey {
    case secretID = "SecretId"
    case tagKeys = "TagKeys"
  }
}

/// The (empty) answer of `TagResource` and `UntagResource`.
public struct SecretsManagerEmptyResponse: Codable, Sendable, Hashable {
  public init() {}
}
