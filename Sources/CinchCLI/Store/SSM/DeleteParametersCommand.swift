import ArgumentParser
import CinchStore

struct DeleteParametersCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete-parameters",
    abstract: "Delete up to 10 parameters; names not found are listed, not errors.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(parsing: .upToNextOption, help: "The parameters' names.")
  var names: [String] = []

  func run() async throws {
    try await AWSCommand.run("DeleteParameters", global) { input in
      try input.requireParameters([("Names", "--names", !names.isEmpty)])
      try input?.validateKeys(allowed: ["Names"])
      let request = try DeleteParametersRequest(
        names: try input.strings("Names", flag: names, option: "--names") ?? []
      ).checked(for: "DeleteParameters")
      return try await storeOptions.openParameterStore(global).deleteParameters(request)
    }
  }
}
