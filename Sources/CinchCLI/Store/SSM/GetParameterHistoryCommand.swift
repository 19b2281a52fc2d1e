import ArgumentParser
import CinchStore

struct GetParameterHistoryCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "get-parameter-history",
    abstract: "Every retained version of a parameter (the last 100), oldest first, with labels.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var pagination: PaginationOptions
  @OptionGroup var servicePaging: ServicePagingOptions

  @Option(help: "The name or ARN.")
  var name: String?
  @Flag(inversion: .prefixedNo, help: "Decrypt SecureString values.")
  var withDecryption: Bool?

  func run() async throws {
    try await AWSCommand.run(
      "GetParameterHistory", global, pagination: .resultKey("Parameters")
    ) { input in
      try input.requireParameters([("Name", "--name", name != nil)])
      try input?.validateKeys(allowed: ["Name", "WithDecryption", "MaxResults", "NextToken"])
      let name = try input.string("Name", flag: name, option: "--name") ?? ""
      let decrypt = try input.bool("WithDecryption", flag: withDecryption)
      let serviceToken = try input.string(
        "NextToken", flag: servicePaging.nextToken, option: "--next-token")
      let serviceLimit = try input.integer("MaxResults", flag: servicePaging.maxResults)
      // Checked once, before the store is opened (botocore checks before it signs); a page
      // asks for `--page-size` (or the service's default), as botocore does.
      _ = try GetParameterHistoryRequest(
        name: name, withDecryption: decrypt, maxResults: serviceLimit ?? pagination.pageSize,
        nextToken: serviceToken
      ).checked(for: "GetParameterHistory")
      let store = try await storeOptions.openParameterStore(global)
      let collected = try await pagination.collect(
        noPaginate: global.noPaginate, serviceToken: serviceToken, serviceLimit: serviceLimit
      ) { size, token in
        let page = try await store.getParameterHistory(
          GetParameterHistoryRequest(
            name: name, withDecryption: decrypt, maxResults: size, nextToken: token))
        return (page.parameters, page.nextToken)
      }
      return PagedResponse(
        GetParameterHistoryResponse(parameters: collected.items, nextToken: collected.next),
        collected.paging)
    }
  }
}
