import ArgumentParser

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

  /// Calls `fetch(pageSize, token)` until the last page or `--max-items`. Each call asks for
  /// no more than the items still wanted, so a resume token always points at the next item.
  ///
  /// `serviceToken` and `serviceLimit` are the operation's own paging members (`NextToken` and
  /// `MaxResults`, KMS's `Marker` and `Limit`), from their hidden options or `--cli-input-json`.
  /// As in the aws CLI (awscli/customizations/paginate.py, `check_should_enable_pagination`),
  /// giving one turns pagination off: one call with them as they are, like `--no-paginate`;
  /// and with pagination off, `--starting-token`, `--page-size` and `--max-items` are refused.
  /// `noPaginate` is the global `--no-paginate` (`AWSGlobalOptions`), which the aws CLI takes
  /// on every command.
  func collect<Item>(
    noPaginate: Bool, serviceToken: String?, serviceLimit: Int?, defaultPageSize: Int,
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
    var items: [Item] = []
    var pageSizes: [Int] = []
    var token = startingToken
    repeat {
      var request = pageSize
      if let maxItems { request = min(pageSize ?? defaultPageSize, maxItems - items.count) }
      let page = try await fetch(request, token)
      items += page.items
      pageSizes.append(page.items.count)
      // An empty token ends the listing, as botocore reads it (moto sends "").
      token = page.next.flatMap { $0.isEmpty ? nil : $0 }
      if let maxItems, items.count >= maxItems { break }
    } while token != nil
    return Collected(
      items: items, next: token, paging: Paging(paginated: true, pageSizes: pageSizes))
  }
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
