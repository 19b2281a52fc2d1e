import ArgumentParser
import CinchStore

struct LabelParameterVersionCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "label-parameter-version",
    abstract: "Attach labels to a version (the latest by default), moving them from others.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(help: "The parameter's name.")
  var name: String?
  @Option(help: "The version to label (default: the latest).")
  var parameterVersion: Int?
  @Option(parsing: .upToNextOption, help: "Up to 10 labels.")
  var labels: [String] = []

  func run() async throws {
    try await AWSCommand.run("LabelParameterVersion", global) { input in
      try input.requireParameters([
        ("Name", "--name", name != nil), ("Labels", "--labels", !labels.isEmpty),
      ])
      try input?.validateKeys(allowed: ["Name", "ParameterVersion", "Labels"])
      let request = try LabelParameterVersionRequest(
        name: try input.string("Name", flag: name, option: "--name") ?? "",
        parameterVersion: try input.integer("ParameterVersion", flag: parameterVersion),
        labels: try input.strings("Labels", flag: labels, option: "--labels") ?? []
      ).checked(for: "LabelParameterVersion")
      return try await storeOptions.openParameterStore(global).labelParameterVersion(request)
    }
  }
}
