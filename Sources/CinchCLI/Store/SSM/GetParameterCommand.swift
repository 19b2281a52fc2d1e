import ArgumentParser
import CinchStore

struct GetParameterCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "get-parameter",
    abstract: "Read a parameter: NAME, NAME:VERSION, NAME:LABEL or its ARN.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(help: "The name or ARN, optionally with :VERSION or :LABEL.")
  var name: String?
  @Flag(inversion: .prefixedNo, help: "Decrypt a SecureString (without it, the sealed value).")
  var withDecryption: Bool?

  func run() async throws {
    try await AWSCommand.run("GetParameter", global) { input in
      try input.requireParameters([("Name", "--name", name != nil)])
      try input?.validateKeys(allowed: ["Name", "WithDecryption"])
      let request = GetParameterRequest(
        name: try input.string("Name", flag: name, option: "--name") ?? "",
        withDecryption: try input.bool("WithDecryption", flag: withDecryption))
      try ParameterMinimums.check("GetParameter", strings: ["Name": request.name])
      return try await storeOptions.openParameterStore(global).getParameter(request)
    }
  }
}
