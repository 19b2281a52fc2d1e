/// `ListTagsForResource`: the tags of one parameter.
public struct ListTagsForResourceRequest: Codable, Sendable, Hashable {
  public var resourceType: String
  public var resourceID: String

  public init(resourceType: String, resourceID: String) {
    self.resourceType = resourceType
    self.resourceID = resourceID
  }

  enum CodingKeys: String, CodingKey {
    case resourceType = "ResourceType"
    case resourceID = "ResourceId"
  }
}

/// The tags, in key order.
public struct ListTagsForResourceResponse: Codable, Sendable, Hashable {
  public var tagList: [Tag]

  public init(tagList: [Tag] = []) {
    self.tagList = tagList
  }

  /// Lists AWS leaves out when they are empty decode as empty.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    tagList = try container.decodeIfPresent([Tag].self, forKey: .tagList) ?? []
  }

  enum CodingKeys: String, CodingKey {
    case tagList = "TagList"
  }
}
