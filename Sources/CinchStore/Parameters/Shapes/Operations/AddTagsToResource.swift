/// `AddTagsToResource`: `ResourceType` `Parameter`, `ResourceId` the parameter's name.
public struct AddTagsToResourceRequest: Codable, Sendable, Hashable {
  public var resourceType: String
  public var resourceID: String
  public var tags: [Tag]

  public init(resourceType: String, resourceID: String, tags: [Tag]) {
    self.resourceType = resourceType
    self.resourceID = resourceID
    self.tags = tags
  }

  enum CodingKeys: String, CodingKey {
    case resourceType = "ResourceType"
    case resourceID = "ResourceId"
    case tags = "Tags"
  }
}

/// `AddTagsToResource` answers with an empty object.
public struct AddTagsToResourceResponse: Codable, Sendable, Hashable {
  public init() {}
}
