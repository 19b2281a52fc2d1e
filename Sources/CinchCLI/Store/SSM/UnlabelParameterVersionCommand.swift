import ArgumentParser
import CinchStore

struct UnlabelParameterVersionCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unlabel-parameter-version",
    abstract: "Remove labels from a version.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(help: "The parameter's name.")
  var name: String?
  @Option(help: "The version to remove the labels from.")
  var parameterVersion: Int?
  @Option(parsing: .upToNextOption, help: "Up to 10 labels.")
  var labels: [String] = []

  func run() async throws {
    try await AWSCommand.run("UnlabelParameterVersion", global) { input in
      try input.requireParameters([
        ("Name", "--name", name != nil),
        ("ParameterVersion", "--parameter-version", parameterVersion != nil),
        ("Labels", "--labels", !labels.isEmpty),
      ])
      try input?.validateKeys(allowed: ["Name", "ParameterVersion", "Labels"])
      let request = try UnlabelParameterVersionRequest(
        name: try input.string("Name", flag: name, option: "--name") ?? "",
        parameterVersion: try input.integer("ParameterVersion", flag: parameterVersion) ?? 0,
        labels: try input.strings("Labels", flag: labels, option: "--labels") ?? []
      ).checked(for: "UnlabelParameterVersion")
      return try await storeOptions.openParameterStore(global).unlabelParameterVersion(request)
    }
  }
}
