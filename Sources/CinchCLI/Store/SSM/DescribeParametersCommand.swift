import ArgumentParser
import CinchStore

struct DescribeParametersCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "describe-parameters",
    abstract: "Metadata of parameters (never values), filtered by name, path, type, key, tier, tag."
  )

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var pagination: PaginationOptions
  @OptionGroup var servicePaging: ServicePagingOptions

  @Option(parsing: .upToNextOption, help: "Legacy filters: Key=Name|Type|KeyId,Values=… ")
  var filters: [String] = []
  @Option(
    parsing: .upToNextOption,
    help: "Filters: Key=Name|Path|Type|KeyId|Tier|DataType|tag:KEY,Option=…,Values=… ")
  var parameterFilters: [String] = []
  @Flag(
    inversion: .prefixedNo, help: "Parameters shared with this account (none in a local store).")
  var shared: Bool?

  func run() async throws {
    try await AWSCommand.run(
      "DescribeParameters", global, pagination: .resultKey("Parameters")
    ) { input in
      try input?.validateKeys(allowed: [
        "Filters", "ParameterFilters", "MaxResults", "NextToken", "Shared",
      ])
      let legacy = try AWSStructures.legacyFilters(
        input.structures("Filters", flag: filters, option: "--filters"))
      let modern = try AWSStructures.parameterFilters(
        input.structures("ParameterFilters", flag: parameterFilters, option: "--parameter-filters"))
      let shared = try input.bool("Shared", flag: shared)
      let serviceToken = try input.string(
        "NextToken", flag: servicePaging.nextToken, option: "--next-token")
      let serviceLimit = try input.integer("MaxResults", flag: servicePaging.maxResults)
      // Checked once, before the store is opened (botocore checks before it signs); a page
      // asks for `--page-size` (or the service's default), as botocore does.
      _ = try DescribeParametersRequest(
        filters: legacy, parameterFilters: modern, maxResults: serviceLimit ?? pagination.pageSize,
        nextToken: serviceToken, shared: shared
      ).checked(for: "DescribeParameters")
      let store = try await storeOptions.openParameterStore(global)
      let collected = try await pagination.collect(
        noPaginate: global.noPaginate, serviceToken: serviceToken, serviceLimit: serviceLimit
      ) { size, token in
        let page = try await store.describeParameters(
          DescribeParametersRequest(
            filters: legacy, parameterFilters: modern, maxResults: size, nextToken: token,
            shared: shared))
        return (page.parameters, page.nextToken)
      }
      return PagedResponse(
        DescribeParametersResponse(parameters: collected.items, nextToken: collected.next),
        collected.paging)
    }
  }
}
