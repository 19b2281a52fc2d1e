import CinchJSON
import CinchStore
import Foundation
import Testing

@testable import CinchVault

@Suite("audit devices")
struct AuditDeviceTests {
  /// A Vault with a file audit device enabled, and the device's log.
  static func withFileDevice() async throws -> (VaultFixture, String) {
    let vault = try await VaultFixture()
    let log = vault.directory + "/audit.log"
    #expect(
      await vault.call(
        "PUT", "sys/audit/file", #"{"type":"file","options":{"file_path":"\#(log)"}}"#
      ).status == 204)
    return (vault, log)
  }

  /// A Vault with a file audit device writing into a folder of its own (removed, the device
  /// cannot write), and the folder.
  static func withDeviceInFolder() async throws -> (VaultFixture, String) {
    let vault = try await VaultFixture()
    let folder = vault.directory + "/logs"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
    let enabled = await vault.call(
      "PUT", "sys/audit/file", #"{"type":"file","options":{"file_path":"\#(folder)/audit.log"}}"#)
    #expect(enabled.status == 204)
    return (vault, folder)
  }

  /// A log that was there before the device (made by hand, left by a rotation) gets the
  /// device's mode, as Vault's file backend chmods what it opens; `0000` leaves it alone.
  @Test("an existing log file is given the device's mode")
  func existingLogGetsTheDevicesMode() async throws {
    let vault = try await VaultFixture()
    func mode(_ path: String) throws -> Int {
      try #require(
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }
    for (name, option, expected) in [
      ("default", "", 0o600), ("explicit", #","mode":"0640""#, 0o640),
      ("kept", #","mode":"0000""#, 0o644),
    ] {
      let log = vault.directory + "/\(name).log"
      #expect(FileManager.default.createFile(atPath: log, contents: nil))
      try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: log)
      let enabled = await vault.call(
        "PUT", "sys/audit/\(name)",
        #"{"type":"file","options":{"file_path":"\#(log)"\#(option)}}"#)
      #expect(enabled.status == 204)
      #expect(try mode(log) == expected, "\(name)")
      // Loosened again behind the device's back, it is put back at the next entry.
      if expected != 0o644 {
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: log)
        await vault.call("GET", "secret/data/a")
        #expect(try mode(log) == expected, "\(name)")
      }
      #expect(await vault.call("DELETE", "sys/audit/\(name)").status == 204)
    }
  }

  @Test("entries come in request/response pairs with every data string hashed")
  func hashedEntries() async throws {
    let (vault, log) = try await Self.withFileDevice()
    let canary = "canary-audit-3e1f"
    await vault.call("PUT", "secret/data/a", #"{"data":{"password":"\#(canary)","n":7}}"#)
    await vault.call("GET", "secret/data/a")
    let text = try String(contentsOfFile: log, encoding: .utf8)
    #expect(!text.contains(canary))
    // The first line is the test entry Vault writes to a new device, the second the response
    // to the enable request itself, as in Vault.
    let all = text.split(separator: "\n").map { try? JSONValueParser.parse(String($0)) }
    #expect(all.first??["request"]?["path"] == .string("sys/audit/test"))
    #expect(all.dropFirst().first??["request"]?["path"] == .string("sys/audit/file"))
    let lines = Array(all.dropFirst(2))
    #expect(lines.count == 4)
    #expect(
      lines.map { $0?["type"]?.stringValue } == ["request", "response", "request", "response"])
    let hash = await vault.call("PUT", "sys/audit-hash/file", #"{"input":"\#(canary)"}"#)
    let digest = try #require(hash.at("data", "hash")?.stringValue)
    #expect(hash.at("hash")?.stringValue == digest)
    #expect(digest.hasPrefix("hmac-sha256:"))
    // The request's data and the read's response data carry the hash; numbers stay numbers.
    #expect(lines[0]?["request"]?["data"]?["data"]?["password"] == .string(digest))
    #expect(lines[0]?["request"]?["data"]?["data"]?["n"] == .integer(7))
    #expect(lines[3]?["response"]?["data"]?["data"]?["password"] == .string(digest))
    #expect(lines[0]?["request"]?["path"] == .string("secret/data/a"))
    #expect(lines[0]?["request"]?["id"] == lines[1]?["request"]?["id"])
  }

  @Test("a response's auth hashes its token and accessor, not its policies")
  func responseAuthHashesOnlyCredentials() async throws {
    let (vault, log) = try await Self.withFileDevice()
    let created = await vault.call(
      "POST", "auth/token/create", #"{"policies":["reader"],"display_name":"ci"}"#)
    let token = try #require(created.at("auth", "client_token")?.stringValue)
    let text = try String(contentsOfFile: log, encoding: .utf8)
    #expect(!text.contains(token))
    let response = try #require(
      text.split(separator: "\n").compactMap { try? JSONValueParser.parse(String($0)) }
        .last { $0["type"] == .string("response") })
    let auth = try #require(response["response"]?["auth"])
    #expect(auth["client_token"]?.stringValue?.hasPrefix("hmac-sha256:") == true)
    #expect(auth["accessor"]?.stringValue?.hasPrefix("hmac-sha256:") == true)
    #expect(auth["policies"]?.arrayValue?.contains(.string("reader")) == true)
  }

  @Test("audit-hash errors, and a re-enabled device gets a new salt")
  func auditHash() async throws {
    let vault = try await VaultFixture()
    #expect(
      await vault.call("PUT", "sys/audit-hash/file", #"{"input":"x"}"#).errors == [
        "unknown audit backend \"file/\""
      ])
    await vault.call("PUT", "sys/audit/file", #"{"type":"file","options":{"file_path":"discard"}}"#)
    #expect(
      await vault.call("PUT", "sys/audit-hash/file", #"{"input":""}"#).errors == [
        "the \"input\" parameter is empty"
      ])
    let first = await vault.call("PUT", "sys/audit-hash/file", #"{"input":"x"}"#).at("data", "hash")
    await vault.call("DELETE", "sys/audit/file")
    await vault.call("PUT", "sys/audit/file", #"{"type":"file","options":{"file_path":"discard"}}"#)
    let second = await vault.call("PUT", "sys/audit-hash/file", #"{"input":"x"}"#).at(
      "data", "hash")
    #expect(first != nil && second != nil && first != second)
    let listed = await vault.call("GET", "sys/audit")
    #expect(listed.at("data", "file/", "type") == .string("file"))
  }

  /// An option cinch would store and then ignore is refused instead: above all `log_raw=true`,
  /// which in Vault writes secret values to the file. Options at Vault's defaults are taken.
  @Test("options cinch cannot honour are refused, the defaults are taken")
  func optionsItCannotHonourAreRefused() async throws {
    let vault = try await VaultFixture()
    func enable(_ options: String) async -> Reply {
      await vault.call(
        "PUT", "sys/audit/file",
        #"{"type":"file","options":{"file_path":"discard",\#(options)}}"#)
    }
    let refusals: [(String, String)] = [
      (
        #""log_raw":"true""#,
        "log_raw=true is not supported: cinch writes no secret value to an audit device"
      ),
      (#""format":"jsonx""#, "format 'jsonx' is not supported: cinch writes json"),
      (
        #""hmac_accessor":"false""#,
        "hmac_accessor=false is not supported: cinch serves only hmac_accessor=true"
      ),
      (
        #""elide_list_responses":"t""#,
        "elide_list_responses=t is not supported: cinch serves only elide_list_responses=false"
      ),
      (#""prefix":"vault: ""#, "prefix is not supported: cinch writes each entry as it is"),
      (#""log_raw":"yes""#, "unable to parse 'log_raw': 'yes' is not a boolean"),
      (#""mode":"rw""#, "unable to parse 'mode': rw is not an octal mode"),
      (
        #""mode":"0755""#,
        "mode 0755 is not allowed: file audit devices cannot use file modes with executable "
          + "permissions"
      ),
      (
        #""mode":"0610""#,
        "mode 0610 is not allowed: file audit devices cannot use file modes with executable "
          + "permissions"
      ),
      (#""fallback":"true""#, "unknown option 'fallback' for a file audit device"),
    ]
    for (options, message) in refusals {
      let refused = await enable(options)
      #expect(refused.status == 400, "\(options)")
      #expect(refused.errors == [message])
    }
    // Nothing refused was kept.
    #expect(await vault.call("GET", "sys/audit").at("data", "file/") == nil)
    let defaults =
      #""format":"json","log_raw":"false","hmac_accessor":"true","elide_list_responses":"0","prefix":"","mode":"0600""#
    #expect(await enable(defaults).status == 204)
    #expect(await vault.call("GET", "sys/audit").at("data", "file/", "type") == .string("file"))
  }

  /// Vault's schema (docs/audit/schema): the client token hashed in `auth` and `request`, so
  /// that `sys/audit-hash` of a token finds its entries, and the mount type and the peer's
  /// address as they are.
  @Test("entries name the hashed client token, the mount type and the remote address")
  func entriesCarryVaultsRequestFields() async throws {
    let (vault, log) = try await Self.withFileDevice()
    let app = try await TokenLeaseTests.child(vault, #"{"policies":["app"]}"#)
    let written = await vault.http(
      "PUT", "secret/data/b", #"{"data":{"k":"v"}}"#, token: app.token, remoteAddress: "10.1.2.3")
    #expect(written.status == 200)
    await vault.http("GET", "nowhere/x", token: app.token, remoteAddress: "10.1.2.3")
    let hashed = try #require(
      await vault.call("PUT", "sys/audit-hash/file", #"{"input":"\#(app.token)"}"#)
        .at("data", "hash"))
    let text = try String(contentsOfFile: log, encoding: .utf8)
    #expect(!text.contains(app.token))
    let entries = text.split(separator: "\n").compactMap { try? JSONValueParser.parse(String($0)) }
    let write = entries.filter { $0["request"]?["path"] == .string("secret/data/b") }
    #expect(write.map { $0["type"] } == [.string("request"), .string("response")])
    for entry in write {
      #expect(entry["request"]?["client_token"] == hashed)
      #expect(entry["auth"]?["client_token"] == hashed)
      #expect(entry["auth"]?["token_type"] == .string("service"))
      #expect(entry["request"]?["mount_type"] == .string("kv"))
      #expect(entry["request"]?["remote_address"] == .string("10.1.2.3"))
    }
    // A path no mount serves is audited too, with no mount type, and its error.
    let unrouted = entries.filter { $0["request"]?["path"] == .string("nowhere/x") }
    #expect(unrouted.map { $0["request"]?["mount_type"] } == [.string(""), .string("")])
    #expect(unrouted.last?["error"]?.stringValue?.contains("route entry not found") == true)
  }

  /// A request refused for want of a valid token (none, an unknown one, a revoked one) is
  /// audited like any other: Vault's audit log holds "every interaction with the Vault API,
  /// including errors", so a guessed or stolen token leaves a trace, hashed.
  @Test("requests without a valid token are audited, the token hashed")
  func refusedTokensAreAudited() async throws {
    let (vault, log) = try await Self.withFileDevice()
    let guess = "hvs.guessed-token-3e1f"
    #expect(
      await vault.http("PUT", "secret/data/x", #"{"data":{"a":"b"}}"#, token: guess).status == 403)
    #expect(await vault.http("GET", "secret/data/y", token: nil).status == 403)
    let text = try String(contentsOfFile: log, encoding: .utf8)
    #expect(!text.contains(guess))
    let entries = text.split(separator: "\n").compactMap { try? JSONValueParser.parse(String($0)) }
    let guessed = entries.filter { $0["request"]?["path"] == .string("secret/data/x") }
    #expect(guessed.map { $0["type"] } == [.string("request"), .string("response")])
    let hashed = try #require(
      await vault.call("PUT", "sys/audit-hash/file", #"{"input":"\#(guess)"}"#).at("data", "hash"))
    #expect(guessed.first?["request"]?["client_token"] == hashed)
    #expect(guessed.last?["error"]?.stringValue?.contains("invalid token") == true)
    let anonymous = entries.filter { $0["request"]?["path"] == .string("secret/data/y") }
    #expect(anonymous.count == 2)
    #expect(anonymous.last?["error"]?.stringValue?.contains("permission denied") == true)
  }

  /// A token sent in a path (Vault's removed `auth/token/lookup/TOKEN`, or pasted where a
  /// path belongs) is a credential all the same: the path and the error that quotes it show
  /// it hashed, as `client_token` is, so `sys/audit-hash` still finds the entries.
  @Test("a token in the path is hashed in the path and the error")
  func tokensInPathsAreHashed() async throws {
    let (vault, log) = try await Self.withFileDevice()
    let other = try await TokenLeaseTests.child(vault, #"{"policies":["app"]}"#)
    await vault.call("GET", "auth/token/lookup/\(other.token)")
    await vault.call("GET", "secret/data/\(other.token)/x")
    // A list's path ends in '/', which is not the token's.
    await vault.call("LIST", "auth/token/accessors/\(other.token)")
    // A one-letter "token" is no secret: the error quoting its route stays readable.
    await vault.call("GET", "auth/token/lookup/a")
    let text = try String(contentsOfFile: log, encoding: .utf8)
    #expect(!text.contains(other.token))
    let hashed = try #require(
      await vault.call("PUT", "sys/audit-hash/file", #"{"input":"\#(other.token)"}"#)
        .at("data", "hash")?.stringValue)
    let entries = text.split(separator: "\n").compactMap { try? JSONValueParser.parse(String($0)) }
    let paths = entries.compactMap { $0["request"]?["path"]?.stringValue }
    #expect(paths.contains("auth/token/lookup/\(hashed)"), "\(paths)")
    #expect(paths.contains("secret/data/\(hashed)/x"), "\(paths)")
    let lookup = entries.filter { $0["request"]?["path"] == .string("auth/token/lookup/\(hashed)") }
    #expect(lookup.last?["error"]?.stringValue?.contains(hashed) == true, "\(lookup)")
    #expect(paths.contains("auth/token/accessors/\(hashed)/"), "\(paths)")
    let short = entries.filter {
      $0["request"]?["path"]?.stringValue?.hasPrefix("auth/token/lookup/hmac-sha256:") == true
        && $0["request"]?["path"] != .string("auth/token/lookup/\(hashed)")
    }
    #expect(short.last?["error"]?.stringValue?.contains("route") == true, "\(short)")
  }

  /// Vault's `default` policy does not grant `sys/audit-hash`: a token that could hash a
  /// guess could confirm it against the log's hashes.
  @Test("audit-hash needs a root token")
  func auditHashNeedsRoot() async throws {
    let vault = try await VaultFixture()
    await vault.call("PUT", "sys/audit/file", #"{"type":"file","options":{"file_path":"discard"}}"#)
    let app = try await TokenLeaseTests.child(vault, #"{"policies":["default"]}"#)
    let reply = await vault.http(
      "PUT", "sys/audit-hash/file", #"{"input":"guess"}"#, token: app.token)
    #expect(reply.status == 403)
    #expect(reply.errors == ["permission denied"])
    #expect(
      await vault.call("PUT", "sys/audit-hash/file", #"{"input":"guess"}"#).at("data", "hash")
        != nil)
  }

  @Test("fail closed: when no device can write, the request is refused with 500")
  func failClosed() async throws {
    let (vault, folder) = try await Self.withDeviceInFolder()
    #expect(await vault.call("PUT", "secret/data/ok", #"{"data":{"k":"v"}}"#).status == 200)
    try FileManager.default.removeItem(atPath: folder)
    let refused = await vault.call("PUT", "secret/data/refused", #"{"data":{"k":"v"}}"#)
    #expect(refused.status == 500)
    // A local caller holds the master key: it is told which device failed, and why.
    #expect(
      refused.errors == [
        "internal error",
        "audit device 'file/' cannot write to '\(folder)/audit.log': No such file or directory "
          + "(fix it, or disable the device with 'cinch audit disable')",
      ])
    // Over HTTP, only `internal error`, as Vault answers.
    let token = try await vault.store.vaultRootToken()
    let remote = await vault.http("GET", "secret/data/ok", token: token)
    #expect(remote.status == 500)
    #expect(remote.errors == ["internal error"])
    // The request log failed first, so the write never ran.
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
    #expect(await vault.call("GET", "secret/data/refused").status == 404)
    // An unwritable file is refused when the device is enabled.
    let bad = await vault.call(
      "PUT", "sys/audit/bad", #"{"type":"file","options":{"file_path":"/nonexistent/dir/a.log"}}"#)
    #expect(bad.status == 400)
    // A file that takes no line is refused too: Vault writes a test entry to a new device.
    let full = await vault.call(
      "PUT", "sys/audit/full", #"{"type":"file","options":{"file_path":"/dev/full"}}"#)
    #expect(full.status == 400)
    #expect(
      full.errors == [
        #"audit backend failed test message: cannot write to "/dev/full": No space left on device"#
      ])
  }

  /// The holder of the master key can still disable a device that cannot write, or nothing,
  /// that included, would run until its file was fixed; every other request stays refused.
  @Test("a failing device can be disabled locally")
  func disableAFailingDevice() async throws {
    let (vault, folder) = try await Self.withDeviceInFolder()
    try FileManager.default.removeItem(atPath: folder)
    #expect(await vault.call("GET", "sys/audit").status == 500)
    let token = try await vault.store.vaultRootToken()
    #expect(await vault.http("DELETE", "sys/audit/file", token: token).status == 500)
    #expect(await vault.call("DELETE", "sys/audit/file").status == 204)
    #expect(await vault.call("PUT", "secret/data/ok", #"{"data":{"k":"v"}}"#).status == 200)
  }
}
