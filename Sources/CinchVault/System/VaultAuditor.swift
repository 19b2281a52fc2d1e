import CinchJSON
import CinchStore
import Foundation

/// Vault's audit devices: a request entry before the operation and a response entry after it,
/// one JSON object per line, every string inside `data` (and the client token) replaced by
/// `hmac-sha256:<hex>` keyed by the device's salt. Fail closed: with devices enabled, if none
/// can write an entry the request is refused with 500 `internal error`.
struct VaultAuditor: Sendable {
  let store: SQLiteStore

  /// `hmac-sha256:` + lowercase hex of HMAC-SHA256(salt, input).
  static func hash(_ input: String, salt: SecretBytes) -> String {
    "hmac-sha256:"
      + Crypto.hmacSHA256(key: salt, Array(input.utf8)).map {
        String(format: "%02x", $0)
      }.joined()
  }

  /// Every string leaf of `value` hashed; numbers, booleans and null as they are.
  static func hashStrings(_ value: JSONValue, salt: SecretBytes) -> JSONValue {
    switch value {
    case .string(let text): .string(hash(text, salt: salt))
    case .array(let items): .array(items.map { hashStrings($0, salt: salt) })
    case .object(let object):
      .object(JSONObject(object.members.map { ($0.key, hashStrings($0.value, salt: salt)) }))
    default: value
    }
  }

  /// A response's `auth` with its credentials hashed and the rest as it is: Vault's
  /// `HashAuth` hashes only `client_token` and `accessor`, so an operator reads the policies,
  /// token type and entity a login or token creation gave.
  static func hashingCredentials(_ auth: JSONValue, salt: SecretBytes) -> JSONValue {
    guard case .object(let object) = auth else { return hashStrings(auth, salt: salt) }
    return .object(
      JSONObject(
        object.members.map { member in
          ["client_token", "accessor"].contains(member.key)
            ? (member.key, hashStrings(member.value, salt: salt)) : (member.key, member.value)
        }))
  }

  func logRequest(_ request: LogicalRequest, id: String, caller: VaultAPI.Caller) async throws {
    try await log { device in
      .object([
        ("time", .string(VaultTime.format(Date()))),
        ("type", .string("request")),
        ("auth", auth(request, caller: caller, salt: device.salt)),
        ("request", requestObject(request, id: id, salt: device.salt)),
      ])
    }
  }

  func logResponse(
    _ request: LogicalRequest, id: String, caller: VaultAPI.Caller,
    reply: Result<LogicalResponse?, any Error>
  ) async throws {
    try await log { device in
      var entry = JSONObject([
        ("time", .string(VaultTime.format(Date()))),
        ("type", .string("response")),
        ("auth", auth(request, caller: caller, salt: device.salt)),
        ("request", requestObject(request, id: id, salt: device.salt)),
      ])
      switch reply {
      case .success(let response):
        var object = JSONObject()
        if let data = response?.data { object["data"] = Self.hashStrings(data, salt: device.salt) }
        if let response, !response.leaseID.isEmpty {
          object["secret"] = .object([("lease_id", .string(response.leaseID))])
        }
        if let auth = response?.auth, auth != .null {
          object["auth"] = Self.hashingCredentials(auth, salt: device.salt)
        }
        if let warnings = response?.warnings, !warnings.isEmpty {
          object["warnings"] = .array(warnings.map(JSONValue.string))
        }
        entry["response"] = .object(object)
      case .failure(let error as VaultError):
        entry["error"] = .string(error.errors.joined(separator: "; "))
      case .failure(let error as StoreError):
        entry["error"] = .string(error.message)
      case .failure:
        entry["error"] = .string("internal error")
      }
      return .object(entry)
    }
  }

  func auth(_ request: LogicalRequest, caller: VaultAPI.Caller, salt: SecretBytes) -> JSONValue {
    guard let token = request.token else {
      return .object([
        ("display_name", .string(caller == .local ? "cinch-cli" : "")),
        ("policies", .array(caller == .local ? [.string("root")] : [])),
      ])
    }
    return .object([
      ("accessor", .string(Self.hash(token.accessor, salt: salt))),
      ("display_name", .string(token.displayName)),
      ("policies", .array(token.policies.map(JSONValue.string))),
      ("token_ttl", .integer(Int64(token.ttl))),
    ])
  }

  func requestObject(_ request: LogicalRequest, id: String, salt: SecretBytes) -> JSONValue {
    var object = JSONObject([
      ("id", .string(id)),
      ("operation", .string(request.operation.rawValue)),
      ("path", .string(request.path)),
    ])
    if !request.data.isEmpty {
      object["data"] = Self.hashStrings(.object(request.data), salt: salt)
    }
    if let token = request.token {
      object["client_token_accessor"] = .string(Self.hash(token.accessor, salt: salt))
    }
    return .object(object)
  }

  /// Writes one line to every device; throws when devices exist and none wrote.
  func log(_ entry: (VaultAuditDevice) -> JSONValue) async throws {
    let devices = try await store.vaultAuditDevices()
    guard !devices.isEmpty else { return }
    var written = 0
    for device in devices {
      let line = entry(device).compact() + "\n"
      switch device.options["file_path"] ?? "" {
      case "discard":
        written += 1
      case "stdout":
        FileHandle.standardOutput.write(Data(line.utf8))
        written += 1
      case let path where !path.isEmpty:
        if Self.append(line, to: path, mode: device.options["mode"]) { written += 1 }
      default:
        continue
      }
    }
    guard written > 0 else { throw VaultError.internalError }
  }

  /// Appends to the file (created 0600, or the device's `mode`); false when it cannot.
  static func append(_ line: String, to path: String, mode: String?) -> Bool {
    let permissions = mode.flatMap { mode_t($0, radix: 8) } ?? 0o600
    let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, permissions)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    let bytes = Array(line.utf8)
    return bytes.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return true }
      var offset = 0
      while offset < buffer.count {
        let count = write(descriptor, base + offset, buffer.count - offset)
        if count <= 0 { return false }
        offset += count
      }
      return true
    }
  }
}
