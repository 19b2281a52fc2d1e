import ArgumentParser
import CinchStore

struct GetParametersByPathCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "get-parameters-by-path",
    abstract: "Read the parameters under a path: one level, or everything with --recursive.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var pagination: PaginationOptions
  @OptionGroup var servicePaging: ServicePagingOptions

  @Option(help: "The path, starting with /.")
  var path: String?
  @Flag(inversion: .prefixedNo, help: "Include every level below the path.")
  var recursive: Bool?
  @Option(
    parsing: .upToNextOption,
    help: "Filters: Key=Type|KeyId|Label,Option=Equals|BeginsWith,Values=… ")
  var parameterFilters: [String] = []
  @Flag(inversion: .prefixedNo, help: "Decrypt SecureString values.")
  var withDecryption: Bool?

  func run() async throws {
    try await AWSCommand.run(
      "GetParametersByPath", global, pagination: .resultKey("Parameters")
    ) { input in
      try input.requireParameters([("Path", "--path", path != nil)])
      try input?.validateKeys(allowed: [
        "Path", "Recursive", "ParameterFilters", "WithDecryption", "MaxResults", "NextToken",
      ])
      let path = try input.string("Path", flag: path, option: "--path") ?? ""
      let recursive = try input.bool("Recursive", flag: recursive)
      let filters = try AWSStructures.parameterFilters(
        input.structures("ParameterFilters", flag: parameterFilters, option: "--parameter-filters"))
      let decrypt = try input.bool("WithDecryption", flag: withDecryption)
      let serviceToken = try input.string(
        "NextToken", flag: servicePaging.nextToken, option: "--next-token")
      let serviceLimit = try input.integer("MaxResults", flag: servicePaging.maxResults)
      // Checked once, before the store is opened (botocore checks before it signs); a page
      // asks for `--page-size` (or the service's default), as botocore does.
      _ = try GetParametersByPathRequest(
        path: path, recursive: recursive, parameterFilters: filters, withDecryption: decrypt,
        maxResults: serviceLimit ?? pagination.pageSize, nextToken: serviceToken
      ).checked(for: "GetParametersByPath")
      let store = try await storeOptions.openParameterStore(global)
      let collected = try await pagination.collect(
        noPaginate: global.noPaginate, serviceToken: serviceToken, serviceLimit: serviceLimit
      ) { size, token in
        let page = try await store.getParametersByPath(
          GetParametersByPathRequest(
            path: path, recursive: recursive, parameterFilters: filters, withDecryption: decrypt,
            maxResults: size, nextToken: token))
        return (page.parameters, page.nextToken)
      }
      return PagedResponse(
        GetParametersByPathResponse(parameters: collected.items, nextToken: collected.next),
        collected.paging)
    }
  }
}
