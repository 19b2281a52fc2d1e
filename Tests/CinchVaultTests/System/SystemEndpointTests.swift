import CinchJSON
import CinchStore
import Foundation
import Testing
import _CinchTestSupport

@testable import CinchVault

/// What the `vault` CLI asks before it does anything (`sys/seal-status`, the KV preflight
/// `sys/mounts-all/:path`), what cinch refuses before a handler runs (response wrapping), and
/// `sys/leases/lookup`'s error for a missing id.
@Suite struct SystemEndpointTests {
  /// A store another process holds past the busy timeout is answered with AWS's busy words
  /// and without the store's path, as the AWS API answers it: a remote client has no business
  /// with where the store lives; as 503, which Vault's clients retry (until 2026-12-07, 400).
  @Test func aBusyStoreIsAnsweredWithoutItsPath() async throws {
    let fixture = try await VaultFixture()
    let root = try await fixture.store.vaultRootToken()
    let impatient = try await SQLiteStore.open(
      at: fixture.storePath, master: .keyFile(path: fixture.directory + "/master.key"),
      configuration: StoreConfiguration(busyTimeoutSeconds: 0.3))
    let path = fixture.storePath
    let holder = try await offThePool { try WriteLockHolder(storePath: path) }
    defer { holder.release() }
    let api = VaultAPI(store: impatient)
    let reply = await fixture.http("GET", "secret/data/app", token: root, api: api)
    #expect(reply.status == 503, "\(reply.text)")
    #expect(reply.text.contains(StoreError.busyMessage), "\(reply.text)")
    #expect(!reply.text.contains(fixture.directory), "\(reply.text)")
    // The command line, on the store's machine, is told which store is held.
    let local = await fixture.call("GET", "secret/data/app", api: api)
    #expect(local.text.contains(fixture.storePath), "\(local.text)")
  }

  @Test func responseWrappingIsRefusedBeforeAnyHandlerRuns() async throws {
    let fixture = try await VaultFixture()
    let root = try await fixture.store.vaultRootToken()
    let write = await fixture.http(
      "POST", "secret/data/wrapped", #"{"data":{"password":"s3cret"}}"#, token: root,
      headers: ["X-Vault-Wrap-TTL": "5m"])
    #expect(write.status == 400)
    #expect(write.errors == ["response wrapping (X-Vault-Wrap-TTL) is not supported by cinch"])
    #expect(await fixture.http("GET", "secret/data/wrapped", token: root).status == 404)

    await fixture.http(
      "POST", "secret/data/app", #"{"data":{"password":"s3cret"}}"#, token: root)
    let read = await fixture.http(
      "GET", "secret/data/app", token: root, headers: ["X-Vault-Wrap-TTL": "60"])
    #expect(read.status == 400)
    #expect(!read.text.contains("s3cret"))
  }

  /// Vault reads `application/x-www-form-urlencoded` bodies that do not start with `{` or `[`
  /// as forms (`curl --data k=v`); any other body is JSON.
  @Test func aFormBodyIsReadAsVaultReadsIt() async throws {
    let fixture = try await TransitEngineTests.mounted()
    let root = try await fixture.store.vaultRootToken()
    let form = ["Content-Type": "application/x-www-form-urlencoded"]
    let created = await fixture.http("POST", "transit/keys/f", "", token: root, headers: form)
    #expect(created.status == 200, "\(created.text)")
    let encrypted = await fixture.http(
      "POST", "transit/encrypt/f", "plaintext=aGVsbG8%3D", token: root, headers: form)
    #expect(encrypted.status == 200)
    let ciphertext = try #require(encrypted.at("data", "ciphertext")?.stringValue)
    let decrypted = await fixture.http(
      "POST", "transit/decrypt/f", #" {"ciphertext":"\#(ciphertext)"}"#, token: root,
      headers: form)
    #expect(decrypted.at("data", "plaintext") == .string("aGVsbG8="))
    let bad = await fixture.http(
      "POST", "transit/encrypt/f", "plaintext=%zz", token: root, headers: form)
    #expect(bad.status == 400)
    #expect(bad.errors == ["error parsing form data"])
    #expect(
      VaultAPI.formData("a=1&b=x+y&a=2&c=&d%3D=%26") == [
        "a": .string("1,2"), "b": .string("x y"), "c": .string(""), "d=": .string("&"),
      ])
    #expect(!VaultAPI.isForm(Array("  [1]".utf8), contentType: form["Content-Type"]))
    #expect(!VaultAPI.isForm(Array("a=1".utf8), contentType: "application/json"))
  }

  @Test func sealStatusAnswersWithoutAToken() async throws {
    let fixture = try await VaultFixture()
    let status = await fixture.http("GET", "sys/seal-status", token: nil)
    #expect(status.status == 200)
    #expect(status.at("sealed") == .bool(false))
    #expect(status.at("initialized") == .bool(true))
    #expect(status.at("type") == .string("shamir"))
    #expect(status.at("t") == .integer(1))
  }

  /// hvac's `sys.is_initialized()` reads `GET sys/init`, unauthenticated and unaudited in
  /// Vault (http/sys_init.go); it answered "no handler for route".
  @Test func initStatusAnswersWithoutAToken() async throws {
    let fixture = try await VaultFixture()
    let status = await fixture.http("GET", "sys/init", token: nil)
    #expect(status.status == 200, "\(status.text)")
    #expect(status.text == #"{"initialized":true}"# + "\n")
    #expect(status.headers.contains { $0 == ("Content-Type", "application/json") })
    for method in ["DELETE", "PATCH", "LIST", "HEAD"] {
      let reply = await fixture.http(method, "sys/init", token: nil)
      #expect(reply.status == 405, "\(method): \(reply.status)")
    }
    // Initializing is not served: the store is initialized when it is made.
    let root = try await fixture.store.vaultRootToken()
    let put = await fixture.http("PUT", "sys/init", #"{"secret_shares":1}"#, token: root)
    #expect(put.status == 404, "\(put.text)")
  }

  /// Vault's health and seal-status handlers take GET (and HEAD, for health) only.
  @Test func healthAndSealStatusRefuseOtherMethods() async throws {
    let fixture = try await VaultFixture()
    for method in ["POST", "PUT", "DELETE", "PATCH", "LIST"] {
      for path in ["sys/health", "sys/seal-status"] {
        let reply = await fixture.http(method, path, token: nil)
        #expect(reply.status == 405, "\(method) \(path): \(reply.status)")
      }
    }
    #expect(await fixture.http("HEAD", "sys/seal-status", token: nil).status == 405)
    #expect(await fixture.http("HEAD", "sys/health", token: nil).status == 200)
    #expect(await fixture.http("GET", "sys/health", token: nil).status == 200)
  }

  @Test func theKVPreflightNamesTheMountAndItsVersion() async throws {
    let fixture = try await VaultFixture()
    let root = try await fixture.store.vaultRootToken()
    for path in ["sys/mounts-all/secret/app/db", "sys/internal/ui/mounts/secret"] {
      let reply = await fixture.http("GET", path, token: root)
      #expect(reply.status == 200, "\(path): \(reply.text)")
      #expect(reply.at("data", "path") == .string("secret/"))
      #expect(reply.at("data", "type") == .string("kv"))
      #expect(reply.at("data", "options", "version") == .string("2"))
    }
    let unmounted = await fixture.http("GET", "sys/mounts-all/nothing/here", token: root)
    #expect(unmounted.status == 403)
    #expect(
      unmounted.errors == [
        #"preflight capability check returned 403, please ensure client's policies grant access to path "nothing/here/""#
      ])
    #expect(await fixture.http("GET", "sys/mounts-all/secret", token: nil).status == 403)
  }

  /// A path with `//`, `.` or `..` segments is redirected to its clean form, as Vault's Go
  /// mux does, never read as a key with an empty or dotted segment.
  @Test func anUncleanPathIsRedirectedToItsCleanForm() async throws {
    let fixture = try await VaultFixture()
    let token = try await fixture.store.vaultRootToken()
    for (path, location) in [
      ("secret/data//dbl", "/v1/secret/data/dbl"),
      ("secret/data/a/../b", "/v1/secret/data/b"),
      ("secret/metadata/./x/", "/v1/secret/metadata/x/"),
    ] {
      let reply = await fixture.http("POST", path, #"{"data":{"k":"v"}}"#, token: token)
      #expect(reply.status == 301, "\(path)")
      #expect(reply.headers.first { $0.0 == "Location" }?.1 == location, "\(path)")
    }
    let listed = await fixture.http("LIST", "secret/metadata/", token: token)
    #expect(listed.status == 404, "nothing was written: \(listed.text)")
  }

  /// `sys/leases/tidy` answers as Vault's does: 202 with its warning.
  @Test func leaseTidyIsAcceptedWithVaultsWarning() async throws {
    let fixture = try await VaultFixture()
    let reply = await fixture.call("POST", "sys/leases/tidy")
    #expect(reply.status == 202, "\(reply.text)")
    #expect(
      reply.at("warnings")
        == .array([
          .string(
            "Tidy operation successfully started. Any information from the operation will be "
              + "printed to Vault's server logs.")
        ]))
  }

  @Test func leaseLookupWithoutAnIDSaysSo() async throws {
    let fixture = try await VaultFixture()
    let reply = await fixture.call("PUT", "sys/leases/lookup", "{}")
    #expect(reply.status == 400)
    #expect(reply.errors == ["lease_id must be specified"])
  }

  /// A mount path with a NUL (`%00`) is refused: it was stored as `mnt`, listed as `mnt/` and
  /// could not be disabled by either name.
  @Test func aMountPathWithANULIsRefused() async throws {
    let fixture = try await VaultFixture()
    let enabled = await fixture.call("POST", "sys/mounts/mnt%00x", #"{"type":"kv-v2"}"#)
    #expect(enabled.status == 400)
    #expect(enabled.errors == ["invalid request path: a NUL character (%00) is not allowed"])
    #expect(try await fixture.store.vaultMounts().map(\.path) == ["secret/"])
    #expect(await fixture.call("DELETE", "sys/mounts/secret%00").status == 400)
    #expect(try await fixture.store.vaultMounts().map(\.path) == ["secret/"])
  }

  /// `vault secrets tune` (`sys/mounts/:path/tune`) reads a mount's settings and changes its
  /// description; what cinch's mounts cannot keep is refused, not stored and ignored. The path
  /// was read as a mount named `team/tune`.
  @Test func tuneReadsSettingsAndChangesOnlyWhatCinchKeeps() async throws {
    let fixture = try await VaultFixture()
    #expect(
      await fixture.call("POST", "sys/mounts/team", #"{"type":"kv-v2","description":"old"}"#)
        .status == 204)
    let read = await fixture.call("GET", "sys/mounts/team/tune")
    #expect(read.status == 200, "\(read.text)")
    #expect(read.at("data", "default_lease_ttl") == .integer(2_764_800))
    #expect(read.at("max_lease_ttl") == .integer(2_764_800))
    #expect(read.at("data", "description") == .string("old"))
    #expect(read.at("data", "options", "version") == .string("2"))

    // A local caller's `team//tune` is `team/`'s (over HTTP it is redirected first).
    let tuned = await fixture.call(
      "POST", "sys/mounts/team//tune", #"{"description":"payments","max_lease_ttl":"768h"}"#)
    #expect(tuned.status == 204, "\(tuned.text)")
    #expect(
      await fixture.call("GET", "sys/mounts/team").at("data", "description")
        == .string("payments"))
    for (body, error) in [
      (
        #"{"max_lease_ttl":"1h"}"#,
        "max_lease_ttl cannot be tuned: cinch's mounts keep Vault's default of 768h"
      ),
      (#"{"options":{"version":"1"}}"#, "cinch serves KV version 2 only, not version 1"),
      (#"{"listing_visibility":"unauth"}"#, "listing_visibility cannot be tuned on cinch's mounts"),
    ] {
      let refused = await fixture.call("POST", "sys/mounts/team/tune", body)
      #expect(refused.status == 400, "\(body)")
      #expect(refused.errors == [error], "\(body)")
    }
    let ignored = await fixture.call("POST", "sys/mounts/team/tune", #"{"max_versions":3}"#)
    #expect(
      ignored.at("warnings")
        == .array([.string("Endpoint ignored these unrecognized parameters: [max_versions]")]))
    #expect(await fixture.call("GET", "sys/mounts/nowhere/tune").status == 400)
  }
}
