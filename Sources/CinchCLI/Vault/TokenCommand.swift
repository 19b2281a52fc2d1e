import ArgumentParser
import CinchJSON
import CinchStore
import CinchVault

/// `cinch token create|root`: tokens for `X-Vault-Token`. The command line holds the store, so
/// it may mint any token, root included.
struct TokenCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "token", abstract: "Mint tokens for 'cinch serve' clients (VAULT_TOKEN).",
    subcommands: [TokenCreateCommand.self, TokenRootCommand.self])
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
    let session = try await VaultSession.open(storeOptions)
    let reply = await session.send("POST", "auth/token/create", .object(body))
    guard reply.status < 400 else {
      throw VaultSession.apiError(
        "Error creating token", method: "POST", url: "auth/token/create", reply)
    }
    try GenericPath.print(reply, output)
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
