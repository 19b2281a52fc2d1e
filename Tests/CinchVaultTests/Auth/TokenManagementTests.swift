import CinchJSON
import CinchStore
import Foundation
import Testing

@testable import CinchVault

/// The token store's management paths, as Vault's `token_store.go` answers them: lookup,
/// renew and revoke by token or accessor, revoke-orphan, the accessor list, their error texts,
/// and who may call them (a root token; Vault's `default` policy grants only the `-self` paths).
@Suite struct TokenManagementTests {
  typealias Token = (token: String, accessor: String, reply: Reply)

  static func child(_ fixture: VaultFixture, _ body: String = "{}", parent: String? = nil)
    async throws -> Token
  {
    try await TokenLeaseTests.child(fixture, body, parent: parent)
  }

  static let lookupKeys = [
    "accessor", "creation_time", "creation_ttl", "display_name", "entity_id", "expire_time",
    "explicit_max_ttl", "id", "issue_time", "meta", "num_uses", "orphan", "path", "policies",
    "renewable", "ttl", "type",
  ]

  @Test func lookupByTokenAndByAccessorAnswerVaultsFields() async throws {
    let fixture = try await VaultFixture()
    let root = try await fixture.store.vaultRootToken()
    let app = try await Self.child(
      fixture, #"{"policies":["app"],"ttl":"1h","meta":{"team":"payments"}}"#)

    let byToken = await fixture.http(
      "POST", "auth/token/lookup", #"{"token":"\#(app.token)"}"#, token: root)
    #expect(byToken.status == 200, "\(byToken.text)")
    let data = try #require(byToken.data?.objectValue)
    #expect(data.keys == Self.lookupKeys)
    #expect(data["id"] == .string(app.token))
    #expect(data["accessor"] == .string(app.accessor))
    #expect(data["path"] == .string("auth/token/create"))
    #expect(data["policies"] == .array([.string("app"), .string("default")]))
    #expect(data["creation_ttl"] == .integer(3600))
    #expect(data["meta"] == .object([("team", .string("payments"))]))
    #expect(data["orphan"] == .bool(false))
    #expect(data["renewable"] == .bool(true))
    #expect(data["type"] == .string("service"))
    #expect(data["expire_time"]?.stringValue != nil)
    #expect(byToken.at("auth") == .null)
    #expect(byToken.at("mount_type") == .string("token"))

    // GET with the token in the query, as Vault's read of the same path.
    let read = await fixture.http("GET", "auth/token/lookup?token=\(app.token)", token: root)
    #expect(read.data?["accessor"] == .string(app.accessor))

    let byAccessor = await fixture.http(
      "POST", "auth/token/lookup-accessor", #"{"accessor":"\#(app.accessor)"}"#, token: root)
    #expect(byAccessor.status == 200)
    let hidden = try #require(byAccessor.data?.objectValue)
    #expect(hidden.keys == Self.lookupKeys)
    #expect(hidden["id"] == .string(""))
    #expect(!byAccessor.text.contains(app.token))
    for key in Self.lookupKeys where !["id", "ttl"].contains(key) {
      #expect(hidden[key] == data[key], "\(key)")
    }

    // The store's root token: made at auth/token/root, never expires, not renewable.
    let rootInfo = await fixture.call("POST", "auth/token/lookup", #"{"token":"\#(root)"}"#)
    #expect(rootInfo.data?["path"] == .string("auth/token/root"))
    #expect(rootInfo.data?["policies"] == .array([.string("root")]))
    #expect(rootInfo.data?["expire_time"] == .null)
    #expect(rootInfo.data?["ttl"] == .integer(0))
    #expect(rootInfo.data?["renewable"] == .bool(false))
    #expect(rootInfo.data?["orphan"] == .bool(true))
  }

  @Test func lookupErrorsAreVaults() async throws {
    let fixture = try await VaultFixture()
    let root = try await fixture.store.vaultRootToken()
    let app = try await Self.child(fixture, #"{"ttl":"60s"}"#)

    let unknown = await fixture.call("POST", "auth/token/lookup", #"{"token":"hvs.nope"}"#)
    #expect(unknown.status == 403)
    #expect(unknown.errors == ["bad token"])
    // No token named: the caller's own (the command line has none).
    let own = await fixture.http("POST", "auth/token/lookup", "{}", token: root)
    #expect(own.data?["policies"] == .array([.string("root")]))
    #expect(own.data?["path"] == .string("auth/token/root"))
    #expect(own.data?["id"] == .string(root))
    #expect(await fixture.call("POST", "auth/token/lookup", "{}").errors == ["missing token ID"])
    #expect(
      await fixture.call("POST", "auth/token/lookup-accessor", "{}").errors == [
        "missing accessor"
      ])
    let bad = await fixture.call("POST", "auth/token/lookup-accessor", #"{"accessor":"nope"}"#)
    #expect(bad.status == 400)
    #expect(bad.errors == ["invalid accessor"])
    #expect(await fixture.call("GET", "auth/token/lookup-accessor").status == 405)
    // Vault no longer serves the token in the path.
    #expect(await fixture.http("GET", "auth/token/lookup/\(app.token)", token: root).status == 404)

    // Expired but not yet swept: gone, as far as a lookup can tell.
    let later = fixture.later(by: 120)
    let expired = await fixture.call(
      "POST", "auth/token/lookup", #"{"token":"\#(app.token)"}"#, api: later)
    #expect(expired.status == 403)
    #expect(expired.errors == ["bad token"])
    let expiredByAccessor = await fixture.call(
      "POST", "auth/token/lookup-accessor", #"{"accessor":"\#(app.accessor)"}"#, api: later)
    #expect(expiredByAccessor.errors == ["bad token"])
  }

  @Test func lookingUpATokenSpendsNoneOfItsUses() async throws {
    let fixture = try await VaultFixture()
    let limited = try await Self.child(fixture, #"{"num_uses":2}"#)
    for _ in 1...3 {
      let lookup = await fixture.call(
        "POST", "auth/token/lookup", #"{"token":"\#(limited.token)"}"#)
      #expect(lookup.data?["num_uses"] == .integer(2))
    }
    #expect(await fixture.http("GET", "auth/token/lookup-self", token: limited.token).status == 200)
  }

  @Test func revokeEndsTheTokenItsChildrenAndTheirLeases() async throws {
    let fixture = try await VaultFixture()
    let parent = try await Self.child(fixture, #"{"policies":["root"]}"#)
    let child = try await Self.child(fixture, #"{"policies":["app"]}"#, parent: parent.token)
    let parentLease = try await TokenLeaseTests.lease(fixture, owner: parent.accessor)
    let childLease = try await TokenLeaseTests.lease(fixture, owner: child.accessor)
    let bystander = try await TokenLeaseTests.lease(fixture, owner: nil)

    let revoked = await fixture.call("POST", "auth/token/revoke", #"{"token":"\#(parent.token)"}"#)
    #expect(revoked.status == 204)
    #expect(revoked.text.isEmpty)
    for token in [parent.token, child.token] {
      #expect(await fixture.http("GET", "auth/token/lookup-self", token: token).status == 403)
    }
    #expect(try await TokenLeaseTests.isDue(fixture, parentLease))
    #expect(try await TokenLeaseTests.isDue(fixture, childLease))
    #expect(!(try await TokenLeaseTests.isDue(fixture, bystander)))

    // An unknown token is no error: "Revoked token (if it existed)".
    #expect(
      await fixture.call("POST", "auth/token/revoke", #"{"token":"hvs.nope"}"#).status == 204)
    #expect(await fixture.call("POST", "auth/token/revoke", "{}").errors == ["missing token ID"])
    #expect(await fixture.call("GET", "auth/token/revoke").status == 405)
  }

  @Test func revokeAccessorEndsTheTreeOrWarns() async throws {
    let fixture = try await VaultFixture()
    let parent = try await Self.child(fixture, #"{"policies":["root"]}"#)
    let child = try await Self.child(fixture, "{}", parent: parent.token)
    let childLease = try await TokenLeaseTests.lease(fixture, owner: child.accessor)

    let revoked = await fixture.call(
      "POST", "auth/token/revoke-accessor", #"{"accessor":"\#(parent.accessor)"}"#)
    #expect(revoked.status == 204)
    #expect(await fixture.http("GET", "auth/token/lookup-self", token: child.token).status == 403)
    #expect(try await TokenLeaseTests.isDue(fixture, childLease))

    let unknown = await fixture.call(
      "POST", "auth/token/revoke-accessor", #"{"accessor":"\#(parent.accessor)"}"#)
    #expect(unknown.status == 200)
    #expect(unknown.at("warnings") == .array([.string("No token found with this accessor")]))
    #expect(unknown.data == .null)
    #expect(
      await fixture.call("POST", "auth/token/revoke-accessor", "{}").errors == [
        "missing accessor"
      ])
  }

  @Test func revokeOrphanLeavesTheChildrenAsOrphans() async throws {
    let fixture = try await VaultFixture()
    let parent = try await Self.child(fixture, #"{"policies":["root"]}"#)
    let child = try await Self.child(fixture, #"{"policies":["root"]}"#, parent: parent.token)
    let grandchild = try await Self.child(fixture, "{}", parent: child.token)
    let parentLease = try await TokenLeaseTests.lease(fixture, owner: parent.accessor)
    let childLease = try await TokenLeaseTests.lease(fixture, owner: child.accessor)

    let root = try await fixture.store.vaultRootToken()
    let revoked = await fixture.http(
      "POST", "auth/token/revoke-orphan", #"{"token":"\#(parent.token)"}"#, token: root)
    #expect(revoked.status == 204, "\(revoked.text)")
    #expect(await fixture.http("GET", "auth/token/lookup-self", token: parent.token).status == 403)
    #expect(try await TokenLeaseTests.isDue(fixture, parentLease))

    let orphan = await fixture.http("GET", "auth/token/lookup-self", token: child.token)
    #expect(orphan.status == 200)
    #expect(orphan.data?["orphan"] == .bool(true))
    #expect(!(try await TokenLeaseTests.isDue(fixture, childLease)))
    // The grandchild still has its parent, and still goes with it.
    let still = await fixture.call(
      "POST", "auth/token/lookup", #"{"token":"\#(grandchild.token)"}"#)
    #expect(still.data?["orphan"] == .bool(false))
    await fixture.call("POST", "auth/token/revoke", #"{"token":"\#(child.token)"}"#)
    #expect(
      await fixture.http("GET", "auth/token/lookup-self", token: grandchild.token).status == 403)

    let unknown = await fixture.call(
      "POST", "auth/token/revoke-orphan", #"{"token":"\#(parent.token)"}"#)
    #expect(unknown.status == 400)
    #expect(unknown.errors == ["token to revoke not found"])
    #expect(
      await fixture.call("POST", "auth/token/revoke-orphan", "{}").errors == ["missing token ID"])
  }

  @Test func renewByTokenAndByAccessor() async throws {
    let fixture = try await VaultFixture()
    let app = try await Self.child(fixture, #"{"policies":["app"],"ttl":"1h"}"#)

    let renewed = await fixture.call(
      "POST", "auth/token/renew", #"{"token":"\#(app.token)","increment":"2h"}"#)
    #expect(renewed.status == 200, "\(renewed.text)")
    #expect(renewed.at("auth", "client_token") == .string(app.token))
    #expect(renewed.at("auth", "accessor") == .string(app.accessor))
    #expect(renewed.at("auth", "lease_duration") == .integer(7200))
    #expect(renewed.at("auth", "renewable") == .bool(true))
    #expect(renewed.data == .null)

    // The lookup keeps the TTL the token was made with and says when it was renewed.
    let lookup = await fixture.call(
      "POST", "auth/token/lookup-accessor", #"{"accessor":"\#(app.accessor)"}"#)
    #expect(lookup.data?["creation_ttl"] == .integer(3600))
    guard case .integer(let ttl)? = lookup.data?["ttl"] else {
      Issue.record("no ttl: \(lookup.text)")
      return
    }
    #expect(ttl > 7100 && ttl <= 7200)
    #expect(lookup.data?["last_renewal"]?.stringValue != nil)
    #expect(lookup.data?["last_renewal_time"] != nil)
    #expect(lookup.data?.objectValue?.keys.count == Self.lookupKeys.count + 2)

    let byAccessor = await fixture.call(
      "POST", "auth/token/renew-accessor", #"{"accessor":"\#(app.accessor)","increment":1800}"#)
    #expect(byAccessor.status == 200, "\(byAccessor.text)")
    #expect(byAccessor.at("auth", "client_token") == .string(""))
    #expect(byAccessor.at("auth", "lease_duration") == .integer(1800))
    #expect(!byAccessor.text.contains(app.token))
    // Without an increment, the TTL granted last.
    let again = await fixture.call(
      "POST", "auth/token/renew-accessor", #"{"accessor":"\#(app.accessor)"}"#)
    #expect(again.at("auth", "lease_duration") == .integer(1800))
  }

  @Test func renewErrorsAreVaults() async throws {
    let fixture = try await VaultFixture()
    let fixed = try await Self.child(fixture, #"{"renewable":false,"ttl":"1h"}"#)
    let brief = try await Self.child(fixture, #"{"ttl":"60s"}"#)

    #expect(
      await fixture.call("POST", "auth/token/renew", #"{"token":"hvs.nope"}"#).errors == [
        "token not found"
      ])
    #expect(await fixture.call("POST", "auth/token/renew", "{}").errors == ["missing token ID"])
    #expect(
      await fixture.call("POST", "auth/token/renew-accessor", #"{"accessor":"nope"}"#).errors == [
        "invalid accessor"
      ])
    #expect(
      await fixture.call("POST", "auth/token/renew-accessor", "{}").errors == ["missing accessor"])
    let refused = await fixture.call(
      "POST", "auth/token/renew", #"{"token":"\#(fixed.token)"}"#)
    #expect(refused.status == 400)
    #expect(refused.errors == ["lease is not renewable"])
    let increment = await fixture.call(
      "POST", "auth/token/renew", #"{"token":"\#(brief.token)","increment":"soon"}"#)
    #expect(increment.status == 400)
    #expect(
      increment.errors == [
        #"error converting input soon for field "increment": time: invalid duration "soon""#
      ])
    // `increment` is `TypeDurationSecond`, which Vault's framework refuses negative.
    let negative = await fixture.call(
      "POST", "auth/token/renew", #"{"token":"\#(brief.token)","increment":"-1h"}"#)
    #expect(negative.status == 400)
    #expect(
      negative.errors == [
        #"error converting input -1h for field "increment": cannot provide negative value '-3600'"#
      ])
    // Expired and not yet swept: a renewal must not bring it back.
    let later = fixture.later(by: 120)
    let expired = await fixture.call(
      "POST", "auth/token/renew", #"{"token":"\#(brief.token)"}"#, api: later)
    #expect(expired.errors == ["token not found"])
    let expiredByAccessor = await fixture.call(
      "POST", "auth/token/renew-accessor", #"{"accessor":"\#(brief.accessor)"}"#, api: later)
    #expect(expiredByAccessor.errors == ["token not found"])
    #expect(await fixture.call("GET", "auth/token/renew").status == 405)
  }

  @Test func accessorsListsEveryToken() async throws {
    let fixture = try await VaultFixture()
    #expect(await fixture.call("LIST", "auth/token/accessors").status == 404)
    let root = try await fixture.store.vaultRootToken()
    let app = try await Self.child(fixture)
    let rootAccessor = try #require(
      await fixture.http("GET", "auth/token/lookup-self", token: root).data?["accessor"])

    let listed = await fixture.http("LIST", "auth/token/accessors", token: root)
    #expect(listed.status == 200)
    let keys = try #require(listed.data?["keys"]?.arrayValue)
    #expect(Set(keys) == [rootAccessor, .string(app.accessor)])
    #expect(keys.compactMap(\.stringValue) == keys.compactMap(\.stringValue).sorted())
    #expect(!listed.text.contains(app.token))
    let query = await fixture.http("GET", "auth/token/accessors/?list=true", token: root)
    #expect(query.data?["keys"]?.arrayValue == keys)
    #expect(await fixture.http("GET", "auth/token/accessors/", token: root).status == 405)
    #expect(await fixture.http("GET", "auth/token/accessors", token: root).status == 404)
  }

  /// Vault's `default` policy grants the `-self` paths only; `accessors` and `revoke-orphan`
  /// need `sudo` besides. A non-root token is refused before its request is read, even when it
  /// names itself.
  @Test func aTokenWithoutRootIsRefused() async throws {
    let fixture = try await VaultFixture()
    let app = try await Self.child(fixture, #"{"policies":["app"]}"#)
    let other = try await Self.child(fixture, #"{"policies":["app"]}"#)
    let calls: [(String, String, String?)] = [
      ("POST", "auth/token/lookup", #"{"token":"\#(app.token)"}"#),
      ("POST", "auth/token/lookup", "{}"),
      ("GET", "auth/token/lookup?token=\(other.token)", nil),
      ("POST", "auth/token/lookup-accessor", #"{"accessor":"\#(other.accessor)"}"#),
      ("POST", "auth/token/renew", #"{"token":"\#(app.token)"}"#),
      ("POST", "auth/token/renew-accessor", #"{"accessor":"\#(other.accessor)"}"#),
      ("POST", "auth/token/revoke", #"{"token":"\#(other.token)"}"#),
      ("POST", "auth/token/revoke-accessor", #"{"accessor":"\#(other.accessor)"}"#),
      ("POST", "auth/token/revoke-orphan", #"{"token":"\#(app.token)"}"#),
      ("LIST", "auth/token/accessors", nil),
      ("GET", "auth/token/revoke", nil),
    ]
    for (method, path, body) in calls {
      let reply = await fixture.http(method, path, body, token: app.token)
      #expect(reply.status == 403, "\(method) \(path)")
      #expect(reply.errors == ["permission denied"], "\(method) \(path)")
    }
    // Both tokens are untouched, and the -self paths still serve the caller.
    #expect(await fixture.http("GET", "auth/token/lookup-self", token: other.token).status == 200)
    let renewed = await fixture.http("POST", "auth/token/renew-self", "{}", token: app.token)
    #expect(renewed.status == 200)
  }

  /// `vault token revoke -mode=path auth/token/create` is `sys/leases/revoke-prefix`: the tokens
  /// created under the path go, with their children; the prefix is read as a folder.
  @Test func revokePrefixReachesTokensByTheirCreationPath() async throws {
    let fixture = try await VaultFixture()
    let root = try await fixture.store.vaultRootToken()
    let app = try await Self.child(fixture)
    let lease = try await TokenLeaseTests.lease(fixture, owner: app.accessor)

    #expect(
      await fixture.call("PUT", "sys/leases/revoke-prefix/auth/tok", "{}").status == 204)
    #expect(await fixture.http("GET", "auth/token/lookup-self", token: app.token).status == 200)
    #expect(
      await fixture.call("PUT", "sys/leases/revoke-prefix/auth/token/create", "{}").status == 204)
    #expect(await fixture.http("GET", "auth/token/lookup-self", token: app.token).status == 403)
    #expect(try await TokenLeaseTests.isDue(fixture, lease))
    #expect(await fixture.http("GET", "auth/token/lookup-self", token: root).status == 200)
    #expect(
      await fixture.call("PUT", "sys/leases/revoke-prefix/auth/token/", "{}").status == 204)
    #expect(await fixture.http("GET", "auth/token/lookup-self", token: root).status == 403)
  }

  /// `lookup-self` answers the caller's token as `id` and `renew-self` as `client_token`, as
  /// Vault does; the audit devices see both as hashes.
  @Test func selfPathsAnswerTheCallersOwnToken() async throws {
    let fixture = try await VaultFixture()
    let log = fixture.directory + "/audit.log"
    await fixture.call(
      "PUT", "sys/audit/file", #"{"type":"file","options":{"file_path":"\#(log)"}}"#)
    let app = try await Self.child(fixture)
    let looked = await fixture.http("GET", "auth/token/lookup-self", token: app.token)
    #expect(looked.at("data", "id") == .string(app.token))
    #expect(looked.at("data", "accessor") == .string(app.accessor))
    let renewed = await fixture.http("POST", "auth/token/renew-self", "{}", token: app.token)
    #expect(renewed.at("auth", "client_token") == .string(app.token))
    let text = try String(contentsOfFile: log, encoding: .utf8)
    #expect(text.contains("auth/token/lookup-self"))
    #expect(!text.contains(app.token))
  }

  /// The audit devices see the token a request names, and the id a lookup returns, as hashes.
  @Test func namedTokensAreHashedInTheAuditLog() async throws {
    let fixture = try await VaultFixture()
    let log = fixture.directory + "/audit.log"
    await fixture.call(
      "PUT", "sys/audit/file", #"{"type":"file","options":{"file_path":"\#(log)"}}"#)
    let app = try await Self.child(fixture)
    await fixture.call("POST", "auth/token/lookup", #"{"token":"\#(app.token)"}"#)
    await fixture.call("POST", "auth/token/renew", #"{"token":"\#(app.token)"}"#)
    await fixture.call("POST", "auth/token/revoke", #"{"token":"\#(app.token)"}"#)
    let text = try String(contentsOfFile: log, encoding: .utf8)
    #expect(text.contains("auth/token/lookup"))
    #expect(!text.contains(app.token))
  }

  /// A display name is kept as Vault's token store makes it (handleCreateCommon): `token-`
  /// and the name, every character outside `[a-zA-Z0-9-]` turned into `-`, and one trailing
  /// `-` trimmed (Go's `strings.TrimSuffix`); none, or an empty one, is `token`. Lookups and
  /// the audit devices show that form. It was stored as given.
  @Test func theDisplayNameIsSanitizedAsVaultDoes() async throws {
    let fixture = try await VaultFixture()
    for (given, kept) in [
      ("my app!", "token-my-app"), ("ops/ci_bot", "token-ops-ci-bot"), ("a..", "token-a-"),
      ("naïve", "token-na-ve"), ("Dev-1", "token-Dev-1"), ("", "token"), ("-", "token-"),
    ] {
      let body = JSONValue.object([("display_name", .string(given))]).compact()
      let token = try await Self.child(fixture, body)
      let lookup = await fixture.http("GET", "auth/token/lookup-self", token: token.token)
      #expect(lookup.at("data", "display_name") == .string(kept), "\(given)")
      let byAccessor = await fixture.call(
        "POST", "auth/token/lookup-accessor", #"{"accessor":"\#(token.accessor)"}"#)
      #expect(byAccessor.at("data", "display_name") == .string(kept), "\(given)")
    }
    #expect(
      await fixture.http(
        "GET", "auth/token/lookup-self", token: try await Self.child(fixture).token
      )
      .at("data", "display_name") == .string("token"))

    let log = fixture.directory + "/audit.log"
    await fixture.call(
      "PUT", "sys/audit/file", #"{"type":"file","options":{"file_path":"\#(log)"}}"#)
    let named = try await Self.child(fixture, #"{"display_name":"deploy bot (ci)"}"#)
    await fixture.http("GET", "auth/token/lookup-self", token: named.token)
    let text = try String(contentsOfFile: log, encoding: .utf8)
    #expect(text.contains(#""display_name":"token-deploy-bot--ci""#))
    #expect(!text.contains("deploy bot"))
  }
}
