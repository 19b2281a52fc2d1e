/// `DescribeParameters`: metadata of the latest versions, never values. `Filters` and
/// `ParameterFilters` can't be combined.
public struct DescribeParametersRequest: Codable, Sendable, Hashable {
  public var filters: [ParametersFilter]?
  public var parameterFilters: [ParameterStringFilter]?
  /// 1 to 50 (default 50).
  public var maxResults: Int?
  public var nextToken: String?
  /// Parameters shared from other accounts: a local store has none.
  public var shared: Bool?

  public init(
    filters: [ParametersFilter]? = nil, parameterFilters: [ParameterStringFilter]? = nil,
    maxResults: Int? = nil, nextToken: String? = nil, shared: Bool? = nil
  ) {
    self.filters = filters
    self.parameterFilters = parameterFilters
    self.maxResults = maxResults
    self.nextToken = nextToken
    self.shared = shared
  }

  enum CodingKeys: String, CodingKey {
    case filters = "Filters"
    case parameterFilters = "ParameterFilters"
    case maxResults = "MaxResults"
    case nextToken = "NextToken"
    case shared = "Shared"
  }
}

/// One page of `DescribeParameters`.
public struct DescribeParametersResponse: Codable, Sendable, Hashable {
  public var parameters: [ParameterMetadata]
  public var nextToken: String?

  public init(parameters: [ParameterMetadata] = [], nextToken: String? = nil) {
    self.parameters = parameters
    self.nextToken = nextToken
  }

  /// Lists AWS leaves out when they are empty decode as empty.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    parameters = try container.decodeIfPresent([ParameterMetadata].self, forKey: .parameters) ?? []
    nextToken = try container.decodeIfPresent(String.self, forKey: .nextToken)
  }

  enum CodingKeys: String, CodingKey {
    case parameters = "Parameters"
    case nextToken = "NextToken"
  }
}
