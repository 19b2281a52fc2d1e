import CinchJSON
import CinchStore
import Foundation

/// Vault's audit devices: a request entry before the operation and a response entry after it,
/// one JSON object per line, every string inside `data` (and the client token) replaced by
/// `hmac-sha256:<hex>` keyed by the device's salt. Fail closed: with devices enabled, if none
/// can write an entry the request is refused with 500 `internal error`.
struct VaultAuditor: Sendable {
  let store: SQLiteStore
  /// Where a device with `file_path=stdout` writes: the server's standard output, as Vault's
  /// does; standard error in a command-line process, where standard output carries the answer
  /// (`cinch kv get -field=…` must stay a value a script can capture).
  let console: FileHandle

  /// A request path as the audit log shows it: a token it carries (a path of Vault's older
  /// token endpoints, `auth/token/lookup/TOKEN`, or one pasted where a path belongs) hashed as
  /// `client_token` is, so `sys/audit-hash` of the token still finds the entry (Vault logs
  /// paths as they are; a token is a credential wherever it is sent). `hiding` puts the hashed
  /// path in place of the path in a message that quotes it (`no handler for route "…"`), and
  /// of each token long enough to be one (a one-letter "token" is no secret, and replacing it
  /// would garble the message).
  static func auditedPath(_ path: String, salt: SecretBytes)
    -> (path: String, hiding: (String) -> String)
  {
    var tokens: [(String, String)] = []
    guard
      let hashed = VaultAPI.replacingTokens(
        in: path, under: "auth/token/",
        with: { token in
          let hash = Self.hash(String(token), salt: salt)
          tokens.append((String(token), hash))
          return hash
        })
    else { return (path, { $0 }) }
    return (
      hashed,
      { message in
        let quoted = message.replacingOccurrences(of: path, with: hashed)
        return tokens.filter { $0.0.count >= 8 }.reduce(quoted) {
          $0.replacingOccurrences(of: $1.0, with: $1.1)
        }
      }
    )
  }

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

  /// `mountType`: the type of what serves the path (`kv`, `system`, `token`), empty if nothing.
  func logRequest(
    _ request: LogicalRequest, id: String, caller: VaultAPI.Caller, mountType: String
  ) async throws {
    try await log { device in
      .object([
        ("time", .string(VaultTime.format(Date()))),
        ("type", .string("request")),
        ("auth", auth(request, caller: caller, salt: device.salt)),
        ("request", requestObject(request, id: id, mountType: mountType, salt: device.salt)),
      ])
    }
  }

  func logResponse(
    _ request: LogicalRequest, id: String, caller: VaultAPI.Caller, mountType: String,
    reply: Result<LogicalResponse?, any Error>
  ) async throws {
    try await log { device in
      var entry = JSONObject([
        ("time", .string(VaultTime.format(Date()))),
        ("type", .string("response")),
        ("auth", auth(request, caller: caller, salt: device.salt)),
        ("request", requestObject(request, id: id, mountType: mountType, salt: device.salt)),
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
        entry["error"] = .string(
          Self.auditedPath(request.path, salt: device.salt).hiding(
            error.errors.joined(separator: "; ")))
      case .failure(let error as StoreError):
        entry["error"] = .string(
          Self.auditedPath(request.path, salt: device.salt).hiding(error.message))
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
    // Vault's schema (docs/audit/schema): the token hashed, so that `sys/audit-hash` of a
    // token finds its entries; its type, policies and times as they are.
    var object = JSONObject()
    if let clientToken = request.clientToken {
      object["client_token"] = .string(Self.hash(clientToken, salt: salt))
    }
    object["accessor"] = .string(Self.hash(token.accessor, salt: salt))
    object["display_name"] = .string(token.displayName)
    object["policies"] = .array(token.policies.map(JSONValue.string))
    object["token_policies"] = .array(token.policies.map(JSONValue.string))
    object["token_type"] = .string("service")
    object["token_ttl"] = .integer(Int64(token.ttl))
    object["token_issue_time"] = .string(VaultTime.format(token.createdAt))
    return .object(object)
  }

  func requestObject(
    _ request: LogicalRequest, id: String, mountType: String, salt: SecretBytes
  ) -> JSONValue {
    var object = JSONObject([
      ("id", .string(id)),
      ("operation", .string(request.operation.rawValue)),
      ("mount_type", .string(mountType)),
    ])
    if let clientToken = request.clientToken {
      object["client_token"] = .string(Self.hash(clientToken, salt: salt))
    }
    if let token = request.token {
      object["client_token_accessor"] = .string(Self.hash(token.accessor, salt: salt))
    }
    object["namespace"] = .object([("id", .string("root"))])
    object["path"] = .string(Self.auditedPath(request.path, salt: salt).path)
    if !request.data.isEmpty {
      object["data"] = Self.hashStrings(.object(request.data), salt: salt)
    }
    if let address = request.remoteAddress {
      object["remote_address"] = .string(address)
    }
    return .object(object)
  }

  /// Devices that could not write an entry, each with why: what the server's log says (Vault
  /// logs "audit: backend failed to log request" with the backend and the error) and what a
  /// local caller, who holds the master key, is told beside `internal error`.
  struct Failure: Error {
    /// One line per device: its path, its file and the system's words.
    var reasons: [String]
  }

  /// Writes one line to every device; throws `Failure` when devices exist and none wrote.
  func log(_ entry: (VaultAuditDevice) -> JSONValue) async throws {
    let devices = try await store.vaultAuditDevices()
    guard !devices.isEmpty else { return }
    var written = 0
    var reasons: [String] = []
    for device in devices {
      let line = entry(device).compact() + "\n"
      switch device.options["file_path"] ?? "" {
      case "discard":
        written += 1
      case "stdout":
        console.write(Data(line.utf8))
        written += 1
      case let path where !path.isEmpty:
        if let failed = Self.append(line, to: path, mode: device.options["mode"]) {
          reasons.append(
            "audit device '\(device.path)' cannot write to '\(path)': \(Self.words(failed))")
        } else {
          written += 1
        }
      default:
        continue
      }
    }
    guard written > 0 else { throw Failure(reasons: reasons) }
  }

  /// The system's words for `errno` `code`.
  static func words(_ code: Int32) -> String { String(cString: strerror(code)) }

  /// Appends to the file, created 0600 or with the device's `mode`; the `errno` when it cannot.
  /// A file that already existed with other permissions (made by hand, or rotated by a tool
  /// that kept its own mode) is given the device's, as Vault's file backend does "in case the
  /// log file already existed"; `mode` `0000` leaves them alone (builtin/audit/file/backend.go).
  /// https://developer.hashicorp.com/vault/docs/audit/file#mode
  static func append(_ line: String, to path: String, mode: String?) -> Int32? {
    let permissions = mode.flatMap { mode_t($0, radix: 8) } ?? 0o600
    let descriptor = open(
      path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, permissions == 0 ? 0o600 : permissions)
    guard descriptor >= 0 else { return errno }
    defer { close(descriptor) }
    var status = stat()
    if permissions != 0, fstat(descriptor, &status) == 0, status.st_mode & 0o7777 != permissions,
      fchmod(descriptor, permissions) != 0
    {
      return errno
    }
    let bytes = Array(line.utf8)
    return bytes.withUnsafeBytes { buffer -> Int32? in
      guard let base = buffer.baseAddress else { return nil }
      var offset = 0
      while offset < buffer.count {
        let count = write(descriptor, base + offset, buffer.count - offset)
        if count < 0, errno == EINTR { continue }
        if count <= 0 { return count < 0 ? errno : EIO }
        offset += count
      }
      return nil
    }
  }

  /// Writes the entry Vault writes to a device as it is enabled, before the device is kept: a
  /// request to `sys/audit/test` (vault/audit.go, `LogTestMessage`). A file that takes no line
  /// (a full disk, `/dev/full`, a missing folder) is refused then, not at the first request.
  @Sendable static func writeTestEntry(to file: String, mode: String?) throws {
    let entry =
      JSONValue.object([
        ("time", .string(VaultTime.format(Date()))),
        ("type", .string("request")),
        ("auth", .object([])),
        (
          "request",
          .object([("operation", .string("update")), ("path", .string("sys/audit/test"))])
        ),
      ]).compact() + "\n"
    if let failed = append(entry, to: file, mode: mode) {
      throw VaultError.invalid(
        "audit backend failed test message: cannot write to \"\(file)\": \(words(failed))")
    }
  }
}
