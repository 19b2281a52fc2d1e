import CinchJSON

/// How the aws CLI treats an operation it paginates (from botocore's paginator definitions):
/// it reads every page and prints one combined result whose result keys come first, then the
/// declared non-aggregate keys, then `NextToken` when `--max-items` stopped early. Text output
/// prints the page and the token separately (`NEXTTOKEN\t…`).
///
/// The paginated store operations: `DescribeParameters`, `GetParameterHistory` and
/// `GetParametersByPath` (result key `Parameters`), `ListSecrets` (`SecretList`); KMS
/// `ListKeys` (`Keys`) and `ListAliases` (`Aliases`, output token `NextMarker`).
package struct AWSPagination: Sendable, Equatable {
  package var resultKeys: [String]
  package var nonAggregateKeys: [String]
  /// The response member holding the token to resume from (`NextToken`, `NextMarker`).
  package var outputToken: String

  package init(
    resultKeys: [String], nonAggregateKeys: [String] = [], outputToken: String = "NextToken"
  ) {
    self.resultKeys = resultKeys
    self.nonAggregateKeys = nonAggregateKeys
    self.outputToken = outputToken
  }

  package static func resultKey(_ key: String, outputToken: String = "NextToken") -> AWSPagination {
    AWSPagination(resultKeys: [key], outputToken: outputToken)
  }

  /// The token the command returned to resume from, if any.
  func resumeToken(_ response: JSONValue) -> JSONValue? {
    guard let token = response[outputToken], token != .null else { return nil }
    return token
  }

  /// botocore's `build_full_result`.
  func fullResult(_ response: JSONValue) -> JSONValue {
    var result = JSONObject()
    for key in resultKeys {
      if let value = response[key], value != .null { result[key] = value }
    }
    for key in nonAggregateKeys { result[key] = response[key] ?? .null }
    if let token = resumeToken(response) { result["NextToken"] = token }
    return .object(result)
  }

  /// The page the text formatter prints: non-aggregate keys, then result keys.
  func textPage(_ response: JSONValue) -> JSONValue {
    var page = JSONObject()
    for key in nonAggregateKeys { page[key] = response[key] ?? .null }
    for key in resultKeys { page[key] = response[key] ?? .null }
    return .object(page)
  }
}

/// A listing's response and how it was read: pages the CLI collected (printed as the aws CLI
/// prints a paginated result) or one call answered as the service answered it (`--no-paginate`,
/// or the service's own paging members), printed as it is, `--query` over the whole response.
package struct PagedResponse<Response: Encodable>: Encodable, PagingAware {
  package var response: Response
  package var paginated: Bool

  package init(_ response: Response, paginated: Bool) {
    self.response = response
    self.paginated = paginated
  }

  package func encode(to encoder: any Encoder) throws { try response.encode(to: encoder) }
}

/// A response that says whether the CLI paginated it (`PagedResponse`).
package protocol PagingAware {
  var paginated: Bool { get }
}
