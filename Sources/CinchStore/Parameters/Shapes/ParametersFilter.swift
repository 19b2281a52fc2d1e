/// A legacy `DescribeParameters` `Filters` entry: `Key` is `Name`, `Type` or `KeyId`
/// (AWS shape `ParametersFilter`).
public struct ParametersFilter: Codable, Sendable, Hashable {
  public var key: String
  public var values: [String]

  public init(key: String, values: [String]) {
    self.key = key
    self.values = values
  }

  enum CodingKeys: String, CodingKey {
    case key = "Key"
    case values = "Values"
  }
}
