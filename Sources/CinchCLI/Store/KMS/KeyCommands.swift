import ArgumentParser
import CinchStore

struct CreateKeyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create-key", abstract: "Create a customer-managed symmetric key.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(
    name: .customLong("description"),
    help: ArgumentHelp("A description of the key: what it protects.", valueName: "text"))
  var keyDescription: String?
  @Option(help: "ENCRYPT_DECRYPT (the only usage supported).")
  var keyUsage: String?
  @Option(help: "SYMMETRIC_DEFAULT (the only spec supported).")
  var keySpec: String?
  @Option(
    help: ArgumentHelp(
      "Deprecated: the old name of --key-spec (SYMMETRIC_DEFAULT).", valueName: "spec"))
  var customerMasterKeySpec: String?
  @Option(help: "AWS_KMS (the only origin supported).")
  var origin: String?
  @Flag(inversion: .prefixedNo, help: "Multi-Region keys are not supported.")
  var multiRegion: Bool?
  @Option(parsing: .upToNextOption, help: "Tags: TagKey=string,TagValue=string …")
  var tags: [String] = []

  func run() async throws {
    try await AWSCommand.run("CreateKey", global) { input in
      try input?.validateKeys(allowed: [
        "Description", "KeyUsage", "KeySpec", "CustomerMasterKeySpec", "Origin", "MultiRegion",
        "Tags",
      ])
      let request = CreateKeyRequest(
        description: try input.string("Description", flag: keyDescription, option: "--description"),
        keyUsage: try input.string("KeyUsage", flag: keyUsage, option: "--key-usage"),
        keySpec: try input.string("KeySpec", flag: keySpec, option: "--key-spec"),
        customerMasterKeySpec: try input.string(
          "CustomerMasterKeySpec", flag: customerMasterKeySpec,
          option: "--customer-master-key-spec"),
        origin: try input.string("Origin", flag: origin, option: "--origin"),
        multiRegion: try input.bool("MultiRegion", flag: multiRegion),
        tags: try AWSStructures.kmsTags(input.structures("Tags", flag: tags, option: "--tags")))
      return try await storeOptions.openKeyStore(global).createKey(request)
    }
  }
}

struct DescribeKeyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "describe-key",
    abstract: "A key's metadata, found by key id, key ARN, alias name or alias ARN.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(name: .customLong("key-id"), help: "Key id, key ARN, alias name or alias ARN.")
  var keyID: String?

  func run() async throws {
    try await AWSCommand.run("DescribeKey", global) { input in
      try input.requireParameters([("KeyId", "--key-id", keyID != nil)])
      try input?.validateKeys(allowed: ["KeyId", "GrantTokens"])
      let request = try DescribeKeyRequest(
        keyID: try input.string("KeyId", flag: keyID, option: "--key-id") ?? ""
      ).checked(for: "DescribeKey")
      return try await storeOptions.openKeyStore(global).describeKey(request)
    }
  }
}

struct ListKeysCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list-keys", abstract: "Every key, AWS-managed ones included.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var pagination: PaginationOptions
  @OptionGroup var servicePaging: KMSPagingOptions

  func run() async throws {
    try await AWSCommand.run(
      "ListKeys", global, pagination: .resultKey("Keys", outputToken: "NextMarker")
    ) { input in
      try input?.validateKeys(allowed: ["Limit", "Marker"])
      let store = try await storeOptions.openKeyStore(global)
      let collected = try await pagination.collect(
        noPaginate: global.noPaginate,
        serviceToken: try input.string("Marker", flag: servicePaging.marker, option: "--marker"),
        serviceLimit: try input.integer("Limit", flag: servicePaging.limit), inputToken: "Marker"
      ) { size, marker in
        let page = try await store.listKeys(ListKeysRequest(limit: size, marker: marker))
        return (page.keys, page.nextMarker)
      }
      return PagedResponse(
        ListKeysResponse(
          keys: collected.items, nextMarker: collected.next, truncated: collected.next != nil),
        collected.paging)
    }
  }
}

struct CreateAliasCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create-alias", abstract: "Name a customer-managed key: alias/NAME.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(
    help: ArgumentHelp(
      "The alias to create: alias/ and a name, such as alias/ExampleAlias.", valueName: "alias"))
  var aliasName: String?
  @Option(
    name: .customLong("target-key-id"),
    help: ArgumentHelp(
      "The customer-managed key the alias names: its key id or key ARN.", valueName: "id"))
  var targetKeyID: String?

  func run() async throws {
    try await AWSCommand.run("CreateAlias", global) { input in
      try input.requireParameters([
        ("AliasName", "--alias-name", aliasName != nil),
        ("TargetKeyId", "--target-key-id", targetKeyID != nil),
      ])
      try input?.validateKeys(allowed: ["AliasName", "TargetKeyId"])
      let request = try CreateAliasRequest(
        aliasName: try input.string("AliasName", flag: aliasName, option: "--alias-name") ?? "",
        targetKeyID: try input.string("TargetKeyId", flag: targetKeyID, option: "--target-key-id")
          ?? ""
      ).checked(for: "CreateAlias")
      return try await storeOptions.openKeyStore(global).createAlias(request)
    }
  }
}

struct ListAliasesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list-aliases", abstract: "Every alias, or those of one key.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var pagination: PaginationOptions
  @OptionGroup var servicePaging: KMSPagingOptions

  @Option(name: .customLong("key-id"), help: "Only the aliases of this key.")
  var keyID: String?

  func run() async throws {
    try await AWSCommand.run(
      "ListAliases", global, pagination: .resultKey("Aliases", outputToken: "NextMarker")
    ) { input in
      try input?.validateKeys(allowed: ["KeyId", "Limit", "Marker"])
      let keyID = try input.string("KeyId", flag: keyID, option: "--key-id")
      try ParameterMinimums.check("ListAliases", strings: ["KeyId": keyID])
      let store = try await storeOptions.openKeyStore(global)
      let collected = try await pagination.collect(
        noPaginate: global.noPaginate,
        serviceToken: try input.string("Marker", flag: servicePaging.marker, option: "--marker"),
        serviceLimit: try input.integer("Limit", flag: servicePaging.limit), inputToken: "Marker"
      ) { size, marker in
        let page = try await store.listAliases(
          ListAliasesRequest(keyID: keyID, limit: size, marker: marker))
        return (page.aliases, page.nextMarker)
      }
      return PagedResponse(
        ListAliasesResponse(
          aliases: collected.items, nextMarker: collected.next, truncated: collected.next != nil),
        collected.paging)
    }
  }
}
