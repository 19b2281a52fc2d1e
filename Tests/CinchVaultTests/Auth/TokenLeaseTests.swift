import CinchJSON
import CinchStore
import Foundation
import Testing

@testable import CinchVault

/// A lease belongs to the token that created it: "When a token is revoked, Vault will revoke
/// all leases that were created using that token" (concepts/lease), and so does its expiry.
/// These leases name a connection that does not exist, so their revocation fails and they stay
/// in the store, due: what is checked is that they were made due and tried.
@Suite struct TokenLeaseTests {
  /// A lease on `database/creds/r` owned by `accessor`, due in an hour, renewable up to two;
  /// with no `username`, renewing it touches no database role.
  static func lease(
    _ fixture: VaultFixture, owner accessor: String?, username: String = "v-token-r-x"
  ) async throws -> String {
    let now = fixture.store.vaultClock()
    let id = "database/creds/r/" + UUID().uuidString
    try await fixture.store.insertLease(
      VaultLease(
        leaseID: id, mount: "database/", role: "r", username: username, dbName: "missing",
        issuedAt: now, expiresAt: now.addingTimeInterval(3600),
        maxExpiresAt: now.addingTimeInterval(7200), lastRenewal: nil, renewable: true,
        tokenAccessor: accessor))
    return id
  }

  /// Mounts the `database` engine with role `name` (1h default TTL, 2h maximum), which a lease
  /// needs to be renewed; its connection `missing` stays missing.
  static func mountRole(_ fixture: VaultFixture, _ name: String, defaultTTL: Int = 3600)
    async throws
  {
    if try await fixture.store.vaultMounts().allSatisfy({ $0.path != "database/" }) {
      let mounted = await fixture.call("POST", "sys/mounts/database", #"{"type":"database"}"#)
      #expect(mounted.status == 204, "\(mounted.text)")
    }
    try await fixture.store.writeDatabaseRole(
      mount: "database",
      DatabaseRole(
        name: name, dbName: "missing", creationStatements: [], revocationStatements: [],
        defaultTTL: defaultTTL, maxTTL: 7200))
  }

  /// A token made over HTTP by `parent` (the root token unless given): its id and accessor.
  static func child(
    _ fixture: VaultFixture, _ body: String = "{}", parent: String? = nil
  ) async throws -> (token: String, accessor: String, reply: Reply) {
    let root = try await fixture.store.vaultRootToken()
    let reply = await fixture.http("POST", "auth/token/create", body, token: parent ?? root)
    #expect(reply.status == 200, "\(reply.text)")
    return (
      try #require(reply.at("auth", "client_token")?.stringValue),
      try #require(reply.at("auth", "accessor")?.stringValue), reply
    )
  }

  static func isDue(_ fixture: VaultFixture, _ id: String) async throws -> Bool {
    let lease = try #require(try await fixture.store.lease(id))
    return lease.expiresAt <= fixture.store.vaultClock()
  }

  @Test func revokingATokenRevokesItsLeasesAndItsChildrensLeases() async throws {
    let fixture = try await VaultFixture()
    let parent = try await Self.child(fixture, #"{"policies":["root"]}"#)
    let child = try await Self.child(fixture, #"{"policies":["app"]}"#, parent: parent.token)
    #expect(child.reply.at("auth", "orphan") == .bool(false))
    let owned = try await Self.lease(fixture, owner: child.accessor)
    let others = try await Self.lease(fixture, owner: nil)

    #expect(await fixture.http("POST", "auth/token/revoke-self", token: parent.token).status == 204)
    #expect(await fixture.http("GET", "auth/token/lookup-self", token: child.token).status == 403)
    #expect(try await Self.isDue(fixture, owned))
    #expect(!(try await Self.isDue(fixture, others)))
    // The credential could not be dropped (no such connection): the sweep tries again.
    let sweep = try await fixture.api.revokeExpiredLeases()
    #expect(sweep.revoked == 0 && sweep.failed == 1)
    // Said with the lease and why, for the operator.
    #expect(sweep.failures.first?.leaseID == owned)
    #expect(sweep.failures.first?.reason == "no database mount at 'database/'")
  }

  @Test func anExpiredTokensLeasesAreRevokedByTheSweep() async throws {
    let fixture = try await VaultFixture()
    let brief = try await Self.child(fixture, #"{"policies":["app"],"ttl":"60s"}"#)
    let owned = try await Self.lease(fixture, owner: brief.accessor)
    #expect(try await fixture.api.revokeExpiredLeases() == LeaseSweep())

    let later = fixture.later(by: 120)
    let sweep = try await later.revokeExpiredLeases()
    #expect(sweep.revoked == 0 && sweep.failed == 1)
    #expect(!(try await fixture.store.vaultTokens().map(\.accessor).contains(brief.accessor)))
    // Due from the sweep's time, an hour before the lease itself would have ended.
    let lease = try #require(try await fixture.store.lease(owned))
    #expect(lease.expiresAt < fixture.store.vaultClock().addingTimeInterval(600))
  }

  @Test func aLeaseForARevokedTokenIsRefused() async throws {
    let fixture = try await VaultFixture()
    let gone = try await Self.child(fixture)
    #expect(await fixture.http("POST", "auth/token/revoke-self", token: gone.token).status == 204)
    await #expect(throws: VaultError.invalidToken) {
      _ = try await Self.lease(fixture, owner: gone.accessor)
    }
  }

  @Test func numUsesLimitsTheTokensRequests() async throws {
    let fixture = try await VaultFixture()
    let limited = try await Self.child(fixture, #"{"num_uses":2}"#)
    #expect(limited.reply.at("auth", "num_uses") == .integer(2))
    let first = await fixture.http("GET", "auth/token/lookup-self", token: limited.token)
    #expect(first.at("data", "num_uses") == .integer(1))
    #expect(await fixture.http("GET", "auth/token/lookup-self", token: limited.token).status == 200)
    let third = await fixture.http("GET", "auth/token/lookup-self", token: limited.token)
    #expect(third.status == 403)
    #expect(third.errors == ["permission denied", "invalid token"])
    let negative = await fixture.http(
      "POST", "auth/token/create", #"{"num_uses":-1}"#,
      token: try await fixture.store.vaultRootToken())
    #expect(negative.status == 400)
  }

  /// The request that spends a token's last use ends it with its leases, however it ends: a
  /// refused one too.
  @Test func aFailedLastUseStillRevokesTheTokensLeases() async throws {
    let fixture = try await VaultFixture()
    let limited = try await Self.child(fixture, #"{"policies":["app"],"num_uses":1}"#)
    let owned = try await Self.lease(fixture, owner: limited.accessor)
    let refused = await fixture.http("GET", "sys/mounts", token: limited.token)
    #expect(refused.status == 403)
    #expect(try await Self.isDue(fixture, owned))
  }

  @Test func explicitMaxTTLCapsTheTTLAndRenewals() async throws {
    let fixture = try await VaultFixture()
    let capped = try await Self.child(fixture, #"{"ttl":"2h","explicit_max_ttl":"1h"}"#)
    #expect(capped.reply.at("auth", "lease_duration") == .integer(3600))
    #expect(
      capped.reply.at("warnings")?.arrayValue == [
        .string(
          "Requested TTL of 7200 seconds higher than explicit max TTL; value being capped to 3600 seconds"
        )
      ])
    let lookup = await fixture.http("GET", "auth/token/lookup-self", token: capped.token)
    #expect(lookup.at("data", "explicit_max_ttl") == .integer(3600))
    let renewed = await fixture.http(
      "POST", "auth/token/renew-self", #"{"increment":"2h"}"#, token: capped.token)
    #expect(renewed.status == 200, "\(renewed.text)")
    guard case .integer(let duration)? = renewed.at("auth", "lease_duration") else {
      Issue.record("no lease_duration: \(renewed.text)")
      return
    }
    #expect(duration <= 3600 && duration > 3500)
    let warning = try #require(renewed.at("warnings")?.arrayValue?.first?.stringValue)
    #expect(warning.hasPrefix(#"TTL of "2h0m0s" exceeded the effective max_ttl of ""#))
  }

  /// Without an explicit max TTL, the system's 768h still counts from the token's issue time:
  /// renewing three days in for 768h gives what is left, with Vault's warning, not 768h more
  /// (a token renewed so could be kept alive for ever).
  @Test func renewingNeverPassesTheMaxTTLFromIssue() async throws {
    let fixture = try await VaultFixture()
    let token = try await Self.child(fixture, #"{"ttl":"768h"}"#)
    let later = fixture.later(by: 3 * 86_400)
    let renewed = await fixture.call(
      "POST", "auth/token/renew", #"{"token":"\#(token.token)","increment":"768h"}"#, api: later)
    #expect(renewed.status == 200, "\(renewed.text)")
    guard case .integer(let duration)? = renewed.at("auth", "lease_duration") else {
      Issue.record("no lease_duration: \(renewed.text)")
      return
    }
    #expect(duration <= 768 * 3600 - 3 * 86_400 && duration > 768 * 3600 - 3 * 86_400 - 60)
    let warning = try #require(renewed.at("warnings")?.arrayValue?.first?.stringValue)
    #expect(warning.hasPrefix(#"TTL of "768h0m0s" exceeded the effective max_ttl of ""#))
    // Thirty seconds before the max TTL, thirty seconds are all a renewal gives.
    let last = await fixture.call(
      "POST", "auth/token/renew", #"{"token":"\#(token.token)","increment":"1h"}"#,
      api: fixture.later(by: 768 * 3600 - 30))
    guard case .integer(let left)? = last.at("auth", "lease_duration") else {
      Issue.record("no lease_duration: \(last.text)")
      return
    }
    #expect(left <= 30 && left > 0)
  }

  /// Vault's RenewToken hands the increment to CalculateTTL as asked, so a capped renewal's
  /// warning names it, as token create and lease renew name theirs: `900h`, not the system's
  /// 768h it was first cut to.
  @Test func aCappedRenewalNamesTheTTLAskedFor() async throws {
    let fixture = try await VaultFixture()
    let token = try await Self.child(fixture, #"{"ttl":"1h"}"#)
    let renewed = await fixture.http(
      "POST", "auth/token/renew-self", #"{"increment":"900h"}"#, token: token.token)
    #expect(renewed.status == 200, "\(renewed.text)")
    let warning = try #require(renewed.at("warnings")?.arrayValue?.first?.stringValue)
    #expect(warning.hasPrefix(#"TTL of "900h0m0s" exceeded the effective max_ttl of ""#))
    #expect(warning.hasSuffix(#""; TTL value is capped accordingly"#))
    guard case .integer(let duration)? = renewed.at("auth", "lease_duration") else {
      Issue.record("no lease_duration: \(renewed.text)")
      return
    }
    #expect(duration <= 768 * 3600 && duration > 768 * 3600 - 60)
    let created = await fixture.http(
      "POST", "auth/token/create", #"{"ttl":"900h"}"#,
      token: try await fixture.store.vaultRootToken())
    #expect(
      created.at("warnings")?.arrayValue?.first?.stringValue
        == #"TTL of "900h0m0s" exceeded the effective max_ttl of "768h0m0s"; TTL value is capped accordingly"#
    )
  }

  @Test func createTakesVaultsParametersOrRefusesThem() async throws {
    let fixture = try await VaultFixture()
    let root = try await fixture.store.vaultRootToken()
    let app = try await Self.child(
      fixture, #"{"policies":["app"],"meta":{"team":"payments"}}"#)
    #expect(app.reply.at("auth", "policies")?.arrayValue == [.string("app"), .string("default")])
    #expect(app.reply.at("auth", "metadata") == .object([("team", .string("payments"))]))
    #expect(app.reply.at("auth", "orphan") == .bool(false))
    let lookup = await fixture.http("GET", "auth/token/lookup-self", token: app.token)
    #expect(lookup.at("data", "meta") == .object([("team", .string("payments"))]))
    let bare = try await Self.child(
      fixture, #"{"policies":["app"],"no_default_policy":true,"no_parent":true}"#)
    #expect(bare.reply.at("auth", "policies")?.arrayValue == [.string("app")])
    #expect(bare.reply.at("auth", "orphan") == .bool(true))
    let root2 = try await Self.child(fixture, #"{"policies":["root","app"]}"#)
    #expect(root2.reply.at("auth", "policies")?.arrayValue == [.string("root")])
    let periodic = await fixture.http("POST", "auth/token/create", #"{"period":"1h"}"#, token: root)
    #expect(periodic.status == 400)
    #expect(periodic.errors?.first?.contains("period") == true)
  }

  /// What cinch cannot honour is refused, never quietly replaced by something else: a batch
  /// token would come back a service token, a chosen id a random one, a negative TTL the
  /// maximum. A parameter the endpoint does not know is named in a warning, as Vault's
  /// framework does; a TTL over the maximum is capped with Vault's warning.
  @Test func createRefusesWhatItCannotHonourAndWarnsOfWhatItIgnores() async throws {
    let fixture = try await VaultFixture()
    let root = try await fixture.store.vaultRootToken()
    for (body, error) in [
      (#"{"type":"batch"}"#, "batch tokens are not supported: cinch makes service tokens"),
      (#"{"type":"other"}"#, #"invalid 'token_type' value "other""#),
      (#"{"id":"hvs.custom"}"#, "a custom token id is not supported: cinch makes its own ids"),
      (#"{"ttl":"-1h"}"#, "ttl must be positive"),
      (#"{"explicit_max_ttl":"-1h"}"#, "explicit_max_ttl must be positive"),
      (#"{"ttl":"soon","lease":"1h"}"#, "error parsing ttl"),
      (#"{"role_name":"app"}"#, "role_name is not supported: cinch has no token roles or entities"),
    ] {
      let refused = await fixture.http("POST", "auth/token/create", body, token: root)
      #expect(refused.status == 400, "\(body)")
      #expect(refused.errors == [error], "\(body)")
    }
    #expect(try await fixture.store.vaultTokens().count == 1)
    let service = try await Self.child(fixture, #"{"type":"service","bogus_field":1,"zz":2}"#)
    #expect(service.reply.at("auth", "token_type") == .string("service"))
    #expect(
      service.reply.at("warnings")
        == .array([.string("Endpoint ignored these unrecognized parameters: [bogus_field zz]")]))
    let leased = try await Self.child(fixture, #"{"lease":"2h"}"#)
    #expect(leased.reply.at("auth", "lease_duration") == .integer(7200))
    let capped = try await Self.child(fixture, #"{"ttl":"9999h"}"#)
    #expect(capped.reply.at("auth", "lease_duration") == .integer(2_764_800))
    #expect(
      capped.reply.at("warnings")
        == .array([
          .string(
            #"TTL of "9999h0m0s" exceeded the effective max_ttl of "768h0m0s"; TTL value is "#
              + "capped accordingly")
        ]))
  }

  @Test func anUndecodableBooleanIsRefusedBeforeAnythingIsMade() async throws {
    let fixture = try await VaultFixture()
    let root = try await fixture.store.vaultRootToken()
    for field in ["renewable", "no_parent", "no_default_policy"] {
      let reply = await fixture.http(
        "POST", "auth/token/create", #"{"\#(field)":"maybe"}"#, token: root)
      #expect(reply.status == 400, "\(field)")
      #expect(reply.errors == ["error parsing '\(field)'"], "\(field)")
    }
    let accessors = await fixture.http("LIST", "auth/token/accessors", token: root)
    #expect(accessors.at("data", "keys")?.arrayValue?.count == 1, "\(accessors.text)")

    #expect(
      await fixture.call("POST", "sys/mounts/database", #"{"type":"database"}"#).status == 204)
    let config = await fixture.call(
      "POST", "database/config/pg",
      #"{"connection_url":"postgresql://{{username}}:{{password}}@127.0.0.1:1/postgres","username":"u","password":"p","verify_connection":"maybe"}"#
    )
    #expect(config.errors == ["error parsing 'verify_connection'"])
    #expect(await fixture.call("GET", "database/config/pg").status == 404)
  }

  /// Vault's expiration manager returns CalculateTTL's warning when the increment asked for
  /// goes past the lease's maximum.
  @Test func aRenewalCappedByTheMaximumSaysSo() async throws {
    let fixture = try await VaultFixture()
    let id = try await Self.lease(fixture, owner: nil, username: "")
    try await Self.mountRole(fixture, "r")
    let within = await fixture.call(
      "PUT", "sys/leases/renew", #"{"lease_id":"\#(id)","increment":"1h"}"#)
    #expect(within.status == 200, "\(within.text)")
    #expect(within.at("warnings") == .null || within.at("warnings")?.arrayValue?.isEmpty == true)
    let capped = await fixture.call(
      "PUT", "sys/leases/renew", #"{"lease_id":"\#(id)","increment":"5h"}"#)
    #expect(capped.status == 200, "\(capped.text)")
    let warning = try #require(capped.at("warnings")?.arrayValue?.first?.stringValue)
    #expect(warning.hasPrefix(#"TTL of "5h0m0s" exceeded the effective max_ttl of "1h59m"#))
    #expect(warning.hasSuffix(#""; TTL value is capped accordingly"#))
  }

  /// The capped renewal's `lease_duration` is in whole seconds truncated, as Vault's
  /// `int(ttl.Seconds())` gives it: the same figure as the cap its warning names.
  @Test func aCappedRenewalReportsTheCapInWholeSecondsTruncated() async throws {
    let fixture = try await VaultFixture()
    let issued = fixture.store.vaultClock().addingTimeInterval(-0.4)
    let id = "database/creds/r/" + UUID().uuidString
    try await fixture.store.insertLease(
      VaultLease(
        leaseID: id, mount: "database/", role: "r", username: "", dbName: "missing",
        issuedAt: issued, expiresAt: issued.addingTimeInterval(3600),
        maxExpiresAt: issued.addingTimeInterval(7200), lastRenewal: nil, renewable: true,
        tokenAccessor: nil))
    try await Self.mountRole(fixture, "r")
    let capped = await fixture.call(
      "PUT", "sys/leases/renew", #"{"lease_id":"\#(id)","increment":"5h"}"#)
    #expect(capped.status == 200, "\(capped.text)")
    #expect(capped.at("lease_duration") == .integer(7199), "\(capped.text)")
    let warning = try #require(capped.at("warnings")?.arrayValue?.first?.stringValue)
    #expect(warning.contains(#"the effective max_ttl of "1h59m59s""#), "\(warning)")
  }

  /// A renewal without an increment grants the role's default TTL again (Vault's database
  /// backend returns the role's DefaultTTL for CalculateTTL), not the last renewal's term;
  /// once the role is gone the lease cannot be renewed.
  @Test func aRenewalWithoutAnIncrementGrantsTheRolesDefaultTTL() async throws {
    let fixture = try await VaultFixture()
    let id = try await Self.lease(fixture, owner: nil, username: "")
    try await Self.mountRole(fixture, "r", defaultTTL: 600)
    let longer = await fixture.call(
      "PUT", "sys/leases/renew", #"{"lease_id":"\#(id)","increment":"30m"}"#)
    #expect(longer.at("lease_duration") == .integer(1800), "\(longer.text)")
    let again = await fixture.call("PUT", "sys/leases/renew", #"{"lease_id":"\#(id)"}"#)
    #expect(again.status == 200, "\(again.text)")
    #expect(again.at("lease_duration") == .integer(600))
    let lease = try #require(try await fixture.store.lease(id))
    #expect(abs(lease.expiresAt.timeIntervalSince(fixture.store.vaultClock()) - 600) < 5)

    try await fixture.store.deleteDatabaseRole(mount: "database", name: "r")
    let orphan = await fixture.call("PUT", "sys/leases/renew", #"{"lease_id":"\#(id)"}"#)
    #expect(orphan.status == 400)
    #expect(orphan.errors == [#"error during renew: could not find role with name "r""#])
  }
}
