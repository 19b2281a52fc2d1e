import CinchStore
import Foundation
import Testing

/// `sys/leases/revoke-prefix/` and `revoke-force/` read their prefix as Vault's expiration
/// manager does (`revokePrefixCommon`): a lease's whole id names that lease, anything else is a
/// folder, and there is no route without a prefix.
@Suite struct LeasePrefixTests {
  static func lease(_ fixture: VaultFixture, role: String) async throws -> String {
    let now = fixture.store.vaultClock()
    let id = "database/creds/\(role)/" + UUID().uuidString
    try await fixture.store.insertLease(
      VaultLease(
        leaseID: id, mount: "database/", role: role, username: "v-root-\(role)-x",
        dbName: "missing", issuedAt: now, expiresAt: now.addingTimeInterval(3600),
        maxExpiresAt: now.addingTimeInterval(7200), lastRenewal: nil, renewable: true,
        tokenAccessor: nil))
    return id
  }

  @Test func aPrefixIsAFolderNotTheStartOfAName() async throws {
    let fixture = try await VaultFixture()
    let read = try await Self.lease(fixture, role: "read")
    let readonly = try await Self.lease(fixture, role: "readonly")

    #expect(
      await fixture.call("PUT", "sys/leases/revoke-force/database/creds/read", "{}").status == 204)
    #expect(try await fixture.store.lease(read) == nil)
    #expect(try await fixture.store.lease(readonly) != nil)

    // A lease's own id, without a trailing slash, revokes that lease.
    #expect(await fixture.call("PUT", "sys/leases/revoke-force/\(readonly)", "{}").status == 204)
    #expect(try await fixture.store.lease(readonly) == nil)
  }

  @Test func thereIsNoRouteWithoutAPrefix() async throws {
    let fixture = try await VaultFixture()
    let kept = try await Self.lease(fixture, role: "read")
    #expect(await fixture.call("PUT", "sys/leases/revoke-prefix/", "{}").status == 404)
    #expect(await fixture.call("PUT", "sys/leases/revoke-force/", "{}").status == 404)
    #expect(try await fixture.store.lease(kept) != nil)
  }

  /// Vault's `(leases/)?renew(/(?P<url_lease_id>.+))?` and the same for `revoke`: the lease id
  /// in the body, or else in the path.
  @Test func renewAndRevokeTakeTheLeaseIDInThePath() async throws {
    let fixture = try await VaultFixture()
    let now = fixture.store.vaultClock()
    let id = "database/creds/app/" + UUID().uuidString
    try await TokenLeaseTests.mountRole(fixture, "app")
    // No username: renewing runs no statements, so no database is needed.
    try await fixture.store.insertLease(
      VaultLease(
        leaseID: id, mount: "database/", role: "app", username: "", dbName: "missing",
        issuedAt: now, expiresAt: now.addingTimeInterval(3600),
        maxExpiresAt: now.addingTimeInterval(7200), lastRenewal: nil, renewable: true,
        tokenAccessor: nil))

    let renewed = await fixture.call("PUT", "sys/leases/renew/\(id)", #"{"increment":"30m"}"#)
    #expect(renewed.status == 200, "\(renewed.text)")
    #expect(renewed.at("lease_id") == .string(id))
    #expect(renewed.at("lease_duration") == .integer(1800))
    let unknown = await fixture.call("PUT", "sys/leases/renew/database/creds/app/nope", "{}")
    #expect(unknown.status == 400)
    #expect(unknown.errors == ["lease not found"])
    // The body's lease_id comes first, as in Vault's handleRenew.
    let body = await fixture.call(
      "POST", "sys/leases/renew/database/creds/app/nope", #"{"lease_id":"\#(id)"}"#)
    #expect(body.at("lease_id") == .string(id))
    #expect(await fixture.call("PUT", "sys/leases/renew/", "{}").status == 404)

    // Revoking by the path reaches the lease (which cannot be revoked: its connection does
    // not exist), as the body form does; an unknown lease is nothing to revoke.
    let revoked = await fixture.call("PUT", "sys/leases/revoke/\(id)", "{}")
    #expect(revoked.status == 400)
    #expect(revoked.errors == ["could not find a connection named 'missing'"])
    #expect(
      await fixture.call("PUT", "sys/leases/revoke", #"{"lease_id":"\#(id)"}"#).errors
        == revoked.errors)
    #expect(
      await fixture.call("PUT", "sys/leases/revoke/database/creds/app/nope", "{}").status == 204)
    #expect(await fixture.call("PUT", "sys/leases/revoke/", "{}").status == 404)
  }

  /// Vault's framework reads each field of these paths as its type before the handler runs
  /// (`increment` is TypeDurationSecond, which also refuses a negative one; `sync` TypeBool;
  /// `lease_id` TypeString): anything else is 400 and nothing is renewed or revoked. These
  /// answered 200 and renewed for the role's default TTL, or revoked.
  @Test func leaseFieldsAreReadAsTheirTypes() async throws {
    let fixture = try await VaultFixture()
    let id = try await TokenLeaseTests.lease(fixture, owner: nil, username: "")
    try await TokenLeaseTests.mountRole(fixture, "r")
    let expiry = try #require(try await fixture.store.lease(id)).expiresAt
    for increment in [#""abc""#, "true", "[1]", #""1x""#, "-5", #""-5s""#, "{}"] {
      for path in ["sys/leases/renew", "sys/leases/renew/\(id)"] {
        let reply = await fixture.call(
          "PUT", path, #"{"lease_id":"\#(id)","increment":\#(increment)}"#)
        #expect(reply.status == 400, "\(increment): \(reply.text)")
        #expect(reply.errors == ["error parsing 'increment'"], "\(increment)")
      }
    }
    #expect(try #require(try await fixture.store.lease(id)).expiresAt == expiry)

    for sync in [#""maybe""#, #""2""#, "[true]", "{}"] {
      for path in [
        "sys/leases/revoke", "sys/leases/revoke/\(id)", "sys/leases/revoke-prefix/database/creds/r",
      ] {
        let reply = await fixture.call("PUT", path, #"{"lease_id":"\#(id)","sync":\#(sync)}"#)
        #expect(reply.status == 400, "\(path) \(sync): \(reply.text)")
        #expect(reply.errors == ["error parsing 'sync'"], "\(path) \(sync)")
      }
    }
    // Read before the lease is looked for: an unknown lease is refused the same way.
    let unknown = await fixture.call(
      "PUT", "sys/leases/revoke", #"{"lease_id":"database/creds/r/nope","sync":"maybe"}"#)
    #expect(unknown.errors == ["error parsing 'sync'"])
    for path in ["sys/leases/lookup", "sys/leases/renew", "sys/leases/revoke"] {
      let reply = await fixture.call("PUT", path, #"{"lease_id":["\#(id)"]}"#)
      #expect(reply.status == 400, "\(path): \(reply.text)")
      #expect(reply.errors == ["error parsing 'lease_id'"], "\(path)")
    }
    #expect(try #require(try await fixture.store.lease(id)).expiresAt == expiry)

    // What Vault reads as a duration or a boolean is taken.
    for increment in [#""30m""#, "1800", #""1800""#, "1800.0"] {
      let renewed = await fixture.call(
        "PUT", "sys/leases/renew", #"{"lease_id":"\#(id)","increment":\#(increment)}"#)
      #expect(renewed.status == 200, "\(increment): \(renewed.text)")
      #expect(renewed.at("lease_duration") == .integer(1800), "\(increment)")
    }
    for sync in ["true", #""false""#, #""t""#, "0"] {
      let revoked = await fixture.call(
        "PUT", "sys/leases/revoke", #"{"lease_id":"database/creds/r/nope","sync":\#(sync)}"#)
      #expect(revoked.status == 204, "\(sync): \(revoked.text)")
    }
  }
}
