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

  @Flag(name: .customLong("no-paginate"), help: "Make one call and print its page as it is.")
  var noPaginate = false

  /// Calls `fetch(pageSize, token)` until the last page or `--max-items`. Each call asks for
  /// no more than the items still wanted, so a resume token always points at the next item.
  func collect<Item>(
    startingToken tokenFromInput: String? = nil, pageSize sizeFromInput: Int? = nil,
    defaultPageSize: Int,
    _ fetch: (Int?, String?) async throws -> (items: [Item], next: String?)
  ) async throws -> (items: [Item], next: String?) {
    if let maxItems, maxItems < 1 {
      throw AWSUsageError.arguments("argument --max-items: must be a positive integer")
    }
    var items: [Item] = []
    var token = startingToken ?? tokenFromInput
    let size = pageSize ?? sizeFromInput
    repeat {
      var request = size
      if let maxItems { request = min(size ?? defaultPageSize, maxItems - items.count) }
      let page = try await fetch(request, token)
      items += page.items
      // An empty token ends the listing, as botocore reads it (moto sends "").
      token = page.next.flatMap { $0.isEmpty ? nil : $0 }
      if noPaginate { break }
      if let maxItems, items.count >= maxItems { break }
    } while token != nil
    return (items, token)
  }
}
