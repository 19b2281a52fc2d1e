import CinchJSON
import CinchStore
import Foundation

/// The transit engine's paths inside its mount: `keys`, `keys/:name` (`/config`, `/rotate`),
/// `encrypt/:name`, `decrypt/:name`, `rewrap/:name`, `datakey/(plaintext|wrapped)/:name`.
struct TransitEngine {
  let store: SQLiteStore
  let mount: VaultMount
  /// Whether an encrypt may create the key it names (Vault's upsert, which needs the `create`
  /// capability on `encrypt/NAME`): the root token's, not another's, which may use keys but
  /// not make them (`VaultAPI.isEngineUse`).
  var mayCreateKeys = true

  var name: String { mount.name }

  /// The typed fields of each path's schema (Vault's builtin/logical/transit), read as their
  /// types before the handler runs, as Vault's framework does.
  static let schemas: [String: [String: FieldType]] = [
    "keys/:name": [
      "type": .string, "derived": .bool, "convergent_encryption": .bool, "exportable": .bool,
      "allow_plaintext_backup": .bool, "context": .string,
      "auto_rotate_period": .unsignedDurationSecond,
      "key_size": .int, "managed_key_name": .string, "managed_key_id": .string,
    ],
    "keys/:name/config": [
      "min_decryption_version": .int, "min_encryption_version": .int, "deletion_allowed": .bool,
      "exportable": .bool, "allow_plaintext_backup": .bool,
      "auto_rotate_period": .unsignedDurationSecond,
    ],
    "keys/:name/rotate": ["managed_key_name": .string, "managed_key_id": .string],
    "encrypt": [
      "plaintext": .string, "context": .string, "nonce": .string, "type": .string,
      "convergent_encryption": .bool, "key_version": .int, "associated_data": .string,
      "padding_scheme": .string, "partial_failure_response_code": .int,
    ],
    "decrypt": [
      "ciphertext": .string, "context": .string, "nonce": .string, "associated_data": .string,
      "padding_scheme": .string, "partial_failure_response_code": .int,
    ],
    "rewrap": [
      "ciphertext": .string, "context": .string, "nonce": .string, "key_version": .int,
      "encrypt_padding_scheme": .string, "decrypt_padding_scheme": .string,
    ],
    // `plaintext` is the path's `plaintext|wrapped` segment, which takes precedence over a body.
    "datakey": [
      "context": .string, "nonce": .string, "bits": .int, "key_version": .int,
      "padding_scheme": .string,
    ],
  ]

  /// Checks the request's fields against the schema of `route` (a key of `schemas`).
  static func validate(_ request: LogicalRequest, _ route: String) throws {
    try request.data.validate(schemas[route] ?? [:])
  }

  func handle(_ request: LogicalRequest, rest: String) async throws -> LogicalResponse? {
    let parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    guard Self.namesMatch(parts) else { throw Self.noRoute(request) }
    switch (parts.first ?? "", parts.count, request.operation) {
    case ("keys", 2, .list) where parts[1].isEmpty:
      let keys = try await store.transitListKeys(mount: name)
      return keys.isEmpty
        ? nil : LogicalResponse(data: .object([("keys", .array(keys.map(JSONValue.string)))]))
    case ("keys", 2, _) where parts[1].isEmpty:
      // `keys/` is the list path: it takes no other operation.
      throw VaultError(status: 405, ["unsupported operation"])
    case ("keys", 2, .read):
      guard let info = try await store.transitKey(mount: name, name: parts[1]) else { return nil }
      return LogicalResponse(data: Self.describe(info))
    case ("keys", 2, .update), ("keys", 2, .create):
      return try await create(parts[1], request)
    case ("keys", 2, .delete):
      try await store.transitDeleteKey(mount: name, name: parts[1])
      return nil
    case ("keys", 3, .update) where parts[2] == "config":
      return try await configure(parts[1], request)
    case ("keys", 3, .update) where parts[2] == "rotate":
      try Self.validate(request, "keys/:name/rotate")
      return LogicalResponse(
        data: Self.describe(try await store.transitRotate(mount: name, name: parts[1])))
    case ("encrypt", 2, .update), ("encrypt", 2, .create):
      return try await encrypt(parts[1], request)
    case ("decrypt", 2, .update), ("decrypt", 2, .create):
      return try await decrypt(parts[1], request)
    case ("rewrap", 2, .update), ("rewrap", 2, .create):
      return try await rewrap(parts[1], request)
    case ("datakey", 3, .update), ("datakey", 3, .create):
      return try await datakey(kind: parts[1], keyName: parts[2], request)
    default:
      // A path the engine serves, with an operation it does not: Vault's framework answers
      // 405; a path it does not serve, 404.
      if Self.isRoute(parts) { throw VaultError(status: 405, ["unsupported operation"]) }
      throw Self.noRoute(request)
    }
  }

  static func noRoute(_ request: LogicalRequest) -> VaultError {
    VaultError(status: 404, ["no handler for route \"\(request.path)\". route entry not found."])
  }

  /// Whether the names in `parts` match Vault's `GenericNameRegex`, `\w(([\w-.@]+)?\w)?` with
  /// Go's ASCII `\w`, where the route takes one: a key's name (`keys/` alone is the list
  /// path), and datakey's `plaintext|wrapped` segment. A name that does not matches no route.
  static func namesMatch(_ parts: [String]) -> Bool {
    switch (parts.first ?? "", parts.count) {
    case ("keys", 2): parts[1].isEmpty || isName(parts[1])
    case ("keys", 3), ("encrypt", 2), ("decrypt", 2), ("rewrap", 2): isName(parts[1])
    case ("datakey", 3): isName(parts[1]) && isName(parts[2])
    default: true
    }
  }

  static func isName(_ text: String) -> Bool {
    func word(_ byte: UInt8) -> Bool {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
        true
      default: false
      }
    }
    let bytes = Array(text.utf8)
    guard let first = bytes.first, let last = bytes.last, word(first), word(last) else {
      return false
    }
    return bytes.allSatisfy {
      word($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "@")
    }
  }

  /// Whether `parts` name one of the engine's paths (whatever the operation).
  static func isRoute(_ parts: [String]) -> Bool {
    switch (parts.first ?? "", parts.count) {
    case ("keys", 1), ("keys", 2), ("encrypt", 2), ("decrypt", 2), ("rewrap", 2),
      ("datakey", 3):
      true
    case ("keys", 3): parts[2] == "config" || parts[2] == "rotate"
    default: false
    }
  }

  // MARK: Keys

  static func describe(_ info: TransitKeyInfo) -> JSONValue {
    var keys = JSONObject()
    for (version, created) in info.versions.sorted(by: { $0.key < $1.key })
    where version >= info.minDecryptionVersion {
      keys[String(version)] = .integer(Int64(created.timeIntervalSince1970))
    }
    var object = JSONObject([
      ("allow_plaintext_backup", .bool(info.allowPlaintextBackup)),
      ("auto_rotate_period", .integer(0)),
      ("deletion_allowed", .bool(info.deletionAllowed)),
      ("derived", .bool(info.derived)),
      ("exportable", .bool(info.exportable)),
      ("imported_key", .bool(false)),
      ("keys", .object(keys)),
      ("latest_version", .integer(Int64(info.latestVersion))),
      ("min_available_version", .integer(0)),
      ("min_decryption_version", .integer(Int64(info.minDecryptionVersion))),
      ("min_encryption_version", .integer(Int64(info.minEncryptionVersion))),
      ("name", .string(info.name)),
      ("supports_decryption", .bool(true)),
      ("supports_derivation", .bool(true)),
      ("supports_encryption", .bool(true)),
      ("supports_signing", .bool(false)),
      ("type", .string(info.type)),
    ])
    if info.derived {
      object["kdf"] = .string("hkdf_sha256")
      object["convergent_encryption"] = .bool(info.convergent)
      if info.convergent { object["convergent_encryption_version"] = .integer(3) }
    }
    return .object(object)
  }

  func create(_ keyName: String, _ request: LogicalRequest) async throws -> LogicalResponse? {
    try Self.validate(request, "keys/:name")
    let type = Self.requestedType(request)
    let derived = try request.data.flag("derived") ?? false
    let convergent = try request.data.flag("convergent_encryption") ?? false
    let exportable = try request.data.flag("exportable") ?? false
    let allowPlaintextBackup = try request.data.flag("allow_plaintext_backup") ?? false
    if convergent && !derived {
      throw VaultError.invalid("convergent encryption requires derivation to be enabled")
    }
    try Self.checkType(type)
    if let size = try request.data.intField("key_size"), size != 0 {
      throw VaultError.invalid("key_size is not valid for algorithm \(type)")
    }
    try Self.checkAutoRotatePeriod(request)
    let (info, existed) = try await store.transitCreateKey(
      mount: name, name: keyName, type: type, derived: derived, convergent: convergent,
      exportable: exportable, allowPlaintextBackup: allowPlaintextBackup)
    var response = LogicalResponse(data: Self.describe(info))
    if existed { response.warnings = ["key \(keyName) already existed"] }
    return response
  }

  /// The key type a create or an upserting encrypt asks for: `aes256-gcm96` when none (or an
  /// empty one) is given, as in Vault.
  static func requestedType(_ request: LogicalRequest) -> String {
    request.data.string("type").flatMap { $0.isEmpty ? nil : $0 } ?? "aes256-gcm96"
  }

  static func checkType(_ type: String) throws {
    guard SQLiteStore.transitKeyTypes.contains(type) else {
      if SQLiteStore.transitOtherKeyTypes.contains(type) {
        throw VaultError.unimplementedKeyType(type)
      }
      throw VaultError.invalid("unknown key type \(type)")
    }
  }

  /// `auto_rotate_period` must be 0 or at least an hour, as in Vault; cinch does not rotate
  /// keys by itself, so any period but 0 is refused rather than stored and ignored.
  static func checkAutoRotatePeriod(_ request: LogicalRequest) throws {
    switch request.data.duration("auto_rotate_period") {
    case .absent, .value(0): return
    case .invalid: throw VaultError.invalid("error parsing 'auto_rotate_period'")
    case .value(let nanos) where nanos < 3600 * GoDuration.second:
      throw VaultError.invalid("auto rotate period must be 0 to disable or at least an hour")
    case .value:
      throw VaultError.invalid(
        "auto_rotate_period is not supported by cinch: rotate with keys/:name/rotate")
    }
  }

  func configure(_ keyName: String, _ request: LogicalRequest) async throws -> LogicalResponse? {
    try Self.validate(request, "keys/:name/config")
    try Self.checkAutoRotatePeriod(request)
    let config = TransitKeyConfig(
      minDecryptionVersion: try request.data.intField("min_decryption_version"),
      minEncryptionVersion: try request.data.intField("min_encryption_version"),
      deletionAllowed: try request.data.flag("deletion_allowed"),
      exportable: try request.data.flag("exportable"),
      allowPlaintextBackup: try request.data.flag("allow_plaintext_backup"))
    let (info, warnings) = try await store.transitConfigure(mount: name, name: keyName, config)
    var response = LogicalResponse(data: Self.describe(info))
    response.warnings = warnings
    return response
  }

  // MARK: Encryption

  /// One item of a request (the request itself when there is no `batch_input`).
  struct Item: Sendable {
    var fields: JSONObject
    var reference: JSONValue?
  }

  static func items(_ request: LogicalRequest) throws -> (items: [Item], batch: Bool) {
    guard let batch = request.data["batch_input"], batch != .null else {
      return ([Item(fields: request.data, reference: nil)], false)
    }
    guard case .array(let array) = batch else {
      throw VaultError.invalid("failed to parse batch input: expected a list")
    }
    let items = try array.enumerated().map { index, value -> Item in
      guard case .object(let object) = value else {
        throw VaultError.invalid("failed to parse batch input: expected a list of objects")
      }
      try checkBatchItem(object, index: index)
      return Item(fields: object, reference: object["reference"])
    }
    guard !items.isEmpty else { throw VaultError.invalid("missing batch input to process") }
    return (items, true)
  }

  /// A batch item's fields as transit decodes `batch_input` (strictly, not as the framework
  /// reads a request's fields): text fields must be strings and `key_version` an integer.
  static func checkBatchItem(_ item: JSONObject, index: Int) throws {
    func refuse(_ field: String, _ expected: String, _ value: JSONValue) -> VaultError {
      let type =
        switch value {
        case .string: "string"
        case .integer, .double: "json.Number"
        case .bool: "bool"
        case .object: "map[string]interface {}"
        default: "[]interface {}"
        }
      return VaultError.invalid(
        "failed to parse batch input: '[\(index)].\(field)' expected type '\(expected)', got "
          + "unconvertible type '\(type)'")
    }
    for field in ["plaintext", "ciphertext", "context", "nonce", "associated_data"] {
      guard let value = item[field], value != .null else { continue }
      guard case .string = value else { throw refuse(field, "string", value) }
    }
    switch item["key_version"] {
    case nil, .null?, .integer?: break
    case .double(let number)? where number == number.rounded(): break
    case let value?: throw refuse("key_version", "int", value)
    }
  }

  /// Vault's `nonceAllowed`: only convergent keys of convergent_version 1 (Vault 0.6.1) take a
  /// caller's nonce, and cinch makes no such key, so a nonce is refused once the key is found.
  static func refuseNonce(_ nonce: [UInt8]?) throws {
    if let nonce, !nonce.isEmpty {
      throw VaultError.invalid("provided nonce not allowed for this key")
    }
  }

  static func bytes(_ fields: JSONObject, _ key: String) throws -> [UInt8]? {
    guard let text = fields.string(key), !text.isEmpty else { return nil }
    return try TransitCipher.base64(text)
  }

  /// `body` with the key ring, in the store's transaction, so that its failure is what the
  /// audit log records for the operation.
  func withKeyring<T: Sendable>(
    _ keyName: String, operation: String, creating newKey: TransitNewKey? = nil,
    _ body: @escaping @Sendable (TransitKeyring) throws -> T
  ) async throws -> T {
    try await store.withTransitKeyring(
      mount: name, name: keyName, operation: operation, creating: newKey, body)
  }

  func encrypt(_ keyName: String, _ request: LogicalRequest) async throws -> LogicalResponse? {
    try Self.validate(request, "encrypt")
    let (items, batch) = try Self.items(request)
    let contexts = items.map { $0.fields.string("context").map { !$0.isEmpty } ?? false }
    if batch, Set(contexts).count > 1 {
      throw VaultError.invalid("context should be set either in all the request blocks or in none")
    }
    // A missing key is created by the encrypt (an upsert, a create operation in Vault's
    // eyes): refused, as Vault's ACL refuses it, to a token that may not create keys.
    if !mayCreateKeys, try await store.transitKey(mount: name, name: keyName) == nil {
      throw VaultError.permissionDenied
    }
    // The key to create when it is missing: Vault's upsert, checked only then.
    let newKey = TransitNewKey(
      type: Self.requestedType(request),
      derived: contexts.first ?? false,
      convergent: try request.data.flag("convergent_encryption") ?? false)
    return try await withKeyring(keyName, operation: "encrypt", creating: newKey) { keyring in
      try Self.run(items, batch: batch, request: request) { fields in
        guard let plaintextText = fields.string("plaintext") else {
          throw VaultError.invalid("missing plaintext to encrypt")
        }
        let plaintext = try TransitCipher.base64(plaintextText)
        try Self.refuseNonce(try Self.bytes(fields, "nonce"))
        let version = fields.int("key_version").value ?? 0
        let (ciphertext, used) = try TransitCipher.encrypt(
          plaintext, keyring: keyring, version: version, context: try Self.bytes(fields, "context"),
          associatedData: try Self.bytes(fields, "associated_data") ?? [])
        return [("ciphertext", .string(ciphertext)), ("key_version", .integer(Int64(used)))]
      }
    }
  }

  func decrypt(_ keyName: String, _ request: LogicalRequest) async throws -> LogicalResponse? {
    try Self.validate(request, "decrypt")
    let (items, batch) = try Self.items(request)
    return try await withKeyring(keyName, operation: "decrypt") { keyring in
      try Self.run(items, batch: batch, request: request) { fields in
        guard let ciphertext = fields.string("ciphertext"), !ciphertext.isEmpty else {
          throw VaultError.invalid("missing ciphertext to decrypt")
        }
        try Self.refuseNonce(try Self.bytes(fields, "nonce"))
        let (plaintext, _) = try TransitCipher.decrypt(
          ciphertext, keyring: keyring, context: try Self.bytes(fields, "context"),
          associatedData: try Self.bytes(fields, "associated_data") ?? [])
        let encoded = plaintext.withUnsafeBytes { Data($0).base64EncodedString() }
        return [("plaintext", .string(encoded))]
      }
    }
  }

  func rewrap(_ keyName: String, _ request: LogicalRequest) async throws -> LogicalResponse? {
    try Self.validate(request, "rewrap")
    let (items, batch) = try Self.items(request)
    return try await withKeyring(keyName, operation: "rewrap") { keyring in
      try Self.run(items, batch: batch, request: request) { fields in
        guard let ciphertext = fields.string("ciphertext"), !ciphertext.isEmpty else {
          throw VaultError.invalid("missing ciphertext to decrypt")
        }
        try Self.refuseNonce(try Self.bytes(fields, "nonce"))
        let context = try Self.bytes(fields, "context")
        let associated = try Self.bytes(fields, "associated_data") ?? []
        let (plaintext, _) = try TransitCipher.decrypt(
          ciphertext, keyring: keyring, context: context, associatedData: associated)
        let (rewrapped, used) = try plaintext.withUnsafeBytes { raw in
          try TransitCipher.encrypt(
            Array(raw), keyring: keyring, version: fields.int("key_version").value ?? 0,
            context: context, associatedData: associated)
        }
        return [("ciphertext", .string(rewrapped)), ("key_version", .integer(Int64(used)))]
      }
    }
  }

  func datakey(kind: String, keyName: String, _ request: LogicalRequest) async throws
    -> LogicalResponse?
  {
    try Self.validate(request, "datakey")
    // In Vault's order: the parameters (`getDataKeyParams`), then the path's kind.
    let context: [UInt8]?
    do {
      context = try Self.bytes(request.data, "context")
    } catch {
      throw VaultError.invalid("failed to base64-decode context")
    }
    let nonce: [UInt8]?
    do {
      nonce = try Self.bytes(request.data, "nonce")
    } catch {
      throw VaultError.invalid("failed to base64-decode nonce")
    }
    let bits = request.data.int("bits").value ?? 256
    guard [128, 256, 512].contains(bits) else { throw VaultError.invalid("invalid bit length") }
    guard kind == "plaintext" || kind == "wrapped" else {
      throw VaultError.invalid("Invalid path, must be 'plaintext' or 'wrapped'")
    }
    let key = try Crypto.randomBytes(bits / 8)
    let version = request.data.int("key_version").value ?? 0
    let (ciphertext, used) = try await withKeyring(keyName, operation: "datakey") { keyring in
      try Self.refuseNonce(nonce)
      return try TransitCipher.encrypt(
        key, keyring: keyring, version: version, context: context, associatedData: [])
    }
    var data = JSONObject([
      ("ciphertext", .string(ciphertext)), ("key_version", .integer(Int64(used))),
    ])
    if kind == "plaintext" { data["plaintext"] = .string(Data(key).base64EncodedString()) }
    return LogicalResponse(data: .object(data))
  }

  /// Runs one operation per item. Without a batch an item's error is the request's error; in
  /// a batch each failure is `{"error": …}` in its place and the reply is 400 (or
  /// `partial_failure_response_code`) when any failed.
  static func run(
    _ items: [Item], batch: Bool, request: LogicalRequest,
    _ operation: (JSONObject) throws -> [(String, JSONValue)]
  ) throws -> LogicalResponse? {
    guard batch else {
      return LogicalResponse(data: .object(JSONObject(try operation(items[0].fields))))
    }
    var results: [JSONValue] = []
    var failures = 0
    for item in items {
      var result: JSONObject
      do {
        result = JSONObject(try operation(item.fields))
      } catch let error as VaultError {
        failures += 1
        result = JSONObject([("error", .string(error.errors.joined(separator: "; ")))])
      }
      // Vault's batch response items declare `reference` without `omitempty`: every item
      // carries one, "" when the request gave none (path_encrypt.go, path_decrypt.go).
      result["reference"] = item.reference ?? .string("")
      results.append(.object(result))
    }
    var response = LogicalResponse(data: .object([("batch_results", .array(results))]))
    if failures > 0 {
      response.status = 400
      if failures < items.count, let code = request.data.int("partial_failure_response_code").value
      {
        if (1...599).contains(code) {
          response.status = code
        } else {
          response.warnings.append(
            "invalid HTTP response code override from partial_failure_response_code, "
              + "reverting to 400")
        }
      }
    }
    return response
  }
}
