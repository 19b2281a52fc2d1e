import CinchJSON
import CinchStore
import Foundation

/// The KV v2 engine's paths inside its mount (`config`, `data/`, `metadata/`, `delete/`,
/// `undelete/`, `destroy/`, `subkeys/`), with Vault's status codes and texts.
struct KVEngine {
  let store: SQLiteStore
  let mount: VaultMount

  var name: String { mount.name }

  /// The typed fields of each path's schema (vault-plugin-secrets-kv), read as their types
  /// before the handler runs, as Vault's framework does.
  static let schemas: [String: [String: FieldType]] = [
    "config": [
      "max_versions": .int, "cas_required": .bool, "delete_version_after": .durationSecond,
    ],
    "data": ["version": .int, "options": .map, "data": .map],
    // The mount's `delete_version_after` is TypeSignedDurationSecond (a negative one disables
    // it on every key), a key's TypeDurationSecond ("A negative duration will cause an error").
    "metadata": [
      "max_versions": .int, "cas_required": .bool,
      "delete_version_after": .unsignedDurationSecond,
      "custom_metadata": .keyValuePairs,
    ],
    "delete": ["versions": .commaIntSlice],
    "undelete": ["versions": .commaIntSlice],
    "destroy": ["versions": .commaIntSlice],
    "subkeys": ["version": .int, "depth": .int],
  ]

  func handle(_ request: LogicalRequest, rest: String) async throws -> LogicalResponse? {
    if rest == "config" { return try await config(request) }
    let slash = rest.firstIndex(of: "/")
    let section = slash.map { String(rest[..<$0]) } ?? rest
    let path = slash.map { String(rest[rest.index(after: $0)...]) } ?? ""
    let sections = ["data", "metadata", "delete", "undelete", "destroy", "subkeys"]
    guard sections.contains(section) else { return invalidPath(request) }
    if request.operation == .list {
      guard section == "metadata" else { return invalidPath(request) }
      try request.data.validate(Self.schemas[section] ?? [:])
      return try await list(path, request)
    }
    guard !path.isEmpty else {
      var response = LogicalResponse(data: nil)
      response.status = 404
      response.warnings = [
        "Non-listing operations on the root of a K/V v2 mount are not supported."
      ]
      return response
    }
    guard !path.hasSuffix("/") else { return invalidPath(request) }
    try request.data.validate(Self.schemas[section] ?? [:])
    switch (section, request.operation) {
    case ("data", .read): return try await read(path, request)
    case ("data", .update), ("data", .create): return try await write(path, request)
    case ("data", .patch): return try await patch(path, request)
    case ("data", .delete):
      try await store.kvDelete(mount: name, path: path, versions: nil)
      return nil
    case ("metadata", .read): return try await readMetadata(path)
    case ("metadata", .update), ("metadata", .create):
      return try await writeMetadata(path, request, patch: false)
    case ("metadata", .patch): return try await writeMetadata(path, request, patch: true)
    case ("metadata", .delete):
      try await store.kvDeleteMetadata(mount: name, path: path)
      return nil
    case ("delete", .update), ("delete", .create):
      try await store.kvDelete(
        mount: name, path: path,
        versions: try versions(request, message: "No version number provided"))
      return nil
    case ("undelete", .update), ("undelete", .create):
      try await store.kvUndelete(
        mount: name, path: path,
        versions: try versions(request, message: "No version number provided"))
      return nil
    case ("destroy", .update), ("destroy", .create):
      try await store.kvDestroy(
        mount: name, path: path,
        versions: try versions(request, message: "no version number provided"))
      return nil
    case ("subkeys", .read): return try await subkeys(path, request)
    default:
      throw VaultError(status: 405, ["unsupported operation"])
    }
  }

  // MARK: Config

  func config(_ request: LogicalRequest) async throws -> LogicalResponse? {
    try request.data.validate(Self.schemas["config"] ?? [:])
    switch request.operation {
    case .read:
      let config = try await store.kvConfig(mount: name)
      return LogicalResponse(
        data: .object([
          ("cas_required", .bool(config.casRequired)),
          ("delete_version_after", .string(GoDuration.format(config.deleteVersionAfter))),
          ("max_versions", .integer(Int64(config.maxVersions))),
        ]))
    case .update, .create:
      let maxVersions = try request.data.intField("max_versions")
      let casRequired = try request.data.flag("cas_required")
      let after = try Self.deleteVersionAfter(request)
      if let maxVersions, maxVersions < 0 {
        throw VaultError.invalid("max_versions must not be negative")
      }
      try await store.setKVConfig(
        mount: name, maxVersions: maxVersions, casRequired: casRequired, deleteVersionAfter: after)
      return nil
    default:
      throw VaultError(status: 405, ["unsupported operation"])
    }
  }

  // MARK: Data

  func read(_ path: String, _ request: LogicalRequest) async throws -> LogicalResponse? {
    let version = try versionField(request)
    guard let read = try await store.kvRead(mount: name, path: path, version: version) else {
      return nil
    }
    var response = LogicalResponse(
      data: .object([
        ("data", read.data.map(JSONValue.object) ?? .null),
        ("metadata", Self.versionMetadata(read.metadata)),
      ]))
    if read.data == nil { response.status = 404 }
    return response
  }

  func write(_ path: String, _ request: LogicalRequest) async throws -> LogicalResponse? {
    guard let data = try request.data.map("data").checked("data") else {
      throw VaultError.invalid("no data provided")
    }
    let written = try await store.kvWrite(
      mount: name, path: path, data: data, cas: try cas(request))
    return LogicalResponse(data: Self.versionMetadata(written))
  }

  func patch(_ path: String, _ request: LogicalRequest) async throws -> LogicalResponse? {
    guard let data = try request.data.map("data").checked("data") else {
      throw VaultError.invalid("no data provided")
    }
    switch try await store.kvPatch(mount: name, path: path, patch: data, cas: try cas(request)) {
    case .written(let metadata):
      return LogicalResponse(data: Self.versionMetadata(metadata))
    case .missing:
      var response = LogicalResponse(data: nil)
      response.status = 404
      response.emptyBody = true
      return response
    case .currentUnavailable(let metadata):
      var response = LogicalResponse(data: Self.versionMetadata(metadata))
      response.status = 404
      return response
    }
  }

  func subkeys(_ path: String, _ request: LogicalRequest) async throws -> LogicalResponse? {
    let version = try versionField(request)
    // As removeValues reads `maxDepth`: 0 is no limit, any other value a limit, so a negative
    // depth stops where depth 1 does.
    let depth = try request.data.intField("depth") ?? 0
    guard let read = try await store.kvRead(mount: name, path: path, version: version) else {
      return nil
    }
    var response = LogicalResponse(
      data: .object([
        ("metadata", Self.versionMetadata(read.metadata)),
        ("subkeys", read.data.map { Self.subkeys(.object($0), depth: depth, level: 1) } ?? .null),
      ]))
    if read.data == nil { response.status = 404 }
    return response
  }

  /// Leaves and maps with no members become `null`; `depth` 0 is unlimited, any other value
  /// the deepest level walked (`maxDepth == 0 || currentDepth <= maxDepth` in Vault's
  /// removeValues, where a negative one keeps the top level only).
  static func subkeys(_ value: JSONValue, depth: Int, level: Int) -> JSONValue {
    guard case .object(let object) = value else { return .null }
    var result = JSONObject()
    for member in object {
      if case .object(let inner) = member.value, !inner.isEmpty, depth == 0 || level < depth {
        result[member.key] = subkeys(member.value, depth: depth, level: level + 1)
      } else {
        result[member.key] = .null
      }
    }
    return .object(result)
  }

  // MARK: Metadata

  func readMetadata(_ path: String) async throws -> LogicalResponse? {
    guard let metadata = try await store.kvMetadata(mount: name, path: path) else { return nil }
    var versions = JSONObject()
    for (number, version) in metadata.versions {
      versions[String(number)] = .object([
        ("created_time", .string(VaultTime.format(version.createdTime))),
        ("deletion_time", .string(version.deletionTime.map(VaultTime.format) ?? "")),
        ("destroyed", .bool(version.destroyed)),
      ])
    }
    return LogicalResponse(
      data: .object([
        ("cas_required", .bool(metadata.casRequired)),
        ("created_time", .string(VaultTime.format(metadata.createdTime))),
        ("current_version", .integer(Int64(metadata.currentVersion))),
        ("custom_metadata", Self.custom(metadata.customMetadata)),
        ("delete_version_after", .string(GoDuration.format(metadata.deleteVersionAfter))),
        ("max_versions", .integer(Int64(metadata.maxVersions))),
        ("oldest_version", .integer(Int64(metadata.oldestVersion))),
        ("updated_time", .string(VaultTime.format(metadata.updatedTime))),
        ("versions", .object(versions)),
      ]))
  }

  func writeMetadata(_ path: String, _ request: LogicalRequest, patch: Bool) async throws
    -> LogicalResponse?
  {
    var update = KVMetadataUpdate()
    update.maxVersions = try request.data.intField("max_versions")
    update.casRequired = try request.data.flag("cas_required")
    update.deleteVersionAfter = try Self.deleteVersionAfter(request)
    if let maxVersions = update.maxVersions, maxVersions < 0 {
      throw VaultError.invalid("max_versions must not be negative")
    }
    if let pairs = try request.data.keyValuePairs("custom_metadata").checked("custom_metadata") {
      // A null value removes the key in a merge patch; a write reads it as "" (refused below).
      var map: [String: String?] = [:]
      for (key, value) in pairs { map[key] = patch ? value : .some(value ?? "") }
      try Self.validateCustomMetadata(map.compactMapValues { $0 })
      update.customMetadata = map
    }
    if update.isEmpty, !patch { return nil }
    let found = try await store.kvWriteMetadata(
      mount: name, path: path, update: update, createIfMissing: !patch)
    if patch && !found { throw VaultError.notFound }
    if update.casRequired == false, try await store.kvConfig(mount: name).casRequired {
      var response = LogicalResponse(data: nil)
      response.warnings = [
        "\"cas_required\" set to false, but is mandated by backend config. This value will be ignored."
      ]
      return response
    }
    return nil
  }

  /// Vault's limits: 64 keys, keys of 1–128 and values of 1–512 bytes (Go's `len`), printable.
  static func validateCustomMetadata(_ map: [String: String]) throws {
    var problems: [String] = []
    if map.count > 64 {
      problems.append("payload must contain at most 64 keys, provided \(map.count)")
    }
    for (key, value) in map.sorted(by: { $0.key < $1.key }) {
      let keyBytes = key.utf8.count
      let valueBytes = value.utf8.count
      if keyBytes == 0 || keyBytes > 128 {
        problems.append("length of key \"\(key)\" is \(keyBytes) but must be 0 < len(key) <= 128")
      }
      if valueBytes == 0 || valueBytes > 512 {
        problems.append(
          "length of value for key \"\(key)\" is \(valueBytes) but must be 0 < len(value) <= 512")
      }
      if !isPrintable(key) { problems.append("key \"\(key)\" contains unprintable characters") }
      if !isPrintable(value) {
        problems.append("value for key \"\(key)\" contains unprintable characters")
      }
    }
    if !problems.isEmpty {
      throw VaultError.invalid(
        "custom_metadata validation failed: " + problems.joined(separator: "; "))
    }
  }

  /// Vault's `strutil.Printable`, which is Go's `unicode.IsPrint` for every rune: letters,
  /// marks, numbers, punctuation, symbols and the ASCII space, so no other space (U+00A0,
  /// U+3000), no format character (U+200B, U+00AD, U+FEFF), no line or paragraph separator, no
  /// control, private-use or unassigned code point.
  static func isPrintable(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy { scalar in
      switch scalar.properties.generalCategory {
      case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
        .nonspacingMark, .spacingMark, .enclosingMark,
        .decimalNumber, .letterNumber, .otherNumber,
        .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
        .initialPunctuation, .finalPunctuation, .otherPunctuation,
        .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
        true
      default:
        scalar == " "
      }
    }
  }

  func list(_ folder: String, _ request: LogicalRequest) async throws -> LogicalResponse? {
    let exclude = try request.data.flag("exclude_deleted") ?? false
    let keys = try await store.kvList(mount: name, folder: folder, excludeDeleted: exclude)
    guard !keys.isEmpty else { return nil }
    return LogicalResponse(data: .object([("keys", .array(keys.map(JSONValue.string)))]))
  }

  // MARK: Fields

  func invalidPath(_ request: LogicalRequest) -> LogicalResponse {
    let verb: String
    switch request.operation {
    case .read: verb = "get"
    case .list: verb = "list"
    case .delete: verb = "delete"
    case .patch: verb = "patch"
    default: verb = "put"
    }
    var response = LogicalResponse(data: nil)
    response.status = 404
    response.warnings = [
      "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API "
        + "endpoints to use. If using the Vault CLI, use 'vault kv \(verb)' for this operation."
    ]
    return response
  }

  func cas(_ request: LogicalRequest) throws -> Int? {
    guard let options = try request.data.map("options").checked("options") else { return nil }
    switch options.int("cas") {
    case .absent: return nil
    case .invalid: throw VaultError.invalid("error parsing check-and-set parameter")
    case .value(let cas): return cas
    }
  }

  /// The `version` to read, 0 for the current one: pathDataRead and pathSubkeysRead take the
  /// parameter only `if verParam > 0`, so a negative version reads the current one too.
  func versionField(_ request: LogicalRequest) throws -> Int {
    max(try request.data.intField("version") ?? 0, 0)
  }

  /// `delete_version_after` in nanoseconds, in whole seconds as Vault's framework hands a
  /// duration field to its handler (`int(dur.Seconds())`: `1.5s` is 1s, `-500ms` is 0).
  static func deleteVersionAfter(_ request: LogicalRequest) throws -> Int64? {
    try request.data.durationSeconds("delete_version_after").map { Int64($0) * GoDuration.second }
  }

  func versions(_ request: LogicalRequest, message: String) throws -> [Int] {
    guard let versions = try request.data.intList("versions").checked("versions"),
      !versions.isEmpty
    else {
      throw VaultError.invalid(message)
    }
    return versions
  }

  /// The key's custom metadata, null when unset or empty, as Vault's map kept in protobuf reads
  /// back (an empty map stored by an earlier cinch reads so too).
  static func custom(_ map: [String: String]?) -> JSONValue {
    guard let map, !map.isEmpty else { return .null }
    return .object(JSONObject(map.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
  }

  static func versionMetadata(_ metadata: KVVersionMetadata) -> JSONValue {
    .object([
      ("created_time", .string(VaultTime.format(metadata.createdTime))),
      ("custom_metadata", custom(metadata.customMetadata)),
      ("deletion_time", .string(metadata.deletionTime.map(VaultTime.format) ?? "")),
      ("destroyed", .bool(metadata.destroyed)),
      ("version", .integer(Int64(metadata.version))),
    ])
  }
}
