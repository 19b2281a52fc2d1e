import ArgumentParser
import CinchJSON
import CinchStore
import CinchVault
import Foundation

/// `cinch kv metadata get|put|patch|delete`.
struct KVMetadataCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "metadata", abstract: "Read and change a secret's metadata.",
    subcommands: [
      KVMetadataGetCommand.self, KVMetadataPutCommand.self, KVMetadataPatchCommand.self,
      KVMetadataDeleteCommand.self,
    ])
}

struct KVMetadataGetCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "get", abstract: "Print a secret's metadata and every kept version's.")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultOutputOptions
  @OptionGroup var location: KVPathOptions

  func run() async throws {
    let format = try output.resolvedFormat()
    let session = try await VaultSession.open(storeOptions)
    let (mount, key) = try await location.resolve(session)
    let path = KVPathOptions.join(mount, "metadata", key)
    let reply = await session.send("GET", path)
    guard reply.status < 400 else {
      if reply.status == 404 { throw VaultExit.remote("No value found at \(path)") }
      throw VaultSession.apiError("Error reading", path, method: "GET", reply)
    }
    guard case .object(var metadata)? = reply.data else {
      throw VaultExit.remote("No value found at \(path)")
    }
    if let field = output.field {
      try VaultRawField.print(metadata[field], field: field, format: format)
      return
    }
    if format == "json" {
      Output.stdout(VaultFormatter.json(reply.json ?? .null))
      return
    }
    let versions = metadata["versions"]?.objectValue ?? JSONObject()
    metadata["versions"] = nil
    var text = VaultFormatter.pathSection("Metadata Path", path)
    text += "\n" + VaultFormatter.section("Metadata", metadata)
    for member in versions.members.sorted(by: { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }) {
      text +=
        "\n"
        + VaultFormatter.section(
          "Version \(member.key)", member.value.objectValue ?? JSONObject())
    }
    Output.stdout(text)
  }
}

/// The settings `metadata put` and `metadata patch` take.
struct KVMetadataSettings: ParsableArguments {
  @Option(
    name: [.customLong("max-versions", withSingleDash: true), .customLong("max-versions")],
    help: "Versions to keep (0: the mount's setting, or 10; negative: left as it is).")
  var maxVersions: Int?
  @Option(
    name: [.customLong("cas-required", withSingleDash: true), .customLong("cas-required")],
    help: "Require check-and-set on every write (bare, or =true|false).")
  var casRequired: String?
  @Option(
    name: [
      .customLong("delete-version-after", withSingleDash: true),
      .customLong("delete-version-after"),
    ],
    help:
      "Soft-delete versions this long after they are written ('0s' clears it; negative: left as it is)."
  )
  var deleteVersionAfter: String?
  @Option(
    name: [.customLong("custom-metadata", withSingleDash: true), .customLong("custom-metadata")],
    help: "KEY=VALUE (repeatable).")
  var customMetadata: [String] = []
  @Option(
    name: [
      .customLong("remove-custom-metadata", withSingleDash: true),
      .customLong("remove-custom-metadata"),
    ],
    help: "Remove this key from the custom metadata (repeatable).")
  var removeCustomMetadata: [String] = []

  func body(patch: Bool) throws -> JSONObject {
    var body = JSONObject()
    // Vault's flags default to -1 and are sent only when not negative (kv_metadata_put.go,
    // kv_metadata_patch.go): a negative value leaves the setting as it is.
    if let maxVersions, maxVersions >= 0 { body["max_versions"] = .integer(Int64(maxVersions)) }
    if let casRequired {
      // A Go bool flag: strconv.ParseBool's spellings, Go's flag package's error.
      switch casRequired {
      case "1", "t", "T", "true", "TRUE", "True": body["cas_required"] = .bool(true)
      case "0", "f", "F", "false", "FALSE", "False": body["cas_required"] = .bool(false)
      default:
        throw VaultExit.usage(
          "invalid boolean value \"\(casRequired)\" for -cas-required: parse error")
      }
    }
    if let deleteVersionAfter {
      // A duration flag in Vault's CLI: refused before any request, exit 1.
      guard let duration = GoDuration.parse(deleteVersionAfter) else {
        throw VaultExit.usage(
          "invalid value \"\(deleteVersionAfter)\" for flag -delete-version-after: time: "
            + "invalid duration \"\(deleteVersionAfter)\"")
      }
      if duration >= 0 { body["delete_version_after"] = .string(deleteVersionAfter) }
    }
    if !customMetadata.isEmpty {
      var custom = JSONObject()
      for pair in customMetadata {
        guard let equals = pair.firstIndex(of: "=") else {
          throw VaultExit.usage("invalid value \"\(pair)\" for -custom-metadata: expected K=V")
        }
        let value = String(pair[pair.index(after: equals)...])
        custom[String(pair[..<equals])] = patch && value.isEmpty ? .null : .string(value)
      }
      body["custom_metadata"] = .object(custom)
    }
    if patch, !removeCustomMetadata.isEmpty {
      // A null in a merge patch removes the key, as Vault's kv metadata patch sends it.
      var custom = body["custom_metadata"]?.objectValue ?? JSONObject()
      for key in removeCustomMetadata { custom[key] = .null }
      body["custom_metadata"] = .object(custom)
    }
    return body
  }

  /// For `metadata put`, which replaces the custom metadata it sends: the keys given with
  /// `-custom-metadata`, or else the key's current ones, without those `-remove-custom-metadata`
  /// names. Nil when nothing is removed.
  func customMetadataRemoved(_ body: JSONObject, current: () async throws -> JSONObject)
    async throws -> JSONObject?
  {
    guard !removeCustomMetadata.isEmpty else { return nil }
    var custom: JSONObject
    if let given = body["custom_metadata"]?.objectValue {
      custom = given
    } else {
      custom = try await current()
    }
    for key in removeCustomMetadata { custom[key] = nil }
    return custom
  }
}

struct KVMetadataPutCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "put", abstract: "Set a secret's metadata (creating the key if needed).")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultFormatOption
  @OptionGroup var location: KVPathOptions
  @OptionGroup var settings: KVMetadataSettings

  func run() async throws {
    try await KVMetadataWrite.run(
      // `Logical().Write`, a PUT (kv_metadata_put.go), as its error's URL line shows.
      "PUT", storeOptions, output, location, try settings.body(patch: false),
      settings: settings)
  }
}

struct KVMetadataPatchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "patch", abstract: "Change some of a secret's metadata.")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultFormatOption
  @OptionGroup var location: KVPathOptions
  @OptionGroup var settings: KVMetadataSettings

  func run() async throws {
    try await KVMetadataWrite.run(
      "PATCH", storeOptions, output, location, try settings.body(patch: true))
  }
}

enum KVMetadataWrite {
  static func run(
    _ method: String, _ storeOptions: StoreOptions, _ output: VaultFormatOption,
    _ location: KVPathOptions, _ body: JSONObject, settings: KVMetadataSettings? = nil
  ) async throws {
    _ = try output.resolvedFormat()
    let session = try await VaultSession.open(storeOptions)
    let (mount, key) = try await location.resolve(session)
    let path = KVPathOptions.join(mount, "metadata", key)
    var body = body
    if let settings,
      let custom = try await settings.customMetadataRemoved(
        body,
        current: {
          // None for a key that does not exist yet; a read that fails stops the write, which
          // would otherwise replace the custom metadata with nothing.
          let reply = await session.send("GET", path)
          guard reply.status < 400 || reply.status == 404 else {
            throw VaultSession.apiError("Error reading", path, method: "GET", reply)
          }
          return reply.data?["custom_metadata"]?.objectValue ?? JSONObject()
        })
    {
      body["custom_metadata"] = .object(custom)
    }
    let reply = await session.send(method, path, .object(body))
    guard reply.status < 400 else {
      if reply.status == 404, method == "PATCH" {
        throw VaultExit.remote("No value found at \(path)")
      }
      throw VaultSession.apiError("Error writing data to", path, method: method, reply)
    }
    // An answer with warnings is a secret to Vault's CLI, printed as one (its warnings) in
    // place of the success line.
    if reply.hasWarnings {
      reply.printWarnings()
      return
    }
    try output.success("Success! Data written to: \(path)")
  }
}

struct KVMetadataDeleteCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete", abstract: "Remove a secret: every version and its metadata.")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var output: VaultFormatOption
  @OptionGroup var location: KVPathOptions

  func run() async throws {
    _ = try output.resolvedFormat()
    let session = try await VaultSession.open(storeOptions)
    let (mount, key) = try await location.resolve(session)
    let path = KVPathOptions.join(mount, "metadata", key)
    let reply = await session.send("DELETE", path)
    guard reply.status < 400 else {
      throw VaultSession.apiError("Error deleting", path, method: "DELETE", reply)
    }
    try output.success("Success! Data deleted (if it existed) at: \(path)")
  }
}
