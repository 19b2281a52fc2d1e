import ArgumentParser
import CinchJSON
import CinchStore
import CinchVault

/// `cinch lease renew|revoke|lookup|tidy`, as `vault lease` (tidy revokes expired leases, which
/// a running `cinch serve` also does).
struct LeaseCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lease", abstract: "Renew, revoke and look up leases of dynamic credentials.",
    subcommands: [
      LeaseRenewCommand.self, LeaseRevokeCommand.self, LeaseLookupCommand.self,
      LeaseTidyCommand.self,
    ])
}

struct LeaseRenewCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "renew", abstract: "Extend a lease (by -increment, or its TTL).")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultOutputOptions
  @Option(
    name: [.customLong("increment", withSingleDash: true), .customLong("increment")],
    help: "How long from now, e.g. 30m.")
  var increment: String?
  @Argument(help: "The lease id.") var leaseID: String

  func run() async throws {
    var body = JSONObject([("lease_id", .string(leaseID))])
    if let increment { body["increment"] = .string(increment) }
    let session = try await VaultSession.open(storeOptions)
    let reply = await session.send("PUT", "sys/leases/renew", .object(body))
    guard reply.status < 400 else {
      throw VaultSession.apiError(
        "Error renewing", leaseID, method: "PUT", url: "sys/leases/renew", reply)
    }
    try GenericPath.print(reply, output)
  }
}

struct LeaseRevokeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revoke", abstract: "Revoke a lease (drops its database role), or -prefix.")

  @OptionGroup var storeOptions: StoreOptions
  @Flag(
    name: [.customLong("prefix", withSingleDash: true), .customLong("prefix")],
    help: "Revoke every lease whose id starts with the argument.")
  var prefix = false
  @Flag(
    name: [.customLong("force", withSingleDash: true), .customLong("force")],
    help: "Forget the leases even when their roles cannot be dropped (needs -prefix).")
  var force = false
  @Argument(help: "The lease id (or prefix).") var leaseID: String

  func run() async throws {
    // Vault's `lease revoke`: "If this flag is specified, -prefix is also required."
    guard !force || prefix else {
      throw VaultExit.usage("Specifying -force requires also specifying -prefix")
    }
    let session = try await VaultSession.open(storeOptions)
    let url =
      force
      ? "sys/leases/revoke-force/" + leaseID
      : prefix ? "sys/leases/revoke-prefix/" + leaseID : "sys/leases/revoke"
    let reply =
      prefix
      ? await session.send("PUT", url, .object(JSONObject()))
      : await session.send("PUT", url, .object([("lease_id", .string(leaseID))]))
    guard reply.status < 400 else {
      throw VaultSession.apiError("Error revoking", leaseID, method: "PUT", url: url, reply)
    }
    // Vault's lease_revoke.go words.
    if force {
      Output.stderr(
        "WARNING! Force-removing leases can cause Vault to become out of sync with secret "
          + "engines!\n")
      Output.stdout("Success! Force revoked any leases with prefix: \(leaseID)\n")
      return
    }
    Output.stdout("All revocation operations queued successfully!\n")
  }
}

struct LeaseLookupCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lookup", abstract: "Print a lease's times.")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultOutputOptions
  @Argument(help: "The lease id.") var leaseID: String

  func run() async throws {
    let session = try await VaultSession.open(storeOptions)
    let reply = await session.send(
      "PUT", "sys/leases/lookup", .object([("lease_id", .string(leaseID))]))
    guard reply.status < 400 else {
      throw VaultSession.apiError(
        "error looking up lease id", leaseID, method: "PUT", url: "sys/leases/lookup", reply)
    }
    try GenericPath.print(reply, output)
  }
}

struct LeaseTidyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tidy", abstract: "Revoke every expired lease now (drops their roles).")

  @OptionGroup var storeOptions: StoreOptions

  func run() async throws {
    let session = try await VaultSession.open(storeOptions)
    let sweep = try await session.api.revokeExpiredLeases()
    Output.stdout("Revoked \(sweep.revoked) expired lease(s)\n")
    for failure in sweep.failures {
      Output.stderr("lease '\(failure.leaseID)' could not be revoked: \(failure.reason)\n")
    }
    if sweep.failed > 0 {
      throw VaultExit.remote("\(sweep.failed) expired lease(s) could not be revoked; try again")
    }
  }
}
