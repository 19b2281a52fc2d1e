/// `RemoveTagsFromResource`: remove tags by key.
public struct RemoveTagsFromResourceRequest: Codable, Sendable, Hashable {
  public var resourceType: String
  public var resourceID: String
  public var tagKeys: [String]

  public init(resourceType: String, resourceID: String, tagKeys: [String]) {
    self.resourceType = resourceType
    self.resourceID = resourceID
    self.tagKeys = tagKeys
  }

  enum CodingKeys: String, CodingKey {
    case resourceType = "ResourceType"
    case resourceID = "ResourceId"
    case tagKeys = "TagKeys"
  }
}

/// `RemoveTagsFromResource` answers with an empty object.
public struct RemoveTagsFromResourceResponse: Codable, Sendable, Hashable {
  public init() {}
}
