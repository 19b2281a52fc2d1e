/// A resource tag (AWS shape `Tag`).
public struct Tag: Codable, Sendable, Hashable {
  public var key: String
  public var value: String

  public init(key: String, value: String) {
    self.key = key
    self.value = value
  }

  enum CodingKeys: String, CodingKey {
    case key = "Key"
    case value = "Value"
  }
}
