import ArgumentParser
import CinchStore

struct PutParameterCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "put-parameter",
    abstract: "Create a parameter, or with --overwrite add a version to it.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(help: "The parameter's name (a path such as /app/prod/db-password, or a plain name).")
  var name: String?
  @Option(name: .customLong("description"), help: "What the parameter is for.")
  var parameterDescription: String?
  @Option(help: "The value (file://PATH reads it from a file).")
  var value: String?
  @Option(help: "String, StringList or SecureString (required when creating).")
  var type: String?
  @Option(name: .customLong("key-id"), help: "The KMS-style key for a SecureString.")
  var keyID: String?
  @Flag(inversion: .prefixedNo, help: "Add a version to an existing parameter.")
  var overwrite: Bool?
  @Option(help: "A regular expression the value must match.")
  var allowedPattern: String?
  @Option(parsing: .upToNextOption, help: "Tags: Key=string,Value=string … (not with --overwrite).")
  var tags: [String] = []
  @Option(help: "Standard, Advanced or Intelligent-Tiering.")
  var tier: String?
  @Option(help: "Parameter policies (not supported by the cinch store).")
  var policies: String?
  @Option(help: "text, aws:ec2:image or aws:ssm:integration.")
  var dataType: String?

  static let members = [
    "Name", "Description", "Value", "Type", "KeyId", "Overwrite", "AllowedPattern", "Tags",
    "Tier", "Policies", "DataType",
  ]

  func run() async throws {
    try await AWSCommand.run("PutParameter", global) { input in
      try input.requireParameters([
        ("Name", "--name", name != nil), ("Value", "--value", value != nil),
      ])
      try input?.validateKeys(allowed: Self.members)
      let request = try PutParameterRequest(
        name: try input.string("Name", flag: name, option: "--name") ?? "",
        description: try input.string(
          "Description", flag: parameterDescription, option: "--description"),
        value: try input.string("Value", flag: value, option: "--value") ?? "",
        type: try input.string("Type", flag: type, option: "--type").map(
          ParameterType.init(rawValue:)),
        keyID: try input.string("KeyId", flag: keyID, option: "--key-id"),
        overwrite: try input.bool("Overwrite", flag: overwrite),
        allowedPattern: try input.string(
          "AllowedPattern", flag: allowedPattern, option: "--allowed-pattern"),
        tags: try AWSStructures.tags(input.structures("Tags", flag: tags, option: "--tags")),
        tier: try input.string("Tier", flag: tier, option: "--tier").map(
          ParameterTier.init(rawValue:)),
        policies: try input.string("Policies", flag: policies, option: "--policies"),
        dataType: try input.string("DataType", flag: dataType, option: "--data-type").map(
          ParameterDataType.init(rawValue:))
      ).checked(for: "PutParameter")
      return try await storeOptions.openParameterStore(global).putParameter(request)
    }
  }
}
