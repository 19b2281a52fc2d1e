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
}
