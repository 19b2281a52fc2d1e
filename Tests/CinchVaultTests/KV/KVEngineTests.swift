import CinchJSON
import CinchStore
import Foundation
import Testing

@testable import CinchVault

@Suite("KV v2")
struct KVEngineTests {
  @Test("a write returns the version's metadata; a read returns data and metadata")
  func writeAndRead() async throws {
    let vault = try await VaultFixture()
    let write = await vault.call(
      "PUT", "secret/data/myapp/db", #"{"data":{"password":"p1","n":3}}"#)
    #expect(write.status == 200)
    #expect(write.at("data", "version") == .integer(1))
    #expect(write.at("data", "deletion_time") == .string(""))
    #expect(write.at("data", "destroyed") == .bool(false))
    #expect(write.at("data", "custom_metadata") == .null)
    #expect(write.headers.contains { $0 == ("Content-Type", "application/json") })

    let read = await vault.call("GET", "secret/data/myapp/db")
    #expect(read.status == 200)
    #expect(read.at("data", "data", "password") == .string("p1"))
    #expect(read.at("data", "data", "n") == .integer(3))
    #expect(read.at("data", "metadata", "version") == .integer(1))
    #expect(read.at("lease_id") == .string(""))
    #expect(read.at("mount_type") == .string("kv"))
  }

  @Test("unknown keys and versions are 404 with an empty errors list")
  func missing() async throws {
    let vault = try await VaultFixture()
    let missing = await vault.call("GET", "secret/data/nothing")
    #expect(missing.status == 404)
    #expect(missing.text == "{\"errors\":[]}\n")
    await vault.call("PUT", "secret/data/a", #"{"data":{"k":"v"}}"#)
    #expect(await vault.call("GET", "secret/data/a?version=7").status == 404)
  }

  @Test("check-and-set: mismatch, required, cas=0 only for new keys, unparseable")
  func checkAndSet() async throws {
    let vault = try await VaultFixture()
    #expect(
      await vault.call("PUT", "secret/data/c", #"{"options":{"cas":0},"data":{"a":"1"}}"#).status
        == 200)
    let again = await vault.call("PUT", "secret/data/c", #"{"options":{"cas":0},"data":{"a":"2"}}"#)
    #expect(again.status == 400)
    #expect(again.errors == ["check-and-set parameter did not match the current version"])
    #expect(
      await vault.call("PUT", "secret/data/c", #"{"options":{"cas":"1"},"data":{"a":"2"}}"#).status
        == 200)
    let bad = await vault.call("PUT", "secret/data/c", #"{"options":{"cas":"x"},"data":{"a":"2"}}"#)
    #expect(bad.errors == ["error parsing check-and-set parameter"])

    await vault.call("POST", "secret/metadata/c", #"{"cas_required":true}"#)
    let required = await vault.call("PUT", "secret/data/c", #"{"data":{"a":"3"}}"#)
    #expect(required.status == 400)
    #expect(required.errors == ["check-and-set parameter required for this call"])

    await vault.call("POST", "secret/config", #"{"cas_required":true}"#)
    let mount = await vault.call("PUT", "secret/data/other", #"{"data":{"a":"3"}}"#)
    #expect(mount.errors == ["check-and-set parameter required for this call"])
    // A key made through metadata has current_version 0, so cas=0 writes it.
    await vault.call("POST", "secret/metadata/meta-only", #"{"max_versions":3}"#)
    #expect(
      await vault.call("PUT", "secret/data/meta-only", #"{"options":{"cas":0},"data":{"a":"1"}}"#)
        .status == 200)
  }

  @Test("a write without data is 400 'no data provided'")
  func noData() async throws {
    let vault = try await VaultFixture()
    let reply = await vault.call("PUT", "secret/data/x", #"{"options":{}}"#)
    #expect(reply.status == 400)
    #expect(reply.errors == ["no data provided"])
  }

  /// Vault's framework reads every field of a path's schema as its type before the handler
  /// runs: a malformed `options` must not quietly skip check-and-set, nor `data` read as missing.
  @Test("every typed field of a KV path that cannot be read as its type is 400 'error parsing'")
  func typedFieldsAreValidated() async throws {
    let vault = try await VaultFixture()
    await vault.call("PUT", "secret/data/t", #"{"data":{"a":"1"}}"#)
    let refused: [(String, String, String, String)] = [
      ("PUT", "secret/data/t", #"{"options":"{\"cas\":5}","data":{"a":"2"}}"#, "options"),
      ("PUT", "secret/data/t", #"{"options":["cas",1],"data":{"a":"2"}}"#, "options"),
      ("PUT", "secret/data/t", #"{"data":"x"}"#, "data"),
      ("PUT", "secret/data/t", #"{"data":["x"]}"#, "data"),
      ("PUT", "secret/data/t", #"{"version":"x","data":{"a":"2"}}"#, "version"),
      ("PATCH", "secret/data/t", #"{"options":"x","data":{"a":"2"}}"#, "options"),
      ("PATCH", "secret/data/t", #"{"data":"x"}"#, "data"),
      ("POST", "secret/metadata/t", #"{"max_versions":"x"}"#, "max_versions"),
      ("POST", "secret/metadata/t", #"{"cas_required":"maybe"}"#, "cas_required"),
      ("POST", "secret/metadata/t", #"{"delete_version_after":"soon"}"#, "delete_version_after"),
      ("POST", "secret/metadata/t", #"{"custom_metadata":"owner"}"#, "custom_metadata"),
      ("POST", "secret/metadata/t", #"{"custom_metadata":{"a":{"b":"c"}}}"#, "custom_metadata"),
      ("PATCH", "secret/metadata/t", #"{"max_versions":[1]}"#, "max_versions"),
      ("POST", "secret/config", #"{"max_versions":"x"}"#, "max_versions"),
      ("POST", "secret/delete/t", #"{"versions":"x"}"#, "versions"),
      ("POST", "secret/undelete/t", #"{"versions":["x"]}"#, "versions"),
      ("PUT", "secret/destroy/t", #"{"versions":{"v":1}}"#, "versions"),
      ("GET", "secret/subkeys/t?depth=x", "", "depth"),
    ]
    for (method, path, body, field) in refused {
      let reply = await vault.call(method, path, body)
      #expect(reply.status == 400, "\(method) \(path) \(body): \(reply.text)")
      #expect(reply.errors == ["error parsing '\(field)'"], "\(method) \(path) \(body)")
    }
    let read = await vault.call("GET", "secret/data/t")
    #expect(read.at("data", "metadata", "version") == .integer(1))
    #expect(read.at("data", "data", "a") == .string("1"))

    // As mapstructure's weak decoding reads a map: a list of maps is merged, an empty list is
    // an empty map; custom_metadata also takes `key=value` strings (Vault's TypeKVPairs).
    let merged = await vault.call(
      "PUT", "secret/data/t", #"{"options":[{"cas":1}],"data":[{"a":"2"},{"b":"3"}]}"#)
    #expect(merged.status == 200, "\(merged.text)")
    let stale = await vault.call("PUT", "secret/data/t", #"{"options":[{"cas":1}],"data":{}}"#)
    #expect(stale.errors == ["check-and-set parameter did not match the current version"])
    #expect(await vault.call("GET", "secret/data/t").at("data", "data", "b") == .string("3"))
    #expect(await vault.call("PUT", "secret/data/e", #"{"data":[]}"#).status == 200)
    #expect(
      await vault.call("POST", "secret/metadata/t", #"{"custom_metadata":["owner=jdoe"]}"#).status
        == 204)
    #expect(
      await vault.call("GET", "secret/metadata/t").at("data", "custom_metadata", "owner")
        == .string("jdoe"))
  }

  @Test("retention: the greater of key and mount max_versions wins, 10 when both are unset")
  func retention() async throws {
    let vault = try await VaultFixture()
    // Key 2, mount unset: two versions kept, oldest_version moves as Vault's AddVersion moves it.
    await vault.call("POST", "secret/metadata/r", #"{"max_versions":2}"#)
    for value in 1...3 {
      await vault.call("PUT", "secret/data/r", #"{"data":{"v":"\#(value)"}}"#)
    }
    let meta = await vault.call("GET", "secret/metadata/r")
    #expect(meta.at("data", "oldest_version") == .integer(2))
    #expect(meta.at("data", "versions")?.objectValue?.keys == ["2", "3"])
    #expect(await vault.call("GET", "secret/data/r?version=1").text == "{\"errors\":[]}\n")

    // Key 2, mount 5: the mount's 5 wins.
    await vault.call("POST", "secret/config", #"{"max_versions":5}"#)
    for value in 4...9 {
      await vault.call("PUT", "secret/data/r", #"{"data":{"v":"\#(value)"}}"#)
    }
    let kept = await vault.call("GET", "secret/metadata/r")
    #expect(kept.at("data", "versions")?.objectValue?.keys == ["5", "6", "7", "8", "9"])
    #expect(kept.at("data", "max_versions") == .integer(2))

    // Neither set: 10.
    await vault.call("POST", "secret/config", #"{"max_versions":0}"#)
    for value in 1...13 {
      await vault.call("PUT", "secret/data/ten", #"{"data":{"v":"\#(value)"}}"#)
    }
    let ten = await vault.call("GET", "secret/metadata/ten")
    #expect(ten.at("data", "versions")?.objectValue?.count == 10)
    #expect(ten.at("data", "oldest_version") == .integer(4))
  }

  @Test("delete, undelete and destroy, and what a read of each returns")
  func lifecycle() async throws {
    let vault = try await VaultFixture()
    for value in 1...3 {
      await vault.call("PUT", "secret/data/l", #"{"data":{"v":"\#(value)"}}"#)
    }
    #expect(await vault.call("DELETE", "secret/data/l").status == 204)
    let deleted = await vault.call("GET", "secret/data/l")
    #expect(deleted.status == 404)
    #expect(deleted.at("data", "data") == .null)
    #expect(deleted.at("data", "metadata", "version") == .integer(3))
    #expect(deleted.at("data", "metadata", "deletion_time")?.stringValue?.isEmpty == false)
    #expect(deleted.json?["errors"] == nil)

    #expect(await vault.call("POST", "secret/undelete/l", #"{"versions":[3]}"#).status == 204)
    #expect(await vault.call("GET", "secret/data/l").at("data", "data", "v") == .string("3"))

    #expect(await vault.call("POST", "secret/delete/l", #"{"versions":"1,2"}"#).status == 204)
    #expect(await vault.call("GET", "secret/data/l?version=1").status == 404)

    #expect(await vault.call("PUT", "secret/destroy/l", #"{"versions":[2]}"#).status == 204)
    let destroyed = await vault.call("GET", "secret/data/l?version=2")
    #expect(destroyed.status == 404)
    #expect(destroyed.at("data", "metadata", "destroyed") == .bool(true))
    // Undelete never revives a destroyed version.
    await vault.call("POST", "secret/undelete/l", #"{"versions":[2]}"#)
    #expect(await vault.call("GET", "secret/data/l?version=2").status == 404)

    #expect(
      await vault.call("POST", "secret/delete/l", "{}").errors == ["No version number provided"])
    #expect(
      await vault.call("POST", "secret/undelete/l", "{}").errors == ["No version number provided"])
    #expect(
      await vault.call("PUT", "secret/destroy/l", "{}").errors == ["no version number provided"])
    // Deleting a missing key is a 204 too.
    #expect(await vault.call("DELETE", "secret/data/never").status == 204)

    #expect(await vault.call("DELETE", "secret/metadata/l").status == 204)
    #expect(await vault.call("GET", "secret/metadata/l").status == 404)
  }

  @Test("delete_version_after: reads 200 until the time passes, then 404 with metadata")
  func deleteVersionAfter() async throws {
    let vault = try await VaultFixture()
    await vault.call("POST", "secret/metadata/d", #"{"delete_version_after":"1h"}"#)
    let write = await vault.call("PUT", "secret/data/d", #"{"data":{"v":"1"}}"#)
    #expect(write.at("data", "deletion_time")?.stringValue?.isEmpty == false)
    #expect(await vault.call("GET", "secret/data/d").status == 200)
    let later = await vault.call("GET", "secret/data/d", api: vault.later(by: 3601))
    #expect(later.status == 404)
    #expect(later.at("data", "metadata", "version") == .integer(1))
    // The smaller non-zero of mount and key applies.
    await vault.call("POST", "secret/config", #"{"delete_version_after":"30m"}"#)
    await vault.call("PUT", "secret/data/d", #"{"data":{"v":"2"}}"#)
    #expect(await vault.call("GET", "secret/data/d", api: vault.later(by: 1801)).status == 404)
    let config = await vault.call("GET", "secret/config")
    #expect(config.at("data", "delete_version_after") == .string("30m0s"))
  }

  /// Vault types a key's `delete_version_after` `TypeDurationSecond` ("A negative duration will
  /// cause an error"), so its framework refuses a negative one before the handler runs; the
  /// mount's is `TypeSignedDurationSecond`, where a negative one disables the setting. A key's
  /// `-1h` was stored, read back as `-1h0m0s` and ignored.
  @Test("a key's negative delete_version_after is 400; the mount's disables the setting")
  func negativeDeleteVersionAfter() async throws {
    let vault = try await VaultFixture()
    let root = try await vault.store.vaultRootToken()
    for value in [#""-1h""#, "-60", #""-1d""#] {
      let body = #"{"delete_version_after":\#(value)}"#
      let created = await vault.http("POST", "secret/metadata/neg", body, token: root)
      #expect(created.status == 400, "\(value): \(created.text)")
      #expect(created.errors == ["error parsing 'delete_version_after'"], "\(value)")
    }
    #expect(await vault.http("GET", "secret/metadata/neg", token: root).status == 404)

    await vault.http("PUT", "secret/data/neg", #"{"data":{"a":"1"}}"#, token: root)
    let patched = await vault.http(
      "PATCH", "secret/metadata/neg", #"{"delete_version_after":"-30m"}"#, token: root)
    #expect(patched.status == 400)
    #expect(patched.errors == ["error parsing 'delete_version_after'"])
    let meta = await vault.http("GET", "secret/metadata/neg", token: root)
    #expect(meta.at("data", "delete_version_after") == .string("0s"))
    // Vault takes whole seconds (`int(dur.Seconds())`): less than a second below zero is 0.
    #expect(
      await vault.http(
        "POST", "secret/metadata/neg", #"{"delete_version_after":"-500ms"}"#, token: root
      ).status == 204)
    #expect(
      await vault.http("GET", "secret/metadata/neg", token: root).at("data", "delete_version_after")
        == .string("0s"))

    // The mount's negative value disables the key's.
    #expect(
      await vault.http("POST", "secret/config", #"{"delete_version_after":"-1s"}"#, token: root)
        .status == 204)
    await vault.http(
      "POST", "secret/metadata/neg", #"{"delete_version_after":"1h"}"#, token: root)
    let write = await vault.http("PUT", "secret/data/neg", #"{"data":{"a":"2"}}"#, token: root)
    #expect(write.status == 200)
    #expect(write.at("data", "deletion_time") == .string(""))
  }

  /// Vault keeps a key's metadata as protobuf, where an empty map is not kept: custom metadata
  /// emptied by `{}` or by a patch removing its last key reads back `null`, not `{}`, in every
  /// answer that carries it.
  @Test("emptied custom_metadata reads back null, as Vault's protobuf map does")
  func emptiedCustomMetadataIsNull() async throws {
    let vault = try await VaultFixture()
    let root = try await vault.store.vaultRootToken()
    await vault.http(
      "POST", "secret/metadata/cm", #"{"custom_metadata":{"owner":"jdoe"}}"#, token: root)
    #expect(
      await vault.http(
        "POST", "secret/metadata/cm", #"{"custom_metadata":{}}"#, token: root
      ).status == 204)
    let write = await vault.http("PUT", "secret/data/cm", #"{"data":{"a":"1"}}"#, token: root)
    #expect(write.at("data", "custom_metadata") == .null)
    #expect(write.text.contains(#""custom_metadata":null"#))
    let meta = await vault.http("GET", "secret/metadata/cm", token: root)
    #expect(meta.text.contains(#""custom_metadata":null"#), "\(meta.text)")
    let read = await vault.http("GET", "secret/data/cm", token: root)
    #expect(read.text.contains(#""custom_metadata":null"#), "\(read.text)")
    let subkeys = await vault.http("GET", "secret/subkeys/cm", token: root)
    #expect(subkeys.text.contains(#""custom_metadata":null"#), "\(subkeys.text)")

    // A merge patch removing the last key empties it too.
    await vault.http(
      "POST", "secret/metadata/cm", #"{"custom_metadata":{"owner":"jdoe"}}"#, token: root)
    #expect(
      await vault.http(
        "PATCH", "secret/metadata/cm", #"{"custom_metadata":{"owner":null}}"#, token: root
      ).status == 204)
    let patched = await vault.http("GET", "secret/metadata/cm", token: root)
    #expect(patched.text.contains(#""custom_metadata":null"#), "\(patched.text)")
    let next = await vault.http("PUT", "secret/data/cm", #"{"data":{"a":"2"}}"#, token: root)
    #expect(next.text.contains(#""custom_metadata":null"#), "\(next.text)")
  }

  /// pathDataRead and pathSubkeysRead take `version` only `if verParam > 0`, and removeValues
  /// limits the walk whenever `maxDepth` is not 0 (`currentDepth <= maxDepth`): a negative
  /// version reads the current one and a negative depth keeps the top level only. Both were 400.
  @Test("a negative version reads the current one; a negative depth keeps the top level")
  func negativeVersionAndDepth() async throws {
    let vault = try await VaultFixture()
    let root = try await vault.store.vaultRootToken()
    await vault.http("PUT", "secret/data/v", #"{"data":{"a":"1"}}"#, token: root)
    await vault.http(
      "PUT", "secret/data/v", #"{"data":{"a":"2","b":{"c":{"d":"3"}}}}"#, token: root)
    for query in ["version=-1", "version=-99", "version=0"] {
      let read = await vault.http("GET", "secret/data/v?\(query)", token: root)
      #expect(read.status == 200, "\(query): \(read.text)")
      #expect(read.at("data", "metadata", "version") == .integer(2), "\(query)")
      #expect(read.at("data", "data", "a") == .string("2"), "\(query)")
      let subkeys = await vault.http("GET", "secret/subkeys/v?\(query)", token: root)
      #expect(subkeys.status == 200, "\(query): \(subkeys.text)")
      #expect(subkeys.at("data", "metadata", "version") == .integer(2), "\(query)")
    }
    let expected = [
      ("-1", #"{"a":null,"b":null}"#), ("1", #"{"a":null,"b":null}"#),
      ("2", #"{"a":null,"b":{"c":null}}"#), ("0", #"{"a":null,"b":{"c":{"d":null}}}"#),
    ]
    for (depth, shape) in expected {
      let subkeys = await vault.http("GET", "secret/subkeys/v?depth=\(depth)", token: root)
      #expect(subkeys.status == 200, "depth \(depth): \(subkeys.text)")
      #expect(subkeys.at("data", "subkeys")?.compact() == shape, "depth \(depth)")
    }
  }

  @Test("durations take parseutil's day suffix: an integer and 'd'")
  func daySuffix() async throws {
    let vault = try await VaultFixture()
    #expect(
      await vault.call("POST", "secret/metadata/d", #"{"delete_version_after":"1d"}"#).status == 204
    )
    let meta = await vault.call("GET", "secret/metadata/d")
    #expect(meta.at("data", "delete_version_after") == .string("24h0m0s"))
    #expect(
      await vault.call("POST", "secret/config", #"{"delete_version_after":"2d"}"#).status == 204)
    let config = await vault.call("GET", "secret/config")
    #expect(config.at("data", "delete_version_after") == .string("48h0m0s"))
    // ParseDurationSecond reads only an integer before the 'd'; Go's units never mix with it.
    for refused in ["1.5d", "1d12h", "d", "1dd"] {
      let reply = await vault.call(
        "POST", "secret/metadata/d", #"{"delete_version_after":"\#(refused)"}"#)
      #expect(reply.errors == ["error parsing 'delete_version_after'"], "\(refused)")
    }
    #expect(GoDuration.parse("-1d") == -86_400 * GoDuration.second)
    #expect(GoDuration.parse("+3d") == 3 * 86_400 * GoDuration.second)
    #expect(GoDuration.parse("36h") == 36 * 3_600 * GoDuration.second)
  }

  @Test("patch merges (RFC 7386) into a new version; missing and deleted keys are 404")
  func patch() async throws {
    let vault = try await VaultFixture()
    await vault.call("PUT", "secret/data/p", #"{"data":{"a":"1","b":{"c":"2","d":"3"},"e":"4"}}"#)
    let patched = await vault.call(
      "PATCH", "secret/data/p", #"{"data":{"a":"9","b":{"d":null},"e":null}}"#)
    #expect(patched.status == 200)
    #expect(patched.at("data", "version") == .integer(2))
    let read = await vault.call("GET", "secret/data/p")
    #expect(read.at("data", "data")?.compact() == #"{"a":"9","b":{"c":"2"}}"#)

    let missing = await vault.call("PATCH", "secret/data/none", #"{"data":{"a":"1"}}"#)
    #expect(missing.status == 404)
    #expect(missing.text.isEmpty)

    await vault.call("DELETE", "secret/data/p")
    let deleted = await vault.call("PATCH", "secret/data/p", #"{"data":{"a":"1"}}"#)
    #expect(deleted.status == 404)
    #expect(deleted.at("data", "version") == .integer(2))

    let wrongType = await vault.call(
      "PATCH", "secret/data/p", #"{"data":{}}"#, headers: ["Content-Type": "application/json"])
    #expect(wrongType.status == 415)
    #expect(
      wrongType.errors == [
        "PATCH requires Content-Type of application/merge-patch+json, provided application/json"
      ])
  }

  /// Vault's `strutil.Printable` is Go's `unicode.IsPrint`: the ASCII space is the only space,
  /// and format characters, separators and controls are not printable.
  @Test("custom_metadata must be printable as Go's unicode.IsPrint reads it")
  func customMetadataPrintable() async throws {
    for text in ["a b", "é", "日本", "😀", "a-b_c.d", "¿", "€", "x\u{301}"] {
      #expect(KVEngine.isPrintable(text), "\(text.unicodeScalars.map(\.value))")
    }
    for text in [
      "a\u{A0}b", "a\u{200B}b", "a\u{2028}b", "a\u{3000}b", "a\u{AD}b", "a\u{FEFF}b", "a\tb",
      "a\u{7F}", "a\u{85}", "a\u{E000}",
    ] {
      #expect(!KVEngine.isPrintable(text), "\(text.unicodeScalars.map(\.value))")
    }
    let vault = try await VaultFixture()
    let refused = await vault.call(
      "POST", "secret/metadata/cm", #"{"custom_metadata":{"k":"a\u00a0b"}}"#)
    #expect(refused.status == 400)
  }

  /// Vault's data path pattern takes no trailing slash: `secret/data/l/` is an invalid path,
  /// not the key `l`.
  @Test("a trailing slash on a data path is an invalid path, not the key without it")
  func trailingSlashIsInvalid() async throws {
    let vault = try await VaultFixture()
    let write = await vault.call("POST", "secret/data/l/", #"{"data":{"a":1}}"#)
    #expect(write.status == 404)
    #expect(await vault.call("GET", "secret/data/l").status == 404)
  }

  @Test("metadata: read, custom_metadata in reads, patch, limits, cas_required warning")
  func metadata() async throws {
    let vault = try await VaultFixture()
    await vault.call("PUT", "secret/data/m", #"{"data":{"a":"1"}}"#)
    #expect(
      await vault.call(
        "POST", "secret/metadata/m", #"{"custom_metadata":{"owner":"jdoe"},"max_versions":4}"#
      ).status == 204)
    let read = await vault.call("GET", "secret/data/m")
    #expect(read.at("data", "metadata", "custom_metadata", "owner") == .string("jdoe"))
    let meta = await vault.call("GET", "secret/metadata/m")
    #expect(meta.at("data", "current_version") == .integer(1))
    #expect(meta.at("data", "max_versions") == .integer(4))
    #expect(meta.at("data", "delete_version_after") == .string("0s"))
    #expect(meta.at("data", "versions", "1", "deletion_time") == .string(""))

    #expect(
      await vault.call(
        "PATCH", "secret/metadata/m", #"{"custom_metadata":{"team":"x","owner":null}}"#
      ).status == 204)
    let patched = await vault.call("GET", "secret/metadata/m")
    #expect(patched.at("data", "custom_metadata")?.compact() == #"{"team":"x"}"#)
    #expect(patched.at("data", "max_versions") == .integer(4))
    #expect(
      await vault.call("PATCH", "secret/metadata/absent", #"{"max_versions":1}"#).status == 404)

    var many = JSONObject()
    for index in 0..<65 { many["k\(index)"] = .string("v") }
    let tooMany = await vault.call(
      "POST", "secret/metadata/m", JSONValue.object([("custom_metadata", .object(many))]).compact())
    #expect(tooMany.status == 400)
    #expect(
      tooMany.errors?.first?.hasPrefix(
        "custom_metadata validation failed: payload must contain at most 64 keys, provided 65")
        == true)

    // Vault's limits are Go's len(): bytes, not characters.
    let wideKey = String(repeating: "é", count: 65)
    let wideValue = String(repeating: "é", count: 257)
    let wide = await vault.call(
      "POST", "secret/metadata/m",
      JSONValue.object([
        ("custom_metadata", .object([(wideKey, .string("v")), ("k", .string(wideValue))]))
      ]).compact())
    #expect(
      wide.errors == [
        "custom_metadata validation failed: length of value for key \"k\" is 514 but must be "
          + "0 < len(value) <= 512; length of key \"\(wideKey)\" is 130 but must be "
          + "0 < len(key) <= 128"
      ])
    let fits = await vault.call(
      "POST", "secret/metadata/m",
      JSONValue.object([
        (
          "custom_metadata",
          .object([
            (String(repeating: "é", count: 64), .string(String(repeating: "é", count: 256)))
          ])
        )
      ]).compact())
    #expect(fits.status == 204, "\(fits.text)")

    await vault.call("POST", "secret/config", #"{"cas_required":true}"#)
    let warned = await vault.call("POST", "secret/metadata/m", #"{"cas_required":false}"#)
    #expect(warned.status == 200)
    #expect(
      warned.at("warnings")?.arrayValue?.first?.stringValue?.hasPrefix(
        "\"cas_required\" set to false") == true)
  }

  @Test("list: keys and folders sorted, metadata-only keys included, empty is 404")
  func list() async throws {
    let vault = try await VaultFixture()
    await vault.call("PUT", "secret/data/foo", #"{"data":{"a":"1"}}"#)
    await vault.call("PUT", "secret/data/foo/bar", #"{"data":{"a":"1"}}"#)
    await vault.call("PUT", "secret/data/foo/baz/q", #"{"data":{"a":"1"}}"#)
    await vault.call("POST", "secret/metadata/meta", #"{"max_versions":1}"#)
    let root = await vault.call("LIST", "secret/metadata")
    #expect(root.at("data", "keys")?.compact() == #"["foo","foo/","meta"]"#)
    let folder = await vault.call("GET", "secret/metadata/foo/?list=true")
    #expect(folder.at("data", "keys")?.compact() == #"["bar","baz/"]"#)
    #expect(await vault.call("LIST", "secret/metadata/nothing").text == "{\"errors\":[]}\n")
    // Soft-deleted keys are listed unless exclude_deleted is set.
    await vault.call("DELETE", "secret/data/foo")
    #expect(
      await vault.call("LIST", "secret/metadata").at("data", "keys")?.compact()
        == #"["foo","foo/","meta"]"#)
    let excluded = await vault.call("GET", "secret/metadata/?list=true&exclude_deleted=true")
    #expect(excluded.at("data", "keys")?.compact() == #"["foo/","meta"]"#)
  }

  @Test("subkeys: leaves are null, depth limits the walk")
  func subkeys() async throws {
    let vault = try await VaultFixture()
    await vault.call(
      "PUT", "secret/data/s", #"{"data":{"foo":"abc","bar":{"baz":{"q":1}},"e":{}}}"#)
    let all = await vault.call("GET", "secret/subkeys/s")
    #expect(
      all.at("data", "subkeys")?.compact() == #"{"bar":{"baz":{"q":null}},"e":null,"foo":null}"#)
    let one = await vault.call("GET", "secret/subkeys/s?depth=1")
    #expect(one.at("data", "subkeys")?.compact() == #"{"bar":null,"e":null,"foo":null}"#)
  }

  @Test("paths outside the API are 404 with Vault's warning")
  func invalidPaths() async throws {
    let vault = try await VaultFixture()
    let reply = await vault.call("GET", "secret/foo")
    #expect(reply.status == 404)
    #expect(
      reply.at("warnings")?.arrayValue?.first?.stringValue?.contains("'vault kv get'") == true)
    let root = await vault.call("GET", "secret/data/")
    #expect(
      root.at("warnings")?.arrayValue?.first
        == .string(
          "Non-listing operations on the root of a K/V v2 mount are not supported."))
    let noRoute = await vault.call("GET", "nomount/x")
    #expect(noRoute.status == 404)
    #expect(noRoute.errors == ["no handler for route \"nomount/x\". route entry not found."])
  }

  /// A NUL (`%00`) in a path is refused with 400 before any handler runs: SQLite, through
  /// GRDB, kept a name only up to its NUL, so `victim%00x` overwrote `victim`, a metadata delete
  /// of `victim%00zzz` removed every version of it, and `brandnew%00x` was stored as
  /// `brandnew` with its value sealed for the whole name (unreadable after). Vault keeps the
  /// NUL as part of the key; cinch refuses it (Docs/Vault.md).
  @Test("a NUL in a path is refused, never cut short to another key")
  func nulInPath() async throws {
    let vault = try await VaultFixture()
    await vault.call("PUT", "secret/data/victim", #"{"data":{"v":"original"}}"#)
    let nul = "invalid request path: a NUL character (%00) is not allowed"
    let overwrite = await vault.call(
      "PUT", "secret/data/victim%00x", #"{"data":{"v":"overwritten"}}"#)
    #expect(overwrite.status == 400)
    #expect(overwrite.errors == [nul])
    let deleted = await vault.call("DELETE", "secret/metadata/victim%00zzz")
    #expect(deleted.status == 400)
    #expect(deleted.errors == [nul])
    let read = await vault.call("GET", "secret/data/victim")
    #expect(read.at("data", "data", "v") == .string("original"))
    #expect(read.at("data", "metadata", "version") == .integer(1))

    let created = await vault.call("PUT", "secret/data/brandnew%00x", #"{"data":{"v":"1"}}"#)
    #expect(created.status == 400)
    #expect(await vault.call("GET", "secret/data/brandnew").status == 404)
    #expect(await vault.call("LIST", "secret/metadata/").at("data", "keys") == .array(["victim"]))

    // `cinch serve` hands the API a path already decoded: the NUL itself.
    let served = await vault.api.handle(
      method: "PUT", path: "/v1/secret/data/victim\u{0}x", query: [],
      headers: ["X-Vault-Token": try await vault.store.vaultRootToken()],
      body: Array(#"{"data":{"v":"overwritten"}}"#.utf8))
    #expect(served.status == 400)
    #expect(
      await vault.call("GET", "secret/data/victim").at("data", "data", "v") == .string("original"))
  }

  @Test("KV values are sealed: a canary is in no store file and in no audit row")
  func canary() async throws {
    let vault = try await VaultFixture()
    let canary = "canary-kv-7f3a9c1e"
    await vault.call("PUT", "secret/data/canary", #"{"data":{"password":"\#(canary)"}}"#)
    #expect(
      await vault.call("GET", "secret/data/canary").at("data", "data", "password")
        == .string(canary))
    try vault.store.close()
    for suffix in ["", "-wal", "-shm"] {
      let path = vault.storePath + suffix
      guard let bytes = FileManager.default.contents(atPath: path) else { continue }
      #expect(bytes.range(of: Data(canary.utf8)) == nil, "canary found in \(path)")
    }
  }
}
