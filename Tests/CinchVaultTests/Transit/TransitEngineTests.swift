import CinchJSON
import CinchStore
import Foundation
import Testing

@testable import CinchVault

@Suite("transit")
struct TransitEngineTests {
  static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

  static func mounted() async throws -> VaultFixture {
    let vault = try await VaultFixture()
    let mount = await vault.call("POST", "sys/mounts/transit", #"{"type":"transit"}"#)
    #expect(mount.status == 204)
    return vault
  }

  @Test("base64 in lines, as the base64 command wraps it at 76 columns, decodes as in Go")
  func wrappedBase64Decodes() async throws {
    let vault = try await Self.mounted()
    await vault.call("POST", "transit/keys/w", "{}")
    let long = String(repeating: "0123456789", count: 10)
    var wrapped = Data(long.utf8).base64EncodedString(options: [.lineLength76Characters])
    wrapped += "\n"
    #expect(wrapped.contains("\r\n"))
    let body = String(
      decoding: try JSONSerialization.data(withJSONObject: ["plaintext": wrapped]), as: UTF8.self)
    let encrypted = await vault.call("POST", "transit/encrypt/w", body)
    #expect(encrypted.status == 200, "\(encrypted.text)")
    let ciphertext = try #require(encrypted.at("data", "ciphertext")?.stringValue)
    let decrypted = await vault.call(
      "POST", "transit/decrypt/w", #"{"ciphertext":"\#(ciphertext)"}"#)
    #expect(decrypted.at("data", "plaintext") == .string(Self.base64(long)))
    #expect(throws: VaultError.self) { try TransitCipher.base64("aGk=\u{2028}") }
  }

  @Test("create, read, encrypt and decrypt round-trip with vault:v1: ciphertexts")
  func roundTrip() async throws {
    let vault = try await Self.mounted()
    let created = await vault.call("POST", "transit/keys/app", "{}")
    #expect(created.status == 200)
    #expect(created.at("data", "type") == .string("aes256-gcm96"))
    #expect(created.at("data", "min_decryption_version") == .integer(1))
    #expect(created.at("data", "min_encryption_version") == .integer(0))
    #expect(created.at("data", "supports_signing") == .bool(false))
    let encrypted = await vault.call(
      "POST", "transit/encrypt/app", #"{"plaintext":"\#(Self.base64("hello"))"}"#)
    #expect(encrypted.status == 200)
    let ciphertext = try #require(encrypted.at("data", "ciphertext")?.stringValue)
    #expect(ciphertext.hasPrefix("vault:v1:"))
    #expect(encrypted.at("data", "key_version") == .integer(1))
    let decrypted = await vault.call(
      "POST", "transit/decrypt/app", #"{"ciphertext":"\#(ciphertext)"}"#)
    #expect(decrypted.at("data", "plaintext") == .string(Self.base64("hello")))
    let again = await vault.call("POST", "transit/keys/app", "{}")
    #expect(again.at("warnings")?.arrayValue == [.string("key app already existed")])
  }

  @Test("a transit operation that fails is audited with its status, not ok")
  func failedOperationsAreAuditedAsFailures() async throws {
    let vault = try await Self.mounted()
    #expect(await vault.call("POST", "transit/keys/k", "{}").status == 200)
    let tampered = "vault:v1:" + String(repeating: "A", count: 40)
    let decrypt = await vault.call("POST", "transit/decrypt/k", #"{"ciphertext":"\#(tampered)"}"#)
    #expect(decrypt.status == 400)
    let tooNew = await vault.call(
      "POST", "transit/encrypt/k", #"{"plaintext":"aGk=","key_version":7}"#)
    #expect(tooNew.status == 400)
    let missing = await vault.call(
      "POST", "transit/decrypt/nokey", #"{"ciphertext":"\#(tampered)"}"#)
    #expect(missing.status == 400)
    let good = await vault.call("POST", "transit/encrypt/k", #"{"plaintext":"aGk="}"#)
    #expect(good.status == 200)
    let records = try await vault.store.auditRecords(name: nil, limit: nil)
    let transit = records.filter { $0.operation.hasPrefix("transit/") }
      .map { "\($0.operation) \($0.name ?? "-") \($0.result)" }
    #expect(transit.contains("transit/decrypt transit/k vault-400"), "\(transit)")
    #expect(transit.contains("transit/encrypt transit/k vault-400"), "\(transit)")
    #expect(transit.contains("transit/decrypt transit/nokey vault-400"), "\(transit)")
    #expect(transit.contains("transit/encrypt transit/k ok"), "\(transit)")
  }

  @Test("versions: rotate, min_decryption_version, min_encryption_version and their errors")
  func versions() async throws {
    let vault = try await Self.mounted()
    await vault.call("POST", "transit/keys/k", "{}")
    let v1 = await vault.call(
      "POST", "transit/encrypt/k", #"{"plaintext":"\#(Self.base64("one"))"}"#)
    let old = try #require(v1.at("data", "ciphertext")?.stringValue)
    let rotated = await vault.call("POST", "transit/keys/k/rotate", "{}")
    #expect(rotated.at("data", "latest_version") == .integer(2))
    let v2 = await vault.call(
      "POST", "transit/encrypt/k", #"{"plaintext":"\#(Self.base64("two"))"}"#)
    #expect(v2.at("data", "ciphertext")?.stringValue?.hasPrefix("vault:v2:") == true)
    let pinned = await vault.call(
      "POST", "transit/encrypt/k", #"{"plaintext":"\#(Self.base64("x"))","key_version":1}"#)
    #expect(pinned.at("data", "key_version") == .integer(1))
    let tooNew = await vault.call(
      "POST", "transit/encrypt/k", #"{"plaintext":"\#(Self.base64("x"))","key_version":3}"#)
    #expect(
      tooNew.errors == ["requested version for encryption is higher than the latest key version"])

    let config = await vault.call("POST", "transit/keys/k/config", #"{"min_decryption_version":2}"#)
    #expect(config.status == 200)
    #expect(config.at("data", "keys")?.objectValue?.keys == ["2"])
    let refused = await vault.call("POST", "transit/decrypt/k", #"{"ciphertext":"\#(old)"}"#)
    #expect(refused.status == 400)
    #expect(refused.errors == ["ciphertext or signature version is disallowed by policy (too old)"])

    let below = await vault.call("POST", "transit/keys/k/config", #"{"min_encryption_version":1}"#)
    #expect(
      below.errors == [
        "cannot set min encryption/decryption values; min encryption version of 1 must be greater "
          + "than or equal to min decryption version of 2"
      ])
    let above = await vault.call("POST", "transit/keys/k/config", #"{"min_decryption_version":5}"#)
    #expect(above.errors == ["cannot set min decryption version of 5, latest key version is 2"])
    let zero = await vault.call("POST", "transit/keys/k/config", #"{"min_decryption_version":0}"#)
    #expect(
      zero.at("warnings")?.arrayValue?.first
        == .string(
          "since Vault 0.3, transit key numbering starts at 1; forcing minimum to 1"))
    await vault.call("POST", "transit/keys/k/rotate", "{}")
    await vault.call("POST", "transit/keys/k/config", #"{"min_encryption_version":3}"#)
    let pinnedOld = await vault.call(
      "POST", "transit/encrypt/k", #"{"plaintext":"\#(Self.base64("x"))","key_version":2}"#)
    #expect(
      pinnedOld.errors == [
        "requested version for encryption is less than the minimum encryption key version"
      ])
    #expect(
      await vault.call("POST", "transit/keys/missing/rotate", "{}").errors == ["key not found"])
  }

  @Test("rewrap moves a ciphertext to the latest version without returning plaintext")
  func rewrap() async throws {
    let vault = try await Self.mounted()
    await vault.call("POST", "transit/keys/r", "{}")
    let v1 = await vault.call(
      "POST", "transit/encrypt/r", #"{"plaintext":"\#(Self.base64("data"))"}"#)
    let old = try #require(v1.at("data", "ciphertext")?.stringValue)
    await vault.call("POST", "transit/keys/r/rotate", "{}")
    let rewrapped = await vault.call("POST", "transit/rewrap/r", #"{"ciphertext":"\#(old)"}"#)
    let new = try #require(rewrapped.at("data", "ciphertext")?.stringValue)
    #expect(new.hasPrefix("vault:v2:"))
    #expect(rewrapped.at("data", "plaintext") == nil)
    let decrypted = await vault.call("POST", "transit/decrypt/r", #"{"ciphertext":"\#(new)"}"#)
    #expect(decrypted.at("data", "plaintext") == .string(Self.base64("data")))
  }

  @Test("data keys: plaintext and wrapped; the wrapped key decrypts to the plaintext key")
  func dataKeys() async throws {
    let vault = try await Self.mounted()
    await vault.call("POST", "transit/keys/d", "{}")
    let plain = await vault.call("POST", "transit/datakey/plaintext/d", "{}")
    let key = try #require(plain.at("data", "plaintext")?.stringValue)
    #expect(Data(base64Encoded: key)?.count == 32)
    let wrapped = try #require(plain.at("data", "ciphertext")?.stringValue)
    let opened = await vault.call("POST", "transit/decrypt/d", #"{"ciphertext":"\#(wrapped)"}"#)
    #expect(opened.at("data", "plaintext") == .string(key))
    let onlyWrapped = await vault.call("POST", "transit/datakey/wrapped/d", #"{"bits":512}"#)
    #expect(onlyWrapped.at("data", "plaintext") == nil)
    #expect(onlyWrapped.at("data", "ciphertext") != nil)
    #expect(
      await vault.call("POST", "transit/datakey/other/d", "{}").errors == [
        "Invalid path, must be 'plaintext' or 'wrapped'"
      ])
    #expect(
      await vault.call("POST", "transit/datakey/wrapped/d", #"{"bits":100}"#).errors == [
        "invalid bit length"
      ])
    #expect(
      await vault.call("POST", "transit/datakey/wrapped/none", "{}").errors == [
        "encryption key not found"
      ])
  }

  @Test("decrypt errors use Vault's texts")
  func decryptErrors() async throws {
    let vault = try await Self.mounted()
    await vault.call("POST", "transit/keys/e", "{}")
    func decrypt(_ ciphertext: String) async -> [String]? {
      await vault.call("POST", "transit/decrypt/e", #"{"ciphertext":"\#(ciphertext)"}"#).errors
    }
    #expect(await decrypt("abc") == ["invalid ciphertext: no prefix"])
    #expect(await decrypt("vault:vx") == ["invalid ciphertext: wrong number of fields"])
    #expect(
      await decrypt("vault:vx:abc") == ["invalid ciphertext: version number could not be decoded"])
    #expect(await decrypt("vault:v9:abc") == ["invalid ciphertext: version is too new"])
    #expect(await decrypt("vault:v1:***") == ["invalid ciphertext: could not decode base64"])
    let encrypted = await vault.call(
      "POST", "transit/encrypt/e", #"{"plaintext":"\#(Self.base64("t"))"}"#)
    var ciphertext = try #require(encrypted.at("data", "ciphertext")?.stringValue)
    let last = ciphertext.removeLast()
    ciphertext.append(last == "A" ? "B" : "A")
    #expect(await decrypt(ciphertext) == ["cipher: message authentication failed"])
    #expect(
      await vault.call("POST", "transit/decrypt/none", #"{"ciphertext":"vault:v1:x"}"#).errors == [
        "encryption key not found"
      ])
    #expect(
      await vault.call("POST", "transit/encrypt/e", "{}").errors == ["missing plaintext to encrypt"]
    )
    #expect(
      await vault.call("POST", "transit/encrypt/e", #"{"plaintext":"!!"}"#).errors == [
        "illegal base64 data at input byte 0"
      ])
  }

  @Test("encrypt upserts a missing key; derived keys need a context; batches keep order")
  func upsertDerivedBatch() async throws {
    let vault = try await Self.mounted()
    let context = Self.base64("tenant-1")
    let upserted = await vault.call(
      "POST", "transit/encrypt/auto",
      #"{"plaintext":"\#(Self.base64("a"))","context":"\#(context)"}"#)
    #expect(upserted.status == 200)
    #expect(await vault.call("GET", "transit/keys/auto").at("data", "derived") == .bool(true))
    let ciphertext = try #require(upserted.at("data", "ciphertext")?.stringValue)
    let wrongContext = await vault.call(
      "POST", "transit/decrypt/auto",
      #"{"ciphertext":"\#(ciphertext)","context":"\#(Self.base64("tenant-2"))"}"#)
    #expect(wrongContext.errors == ["cipher: message authentication failed"])
    let noContext = await vault.call(
      "POST", "transit/decrypt/auto", #"{"ciphertext":"\#(ciphertext)"}"#)
    #expect(noContext.errors?.first?.hasPrefix("missing 'context' for key derivation") == true)

    await vault.call("POST", "transit/keys/b", "{}")
    let batch = await vault.call(
      "POST", "transit/encrypt/b",
      #"{"batch_input":[{"plaintext":"\#(Self.base64("1"))","reference":"one"},{"plaintext":"%%"},{"plaintext":"\#(Self.base64("3"))"}]}"#
    )
    #expect(batch.status == 400)
    let results = try #require(batch.at("data", "batch_results")?.arrayValue)
    #expect(results.count == 3)
    #expect(results[0]["reference"] == .string("one"))
    #expect(results[1]["reference"] == .string(""))
    #expect(results[2]["reference"] == .string(""))
    #expect(results[1]["error"] != nil)
    let decrypted = await vault.call(
      "POST", "transit/decrypt/b",
      JSONValue.object([
        (
          "batch_input",
          .array([
            .object([("ciphertext", results[0]["ciphertext"] ?? .null)]),
            .object([("ciphertext", results[2]["ciphertext"] ?? .null)]),
          ])
        )
      ]).compact())
    #expect(decrypted.status == 200)
    #expect(
      decrypted.at("data", "batch_results")?.arrayValue?.map { $0["plaintext"] } == [
        .string(Self.base64("1")), .string(Self.base64("3")),
      ])
  }

  @Test("encrypt's upsert takes type and convergent_encryption, checked only to create the key")
  func upsertOptions() async throws {
    let vault = try await Self.mounted()
    let plaintext = Self.base64("same")
    let context = Self.base64("tenant")
    let noContext = await vault.call(
      "POST", "transit/encrypt/c", #"{"plaintext":"\#(plaintext)","convergent_encryption":true}"#)
    #expect(
      noContext.errors == [
        "convergent encryption requires derivation to be enabled, so context is required"
      ])
    #expect(await vault.call("GET", "transit/keys/c").status == 404)
    let body =
      #"{"plaintext":"\#(plaintext)","context":"\#(context)","convergent_encryption":true}"#
    let first = await vault.call("POST", "transit/encrypt/c", body)
    #expect(first.status == 200, "\(first.text)")
    #expect(
      await vault.call("GET", "transit/keys/c").at("data", "convergent_encryption") == .bool(true))
    // Convergent: the same plaintext and context give the same ciphertext.
    let second = await vault.call("POST", "transit/encrypt/c", body)
    #expect(first.at("data", "ciphertext") != nil)
    #expect(second.at("data", "ciphertext") == first.at("data", "ciphertext"))

    for (type, error) in [
      ("ecdsa-p256", "key type ecdsa-p256 not supported for this operation"),
      ("ecdsa-p384", "key type ecdsa-p384 not supported for this operation"),
      ("ecdsa-p521", "key type ecdsa-p521 not supported for this operation"),
      ("nope", "unknown key type nope"),
      ("ed25519", "unknown key type ed25519"),
      ("aes128-gcm96", "key type aes128-gcm96 is not supported by cinch; use aes256-gcm96"),
      (
        "chacha20-poly1305",
        "key type chacha20-poly1305 is not supported by cinch; use aes256-gcm96"
      ),
    ] {
      let refused = await vault.call(
        "POST", "transit/encrypt/t", #"{"plaintext":"\#(plaintext)","type":"\#(type)"}"#)
      #expect(refused.status == 400, "\(type)")
      #expect(refused.errors == [error], "\(type)")
    }
    #expect(await vault.call("GET", "transit/keys/t").status == 404)
    let typed = await vault.call(
      "POST", "transit/encrypt/t", #"{"plaintext":"\#(plaintext)","type":"aes256-gcm96"}"#)
    #expect(typed.status == 200)
    #expect(await vault.call("GET", "transit/keys/t").at("data", "derived") == .bool(false))
    // An existing key ignores what would only shape a new one.
    let existing = await vault.call(
      "POST", "transit/encrypt/t",
      #"{"plaintext":"\#(plaintext)","type":"nope","convergent_encryption":true}"#)
    #expect(existing.status == 200, "\(existing.text)")
  }

  @Test("an undecodable boolean is 400 'error parsing', even where the field would be ignored")
  func undecodableBooleans() async throws {
    let vault = try await Self.mounted()
    for field in ["derived", "convergent_encryption", "exportable", "allow_plaintext_backup"] {
      let reply = await vault.call("POST", "transit/keys/b", #"{"\#(field)":"maybe"}"#)
      #expect(reply.status == 400, "\(field)")
      #expect(reply.errors == ["error parsing '\(field)'"], "\(field)")
    }
    #expect(await vault.call("GET", "transit/keys/b").status == 404)
    // Go's strconv.ParseBool spellings only.
    #expect(await vault.call("POST", "transit/keys/b", #"{"derived":"yes"}"#).status == 400)
    #expect(await vault.call("POST", "transit/keys/b", #"{"derived":"tRuE"}"#).status == 400)
    #expect(await vault.call("POST", "transit/keys/b", #"{"exportable":"TRUE"}"#).status == 200)
    for field in ["deletion_allowed", "exportable", "allow_plaintext_backup"] {
      let reply = await vault.call("POST", "transit/keys/b/config", #"{"\#(field)":"maybe"}"#)
      #expect(reply.errors == ["error parsing '\(field)'"], "\(field)")
    }
    let encrypt = await vault.call(
      "POST", "transit/encrypt/b",
      #"{"plaintext":"\#(Self.base64("x"))","convergent_encryption":"maybe"}"#)
    #expect(encrypt.errors == ["error parsing 'convergent_encryption'"])
  }

  @Test("delete needs deletion_allowed; list and unknown types")
  func deleteAndList() async throws {
    let vault = try await Self.mounted()
    await vault.call("POST", "transit/keys/x", "{}")
    await vault.call("POST", "transit/keys/y", "{}")
    #expect(await vault.call("LIST", "transit/keys").at("data", "keys")?.compact() == #"["x","y"]"#)
    #expect(
      await vault.call("DELETE", "transit/keys/x").errors == [
        "error deleting policy x: deletion is not allowed for this key"
      ])
    await vault.call("POST", "transit/keys/x/config", #"{"deletion_allowed":true}"#)
    #expect(await vault.call("DELETE", "transit/keys/x").status == 204)
    #expect(await vault.call("GET", "transit/keys/x").status == 404)
    #expect(
      await vault.call("POST", "transit/keys/z", #"{"type":"nope"}"#).errors == [
        "unknown key type nope"
      ])
    #expect(
      await vault.call("POST", "transit/keys/z", #"{"convergent_encryption":true}"#).errors == [
        "convergent encryption requires derivation to be enabled"
      ])
  }

  @Test("plaintexts and key material never reach the store file")
  func canary() async throws {
    let vault = try await Self.mounted()
    let canary = "canary-transit-91c2"
    await vault.call("POST", "transit/keys/c", "{}")
    let encrypted = await vault.call(
      "POST", "transit/encrypt/c", #"{"plaintext":"\#(Self.base64(canary))"}"#)
    #expect(encrypted.status == 200)
    try vault.store.close()
    for suffix in ["", "-wal"] {
      guard let bytes = FileManager.default.contents(atPath: vault.storePath + suffix) else {
        continue
      }
      #expect(bytes.range(of: Data(canary.utf8)) == nil)
      #expect(bytes.range(of: Data(Self.base64(canary).utf8)) == nil)
    }
  }

  @Test("a path the engine serves, with an operation it does not, is 405; an unknown path 404")
  func wrongMethods() async throws {
    let vault = try await Self.mounted()
    #expect(await vault.call("POST", "transit/keys/app", "{}").status == 200)
    for (method, path) in [
      ("GET", "transit/encrypt/app"), ("GET", "transit/decrypt/app"), ("GET", "transit/rewrap/app"),
      ("GET", "transit/keys/app/rotate"), ("GET", "transit/keys/app/config"),
      ("GET", "transit/datakey/plaintext/app"), ("PUT", "transit/keys"),
      ("DELETE", "transit/encrypt/app"), ("GET", "auth/token/create"),
    ] {
      let reply = await vault.call(method, path)
      #expect(reply.status == 405, "\(method) \(path)")
      #expect(reply.text.contains("unsupported operation"), "\(method) \(path)")
    }
    #expect(await vault.call("GET", "transit/nothing/app").status == 404)
  }

  @Test("key_size and auto_rotate_period are checked as Vault checks them, never dropped")
  func refusedKeyOptions() async throws {
    let vault = try await Self.mounted()
    let sized = await vault.call("POST", "transit/keys/a", #"{"key_size":32}"#)
    #expect(sized.status == 400)
    #expect(sized.errors == ["key_size is not valid for algorithm aes256-gcm96"])
    let short = await vault.call("POST", "transit/keys/a", #"{"auto_rotate_period":"30m"}"#)
    #expect(short.errors == ["auto rotate period must be 0 to disable or at least an hour"])
    let daily = await vault.call("POST", "transit/keys/a", #"{"auto_rotate_period":"24h"}"#)
    #expect(daily.status == 400)
    #expect(daily.errors?.first?.contains("auto_rotate_period is not supported") == true)
    #expect(await vault.call("GET", "transit/keys/a").status == 404)
    #expect(await vault.call("POST", "transit/keys/a", #"{"auto_rotate_period":0}"#).status == 200)
    let config = await vault.call(
      "POST", "transit/keys/a/config", #"{"auto_rotate_period":"1m"}"#)
    #expect(config.errors == ["auto rotate period must be 0 to disable or at least an hour"])
    // Vault types it `TypeDurationSecond`: its framework refuses a negative period before the
    // handler's own check.
    for path in ["transit/keys/b", "transit/keys/a/config"] {
      let negative = await vault.call("POST", path, #"{"auto_rotate_period":"-2h"}"#)
      #expect(negative.status == 400)
      #expect(negative.errors == ["error parsing 'auto_rotate_period'"], "\(path)")
    }
  }

  @Test("partial_failure_response_code outside 1..599 falls back to 400 with Vault's warning")
  func partialFailureCode() async throws {
    let vault = try await Self.mounted()
    let items = #"[{"plaintext":"\#(Self.base64("1"))"},{"plaintext":"%%"}]"#
    let valid = await vault.call(
      "POST", "transit/encrypt/k", #"{"partial_failure_response_code":207,"batch_input":\#(items)}"#
    )
    #expect(valid.status == 207)
    for code in [600, 0] {
      let invalid = await vault.call(
        "POST", "transit/encrypt/k",
        #"{"partial_failure_response_code":\#(code),"batch_input":\#(items)}"#)
      #expect(invalid.status == 400)
      #expect(
        invalid.at("warnings")?.arrayValue == [
          .string(
            "invalid HTTP response code override from partial_failure_response_code, reverting to 400"
          )
        ])
    }
  }
}

/// Vault's framework reads every field of a transit path's schema as its type before the
/// handler runs; a batch item's fields are read as the handler decodes them.
@Suite("transit request fields")
struct TransitFieldTests {
  @Test("a typed field that cannot be read as its type is 400 'error parsing'")
  func typedFieldsAreValidated() async throws {
    let vault = try await TransitEngineTests.mounted()
    await vault.call("POST", "transit/keys/f", "{}")
    let plaintext = TransitEngineTests.base64("x")
    let encrypted = await vault.call("POST", "transit/encrypt/f", #"{"plaintext":"\#(plaintext)"}"#)
    let ciphertext = try #require(encrypted.at("data", "ciphertext")?.stringValue)
    let refused: [(String, String, String)] = [
      ("transit/encrypt/f", #"{"plaintext":"\#(plaintext)","key_version":"x"}"#, "key_version"),
      (
        "transit/encrypt/f", #"{"plaintext":"\#(plaintext)","partial_failure_response_code":"x"}"#,
        "partial_failure_response_code"
      ),
      ("transit/encrypt/f", #"{"plaintext":{"a":1}}"#, "plaintext"),
      ("transit/encrypt/f", #"{"plaintext":"\#(plaintext)","context":["c"]}"#, "context"),
      (
        "transit/encrypt/f", #"{"plaintext":"\#(plaintext)","convergent_encryption":"x"}"#,
        "convergent_encryption"
      ),
      ("transit/encrypt/f", #"{"plaintext":"\#(plaintext)","type":{}}"#, "type"),
      ("transit/decrypt/f", #"{"ciphertext":["\#(ciphertext)"]}"#, "ciphertext"),
      (
        "transit/decrypt/f",
        #"{"ciphertext":"\#(ciphertext)","partial_failure_response_code":"x"}"#,
        "partial_failure_response_code"
      ),
      ("transit/rewrap/f", #"{"ciphertext":"\#(ciphertext)","key_version":"x"}"#, "key_version"),
      ("transit/datakey/plaintext/f", #"{"bits":"x"}"#, "bits"),
      ("transit/datakey/wrapped/f", #"{"key_version":"x"}"#, "key_version"),
      ("transit/datakey/wrapped/f", #"{"nonce":{}}"#, "nonce"),
      ("transit/keys/g", #"{"key_size":"x"}"#, "key_size"),
      ("transit/keys/g", #"{"exportable":"maybe"}"#, "exportable"),
      ("transit/keys/g", #"{"auto_rotate_period":"soon"}"#, "auto_rotate_period"),
      ("transit/keys/f/config", #"{"deletion_allowed":"maybe"}"#, "deletion_allowed"),
      ("transit/keys/f/config", #"{"min_decryption_version":"x"}"#, "min_decryption_version"),
      ("transit/keys/f/rotate", #"{"managed_key_name":["m"]}"#, "managed_key_name"),
    ]
    for (path, body, field) in refused {
      let reply = await vault.call("POST", path, body)
      #expect(reply.status == 400, "\(path) \(body): \(reply.text)")
      #expect(reply.errors == ["error parsing '\(field)'"], "\(path) \(body)")
    }
    // Nothing was created or rotated by a refused request.
    #expect(await vault.call("GET", "transit/keys/g").status == 404)
    #expect(await vault.call("GET", "transit/keys/f").at("data", "latest_version") == .integer(1))

    // A batch item's fields are read strictly, as transit decodes batch_input.
    let batch = await vault.call(
      "POST", "transit/encrypt/f",
      #"{"batch_input":[{"plaintext":"\#(plaintext)"},{"plaintext":"\#(plaintext)","key_version":"1"}]}"#
    )
    #expect(batch.status == 400)
    #expect(
      batch.errors == [
        "failed to parse batch input: '[1].key_version' expected type 'int', got unconvertible "
          + "type 'string'"
      ])
    let decryptBatch = await vault.call(
      "POST", "transit/decrypt/f", #"{"batch_input":[{"ciphertext":1}]}"#)
    #expect(
      decryptBatch.errors == [
        "failed to parse batch input: '[0].ciphertext' expected type 'string', got "
          + "unconvertible type 'json.Number'"
      ])
  }

  /// Vault's transit routes match names with `GenericNameRegex`, `\w(([\w-.@]+)?\w)?`.
  @Test("a key name outside Vault's name pattern matches no route")
  func keyNamesFollowVaultsPattern() async throws {
    let vault = try await TransitEngineTests.mounted()
    let plaintext = TransitEngineTests.base64("x")
    let empty = await vault.call("POST", "transit/keys/", "{}")
    #expect(empty.status == 405, "\(empty.text)")
    #expect(empty.errors == ["unsupported operation"])
    for name in ["a%20b", "-ab", "ab-", "%C3%A9", ".a", "a/b/c"] {
      for (path, body) in [
        ("transit/keys/\(name)", "{}"), ("transit/keys/\(name)/config", "{}"),
        ("transit/keys/\(name)/rotate", "{}"),
        ("transit/encrypt/\(name)", #"{"plaintext":"\#(plaintext)"}"#),
        ("transit/decrypt/\(name)", #"{"ciphertext":"vault:v1:x"}"#),
        ("transit/rewrap/\(name)", #"{"ciphertext":"vault:v1:x"}"#),
        ("transit/datakey/plaintext/\(name)", "{}"),
      ] {
        let reply = await vault.call("POST", path, body)
        #expect(reply.status == 404, "\(path): \(reply.text)")
        let decoded = "transit/" + (path.dropFirst(8).removingPercentEncoding ?? "")
        #expect(
          reply.errors == ["no handler for route \"\(decoded)\". route entry not found."],
          "\(path)")
      }
    }
    for path in [
      "transit/encrypt/", "transit/decrypt/", "transit/rewrap/", "transit/datakey/plaintext/",
      "transit/datakey//k", "transit/keys//config",
    ] {
      #expect(await vault.call("POST", path, "{}").status == 404, "\(path)")
    }
    #expect(await vault.call("LIST", "transit/keys").status == 404)
    for name in ["a", "a_b", "a-b.c@d", "A9"] {
      #expect(await vault.call("POST", "transit/keys/\(name)", "{}").status == 200, "\(name)")
      #expect(
        await vault.call("POST", "transit/encrypt/\(name)", #"{"plaintext":"\#(plaintext)"}"#)
          .status == 200, "\(name)")
    }
    #expect(
      await vault.call("LIST", "transit/keys").at("data", "keys")
        == .array(["A9", "a", "a-b.c@d", "a_b"].map(JSONValue.string)))
    #expect(await vault.call("LIST", "transit/keys/a").status == 404)
  }

  /// Vault's `nonceAllowed`: only convergent keys of convergent_version 1 take a nonce, and
  /// cinch makes neither those nor any other key that would.
  @Test("a nonce is refused on keys that cannot use it")
  func nonceIsNotAllowed() async throws {
    let vault = try await TransitEngineTests.mounted()
    await vault.call("POST", "transit/keys/n", "{}")
    await vault.call(
      "POST", "transit/keys/c", #"{"derived":true,"convergent_encryption":true}"#)
    let plaintext = TransitEngineTests.base64("x")
    let nonce = Data(repeating: 1, count: 12).base64EncodedString()
    let context = TransitEngineTests.base64("ctx")
    let encrypted = await vault.call("POST", "transit/encrypt/n", #"{"plaintext":"\#(plaintext)"}"#)
    let ciphertext = try #require(encrypted.at("data", "ciphertext")?.stringValue)
    let notAllowed = ["provided nonce not allowed for this key"]
    for (path, body) in [
      ("transit/encrypt/n", #"{"plaintext":"\#(plaintext)","nonce":"\#(nonce)"}"#),
      (
        "transit/encrypt/c",
        #"{"plaintext":"\#(plaintext)","context":"\#(context)","nonce":"\#(nonce)"}"#
      ),
      ("transit/decrypt/n", #"{"ciphertext":"\#(ciphertext)","nonce":"\#(nonce)"}"#),
      ("transit/rewrap/n", #"{"ciphertext":"\#(ciphertext)","nonce":"\#(nonce)"}"#),
      ("transit/datakey/plaintext/n", #"{"nonce":"\#(nonce)"}"#),
    ] {
      let reply = await vault.call("POST", path, body)
      #expect(reply.status == 400, "\(path): \(reply.text)")
      #expect(reply.errors == notAllowed, "\(path)")
      #expect(!reply.text.contains("\"plaintext\""), "\(path)")
    }
    let batch = await vault.call(
      "POST", "transit/encrypt/n",
      #"{"batch_input":[{"plaintext":"\#(plaintext)"},{"plaintext":"\#(plaintext)","nonce":"\#(nonce)"}]}"#
    )
    #expect(batch.status == 400)
    let results = try #require(batch.at("data", "batch_results")?.arrayValue)
    #expect(results[0]["ciphertext"] != nil)
    #expect(results[1]["error"] == .string(notAllowed[0]))
    // An empty nonce is no nonce.
    #expect(
      await vault.call("POST", "transit/encrypt/n", #"{"plaintext":"\#(plaintext)","nonce":""}"#)
        .status == 200)
    // A nonce for a missing key: the key is missing first (datakey does not upsert).
    #expect(
      await vault.call("POST", "transit/datakey/wrapped/none", #"{"nonce":"\#(nonce)"}"#).errors
        == ["encryption key not found"])
  }
}
