/// `GetParameterHistory`: every retained version, oldest first.
public struct GetParameterHistoryRequest: Codable, Sendable, Hashable {
  public var name: String
  public var withDecryption: Bool?
  /// 1 to 50 (default 50).
  public var maxResults: Int?
  public var nextToken: String?

  public init(
    name: String, withDecryption: Bool? = nil, maxResults: Int? = nil, nextToken: String? = nil
  ) {
    self.name = name
    self.withDecryption = withDecryption
    self.maxResults = maxResults
    self.nextToken = nextToken
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case withDecryption = "WithDecryption"
    case maxResults = "MaxResults"
    case nextToken = "NextToken"
  }
}

/// One page of `GetParameterHistory`.
public struct GetParameterHistoryResponse: Codable, Sendable, Hashable {
  public var parameters: [ParameterHistory]
  public var nextToken: String?

  public init(parameters: [ParameterHistory] = [], nextToken: String? = nil) {
    self.parameters = parameters
    self.nextToken = nextToken
  }

  /// Lists AWS leaves out when they are empty decode as empty.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    parameters = try container.decodeIfPresent([ParameterHistory].self, forKey: .parameters) ?? []
    nextToken = try container.decodeIfPresent(String.self, forKey: .nextToken)
  }

  enum CodingKeys: String, CodingKey {
    case parameters = "Parameters"
    case nextToken = "NextToken"
  }
}
