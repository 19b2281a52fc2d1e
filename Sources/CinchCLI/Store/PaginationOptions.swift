import ArgumentParser
import CinchJSON
import Foundation

/// The aws CLI's pagination options for operations it paginates: it calls the operation until
/// the last page (or `--max-items`), and prints one combined result with a `NextToken` to
/// resume from when `--max-items` stopped it.
struct PaginationOptions: ParsableArguments {
  @Option(
    name: .customLong("max-items"),
    help: "The most items to print; a NextToken follows when there are more.")
  var maxItems: Int?

  @Option(
    name: .customLong("starting-token"), help: "Resume from the NextToken of an earlier call.")
  var startingToken: String?

  @Option(name: .customLong("page-size"), help: "Items to ask for in each call.")
  var pageSize: Int?

  /// Calls `fetch(pageSize, token)` until the last page or `--max-items`, and returns the
  /// items with the `NextToken` to print (`ResumeToken`, named by the operation's
  /// `inputToken`).
  ///
  /// `serviceToken` and `serviceLimit` are the operation's own paging members (`NextToken` and
  /// `MaxResults`, KMS's `Marker` and `Limit`), from their hidden options or `--cli-input-json`.
  /// As in the aws CLI (awscli/customizations/paginate.py, `check_should_enable_pagination`),
  /// giving one turns pagination off: one call with them as they are, like `--no-paginate`;
  /// and with pagination off, `--starting-token`, `--page-size` and `--max-items` are refused.
  /// `noPaginate` is the global `--no-paginate` (`AWSGlobalOptions`), which the aws CLI takes
  /// on every command.
  func collect<Item>(
    noPaginate: Bool, serviceToken: String?, serviceLimit: Int?, inputToken: String = "NextToken",
    _ fetch: (Int?, String?) async throws -> (items: [Item], next: String?)
  ) async throws -> Collected<Item> {
    if let maxItems, maxItems < 1 {
      throw AWSUsageError.arguments("argument --max-items: must be a positive integer")
    }
    if noPaginate || serviceToken != nil || serviceLimit != nil {
      let used = [
        ("--starting-token", startingToken != nil), ("--page-size", pageSize != nil),
        ("--max-items", maxItems != nil),
      ].filter(\.1).map(\.0)
      guard used.isEmpty else {
        throw AWSUsageError.parameterValidation([
          "Cannot specify --no-paginate along with pagination arguments: "
            + used.joined(separator: ", ")
        ])
      }
      let page = try await fetch(serviceLimit, serviceToken)
      return Collected(
        items: page.items, next: page.next.flatMap { $0.isEmpty ? nil : $0 },
        paging: Paging(paginated: false, pageSizes: [page.items.count]))
    }
    // botocore's PageIterator (botocore/paginate.py): each call asks for `--page-size` (or
    // the service's default), and a page that goes past `--max-items` is cut; the token to
    // resume from then names that page's own token and how many of its items were printed,
    // so a server that sends more than it was asked for is cut too.
    let start = try ResumeToken(startingToken, inputToken: inputToken)
    var items: [Item] = []
    var pageSizes: [Int] = []
    var pageTokens: [String?] = []
    var pageToken = start.serviceToken
    var skipped = start.skip
    var resume: ResumeToken?
    while true {
      let page = try await fetch(pageSize, pageToken)
      var pageItems = page.items[...]
      if skipped > 0 { pageItems = pageItems.dropFirst(skipped) }
      if let maxItems, items.count + pageItems.count > maxItems {
        let kept = maxItems - items.count
        items += pageItems.prefix(kept)
        pageSizes.append(kept)
        pageTokens.append(nil)
        resume = ResumeToken(serviceToken: pageToken, skip: skipped + kept)
        break
      }
      items += pageItems
      pageSizes.append(pageItems.count)
      pageTokens.append(page.next.flatMap { $0.isEmpty ? nil : $0 })
      skipped = 0
      // An empty token ends the listing, as botocore reads it (moto sends "").
      guard let next = page.next, !next.isEmpty else { break }
      if let maxItems, items.count == maxItems {
        resume = ResumeToken(serviceToken: next, skip: 0)
        break
      }
      pageToken = next
    }
    return Collected(
      items: items, next: resume?.encoded(inputToken: inputToken),
      paging: Paging(paginated: true, pageSizes: pageSizes, pageTokens: pageTokens))
  }
}

/// Where a listing stopped by `--max-items` resumes, as botocore writes it in the `NextToken`
/// it prints: base64 of `{"NextToken": "…"}` (KMS: `"Marker"`), with `"boto_truncate_amount":
/// N` when the page was cut after N items. `--starting-token` takes that, botocore's older
/// `TOKEN___N`, or a service token as it is, so a token from the aws CLI resumes here too.
struct ResumeToken: Equatable {
  var serviceToken: String?
  var skip: Int

  init(serviceToken: String?, skip: Int) {
    self.serviceToken = serviceToken
    self.skip = skip
  }

  init(_ text: String?, inputToken: String) throws(AWSUsageError) {
    guard let text else {
      self.init(serviceToken: nil, skip: 0)
      return
    }
    if let data = Data(base64Encoded: text), let json = String(data: data, encoding: .utf8),
      case .object(let members)? = try? JSONValueParser.parse(json)
    {
      var skip = 0
      for member in members {
        switch (member.key, member.value) {
        case (inputToken, .string), (inputToken, .null): continue
        case ("boto_truncate_amount", .integer(let number)): skip = Int(number)
        default:
          throw AWSUsageError.arguments("Bad starting token: \(text)")
        }
      }
      guard members.keys.contains(inputToken), skip >= 0 else {
        throw AWSUsageError.arguments("Bad starting token: \(text)")
      }
      self.init(serviceToken: members[inputToken]?.stringValue, skip: skip)
      return
    }
    // botocore's deprecated form: the service token, `___` and the items to skip.
    let parts = text.components(separatedBy: "___")
    if parts.count == 2, let skip = Int(parts[1]), skip >= 0 {
      self.init(serviceToken: parts[0] == "None" ? nil : parts[0], skip: skip)
    } else {
      self.init(serviceToken: text, skip: 0)
    }
  }

  /// As botocore's TokenEncoder writes it: `json.dumps` (", " and ": " between members,
  /// non-ASCII escaped), then base64.
  func encoded(inputToken: String) -> String {
    var members: [(String, JSONValue)] = [(inputToken, serviceToken.map(JSONValue.string) ?? .null)]
    if skip > 0 { members.append(("boto_truncate_amount", .integer(Int64(skip)))) }
    return Data(Self.tokenJSON.string(.object(JSONObject(members))).utf8).base64EncodedString()
  }

  /// `json.dumps` with its defaults, as botocore calls it for a token.
  static let tokenJSON = PythonJSONWriter(
    indent: nil, ensureASCII: true, itemSeparator: ", ", keySeparator: ": ")
}

/// What `PaginationOptions.collect` read: the items, the token to resume from, and how.
struct Collected<Item> {
  var items: [Item]
  var next: String?
  var paging: Paging
}

/// The paging members of Parameter Store's and Secrets Manager's listings as options,
/// `--next-token` and `--max-results`: the aws CLI hides them from its help but accepts them,
/// and scripts use them to page by hand (`PaginationOptions.collect`).
struct ServicePagingOptions: ParsableArguments {
  @Option(name: .customLong("next-token"), help: .hidden)
  var nextToken: String?

  @Option(name: .customLong("max-results"), help: .hidden)
  var maxResults: Int?
}

/// KMS's paging members as options, `--marker` and `--limit` (`ServicePagingOptions`).
struct KMSPagingOptions: ParsableArguments {
  @Option(name: .customLong("marker"), help: .hidden)
  var marker: String?

  @Option(name: .customLong("limit"), help: .hidden)
  var limit: Int?
}
