import ArgumentParser
import CinchStore

struct CreateAccessKeyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create-access-key",
    abstract: "Create an access key for 'cinch serve'; the secret is printed this once.",
    discussion: """
      Without --user-name the key belongs to the account root: no policy limits it. With \
      --user-name it belongs to that user and may do only what the user's policies allow \
      (cinch iam put-user-policy); a user without a policy may do nothing.
      """)

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(
    name: [.customLong("user-name"), .customLong("user")],
    help: ArgumentHelp(
      "The user the key is for (default: the account root, whose keys no policy limits).",
      valueName: "name"))
  var userName: String?

  func run() async throws {
    try await AWSCommand.run("CreateAccessKey", global) { input in
      try input?.validateKeys(allowed: ["UserName"])
      let user = try input.string("UserName", flag: userName, option: "--user-name")
      try ParameterMinimums.check("CreateAccessKey", strings: ["UserName": user])
      return try await storeOptions.openForAWSCommand().createAccessKey(userName: user)
    }
  }
}

struct ListAccessKeysCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list-access-keys",
    abstract: "The access keys of a user, or every key; never a secret.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(
    name: [.customLong("user-name"), .customLong("user")],
    help: ArgumentHelp(
      "Only this user's keys (default: every key of the store).", valueName: "name"))
  var userName: String?

  func run() async throws {
    try await AWSCommand.run("ListAccessKeys", global) { input in
      try input?.validateKeys(allowed: ["UserName"])
      let user = try input.string("UserName", flag: userName, option: "--user-name")
      try ParameterMinimums.check("ListAccessKeys", strings: ["UserName": user])
      return try await storeOptions.openForAWSCommand().listAccessKeys(userName: user)
    }
  }
}

struct UpdateAccessKeyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "update-access-key",
    abstract: "Make an access key Active or Inactive (an inactive key signs nothing).")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(
    name: .customLong("access-key-id"),
    help: ArgumentHelp("The access key id (AKIA…) to make Active or Inactive.", valueName: "id"))
  var accessKeyID: String?
  @Option(help: "Active (it signs requests) or Inactive (it signs nothing).")
  var status: String?
  @Option(
    name: [.customLong("user-name"), .customLong("user")],
    help: ArgumentHelp(
      "The user the key belongs to; a key of another user is not found.", valueName: "name"))
  var userName: String?

  func run() async throws {
    try await AWSCommand.run("UpdateAccessKey", global) { input in
      try input.requireParameters([
        ("AccessKeyId", "--access-key-id", accessKeyID != nil),
        ("Status", "--status", status != nil),
      ])
      try input?.validateKeys(allowed: ["AccessKeyId", "Status", "UserName"])
      let id = try input.string("AccessKeyId", flag: accessKeyID, option: "--access-key-id") ?? ""
      let text = try input.string("Status", flag: status, option: "--status") ?? ""
      guard let status = AccessKeyStatus(rawValue: text) else {
        throw StoreError(
          code: "ValidationError",
          message: "1 validation error detected: Value '\(text)' at 'status' failed to satisfy "
            + "constraint: Member must satisfy enum value set: [Active, Inactive]")
      }
      let user = try input.string("UserName", flag: userName, option: "--user-name")
      try await storeOptions.openForAWSCommand().updateAccessKey(
        accessKeyID: id, status: status, userName: user)
      return EmptyIAMResponse()
    }
  }
}

struct DeleteAccessKeyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete-access-key",
    abstract: "Delete an access key; requests signed with it are refused from then on.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(
    name: .customLong("access-key-id"),
    help: ArgumentHelp("The access key id (AKIA…) to delete.", valueName: "id"))
  var accessKeyID: String?
  @Option(
    name: [.customLong("user-name"), .customLong("user")],
    help: ArgumentHelp(
      "The user the key belongs to; a key of another user is not found.", valueName: "name"))
  var userName: String?

  func run() async throws {
    try await AWSCommand.run("DeleteAccessKey", global) { input in
      try input.requireParameters([("AccessKeyId", "--access-key-id", accessKeyID != nil)])
      try input?.validateKeys(allowed: ["AccessKeyId", "UserName"])
      let id = try input.string("AccessKeyId", flag: accessKeyID, option: "--access-key-id") ?? ""
      let user = try input.string("UserName", flag: userName, option: "--user-name")
      try ParameterMinimums.check(
        "DeleteAccessKey", strings: ["UserName": user, "AccessKeyId": id])
      try await storeOptions.openForAWSCommand().deleteAccessKey(accessKeyID: id, userName: user)
      return EmptyIAMResponse()
    }
  }
}
