import ArgumentParser
import CinchStore

struct AddTagsToResourceCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add-tags-to-resource", abstract: "Tag a parameter (--resource-type Parameter).")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(help: "Parameter (the only type the store holds).")
  var resourceType: String?
  @Option(name: .customLong("resource-id"), help: "The parameter's name.")
  var resourceID: String?
  @Option(parsing: .upToNextOption, help: "Tags: Key=string,Value=string …")
  var tags: [String] = []

  func run() async throws {
    try await AWSCommand.run("AddTagsToResource", global) { input in
      try input.requireParameters([
        ("ResourceType", "--resource-type", resourceType != nil),
        ("ResourceId", "--resource-id", resourceID != nil), ("Tags", "--tags", !tags.isEmpty),
      ])
      try input?.validateKeys(allowed: ["ResourceType", "ResourceId", "Tags"])
      let request = AddTagsToResourceRequest(
        resourceType: try input.string(
          "ResourceType", flag: resourceType, option: "--resource-type") ?? "",
        resourceID: try input.string("ResourceId", flag: resourceID, option: "--resource-id") ?? "",
        tags: try AWSStructures.tags(input.structures("Tags", flag: tags, option: "--tags")) ?? [])
      return try await storeOptions.openParameterStore(global).addTagsToResource(request)
    }
  }
}

struct RemoveTagsFromResourceCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove-tags-from-resource", abstract: "Remove tags from a parameter by key.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(help: "Parameter.")
  var resourceType: String?
  @Option(name: .customLong("resource-id"), help: "The parameter's name.")
  var resourceID: String?
  @Option(parsing: .upToNextOption, help: "The keys of the tags to remove.")
  var tagKeys: [String] = []

  func run() async throws {
    try await AWSCommand.run("RemoveTagsFromResource", global) { input in
      try input.requireParameters([
        ("ResourceType", "--resource-type", resourceType != nil),
        ("ResourceId", "--resource-id", resourceID != nil),
        ("TagKeys", "--tag-keys", !tagKeys.isEmpty),
      ])
      try input?.validateKeys(allowed: ["ResourceType", "ResourceId", "TagKeys"])
      let request = try RemoveTagsFromResourceRequest(
        resourceType: try input.string(
          "ResourceType", flag: resourceType, option: "--resource-type") ?? "",
        resourceID: try input.string("ResourceId", flag: resourceID, option: "--resource-id") ?? "",
        tagKeys: try input.strings("TagKeys", flag: tagKeys, option: "--tag-keys") ?? []
      ).checked(for: "RemoveTagsFromResource")
      return try await storeOptions.openParameterStore(global).removeTagsFromResource(request)
    }
  }
}

struct ListTagsForResourceCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list-tags-for-resource", abstract: "The tags of a parameter.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(help: "Parameter.")
  var resourceType: String?
  @Option(name: .customLong("resource-id"), help: "The parameter's name.")
  var resourceID: String?

  func run() async throws {
    try await AWSCommand.run("ListTagsForResource", global) { input in
      try input.requireParameters([
        ("ResourceType", "--resource-type", resourceType != nil),
        ("ResourceId", "--resource-id", resourceID != nil),
      ])
      try input?.validateKeys(allowed: ["ResourceType", "ResourceId"])
      let request = ListTagsForResourceRequest(
        resourceType: try input.string(
          "ResourceType", flag: resourceType, option: "--resource-type") ?? "",
        resourceID: try input.string("ResourceId", flag: resourceID, option: "--resource-id") ?? "")
      return try await storeOptions.openParameterStore(global).listTagsForResource(request)
    }
  }
}
