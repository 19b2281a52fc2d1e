import ArgumentParser
import CinchJSON
import CinchStore
import CinchVault
import Foundation

/// `cinch token create|lookup|renew|revoke|root`: tokens for `X-Vault-Token`, as `vault token`
/// handles them. The command line holds the store, so it may mint, look up, renew and revoke
/// any token, root included; it has no token of its own, so where `vault` would act on "the
/// locally authenticated token" these act on `$VAULT_TOKEN`.
struct TokenCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "token",
    abstract: "Mint and manage tokens for 'cinch serve' clients (VAULT_TOKEN).",
    subcommands: [
      TokenCreateCommand.self, TokenLookupCommand.self, TokenRenewCommand.self,
      TokenRevokeCommand.self, TokenRootCommand.self,
    ])

  /// The token a command acts on: its argument, else `$VAULT_TOKEN`.
  static func named(_ argument: String?) throws -> String {
    if let argument = argument?.trimmingCharacters(in: .whitespaces), !argument.isEmpty {
      return argument
    }
    let environment = ProcessEnvironment.current["VAULT_TOKEN"]?
      .trimmingCharacters(in: .whitespacesAndNewlines)
    guard let environment, !environment.isEmpty else {
      throw VaultExit.usage(
        "No token given: name one, or set VAULT_TOKEN ('cinch token root' prints the root token)")
    }
    return environment
  }

  /// Sends one request on the store's Vault surface; a refusal is `failure`'s API error, as
  /// `vault token …` reports it ("Error revoking token: Error making API request…").
  static func send(
    _ method: String, _ path: String, _ body: JSONObject, failure: String,
    _ storeOptions: StoreOptions
  ) async throws -> VaultReply {
    let session = try await VaultSession.open(storeOptions)
    let reply = await session.send(method, path, .object(body))
    guard reply.status < 400 else {
      throw VaultSession.apiError(failure, method: method, url: path, reply)
    }
    return reply
  }
}

struct TokenCreateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create", abstract: "Create a token, printed as 'vault token create' prints it.")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultOutputOptions
  @Option(
    name: [.customLong("policy", withSingleDash: true), .customLong("policy")],
    help: "A policy (repeatable): 'root' may do everything; others use the engines only.")
  var policy: [String] = []
  @Option(
    name: [.customLong("ttl", withSingleDash: true), .customLong("ttl")],
    help: "Lifetime, e.g. 1h (default and maximum 768h; root tokens without -ttl never expire).")
  var ttl: String?
  @Option(
    name: [.customLong("display-name", withSingleDash: true), .customLong("display-name")],
    help: "A name for the audit log.")
  var displayName: String?

  func run() async throws {
    var body = JSONObject([("policies", .array(policy.map(JSONValue.string)))])
    if let ttl {
      guard GoDuration.parse(ttl) != nil else {
        throw VaultExit.usage("invalid duration \"\(ttl)\"")
      }
      body["ttl"] = .string(ttl)
    }
    if let displayName { body["display_name"] = .string(displayName) }
    let reply = try await TokenCommand.send(
      "POST", "auth/token/create", body, failure: "Error creating token", storeOptions)
    try GenericPath.print(reply, output)
  }
}

struct TokenLookupCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lookup",
    abstract: "Print a token's properties, as 'vault token lookup' does.",
    discussion: """
      With no TOKEN, looks up $VAULT_TOKEN. With -accessor the argument is an accessor, and the \
      output does not include the token.
      """)

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultOutputOptions
  @Flag(
    name: [.customLong("accessor", withSingleDash: true), .customLong("accessor")],
    help: "Treat the argument as an accessor instead of a token.")
  var accessor = false
  @Argument(help: "The token (default: $VAULT_TOKEN), or its accessor.") var arguments: [String] =
    []

  func run() async throws {
    switch (accessor, arguments.count) {
    case (true, 0), (true, 2...):
      throw VaultExit.usage(
        "\(arguments.isEmpty ? "Not enough" : "Too many") arguments with -accessor "
          + "(expected 1, got \(arguments.count))")
    case (false, 2...):
      throw VaultExit.usage("Too many arguments (expected 0-1, got \(arguments.count))")
    default: break
    }
    let (path, body): (String, [(String, JSONValue)]) =
      accessor
      ? ("auth/token/lookup-accessor", [("accessor", .string(arguments[0]))])
      : ("auth/token/lookup", [("token", .string(try TokenCommand.named(arguments.first)))])
    let reply = try await TokenCommand.send(
      "POST", path, JSONObject(body), failure: "Error looking up token", storeOptions)
    try GenericPath.print(reply, output)
  }
}

struct TokenRenewCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "renew",
    abstract: "Extend a token's lease, as 'vault token renew' does.",
    discussion: """
      With no TOKEN, renews $VAULT_TOKEN. Without -increment the token gets its TTL again; the \
      renewal fails for a token that is not renewable, revoked, or past its maximum TTL.
      """)

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultOutputOptions
  @Flag(
    name: [.customLong("accessor", withSingleDash: true), .customLong("accessor")],
    help: "Treat the argument as an accessor; the output does not include the token.")
  var accessor = false
  @Option(
    name: [
      .customLong("increment", withSingleDash: true), .customLong("increment"),
      .customShort("i"),
    ],
    help: "The TTL to ask for from now, e.g. 30m (default: the token's TTL).")
  var increment: String?
  @Argument(help: "The token (default: $VAULT_TOKEN), or its accessor.") var arguments: [String] =
    []

  func run() async throws {
    guard arguments.count <= 1 else {
      throw VaultExit.usage("Too many arguments (expected 1, got \(arguments.count))")
    }
    var seconds: Int64 = 0
    if let increment {
      guard let nanos = GoDuration.parse(increment), nanos >= 0 else {
        throw VaultExit.usage("invalid duration \"\(increment)\"")
      }
      seconds = nanos / GoDuration.second
    }
    let argument = arguments.first?.trimmingCharacters(in: .whitespaces) ?? ""
    // As Vault's: -accessor with no argument renews the local token.
    let (method, path, body): (String, String, [(String, JSONValue)]) =
      accessor && !argument.isEmpty
      ? ("POST", "auth/token/renew-accessor", [("accessor", .string(argument))])
      : ("PUT", "auth/token/renew", [("token", .string(try TokenCommand.named(argument)))])
    var request = JSONObject(body)
    request["increment"] = .integer(seconds)
    let reply = try await TokenCommand.send(
      method, path, request, failure: "Error renewing token", storeOptions)
    try GenericPath.print(reply, output)
  }
}

struct TokenRevokeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revoke",
    abstract: "Revoke a token and its children, as 'vault token revoke' does.",
    discussion: """
      -mode=orphan revokes the token alone: its children become orphans. -mode=path revokes \
      every token created under the path given (auth/token/create), with its children. \
      -self revokes $VAULT_TOKEN.
      """)

  @OptionGroup var storeOptions: StoreOptions
  @Flag(
    name: [.customLong("accessor", withSingleDash: true), .customLong("accessor")],
    help: "Treat the argument as an accessor instead of a token.")
  var accessor = false
  @Flag(
    name: [.customLong("self", withSingleDash: true), .customLong("self")],
    help: "Revoke $VAULT_TOKEN.")
  var revokeSelf = false
  @Option(
    name: [.customLong("mode", withSingleDash: true), .customLong("mode")],
    help: "'orphan' (leave the children) or 'path' (every token created under a path).")
  var mode = ""
  @Argument(help: "The token, its accessor, or with -mode=path a path.") var arguments: [String] =
    []

  func run() async throws {
    guard ["", "orphan", "path"].contains(mode) else {
      throw VaultExit.usage("Invalid mode: \(mode)")
    }
    let count = arguments.count
    switch () {
    case _ where revokeSelf && count > 0:
      throw VaultExit.usage("Too many arguments with -self (expected 0, got \(count))")
    case _ where !revokeSelf && count > 1:
      throw VaultExit.usage("Too many arguments (expected 1 or -self, got \(count))")
    case _ where !revokeSelf && count < 1:
      throw VaultExit.usage("Not enough arguments (expected 1 or -self, got \(count))")
    case _ where revokeSelf && accessor: throw VaultExit.usage("Cannot use -self with -accessor!")
    case _ where revokeSelf && !mode.isEmpty:
      throw VaultExit.usage("Cannot use -self with -mode!")
    case _ where accessor && !mode.isEmpty:
      throw VaultExit.usage("Cannot use -accessor with -mode=\(mode)!")
    default: break
    }
    let argument = arguments.first?.trimmingCharacters(in: .whitespaces) ?? ""
    let (method, path, body): (String, String, [(String, JSONValue)])
    switch mode {
    case _ where accessor:
      (method, path, body) = (
        "POST", "auth/token/revoke-accessor", [("accessor", .string(argument))]
      )
    case "orphan":
      (method, path, body) = ("PUT", "auth/token/revoke-orphan", [("token", .string(argument))])
    case "path":
      (method, path, body) = ("PUT", "sys/leases/revoke-prefix/" + argument, [])
    default:
      let token = try TokenCommand.named(revokeSelf ? nil : argument)
      (method, path, body) = ("PUT", "auth/token/revoke", [("token", .string(token))])
    }
    _ = try await TokenCommand.send(
      method, path, JSONObject(body), failure: "Error revoking token", storeOptions)
    Output.stdout("Success! Revoked token (if it existed)\n")
  }
}

struct TokenRootCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "root",
    abstract: "Print the store's root token (made, sealed, on first use), for VAULT_TOKEN.")

  @OptionGroup var storeOptions: StoreOptions

  func run() async throws {
    let session = try await VaultSession.open(storeOptions)
    Output.stdout(try await session.store.vaultRootToken() + "\n")
  }
}
