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

  /// A missing `Value` is the empty value. Secrets Manager's `Tag` requires neither member
  /// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_Tag.html), and a
  /// secret tagged with a key alone comes back without one; Parameter Store's requires both,
  /// which every SDK checks before sending.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    key = try container.decode(String.self, forKey: .key)
    value = try container.decodeIfPresent(String.self, forKey: .value) ?? ""
  }
}

extension Tag {
  /// The lengths both services' models set, `TagKey` 1–128 and `TagValue` 0–256 characters, as
  /// AWS words a violation, the member named by its place in the list (`tags.2.member.key`).
  func checkLengths(at index: Int) throws(StoreError) {
    guard !key.isEmpty, key.count <= 128 else {
      throw .constraint(
        value: key, at: "tags.\(index + 1).member.key",
        "Member must have length \(key.isEmpty ? "greater than or equal to 1" : "less than or equal to 128")"
      )
    }
    guard value.count <= 256 else {
      throw .constraint(
        value: value, at: "tags.\(index + 1).member.value",
        "Member must have length less than or equal to 256")
    }
  }
}
