import CinchJSON
import Foundation
import Testing

@testable import CinchVault

/// What the `vault` CLI asks before it does anything (`sys/seal-status`, the KV preflight
/// `sys/mounts-all/:path`), what cinch refuses before a handler runs (response wrapping), and
/// `sys/leases/lookup`'s error for a missing id.
@Suite struct SystemEndpointTests {
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

  @Test func sealStatusAnswersWithoutAToken() async throws {
    let fixture = try await VaultFixture()
    let status = await fixture.http("GET", "sys/seal-status", token: nil)
    #expect(status.status == 200)
    #expect(status.at("sealed") == .bool(false))
    #expect(status.at("initialized") == .bool(true))
    #expect(status.at("type") == .string("shamir"))
    #expect(status.at("t") == .integer(1))
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

  @Test func leaseLookupWithoutAnIDSaysSo() async throws {
    let fixture = try await VaultFixture()
    let reply = await fixture.call("PUT", "sys/leases/lookup", "{}")
    #expect(reply.status == 400)
    #expect(reply.errors == ["lease_id must be specified"])
  }
}
