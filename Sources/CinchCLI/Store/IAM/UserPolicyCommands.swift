import ArgumentParser
import CinchServer
import CinchStore

struct PutUserPolicyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "put-user-policy",
    abstract: "Add or replace a user's inline policy (the JSON 'cinch policy' writes).",
    discussion: """
      The document is checked as 'cinch serve' enforces it: Effect, Action/NotAction, \
      Resource/NotResource with * and ? wildcards, and Condition with the String*, Bool and \
      Null operators (…IfExists too). A document the server could not enforce is refused.
      """)

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(
    name: [.customLong("user-name"), .customLong("user")],
    help: ArgumentHelp("The user the policy is for.", valueName: "name"))
  var userName: String?
  @Option(
    help: ArgumentHelp("The inline policy's name, unique among the user's.", valueName: "name"))
  var policyName: String?
  @Option(
    help: ArgumentHelp(
      "The policy document: JSON, or file://PATH (what 'cinch policy' writes).",
      valueName: "json"))
  var policyDocument: String?

  func run() async throws {
    try await AWSCommand.run("PutUserPolicy", global) { input in
      try input.requireParameters([
        ("UserName", "--user-name", userName != nil),
        ("PolicyName", "--policy-name", policyName != nil),
        ("PolicyDocument", "--policy-document", policyDocument != nil),
      ])
      try input?.validateKeys(allowed: ["UserName", "PolicyName", "PolicyDocument"])
      let user = try input.string("UserName", flag: userName, option: "--user-name") ?? ""
      let name = try input.string("PolicyName", flag: policyName, option: "--policy-name") ?? ""
      try ParameterMinimums.check("PutUserPolicy", strings: ["UserName": user, "PolicyName": name])
      let document =
        try input.string("PolicyDocument", flag: policyDocument, option: "--policy-document")
        ?? ""
      _ = try PolicyDocument(parsing: document)
      try await storeOptions.openForAWSCommand().putUserPolicy(
        userName: user, policyName: name, policyDocument: document)
      return EmptyIAMResponse()
    }
  }
}

struct GetUserPolicyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "get-user-policy", abstract: "A user's inline policy.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(
    name: [.customLong("user-name"), .customLong("user")],
    help: ArgumentHelp("The user whose policy to read.", valueName: "name"))
  var userName: String?
  @Option(
    help: ArgumentHelp("The inline policy's name, unique among the user's.", valueName: "name"))
  var policyName: String?

  func run() async throws {
    try await AWSCommand.run("GetUserPolicy", global) { input in
      try input.requireParameters([
        ("UserName", "--user-name", userName != nil),
        ("PolicyName", "--policy-name", policyName != nil),
      ])
      try input?.validateKeys(allowed: ["UserName", "PolicyName"])
      let user = try input.string("UserName", flag: userName, option: "--user-name") ?? ""
      let name = try input.string("PolicyName", flag: policyName, option: "--policy-name") ?? ""
      try ParameterMinimums.check("GetUserPolicy", strings: ["UserName": user, "PolicyName": name])
      return try await storeOptions.openForAWSCommand().getUserPolicy(
        userName: user, policyName: name)
    }
  }
}

struct ListUserPoliciesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list-user-policies", abstract: "The names of a user's inline policies.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(
    name: [.customLong("user-name"), .customLong("user")],
    help: ArgumentHelp("The user whose policies to list.", valueName: "name"))
  var userName: String?

  func run() async throws {
    try await AWSCommand.run("ListUserPolicies", global) { input in
      try input.requireParameters([("UserName", "--user-name", userName != nil)])
      try input?.validateKeys(allowed: ["UserName"])
      let user = try input.string("UserName", flag: userName, option: "--user-name") ?? ""
      try ParameterMinimums.check("ListUserPolicies", strings: ["UserName": user])
      return try await storeOptions.openForAWSCommand().listUserPolicies(userName: user)
    }
  }
}

struct DeleteUserPolicyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete-user-policy", abstract: "Remove a user's inline policy.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(
    name: [.customLong("user-name"), .customLong("user")],
    help: ArgumentHelp("The user whose policy to remove.", valueName: "name"))
  var userName: String?
  @Option(
    help: ArgumentHelp("The inline policy's name, unique among the user's.", valueName: "name"))
  var policyName: String?

  func run() async throws {
    try await AWSCommand.run("DeleteUserPolicy", global) { input in
      try input.requireParameters([
        ("UserName", "--user-name", userName != nil),
        ("PolicyName", "--policy-name", policyName != nil),
      ])
      try input?.validateKeys(allowed: ["UserName", "PolicyName"])
      let user = try input.string("UserName", flag: userName, option: "--user-name") ?? ""
      let name = try input.string("PolicyName", flag: policyName, option: "--policy-name") ?? ""
      try ParameterMinimums.check(
        "DeleteUserPolicy", strings: ["UserName": user, "PolicyName": name])
      try await storeOptions.openForAWSCommand().deleteUserPolicy(userName: user, policyName: name)
      return EmptyIAMResponse()
    }
  }
}
