/// `GetParameters`: 1 to 10 names or ARNs, each with an optional selector.
public struct GetParametersRequest: Codable, Sendable, Hashable {
  public var names: [String]
  public var withDecryption: Bool?

  public init(names: [String], withDecryption: Bool? = nil) {
    self.names = names
    self.withDecryption = withDecryption
  }

  enum CodingKeys: String, CodingKey {
    case names = "Names"
    case withDecryption = "WithDecryption"
  }
}

/// `GetParameters`' answer: the parameters found, in name order, and the names that were not
/// (echoed as sent).
public struct GetParametersResponse: Codable, Sendable, Hashable {
  public var parameters: [Parameter]
  public var invalidParameters: [String]

  public init(parameters: [Parameter] = [], invalidParameters: [String] = []) {
    self.parameters = parameters
    self.invalidParameters = invalidParameters
  }

  /// Lists AWS leaves out when they are empty decode as empty.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    parameters = try container.decodeIfPresent([Parameter].self, forKey: .parameters) ?? []
    invalidParameters =
      try container.decodeIfPresent([String].self, forKey: .invalidParameters) ?? []
  }

  enum CodingKeys: String, CodingKey {
    case parameters = "Parameters"
    case invalidParameters = "InvalidParameters"
  }
}
