/// `GetParameter`: `Name` is a name or ARN, optionally with `:version` or `:label`.
public struct GetParameterRequest: Codable, Sendable, Hashable {
  public var name: String
  public var withDecryption: Bool?

  public init(name: String, withDecryption: Bool? = nil) {
    self.name = name
    self.withDecryption = withDecryption
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case withDecryption = "WithDecryption"
  }
}

/// `GetParameter`'s answer.
public struct GetParameterResponse: Codable, Sendable, Hashable {
  public var parameter: Parameter

  public init(parameter: Parameter) {
    self.parameter = parameter
  }

  enum CodingKeys: String, CodingKey {
    case parameter = "Parameter"
  }
}
