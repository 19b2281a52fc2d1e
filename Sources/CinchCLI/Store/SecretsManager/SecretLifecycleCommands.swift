import ArgumentParser
import CinchJSON
import CinchStore

struct DeleteSecretCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete-secret",
    abstract: "Schedule a secret's deletion (7–30 days, 30 by default) or delete it now.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(name: .customLong("secret-id"), help: "The name, ARN or partial ARN.")
  var secretID: String?
  @Option(help: "Days until the secret is deleted for good (7 to 30).")
  var recoveryWindowInDays: Int?
  @Flag(inversion: .prefixedNo, help: "Delete now, with no recovery window.")
  var forceDeleteWithoutRecovery: Bool?

  func run() async throws {
    try await AWSCommand.run("DeleteSecret", global) { input in
      try input.requireParameters([("SecretId", "--secret-id", secretID != nil)])
      try input?.validateKeys(allowed: [
        "SecretId", "RecoveryWindowInDays", "ForceDeleteWithoutRecovery",
      ])
      let request = try DeleteSecretRequest(
        secretID: try input.string("SecretId", flag: secretID, option: "--secret-id") ?? "",
        recoveryWindowInDays: try input.integer("RecoveryWindowInDays", flag: recoveryWindowInDays),
        forceDeleteWithoutRecovery: try input.bool(
          "ForceDeleteWithoutRecovery", flag: forceDeleteWithoutRecovery)
      ).checked(for: "DeleteSecret")
      return try await storeOptions.openSecretStore(global).deleteSecret(request)
    }
  }
}

struct RestoreSecretCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "restore-secret", abstract: "Cancel a scheduled deletion.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(name: .customLong("secret-id"), help: "The name, ARN or partial ARN.")
  var secretID: String?

  func run() async throws {
    try await AWSCommand.run("RestoreSecret", global) { input in
      try input.requireParameters([("SecretId", "--secret-id", secretID != nil)])
      try input?.validateKeys(allowed: ["SecretId"])
      let request = try RestoreSecretRequest(
        secretID: try input.string("SecretId", flag: secretID, option: "--secret-id") ?? ""
      ).checked(for: "RestoreSecret")
      return try await storeOptions.openSecretStore(global).restoreSecret(request)
    }
  }
}

struct GetRandomPasswordCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "get-random-password",
    abstract: "A random password: 32 characters of every class unless told otherwise.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(help: "1 to 4096 (default 32).")
  var passwordLength: Int?
  @Option(help: "Characters never to use.")
  var excludeCharacters: String?
  @Flag(inversion: .prefixedNo, help: "No digits.")
  var excludeNumbers: Bool?
  @Flag(inversion: .prefixedNo, help: "No punctuation (!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~).")
  var excludePunctuation: Bool?
  @Flag(inversion: .prefixedNo, help: "No uppercase letters.")
  var excludeUppercase: Bool?
  @Flag(inversion: .prefixedNo, help: "No lowercase letters.")
  var excludeLowercase: Bool?
  @Flag(inversion: .prefixedNo, help: "Allow the space character.")
  var includeSpace: Bool?
  @Flag(inversion: .prefixedNo, help: "At least one character of each included type (default).")
  var requireEachIncludedType: Bool?

  func run() async throws {
    try await AWSCommand.run("GetRandomPassword", global) { input in
      try input?.validateKeys(allowed: AWSStructures.passwordPolicyMembers)
      let flags = PasswordPolicy(
        passwordLength: passwordLength,
        excludeCharacters: try input.string(
          "ExcludeCharacters", flag: excludeCharacters, option: "--exclude-characters"),
        excludeNumbers: excludeNumbers, excludePunctuation: excludePunctuation,
        excludeUppercase: excludeUppercase, excludeLowercase: excludeLowercase,
        includeSpace: includeSpace, requireEachIncludedType: requireEachIncludedType)
      let request = try AWSStructures.passwordPolicy(
        input?.object ?? JSONObject(), in: nil, given: flags
      ).checked(for: "GetRandomPassword")
      return try await storeOptions.openSecretStore(global).getRandomPassword(request)
    }
  }
}
