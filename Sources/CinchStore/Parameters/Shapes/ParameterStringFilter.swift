/// A `ParameterFilters` entry: `Key` (`Name`, `Type`, `KeyId`, `Path`, `Tier`, `DataType`,
/// `Label`, `tag:…`), `Option` (`Equals`, `BeginsWith`, `Contains`, `Recursive`, `OneLevel`) and `Values`
/// (AWS shape `ParameterStringFilter`).
public struct ParameterStringFilter: Codable, Sendable, Hashable {
  public var key: String
  public var option: String?
  public var values: [String]?

  public init(key: String, option: String? = nil, values: [String]? = nil) {
    self.key = key
    self.option = option
    self.values = values
  }

  enum CodingKeys: String, CodingKey {
    case key = "Key"
    case option = "Option"
    case values = "Values"
  }
}
