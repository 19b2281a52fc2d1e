import ArgumentParser
import CinchStore

struct DeleteParameterCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete-parameter",
    abstract: "Delete a parameter with all its versions, labels and tags.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(help: "The parameter's name.")
  var name: String?

  func run() async throws {
    try await AWSCommand.run("DeleteParameter", global) { input in
      try input.requireParameters([("Name", "--name", name != nil)])
      try input?.validateKeys(allowed: ["Name"])
      let request = try DeleteParameterRequest(
        name: try input.string("Name", flag: name, option: "--name") ?? ""
      ).checked(for: "DeleteParameter")
      return try await storeOptions.openParameterStore(global).deleteParameter(request)
    }
  }
}
