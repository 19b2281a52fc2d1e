/// `DeleteParameter`: every version, label and tag of one parameter.
public struct DeleteParameterRequest: Codable, Sendable, Hashable {
  public var name: String

  public init(name: String) {
    self.name = name
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
  }
}

/// `DeleteParameter` answers with an empty object.
public struct DeleteParameterResponse: Codable, Sendable, Hashable {
  public init() {}
}
