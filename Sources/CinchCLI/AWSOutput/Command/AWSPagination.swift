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

  /// The pages `--output yaml-stream` prints: each as the service answered it, its items and
  /// its own token (`tokens`, one a page). botocore's page iterator hands the streaming
  /// formatter the raw pages, so the token to resume from after `--max-items` is not printed
  /// there, and the page it cut has none.
  func streamPages(_ response: JSONValue, sizes: [Int], tokens: [String?]) -> [JSONValue] {
    var pages = textPages(response, sizes: sizes)
    // No record of the pages' tokens (a response rendered on its own): one page, whose token
    // is the response's.
    var tokens = tokens
    if tokens.isEmpty, !pages.isEmpty {
      tokens = Array(repeating: nil, count: pages.count - 1) + [resumeToken(response)?.stringValue]
    }
    for index in pages.indices {
      guard tokens.indices.contains(index), let token = tokens[index],
        case .object(var page) = pages[index]
      else { continue }
      page[outputToken] = .string(token)
      pages[index] = .object(page)
    }
    return pages
  }

  /// The pages the text formatter prints, one for each call the CLI made (`sizes`, the items
  /// each returned; one page when empty): botocore hands the formatter the pages, and
  /// `--query` runs on each (https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-filter.html).
  func textPages(_ response: JSONValue, sizes: [Int]) -> [JSONValue] {
    let count = max(sizes.count, 1)
    var start = 0
    return (0..<count).map { index in
      var page = JSONObject()
      for key in nonAggregateKeys { page[key] = response[key] ?? .null }
      for key in resultKeys {
        guard sizes.count > 1, case .array(let items)? = response[key] else {
          page[key] = response[key] ?? .null
          continue
        }
        let end = min(start + sizes[index], items.count)
        page[key] = .array(Array(items[min(start, end)..<end]))
      }
      if sizes.count > 1 { start += sizes[index] }
      return .object(page)
    }
  }
}

/// How a listing was read: pages the CLI collected (printed as the aws CLI prints a paginated
/// result), or one call answered as the service answered it (`--no-paginate`, or the service's
/// own paging members), printed as it is, `--query` over the whole response. `pageSizes` are
/// the items of each page, in order: the text output applies `--query` to each page, as the
/// aws CLI does.
package struct Paging: Sendable, Equatable {
  package var paginated: Bool
  package var pageSizes: [Int]
  /// The token the service sent with each page, as it sent it (nil: none, or the page
  /// `--max-items` cut, whose token botocore drops): `--output yaml-stream` prints the pages
  /// as they came.
  package var pageTokens: [String?]

  package init(paginated: Bool, pageSizes: [Int], pageTokens: [String?] = []) {
    self.paginated = paginated
    self.pageSizes = pageSizes
    self.pageTokens = pageTokens
  }
}

/// A listing's response and how it was read (`Paging`).
package struct PagedResponse<Response: Encodable>: Encodable, PagingAware {
  package var response: Response
  package var paging: Paging

  package init(_ response: Response, _ paging: Paging) {
    self.response = response
    self.paging = paging
  }

  package func encode(to encoder: any Encoder) throws { try response.encode(to: encoder) }
}

/// A response that says how the CLI read it (`PagedResponse`).
package protocol PagingAware {
  var paging: Paging { get }
}
