import ArgumentParser
import CinchJSON
import CinchStore
import CinchVault

/// `cinch secrets enable|disable|list|tune`: the mount table, as `vault secrets` manages it.
struct SecretsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "secrets",
    abstract: "Mount and unmount secrets engines (kv-v2, transit, database).",
    subcommands: [
      SecretsEnableCommand.self, SecretsDisableCommand.self, SecretsListCommand.self,
      SecretsTuneCommand.self,
    ])
}

struct SecretsEnableCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "enable",
    abstract: "Mount an engine: kv-v2 (or kv -version=2), transit or database.")

  @OptionGroup var storeOptions: StoreOptions
  @Option(
    name: [.customLong("path", withSingleDash: true), .customLong("path")],
    help: "Where to mount it (default: the type's name).")
  var path: String?
  @Option(
    name: [.customLong("version", withSingleDash: true), .customLong("version")],
    help: "The KV version (2).")
  var version: Int?
  @Option(
    name: [.customLong("description", withSingleDash: true), .customLong("description")],
    help: "A description.")
  var description: String = ""
  @Argument(help: "The engine type.") var type: String

  func run() async throws {
    // secrets_enable.go: `if mountPath == "" { mountPath = engineType }`, an empty -path too.
    let mountPath = GenericPath.clean(path.flatMap { $0.isEmpty ? nil : $0 } ?? type)
    let slashed = mountPath.hasSuffix("/") ? mountPath : mountPath + "/"
    var body = JSONObject([("type", .string(type)), ("description", .string(description))])
    if let version { body["options"] = .object([("version", .string(String(version)))]) }
    let session = try await VaultSession.open(storeOptions)
    let reply = await session.send("POST", "sys/mounts/" + mountPath, .object(body))
    guard reply.status < 400 else {
      // secrets_enable.go: "Error enabling: %s", the client's error naming the API path.
      throw VaultSession.apiError(
        "Error enabling", method: "POST", url: "sys/mounts/" + mountPath, reply)
    }
    Output.stdout("Success! Enabled the \(type) secrets engine at: \(slashed)\n")
  }
}

struct SecretsDisableCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "disable", abstract: "Unmount an engine and remove everything it held.")

  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The mount path.") var path: String

  func run() async throws {
    let mountPath = GenericPath.clean(path)
    let slashed = mountPath.hasSuffix("/") ? mountPath : mountPath + "/"
    let session = try await VaultSession.open(storeOptions)
    let reply = await session.send("DELETE", "sys/mounts/" + mountPath)
    guard reply.status < 400 else {
      throw VaultSession.apiError(
        "Error disabling secrets engine at", slashed, method: "DELETE",
        url: "sys/mounts/" + mountPath, reply)
    }
    Output.stdout("Success! Disabled the secrets engine (if it existed) at: \(slashed)\n")
  }
}

/// `vault secrets tune`: a mount's description (and Vault's TTL flags, which cinch's mounts take
/// only at their defaults).
struct SecretsTuneCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tune", abstract: "Change a mounted engine's description.")

  @OptionGroup var storeOptions: StoreOptions
  @Option(
    name: [.customLong("description", withSingleDash: true), .customLong("description")],
    help: "A new description.")
  var description: String?
  @Option(
    name: [
      .customLong("default-lease-ttl", withSingleDash: true), .customLong("default-lease-ttl"),
    ],
    help: "The default lease TTL (cinch's mounts keep 768h or \"system\").")
  var defaultLeaseTTL: String?
  @Option(
    name: [.customLong("max-lease-ttl", withSingleDash: true), .customLong("max-lease-ttl")],
    help: "The maximum lease TTL (cinch's mounts keep 768h or \"system\").")
  var maxLeaseTTL: String?
  @Argument(help: "The mount path.") var path: String

  func run() async throws {
    let mountPath = GenericPath.clean(path)
    let slashed = mountPath.hasSuffix("/") ? mountPath : mountPath + "/"
    var body = JSONObject()
    if let description { body["description"] = .string(description) }
    if let defaultLeaseTTL { body["default_lease_ttl"] = .string(defaultLeaseTTL) }
    if let maxLeaseTTL { body["max_lease_ttl"] = .string(maxLeaseTTL) }
    // As Vault's client asks (its `path.Join` cleans `secret//tune`).
    let url = "sys/mounts/" + slashed + "tune"
    let session = try await VaultSession.open(storeOptions)
    let reply = await session.send("POST", url, .object(body))
    guard reply.status < 400 else {
      // secrets_tune.go: "Error tuning secrets engine %s: %s".
      throw VaultSession.apiError(
        "Error tuning secrets engine", slashed, method: "POST", url: url, reply)
    }
    Output.stdout("Success! Tuned the secrets engine at: \(slashed)\n")
  }
}

struct SecretsListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the mounted engines.")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultOutputOptions

  func run() async throws {
    let format = try output.resolvedFormat()
    let session = try await VaultSession.open(storeOptions)
    let reply = await session.send("GET", "sys/mounts")
    guard reply.status < 400, case .object(let table)? = reply.data else {
      throw VaultSession.apiError(
        "Error listing secrets engines", method: "GET", url: "sys/mounts", reply)
    }
    if format == "json" {
      Output.stdout(VaultAPIJSON.sorted(.object(table)).pretty())
      return
    }
    var rows = [
      ["Path", "Type", "Accessor", "Description"], ["----", "----", "--------", "-----------"],
    ]
    for member in table.members.sorted(by: { $0.key < $1.key }) {
      let type = member.value["type"]?.stringValue ?? ""
      rows.append([
        member.key, type, member.value["accessor"]?.stringValue ?? "",
        VaultFormatter.goValue(member.value["description"] ?? .string("")),
      ])
    }
    Output.stdout(VaultFormatter.columnize(rows))
  }
}

enum VaultAPIJSON {
  static func sorted(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let object):
      .object(
        JSONObject(object.members.sorted { $0.key < $1.key }.map { ($0.key, sorted($0.value)) }))
    case .array(let items): .array(items.map(sorted))
    default: value
    }
  }
}
