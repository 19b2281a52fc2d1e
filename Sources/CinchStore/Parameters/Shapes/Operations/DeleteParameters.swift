/// `DeleteParameters`: 1 to 10 names; missing ones are reported, not thrown.
public struct DeleteParametersRequest: Codable, Sendable, Hashable {
  public var names: [String]

  public init(names: [String]) {
    self.names = names
  }

  enum CodingKeys: String, CodingKey {
    case names = "Names"
  }
}

/// The names deleted and the names not found, each as sent.
public struct DeleteParametersResponse: Codable, Sendable, Hashable {
  public var deletedParameters: [String]
  public var invalidParameters: [String]

  public init(deletedParameters: [String] = [], invalidParameters: [String] = []) {
    self.deletedParameters = deletedParameters
    self.invalidParameters = invalidParameters
  }

  /// Lists AWS leaves out when they are empty decode as empty.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    deletedParameters =
      try container.decodeIfPresent([String].self, forKey: .deletedParameters) ?? []
    invalidParameters =
      try container.decodeIfPresent([String].self, forKey: .invalidParameters) ?? []
  }

  enum CodingKeys: String, CodingKey {
    case deletedParameters = "DeletedParameters"
    case invalidParameters = "InvalidParameters"
  }
}
