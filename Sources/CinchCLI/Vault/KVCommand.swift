import ArgumentParser
import CinchJSON
import CinchStore
import CinchVault

/// `cinch kv …`: Vault's `vault kv` commands on the embedded store's KV v2 mounts, with its
/// table output, `-format=json`, `-field=` and exit codes (Docs/Vault.md).
struct KVCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kv",
    abstract: "Read and write KV v2 secrets, as 'vault kv' does.",
    subcommands: [
      KVPutCommand.self, KVGetCommand.self, KVPatchCommand.self, KVDeleteCommand.self,
      KVUndeleteCommand.self, KVDestroyCommand.self, KVListCommand.self, KVRollbackCommand.self,
      KVMetadataCommand.self,
    ])
}

/// `-mount=secret PATH` or `secret/PATH`.
struct KVPathOptions: ParsableArguments {
  @Option(
    name: [.customLong("mount", withSingleDash: true), .customLong("mount")],
    help: "The KV v2 mount; without it the path starts with the mount ('secret/app').")
  var mount: String?

  @Argument(help: "The secret's path: MOUNT/PATH, or PATH with -mount.")
  var path: String

  /// The KV version 2 mount and the key inside it. The path is cleaned as Vault's CLI cleans it
  /// (`sanitizePath`, then `path.Join` with the mount): no empty, `.` or `..` segment, no
  /// leading or trailing slash. The mount is found as `vault kv` finds it, by the mount that
  /// serves the path (`-mount`'s value, or the path itself; a `-mount=secret/sub` names
  /// `secret/` and drops `sub`, as kv_get.go's `path.Join(mountPath, …)` does). A path under no
  /// mount gets Vault's preflight error (`listing`: the path with a trailing slash, as
  /// `kv list` asks); a mount of another engine is refused where Vault would fall back to KV
  /// version 1's plain paths, which cinch does not serve: `cinch read|write` reach those paths.
  func resolve(_ session: VaultSession, listing: Bool = false) async throws
    -> (mount: String, key: String)
  {
    let full = Self.clean(path)
    let asked = mount.map(Self.clean) ?? full
    guard let (found, rest) = try await session.store.vaultMount(for: asked) else {
      let shown = listing && mount == nil ? asked + "/" : asked
      throw VaultExit.remote(
        "preflight capability check returned 403, please ensure client's policies grant access "
          + "to path \"\(shown)\"")
    }
    guard found.type == .kv else {
      throw VaultExit.remote(
        "\(found.path) is a \(found.type.rawValue) mount, not KV version 2: "
          + "'cinch read|write|delete|list' reach its paths")
    }
    return (found.name, mount == nil ? rest : full)
  }

  /// `path.Join(mount, section, key)`, as the kv commands build their API paths: the mount's
  /// root (an empty key) is `secret/data`, without a trailing slash.
  static func join(_ mount: String, _ section: String, _ key: String) -> String {
    key.isEmpty ? "\(mount)/\(section)" : "\(mount)/\(section)/\(key)"
  }

  /// Go's `path.Clean` of a path under a root: empty and `.` segments go, `..` takes the one
  /// before it away (never past the root), and there is no slash at either end; the same
  /// cleaning the API gives a request's path (`VaultAPI.cleanPath`).
  static func clean(_ path: String) -> String {
    var cleaned = VaultAPI.cleanPath("/" + path).dropFirst()
    if cleaned.hasSuffix("/") { cleaned = cleaned.dropLast() }
    return String(cleaned)
  }
}

/// Prints a reply's data the way `vault kv put` / `kv get` do.
enum KVOutput {
  static func printSecret(
    _ reply: VaultReply, path: String, output: VaultOutputOptions, dataSection: JSONObject?,
    metadata: JSONObject?, read: Bool = false
  ) throws {
    let format = try output.resolvedFormat()
    if let field = output.field {
      // A read looks in the secret's data only, as kv_get.go does (`-field=data` is the data
      // itself unless it has a key named `data`); a write's reply has only its metadata.
      let value: JSONValue?
      if let dataSection {
        value =
          field == "data" && dataSection["data"] == nil ? .object(dataSection) : dataSection[field]
      } else {
        value = metadata?[field]
      }
      try VaultRawField.print(value, field: field, format: format)
      return
    }
    reply.printWarnings()
    if format == "json" {
      Output.stdout(VaultFormatter.json(reply.json ?? .null))
      return
    }
    var text = VaultFormatter.pathSection("Secret Path", path)
    if let metadata {
      text += "\n" + VaultFormatter.section("Metadata", metadata)
    }
    // kv_get.go ends a read's metadata with an empty line, whether a Data section follows or
    // not (a deleted version has none); a write's metadata ends with its table.
    if read || dataSection != nil { text += "\n" }
    if let dataSection {
      text += VaultFormatter.section("Data", dataSection)
    }
    Output.stdout(text)
  }
}

struct KVPutCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "put", abstract: "Write a new version of a secret: KEY=VALUE pairs.")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultOutputOptions
  @OptionGroup var location: KVPathOptions
  @Option(
    name: [.customLong("cas", withSingleDash: true), .customLong("cas")],
    help: "Check-and-set: the current version (0: only if the key does not exist).")
  var cas: Int = -1
  @Argument(help: "KEY=VALUE pairs (VALUE '@file' reads a file, '-' reads stdin).")
  var pairs: [String] = []

  func run() async throws {
    guard !pairs.isEmpty else {
      throw VaultExit.usage("Must supply data")
    }
    let data = try VaultArguments.parse(pairs)
    let session = try await VaultSession.open(storeOptions)
    let (mount, key) = try await location.resolve(session)
    let path = KVPathOptions.join(mount, "data", key)
    var options = JSONObject()
    if cas >= 0 { options["cas"] = .integer(Int64(cas)) }
    let reply = await session.send(
      "PUT", path, .object([("data", .object(data)), ("options", .object(options))]))
    guard reply.status < 400 else {
      throw VaultSession.apiError("Error writing data to", path, method: "PUT", reply)
    }
    try KVOutput.printSecret(
      reply, path: path, output: output, dataSection: nil, metadata: reply.data?.objectValue)
  }
}

struct KVGetCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "get", abstract: "Read a secret (its latest version, or -version=N).")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultOutputOptions
  @OptionGroup var location: KVPathOptions
  @Option(
    name: [.customLong("version", withSingleDash: true), .customLong("version")],
    help: "The version to read (default: the latest).")
  var version: Int?

  func run() async throws {
    let session = try await VaultSession.open(storeOptions)
    let (mount, key) = try await location.resolve(session)
    let path = KVPathOptions.join(mount, "data", key)
    let reply = await session.send(
      "GET", path, query: version.flatMap { $0 > 0 ? [("version", String($0))] : nil } ?? [])
    // A 404 that carries data is a deleted or destroyed version: printed, without its data.
    guard reply.status < 400 || (reply.status == 404 && reply.data != nil && reply.data != .null)
    else {
      // A 404 with warnings is a secret to Vault's client (api/logical.go), printed as one
      // with exit 0: the mount's root, `Non-listing operations on the root …`.
      if reply.status == 404, reply.hasWarnings, output.field == nil {
        reply.printWarnings()
        return
      }
      if reply.status == 404 { throw VaultExit.remote("No value found at \(path)") }
      throw VaultSession.apiError("Error reading", path, method: "GET", reply)
    }
    let data = reply.data?["data"]?.objectValue
    if output.field != nil, data == nil {
      // A deleted or destroyed version: kv_get.go's words for a field asked of no data.
      throw VaultExit.remote("No data found at \(path)")
    }
    try KVOutput.printSecret(
      reply, path: path, output: output, dataSection: data,
      metadata: reply.data?["metadata"]?.objectValue, read: true)
  }
}

struct KVPatchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "patch", abstract: "Change some keys of a secret, writing a new version.")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultOutputOptions
  @OptionGroup var location: KVPathOptions
  @Option(
    name: [.customLong("cas", withSingleDash: true), .customLong("cas")],
    help: "Check-and-set: the current version.")
  var cas: Int = -1
  @Option(
    name: [.customLong("method", withSingleDash: true), .customLong("method")],
    help: "'patch' (a JSON merge patch, the default) or 'rw' (read, then write with cas).")
  var method: String = "patch"
  @Option(
    name: [.customLong("remove-data", withSingleDash: true), .customLong("remove-data")],
    help: "Remove this key (repeatable).")
  var removeData: [String] = []
  @Argument(help: "KEY=VALUE pairs.")
  var pairs: [String] = []

  func run() async throws {
    guard !pairs.isEmpty || !removeData.isEmpty else { throw VaultExit.usage("Must supply data") }
    guard method == "patch" || method == "rw" else {
      // KVPatchCommand's code for it is 2, though the flag is local.
      throw VaultExit.remote("Unsupported method provided to -method flag: \(method)")
    }
    var data = try VaultArguments.parse(pairs)
    for key in removeData { data[key] = .null }
    let session = try await VaultSession.open(storeOptions)
    let (mount, key) = try await location.resolve(session)
    let path = KVPathOptions.join(mount, "data", key)
    let reply: VaultReply
    if method == "rw" {
      // kv_patch.go's readThenWrite: a latest version deleted or destroyed has metadata and no
      // data, and says so.
      let current = await session.send("GET", path)
      guard let version = current.data?["metadata"]?["version"] else {
        throw VaultExit.remote("No value found at \(path)")
      }
      guard case .object(var existing)? = current.data?["data"] else {
        throw VaultExit.remote("No data found at \(path); patch only works on existing data")
      }
      for member in data {
        existing[member.key] = member.value == .null ? nil : member.value
      }
      reply = await session.send(
        "PUT", path,
        .object([("data", .object(existing)), ("options", .object([("cas", version)]))]))
    } else {
      var options = JSONObject()
      if cas >= 0 { options["cas"] = .integer(Int64(cas)) }
      reply = await session.send(
        "PATCH", path, .object([("data", .object(data)), ("options", .object(options))]))
    }
    guard reply.status < 400 else {
      // The read-then-write's 404 said what it read; a PATCH's 404 is its API error, as the
      // Go client returns it to kv_patch.go (`Error writing data to …`).
      throw VaultSession.apiError(
        "Error writing data to", path, method: method == "rw" ? "PUT" : "PATCH", reply)
    }
    try KVOutput.printSecret(
      reply, path: path, output: output, dataSection: nil, metadata: reply.data?.objectValue)
  }
}

/// `-versions=1,2 -versions=3`.
struct KVVersionsOption: ParsableArguments {
  @Option(
    name: [.customLong("versions", withSingleDash: true), .customLong("versions")],
    help: "Version numbers, comma-separated or repeated.")
  var versions: [String] = []

  func numbers() throws -> [Int] {
    try versions.flatMap { $0.split(separator: ",") }.map { part in
      guard let number = Int(part.trimmingCharacters(in: .whitespaces)) else {
        throw VaultExit.usage("invalid value \"\(part)\" for -versions")
      }
      return number
    }
  }
}

struct KVDeleteCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete", abstract: "Soft-delete the latest version, or -versions.")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultFormatOption
  @OptionGroup var location: KVPathOptions
  @OptionGroup var versions: KVVersionsOption

  func run() async throws {
    _ = try output.resolvedFormat()
    let numbers = try versions.numbers()
    let session = try await VaultSession.open(storeOptions)
    let (mount, key) = try await location.resolve(session)
    let dataPath = KVPathOptions.join(mount, "data", key)
    let reply: VaultReply
    if numbers.isEmpty {
      reply = await session.send("DELETE", dataPath)
    } else {
      reply = await session.send(
        "PUT", KVPathOptions.join(mount, "delete", key),
        .object([("versions", .array(numbers.map { .string(String($0)) }))]))
    }
    guard reply.status < 400 else {
      throw VaultSession.apiError("Error deleting", dataPath, method: "DELETE", reply)
    }
    try output.success("Success! Data deleted (if it existed) at: \(dataPath)")
  }
}

/// `kv undelete` and `kv destroy`: a versions list posted to `undelete/` or `destroy/`.
enum KVVersionsCommand {
  static func run(
    _ section: String, storeOptions: StoreOptions, output: VaultFormatOption,
    location: KVPathOptions, versions: KVVersionsOption
  ) async throws {
    _ = try output.resolvedFormat()
    let numbers = try versions.numbers()
    guard !numbers.isEmpty else {
      throw VaultExit.usage(
        "No versions provided, use the \"-versions\" flag to specify the version to \(section).")
    }
    let session = try await VaultSession.open(storeOptions)
    let (mount, key) = try await location.resolve(session)
    let path = KVPathOptions.join(mount, section, key)
    let reply = await session.send(
      "PUT", path, .object([("versions", .array(numbers.map { .integer(Int64($0)) }))]))
    guard reply.status < 400 else {
      throw VaultSession.apiError("Error writing data to", path, method: "PUT", reply)
    }
    try output.success("Success! Data written to: \(path)")
  }
}

struct KVUndeleteCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "undelete", abstract: "Undo the soft delete of -versions.")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultFormatOption
  @OptionGroup var location: KVPathOptions
  @OptionGroup var versions: KVVersionsOption

  func run() async throws {
    try await KVVersionsCommand.run(
      "undelete", storeOptions: storeOptions, output: output, location: location,
      versions: versions)
  }
}

struct KVDestroyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "destroy", abstract: "Remove the data of -versions for good.")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultFormatOption
  @OptionGroup var location: KVPathOptions
  @OptionGroup var versions: KVVersionsOption

  func run() async throws {
    try await KVVersionsCommand.run(
      "destroy", storeOptions: storeOptions, output: output, location: location,
      versions: versions)
  }
}

struct KVListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the keys and folders under a path.")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultOutputOptions
  @OptionGroup var location: KVPathOptions

  func run() async throws {
    let format = try output.resolvedFormat()
    let session = try await VaultSession.open(storeOptions)
    let (mount, key) = try await location.resolve(session, listing: true)
    let path = KVPathOptions.join(mount, "metadata", key)
    let reply = await session.send("LIST", path)
    guard reply.status < 400 else {
      if reply.status == 404 {
        // Vault's kv list prints an empty object for nothing to list in a format not table,
        // and nothing else (kv_list.go): the words are for the table format.
        if format != "table" {
          Output.stdout("{}\n")
          throw VaultExit.remote("")
        }
        // Named as Vault's path.Join leaves it, without a trailing slash.
        var shown = path
        while shown.hasSuffix("/") { shown.removeLast() }
        throw VaultExit.remote("No value found at \(shown)")
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

struct KVRollbackCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rollback", abstract: "Write an earlier version's data as the new version.")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultOutputOptions
  @OptionGroup var location: KVPathOptions
  @Option(
    name: [.customLong("version", withSingleDash: true), .customLong("version")],
    help: "The version to roll back to.")
  var version: Int?

  func run() async throws {
    guard let version else { throw VaultExit.usage("Version flag must be specified") }
    guard version > 0 else {
      throw VaultExit.usage("Invalid value \(version) for the version flag")
    }
    let session = try await VaultSession.open(storeOptions)
    let (mount, key) = try await location.resolve(session)
    let path = KVPathOptions.join(mount, "data", key)
    let latest = await session.send("GET", path)
    guard let current = latest.data?["metadata"]?["version"] else {
      throw VaultExit.remote("No value found at \(path)")
    }
    let target = await session.send("GET", path, query: [("version", String(version))])
    guard let metadata = target.data?["metadata"] else {
      throw VaultExit.remote("No value found at \(path)")
    }
    if metadata["destroyed"] == .bool(true) {
      throw VaultExit.remote("Cannot roll back to a version that has been destroyed")
    }
    // Any deletion time refuses, a scheduled one (`delete_version_after`) too, as Vault's
    // kv_rollback.go checks only that `deletion_time` is not empty.
    if metadata["deletion_time"]?.stringValue?.isEmpty == false {
      throw VaultExit.remote("Cannot roll back to a version that has been deleted")
    }
    guard case .object(let data)? = target.data?["data"] else {
      throw VaultExit.remote("No value found at \(path)")
    }
    let reply = await session.send(
      "PUT", path, .object([("data", .object(data)), ("options", .object([("cas", current)]))]))
    guard reply.status < 400 else {
      throw VaultSession.apiError("Error writing data to", path, method: "PUT", reply)
    }
    let format = try output.resolvedFormat()
    if let field = output.field {
      try VaultRawField.print(reply.data?[field], field: field, format: format)
    } else if format == "json" {
      Output.stdout(VaultFormatter.json(reply.json ?? .null))
    } else {
      Output.stdout(VaultFormatter.table(reply.data?.objectValue ?? JSONObject()))
    }
  }
}
