/// A KMS tag (KMS spells its members `TagKey` and `TagValue`).
public struct KMSTag: Codable, Sendable, Hashable {
  public var tagKey: String
  public var tagValue: String

  public init(tagKey: String, tagValue: String) {
    self.tagKey = tagKey
    self.tagValue = tagValue
  }

  enum CodingKeys: String, CodingKey {
    case tagKey = "TagKey"
    case tagValue = "TagValue"
  }
}
