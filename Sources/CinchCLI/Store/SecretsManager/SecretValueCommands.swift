import ArgumentParser
import CinchStore

struct CreateSecretCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create-secret",
    abstract: "Create a secret, with a first (AWSCURRENT) version when a value is given.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(help: "The secret's name: letters, digits and /_+=.@- (up to 512).")
  var name: String?
  @Option(help: "The first version's VersionId (32–64 characters; a UUID by default).")
  var clientRequestToken: String?
  @Option(name: .customLong("description"), help: "What the secret is for.")
  var secretDescription: String?
  @Option(name: .customLong("kms-key-id"), help: "The KMS-style key (default aws/secretsmanager).")
  var kmsKeyID: String?
  @Option(help: "A binary value: base64, or fileb://PATH for a file's bytes.")
  var secretBinary: String?
  @Option(help: "A text value (file://PATH reads it from a file).")
  var secretString: String?
  @Option(parsing: .upToNextOption, help: "Tags: Key=string,Value=string …")
  var tags: [String] = []
  @Option(parsing: .upToNextOption, help: "Replication is not available in the cinch store.")
  var addReplicaRegions: [String] = []
  @Flag(inversion: .prefixedNo, help: "Accepted for compatibility (replication).")
  var forceOverwriteReplicaSecret: Bool?

  func run() async throws {
    try await AWSCommand.run("CreateSecret", global) { input in
      try input.requireParameters([("Name", "--name", name != nil)])
      try input?.validateKeys(allowed: [
        "Name", "ClientRequestToken", "Description", "KmsKeyId", "SecretBinary", "SecretString",
        "Tags", "AddReplicaRegions", "ForceOverwriteReplicaSecret",
      ])
      let replicas = try input.structures(
        "AddReplicaRegions", flag: addReplicaRegions, option: "--add-replica-regions")
      let request = try CreateSecretRequest(
        name: try input.string("Name", flag: name, option: "--name") ?? "",
        clientRequestToken: try input.string(
          "ClientRequestToken", flag: clientRequestToken, option: "--client-request-token"),
        description: try input.string(
          "Description", flag: secretDescription, option: "--description"),
        kmsKeyID: try input.string("KmsKeyId", flag: kmsKeyID, option: "--kms-key-id"),
        secretBinary: try input.blob(
          "SecretBinary", flag: secretBinary, option: "--secret-binary",
          raw: global.readsBlobsRaw(environment: ProcessEnvironment.current)),
        secretString: try input.string(
          "SecretString", flag: secretString, option: "--secret-string"),
        tags: try AWSStructures.tags(
          input.structures("Tags", flag: tags, option: "--tags"), valueRequired: false),
        addReplicaRegions: try replicas?.map {
          ReplicaRegion(
            region: try AWSStructures.string(
              $0, "Region", in: "AddReplicaRegions", required: false),
            kmsKeyID: try AWSStructures.string(
              $0, "KmsKeyId", in: "AddReplicaRegions", required: false))
        },
        forceOverwriteReplicaSecret: try input.bool(
          "ForceOverwriteReplicaSecret", flag: forceOverwriteReplicaSecret)
      ).checked(for: "CreateSecret")
      return try await storeOptions.openSecretStore(global).createSecret(request)
    }
  }
}

struct GetSecretValueCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "get-secret-value",
    abstract: "A secret's value: AWSCURRENT, or the version a version id or staging label names.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(name: .customLong("secret-id"), help: "The name, ARN or partial ARN.")
  var secretID: String?
  @Option(name: .customLong("version-id"), help: "A version id.")
  var versionID: String?
  @Option(help: "A staging label (AWSCURRENT, AWSPREVIOUS, AWSPENDING or your own).")
  var versionStage: String?

  func run() async throws {
    try await AWSCommand.run("GetSecretValue", global) { input in
      try input.requireParameters([("SecretId", "--secret-id", secretID != nil)])
      try input?.validateKeys(allowed: ["SecretId", "VersionId", "VersionStage"])
      let request = GetSecretValueRequest(
        secretID: try input.string("SecretId", flag: secretID, option: "--secret-id") ?? "",
        versionID: try input.string("VersionId", flag: versionID, option: "--version-id"),
        versionStage: try input.string(
          "VersionStage", flag: versionStage, option: "--version-stage"))
      try ParameterMinimums.check(
        "GetSecretValue",
        strings: [
          "SecretId": request.secretID, "VersionId": request.versionID,
          "VersionStage": request.versionStage,
        ])
      return try await storeOptions.openSecretStore(global).getSecretValue(request)
    }
  }
}

struct PutSecretValueCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "put-secret-value",
    abstract: "Add a version (AWSCURRENT unless --version-stages says otherwise).")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(name: .customLong("secret-id"), help: "The name, ARN or partial ARN.")
  var secretID: String?
  @Option(
    help:
      "The new version's VersionId (a UUID by default); the same token and value again is a no-op.")
  var clientRequestToken: String?
  @Option(help: "A binary value: base64, or fileb://PATH.")
  var secretBinary: String?
  @Option(help: "A text value (file://PATH reads it from a file).")
  var secretString: String?
  @Option(parsing: .upToNextOption, help: "Staging labels for the new version.")
  var versionStages: [String] = []
  @Option(help: "Accepted for compatibility (cross-account rotation).")
  var rotationToken: String?

  func run() async throws {
    try await AWSCommand.run("PutSecretValue", global) { input in
      try input.requireParameters([("SecretId", "--secret-id", secretID != nil)])
      try input?.validateKeys(allowed: [
        "SecretId", "ClientRequestToken", "SecretBinary", "SecretString", "VersionStages",
        "RotationToken",
      ])
      let request = try PutSecretValueRequest(
        secretID: try input.string("SecretId", flag: secretID, option: "--secret-id") ?? "",
        clientRequestToken: try input.string(
          "ClientRequestToken", flag: clientRequestToken, option: "--client-request-token"),
        secretBinary: try input.blob(
          "SecretBinary", flag: secretBinary, option: "--secret-binary",
          raw: global.readsBlobsRaw(environment: ProcessEnvironment.current)),
        secretString: try input.string(
          "SecretString", flag: secretString, option: "--secret-string"),
        versionStages: try input.strings(
          "VersionStages", flag: versionStages, option: "--version-stages"),
        rotationToken: try input.string(
          "RotationToken", flag: rotationToken, option: "--rotation-token")
      ).checked(for: "PutSecretValue")
      return try await storeOptions.openSecretStore(global).putSecretValue(request)
    }
  }
}

struct UpdateSecretCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "update-secret",
    abstract: "Change a secret's description or key; with a value, add an AWSCURRENT version.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(name: .customLong("secret-id"), help: "The name, ARN or partial ARN.")
  var secretID: String?
  @Option(help: "The new version's VersionId (a UUID by default).")
  var clientRequestToken: String?
  @Option(name: .customLong("description"), help: "A new description.")
  var secretDescription: String?
  @Option(name: .customLong("kms-key-id"), help: "A new key (labelled versions are re-sealed).")
  var kmsKeyID: String?
  @Option(help: "A binary value: base64, or fileb://PATH.")
  var secretBinary: String?
  @Option(help: "A text value (file://PATH reads it from a file).")
  var secretString: String?

  func run() async throws {
    try await AWSCommand.run("UpdateSecret", global) { input in
      try input.requireParameters([("SecretId", "--secret-id", secretID != nil)])
      try input?.validateKeys(allowed: [
        "SecretId", "ClientRequestToken", "Description", "KmsKeyId", "SecretBinary",
        "SecretString",
      ])
      let request = try UpdateSecretRequest(
        secretID: try input.string("SecretId", flag: secretID, option: "--secret-id") ?? "",
        clientRequestToken: try input.string(
          "ClientRequestToken", flag: clientRequestToken, option: "--client-request-token"),
        description: try input.string(
          "Description", flag: secretDescription, option: "--description"),
        kmsKeyID: try input.string("KmsKeyId", flag: kmsKeyID, option: "--kms-key-id"),
        secretBinary: try input.blob(
          "SecretBinary", flag: secretBinary, option: "--secret-binary",
          raw: global.readsBlobsRaw(environment: ProcessEnvironment.current)),
        secretString: try input.string(
          "SecretString", flag: secretString, option: "--secret-string")
      ).checked(for: "UpdateSecret")
      return try await storeOptions.openSecretStore(global).updateSecret(request)
    }
  }
}

struct BatchGetSecretValueCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "batch-get-secret-value",
    abstract:
      "The AWSCURRENT values of up to 20 secrets, by id or by filters; failures listed apart."
  )

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(
    name: .customLong("secret-id-list"), parsing: .upToNextOption, help: "Up to 20 secret ids.")
  var secretIDList: [String] = []
  @Option(
    parsing: .upToNextOption, help: "Filters: Key=name|description|tag-key|tag-value|all,Values=…")
  var filters: [String] = []
  @Option(help: "1 to 20 (with --filters only).")
  var maxResults: Int?
  @Option(help: "The NextToken of an earlier call.")
  var nextToken: String?

  func run() async throws {
    try await AWSCommand.run("BatchGetSecretValue", global) { input in
      try input?.validateKeys(allowed: ["SecretIdList", "Filters", "MaxResults", "NextToken"])
      let request = try BatchGetSecretValueRequest(
        secretIDList: try input.strings(
          "SecretIdList", flag: secretIDList, option: "--secret-id-list"),
        filters: try AWSStructures.secretsFilters(
          input.structures("Filters", flag: filters, option: "--filters")),
        maxResults: try input.integer("MaxResults", flag: maxResults),
        nextToken: try input.string("NextToken", flag: nextToken, option: "--next-token")
      ).checked(for: "BatchGetSecretValue")
      return try await storeOptions.openSecretStore(global).batchGetSecretValue(request)
    }
  }
}
