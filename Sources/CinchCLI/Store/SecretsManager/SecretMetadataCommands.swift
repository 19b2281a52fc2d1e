import ArgumentParser
import CinchStore

struct DescribeSecretCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "describe-secret",
    abstract: "A secret's metadata (never its value), also while it is scheduled for deletion.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(name: .customLong("secret-id"), help: "The name, ARN or partial ARN.")
  var secretID: String?

  func run() async throws {
    try await AWSCommand.run("DescribeSecret", global) { input in
      try input.requireParameters([("SecretId", "--secret-id", secretID != nil)])
      try input?.validateKeys(allowed: ["SecretId"])
      let request = try DescribeSecretRequest(
        secretID: try input.string("SecretId", flag: secretID, option: "--secret-id") ?? ""
      ).checked(for: "DescribeSecret")
      return try await storeOptions.openSecretStore(global).describeSecret(request)
    }
  }
}

struct ListSecretsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list-secrets",
    abstract: "Metadata of every secret, filtered and sorted (by creation date by default).")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var pagination: PaginationOptions
  @OptionGroup var servicePaging: ServicePagingOptions

  @Flag(inversion: .prefixedNo, help: "Include secrets scheduled for deletion.")
  var includePlannedDeletion: Bool?
  @Option(
    parsing: .upToNextOption,
    help:
      "Filters: Key=name|description|tag-key|tag-value|primary-region|owning-service|all,Values=… ('!' negates)"
  )
  var filters: [String] = []
  @Option(help: "asc (default) or desc.")
  var sortOrder: String?
  @Option(help: "created-date (default), last-accessed-date, last-changed-date or name.")
  var sortBy: String?

  func run() async throws {
    try await AWSCommand.run("ListSecrets", global, pagination: .resultKey("SecretList")) {
      input in
      try input?.validateKeys(allowed: [
        "IncludePlannedDeletion", "MaxResults", "NextToken", "Filters", "SortOrder", "SortBy",
      ])
      let include = try input.bool("IncludePlannedDeletion", flag: includePlannedDeletion)
      let filters = try AWSStructures.secretsFilters(
        input.structures("Filters", flag: filters, option: "--filters"))
      let order = try input.string("SortOrder", flag: sortOrder, option: "--sort-order")
      let by = try input.string("SortBy", flag: sortBy, option: "--sort-by")
      let serviceToken = try input.string(
        "NextToken", flag: servicePaging.nextToken, option: "--next-token")
      let serviceLimit = try input.integer("MaxResults", flag: servicePaging.maxResults)
      // Checked once, before the store is opened (botocore checks before it signs); a page
      // asks for `--page-size` (or the service's default), as botocore does.
      _ = try ListSecretsRequest(
        includePlannedDeletion: include, maxResults: serviceLimit ?? pagination.pageSize,
        nextToken: serviceToken,
        filters: filters, sortOrder: order, sortBy: by
      ).checked(for: "ListSecrets")
      let store = try await storeOptions.openSecretStore(global)
      let collected = try await pagination.collect(
        noPaginate: global.noPaginate, serviceToken: serviceToken, serviceLimit: serviceLimit
      ) { size, token in
        let page = try await store.listSecrets(
          ListSecretsRequest(
            includePlannedDeletion: include, maxResults: size, nextToken: token, filters: filters,
            sortOrder: order, sortBy: by))
        return (page.secretList, page.nextToken)
      }
      return PagedResponse(
        ListSecretsResponse(secretList: collected.items, nextToken: collected.next),
        collected.paging)
    }
  }
}

struct ListSecretVersionIdsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list-secret-version-ids",
    abstract: "A secret's versions and their staging labels, oldest first.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(name: .customLong("secret-id"), help: "The name, ARN or partial ARN.")
  var secretID: String?
  @Option(help: "1 to 100.")
  var maxResults: Int?
  @Option(help: "The NextToken of an earlier call.")
  var nextToken: String?
  @Flag(inversion: .prefixedNo, help: "Include versions without a staging label.")
  var includeDeprecated: Bool?

  func run() async throws {
    try await AWSCommand.run("ListSecretVersionIds", global) { input in
      try input.requireParameters([("SecretId", "--secret-id", secretID != nil)])
      try input?.validateKeys(allowed: ["SecretId", "MaxResults", "NextToken", "IncludeDeprecated"])
      let request = try ListSecretVersionIdsRequest(
        secretID: try input.string("SecretId", flag: secretID, option: "--secret-id") ?? "",
        maxResults: try input.integer("MaxResults", flag: maxResults),
        nextToken: try input.string("NextToken", flag: nextToken, option: "--next-token"),
        includeDeprecated: try input.bool("IncludeDeprecated", flag: includeDeprecated)
      ).checked(for: "ListSecretVersionIds")
      return try await storeOptions.openSecretStore(global).listSecretVersionIds(request)
    }
  }
}

struct UpdateSecretVersionStageCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "update-secret-version-stage",
    abstract: "Attach, move or remove a staging label (moving AWSCURRENT moves AWSPREVIOUS too).")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(name: .customLong("secret-id"), help: "The name, ARN or partial ARN.")
  var secretID: String?
  @Option(help: "The staging label.")
  var versionStage: String?
  @Option(name: .customLong("remove-from-version-id"), help: "The version the label is on now.")
  var removeFromVersionID: String?
  @Option(name: .customLong("move-to-version-id"), help: "The version to attach it to.")
  var moveToVersionID: String?

  func run() async throws {
    try await AWSCommand.run("UpdateSecretVersionStage", global) { input in
      try input.requireParameters([
        ("SecretId", "--secret-id", secretID != nil),
        ("VersionStage", "--version-stage", versionStage != nil),
      ])
      try input?.validateKeys(allowed: [
        "SecretId", "VersionStage", "RemoveFromVersionId", "MoveToVersionId",
      ])
      let request = try UpdateSecretVersionStageRequest(
        secretID: try input.string("SecretId", flag: secretID, option: "--secret-id") ?? "",
        versionStage: try input.string(
          "VersionStage", flag: versionStage, option: "--version-stage") ?? "",
        removeFromVersionID: try input.string(
          "RemoveFromVersionId", flag: removeFromVersionID, option: "--remove-from-version-id"),
        moveToVersionID: try input.string(
          "MoveToVersionId", flag: moveToVersionID, option: "--move-to-version-id")
      ).checked(for: "UpdateSecretVersionStage")
      return try await storeOptions.openSecretStore(global).updateSecretVersionStage(request)
    }
  }
}

struct TagResourceCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tag-resource", abstract: "Add or replace tags on a secret.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(name: .customLong("secret-id"), help: "The name, ARN or partial ARN.")
  var secretID: String?
  @Option(parsing: .upToNextOption, help: "Tags: Key=string,Value=string …")
  var tags: [String] = []

  func run() async throws {
    try await AWSCommand.run("TagResource", global) { input in
      try input.requireParameters([
        ("SecretId", "--secret-id", secretID != nil), ("Tags", "--tags", !tags.isEmpty),
      ])
      try input?.validateKeys(allowed: ["SecretId", "Tags"])
      let request = try TagResourceRequest(
        secretID: try input.string("SecretId", flag: secretID, option: "--secret-id") ?? "",
        tags: try AWSStructures.tags(
          input.structures("Tags", flag: tags, option: "--tags"), valueRequired: false) ?? []
      ).checked(for: "TagResource")
      return try await storeOptions.openSecretStore(global).tagResource(request)
    }
  }
}

struct UntagResourceCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "untag-resource", abstract: "Remove tags from a secret by key.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(name: .customLong("secret-id"), help: "The name, ARN or partial ARN.")
  var secretID: String?
  @Option(parsing: .upToNextOption, help: "The keys of the tags to remove.")
  var tagKeys: [String] = []

  func run() async throws {
    try await AWSCommand.run("UntagResource", global) { input in
      try input.requireParameters([
        ("SecretId", "--secret-id", secretID != nil), ("TagKeys", "--tag-keys", !tagKeys.isEmpty),
      ])
      try input?.validateKeys(allowed: ["SecretId", "TagKeys"])
      let request = try UntagResourceRequest(
        secretID: try input.string("SecretId", flag: secretID, option: "--secret-id") ?? "",
        tagKeys: try input.strings("TagKeys", flag: tagKeys, option: "--tag-keys") ?? []
      ).checked(for: "UntagResource")
      return try await storeOptions.openSecretStore(global).untagResource(request)
    }
  }
}

struct GetResourcePolicyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "get-resource-policy",
    abstract:
      "A secret's resource-based policy (the cinch store keeps none: ARN and name only).")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(name: .customLong("secret-id"), help: "The name, ARN or partial ARN.")
  var secretID: String?

  func run() async throws {
    try await AWSCommand.run("GetResourcePolicy", global) { input in
      try input.requireParameters([("SecretId", "--secret-id", secretID != nil)])
      try input?.validateKeys(allowed: ["SecretId"])
      let request = GetResourcePolicyRequest(
        secretID: try input.string("SecretId", flag: secretID, option: "--secret-id") ?? "")
      return try await storeOptions.openSecretStore(global).getResourcePolicy(request)
    }
  }
}

struct DeleteResourcePolicyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete-resource-policy",
    abstract:
      "Removes a secret's resource-based policy (the cinch store keeps none: nothing changes).")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(name: .customLong("secret-id"), help: "The name, ARN or partial ARN.")
  var secretID: String?

  func run() async throws {
    try await AWSCommand.run("DeleteResourcePolicy", global) { input in
      try input.requireParameters([("SecretId", "--secret-id", secretID != nil)])
      try input?.validateKeys(allowed: ["SecretId"])
      let request = DeleteResourcePolicyRequest(
        secretID: try input.string("SecretId", flag: secretID, option: "--secret-id") ?? "")
      return try await storeOptions.openSecretStore(global).deleteResourcePolicy(request)
    }
  }
}

struct PutResourcePolicyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "put-resource-policy",
    abstract:
      "Attaches a resource-based policy to a secret (the AWS backend; the cinch store refuses it).")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(name: .customLong("secret-id"), help: "The name, ARN or partial ARN.")
  var secretID: String?
  @Option(help: "The policy document, as JSON text or file://PATH.")
  var resourcePolicy: String?
  @Flag(inversion: .prefixedNo, help: "Refuse a policy that grants broad access (AWS's default).")
  var blockPublicPolicy: Bool?

  func run() async throws {
    try await AWSCommand.run("PutResourcePolicy", global) { input in
      try input.requireParameters([
        ("SecretId", "--secret-id", secretID != nil),
        ("ResourcePolicy", "--resource-policy", resourcePolicy != nil),
      ])
      try input?.validateKeys(allowed: ["SecretId", "ResourcePolicy", "BlockPublicPolicy"])
      let request = PutResourcePolicyRequest(
        secretID: try input.string("SecretId", flag: secretID, option: "--secret-id") ?? "",
        resourcePolicy: try input.string(
          "ResourcePolicy", flag: resourcePolicy, option: "--resource-policy") ?? "",
        blockPublicPolicy: try input.bool("BlockPublicPolicy", flag: blockPublicPolicy))
      return try await storeOptions.openSecretStore(global).putResourcePolicy(request)
    }
  }
}

struct ValidateResourcePolicyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate-resource-policy",
    abstract:
      "Checks a resource-based policy with IAM Access Analyzer (the AWS backend; the cinch store refuses it)."
  )

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(name: .customLong("secret-id"), help: "The secret the policy is for (optional).")
  var secretID: String?
  @Option(help: "The policy document, as JSON text or file://PATH.")
  var resourcePolicy: String?

  func run() async throws {
    try await AWSCommand.run("ValidateResourcePolicy", global) { input in
      try input.requireParameters([("ResourcePolicy", "--resource-policy", resourcePolicy != nil)])
      try input?.validateKeys(allowed: ["SecretId", "ResourcePolicy"])
      let request = ValidateResourcePolicyRequest(
        secretID: try input.string("SecretId", flag: secretID, option: "--secret-id"),
        resourcePolicy: try input.string(
          "ResourcePolicy", flag: resourcePolicy, option: "--resource-policy") ?? "")
      return try await storeOptions.openSecretStore(global).validateResourcePolicy(request)
    }
  }
}
