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

  enum CodingKeys: String, CodingKey {
    case deletedParameters = "DeletedParameters"
    case invalidParameters = "InvalidParameters"
  }
}
