import ArgumentParser
import CinchStore

struct GetParametersCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "get-parameters",
    abstract: "Read up to 10 parameters; names not found are listed in InvalidParameters.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(parsing: .upToNextOption, help: "Names or ARNs, each optionally with :VERSION or :LABEL.")
  var names: [String] = []
  @Flag(inversion: .prefixedNo, help: "Decrypt SecureString values.")
  var withDecryption: Bool?

  func run() async throws {
    try await AWSCommand.run("GetParameters", global) { input in
      try input.requireParameters([("Names", "--names", !names.isEmpty)])
      try input?.validateKeys(allowed: ["Names", "WithDecryption"])
      let request = try GetParametersRequest(
        names: try input.strings("Names", flag: names, option: "--names") ?? [],
        withDecryption: try input.bool("WithDecryption", flag: withDecryption)
      ).checked(for: "GetParameters")
      return try await storeOptions.openParameterStore(global).getParameters(request)
    }
  }
}
