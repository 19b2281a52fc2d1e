/// `GetParametersByPath`: the parameters under a path, one level or (`Recursive`) all.
public struct GetParametersByPathRequest: Codable, Sendable, Hashable {
  public var path: String
  public var recursive: Bool?
  public var parameterFilters: [ParameterStringFilter]?
  public var withDecryption: Bool?
  /// 1 to 10 (default 10).
  public var maxResults: Int?
  public var nextToken: String?

  public init(
    path: String, recursive: Bool? = nil, parameterFilters: [ParameterStringFilter]? = nil,
    withDecryption: Bool? = nil, maxResults: Int? = nil, nextToken: String? = nil
  ) {
    self.path = path
    self.recursive = recursive
    self.parameterFilters = parameterFilters
    self.withDecryption = withDecryption
    self.maxResults = maxResults
    self.nextToken = nextToken
  }

  enum CodingKeys: String, CodingKey {
    case path = "Path"
    case recursive = "Recursive"
    case parameterFilters = "ParameterFilters"
    case withDecryption = "WithDecryption"
    case maxResults = "MaxResults"
    case nextToken = "NextToken"
  }
}

/// One page of `GetParametersByPath`; a `NextToken` means there is more.
public struct GetParametersByPathResponse: Codable, Sendable, Hashable {
  public var parameters: [Parameter]
  public var nextToken: String?

  public init(parameters: [Parameter] = [], nextToken: String? = nil) {
    self.parameters = parameters
    self.nextToken = nextToken
  }

  /// Lists AWS leaves out when they are empty decode as empty.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    parameters = try container.decodeIfPresent([Parameter].self, forKey: .parameters) ?? []
    nextToken = try container.decodeIfPresent(String.self, forKey: .nextToken)
  }

  enum CodingKeys: String, CodingKey {
    case parameters = "Parameters"
    case nextToken = "NextToken"
  }
}
