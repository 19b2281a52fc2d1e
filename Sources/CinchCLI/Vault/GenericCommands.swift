import ArgumentParser
import CinchJSON
import CinchStore
import CinchVault

/// `cinch read|write|delete|list PATH`: Vault's generic commands on any path the API serves
/// (`cinch write transit/encrypt/app plaintext=…`, `cinch read transit/keys/app`,
/// `cinch write sys/mounts/transit type=transit`).
struct VaultReadCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "read", abstract: "Read a Vault API path, as 'vault read' does.")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultOutputOptions
  @Argument(help: "The path, e.g. transit/keys/app.") var path: String
  @Argument(help: "KEY=VALUE query parameters.") var pairs: [String] = []

  func run() async throws {
    let path = GenericPath.clean(self.path)
    let query = try VaultArguments.parse(pairs)
    let session = try await VaultSession.open(storeOptions)
    let reply = await session.send(
      "GET", path, query: query.members.map { ($0.key, $0.value.stringValue ?? "") })
    guard reply.status < 400 || reply.isReadableNotFound else {
      if reply.status == 404, reply.errors?.isEmpty ?? true {
        throw VaultExit.remote("No value found at \(path)")
      }
      throw VaultSession.apiError("Error reading", path, method: "GET", reply)
    }
    try GenericPath.print(reply, output)
  }
}

extension VaultReply {
  /// A 404 that still answers: the vault CLI's client reads the secret of a 404 whose body
  /// has data or warnings (`ParseRawResponseAndCloseBody` in Vault's api/logical.go), so
  /// `vault read secret/data/app` of a deleted KV v2 version prints its metadata, exit 0.
  var isReadableNotFound: Bool {
    guard status == 404 else { return false }
    let hasData = data.map { $0.objectValue.map { !$0.isEmpty } ?? ($0 != .null) } ?? false
    let hasWarnings = json?["warnings"]?.arrayValue?.isEmpty == false
    return hasData || hasWarnings
  }
}

struct VaultWriteCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "write", abstract: "Write to a Vault API path, as 'vault write' does.")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultOutputOptions
  @Flag(
    name: [.customLong("force", withSingleDash: true), .customLong("force"), .customShort("f")],
    help: "Write with no data.")
  var force = false
  @Argument(help: "The path, e.g. transit/encrypt/app.") var path: String
  @Argument(help: "KEY=VALUE pairs ('@file', '-' for stdin).") var pairs: [String] = []

  func run() async throws {
    guard !pairs.isEmpty || force else { throw VaultExit.usage("Must supply data or use -force") }
    let path = GenericPath.clean(self.path)
    let data = try VaultArguments.parse(pairs)
    let session = try await VaultSession.open(storeOptions)
    let reply = await session.send("PUT", path, .object(data))
    guard reply.status < 400 else {
      throw VaultSession.apiError("Error writing data to", path, method: "PUT", reply)
    }
    guard reply.json != nil else {
      Output.stdout("Success! Data written to: \(path)\n")
      return
    }
    try GenericPath.print(reply, output)
  }
}

struct VaultDeleteCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete", abstract: "Delete at a Vault API path, as 'vault delete' does.")

  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The path, e.g. transit/keys/app.") var path: String

  func run() async throws {
    let path = GenericPath.clean(self.path)
    let session = try await VaultSession.open(storeOptions)
    let reply = await session.send("DELETE", path)
    guard reply.status < 400 else {
      throw VaultSession.apiError("Error deleting", path, method: "DELETE", reply)
    }
    reply.printWarnings()
    Output.stdout("Success! Data deleted (if it existed) at: \(path)\n")
  }
}

struct VaultListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List a Vault API path, as 'vault list' does.")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultOutputOptions
  @Argument(help: "The path, e.g. transit/keys.") var path: String

  func run() async throws {
    let format = try output.resolvedFormat()
    let path = GenericPath.clean(self.path)
    let session = try await VaultSession.open(storeOptions)
    let reply = await session.send("LIST", path)
    guard reply.status < 400 else {
      if reply.status == 404, reply.errors?.isEmpty ?? true {
        // As kv list, Vault's list prints an empty object in a format not table, and no words
        // (list.go).
        if format != "table" {
          Output.stdout("{}\n")
          throw VaultExit.remote("")
        }
        throw VaultExit.remote("No value found at \(path)")
      }
      throw VaultSession.apiError("Error listing", path, method: "LIST", reply)
    }
    let keys = reply.data?["keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
    if format == "json" {
      Output.stdout(JSONValue.array(keys.map(JSONValue.string)).pretty())
    } else {
      Output.stdout((["Keys", "----"] + keys).joined(separator: "\n") + "\n")
    }
  }
}

enum GenericPath {
  static func clean(_ path: String) -> String {
    var path = path
    while path.hasPrefix("/") { path.removeFirst() }
    return path
  }

  /// `vault read`'s output: `-field`, `-format=json`, or the secret's Key/Value table.
  static func print(_ reply: VaultReply, _ output: VaultOutputOptions) throws {
    let format = try output.resolvedFormat()
    let response = reply.json ?? .null
    if let field = output.field {
      try VaultRawField.print(
        VaultRawField.value(response, field), field: field, format: format)
      return
    }
    reply.printWarnings()
    if format == "json" {
      Output.stdout(VaultFormatter.json(response))
    } else {
      Output.stdout(VaultFormatter.secretTable(response))
    }
  }
}
