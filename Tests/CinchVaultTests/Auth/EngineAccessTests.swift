import CinchJSON
import CinchStore
import Foundation
import Testing

@testable import CinchVault

/// cinch keeps no ACL policies: a token other than root uses the engines and configures
/// nothing (Docs/Vault.md). Each refusal here was a way, found in review, for any token to
/// escalate: a role that mints superusers, a connection that sends the sealed admin password
/// elsewhere, a transit key deleted with all it encrypted, another token's lease revoked.
@Suite struct EngineAccessTests {
  static func token(_ vault: VaultFixture, policies: String = #"["app"]"#) async throws
    -> (String, Reply)
  {
    let created = await vault.call(
      "POST", "auth/token/create", #"{"policies":\#(policies),"ttl":"1h"}"#)
    return (try #require(created.at("auth", "client_token")?.stringValue), created)
  }

  @Test("a policy name is taken with a warning that it grants nothing of its own")
  func policyNamesAreSaidToBeUnenforced() async throws {
    let vault = try await VaultFixture()
    let (_, created) = try await Self.token(vault)
    let warnings = created.at("warnings")?.arrayValue?.compactMap(\.stringValue) ?? []
    #expect(
      warnings.contains { $0.hasPrefix("cinch keeps no ACL policies: \"app\" grants nothing") })
    let (_, two) = try await Self.token(vault, policies: #"["app", "ops"]"#)
    #expect(
      two.at("warnings")?.arrayValue?.compactMap(\.stringValue).contains {
        $0.hasPrefix("cinch keeps no ACL policies: \"app\", \"ops\" grant nothing of their own")
      } == true)
    let (_, plain) = try await Self.token(vault, policies: #"["default"]"#)
    #expect(plain.at("warnings") == nil || plain.at("warnings") == .null)
  }

  @Test("a token other than root uses the engines' data paths")
  func dataPathsAreOpen() async throws {
    let vault = try await VaultFixture()
    let (token, _) = try await Self.token(vault)
    await vault.call("POST", "sys/mounts/transit", #"{"type":"transit"}"#)
    await vault.call("POST", "transit/keys/k")
    #expect(
      await vault.http("POST", "secret/data/a", #"{"data":{"x":"1"}}"#, token: token).status == 200)
    #expect(await vault.http("GET", "secret/data/a", token: token).status == 200)
    #expect(await vault.http("GET", "secret/metadata/a", token: token).status == 200)
    #expect(await vault.http("DELETE", "secret/data/a", token: token).status == 204)
    #expect(
      await vault.http("POST", "secret/undelete/a", #"{"versions":[1]}"#, token: token).status
        == 204)
    let encrypted = await vault.http(
      "POST", "transit/encrypt/k", #"{"plaintext":"aGk="}"#, token: token)
    #expect(encrypted.status == 200)
    #expect(await vault.http("GET", "transit/keys/k", token: token).status == 200)
  }

  @Test("configuring an engine needs root")
  func configurationNeedsRoot() async throws {
    let vault = try await VaultFixture()
    let (token, _) = try await Self.token(vault)
    await vault.call("POST", "sys/mounts/transit", #"{"type":"transit"}"#)
    await vault.call("POST", "sys/mounts/database", #"{"type":"database"}"#)
    await vault.call("POST", "transit/keys/k")
    await vault.call("POST", "secret/data/a", #"{"data":{"x":"1"}}"#)
    let refused: [(String, String, String?)] = [
      (
        "POST", "database/config/pg",
        #"{"plugin_name":"postgresql-database-plugin","connection_url":"postgresql://{{username}}:{{password}}@127.0.0.1:1/x"}"#
      ),
      ("POST", "database/roles/r", #"{"db_name":"pg","creation_statements":"SELECT 1"}"#),
      ("GET", "database/roles/r", nil),
      ("POST", "transit/keys/new", nil),
      ("POST", "transit/keys/k/config", #"{"deletion_allowed":true}"#),
      ("POST", "transit/keys/k/rotate", nil),
      ("DELETE", "transit/keys/k", nil),
      ("PUT", "secret/destroy/a", #"{"versions":[1]}"#),
      ("DELETE", "secret/metadata/a", nil),
      ("POST", "secret/metadata/a", #"{"max_versions":1}"#),
      ("POST", "secret/config", #"{"max_versions":1}"#),
      ("GET", "secret/config", nil),
      // Encrypting with a key that does not exist creates it (Vault's upsert): a create.
      ("POST", "transit/encrypt/brandnew", #"{"plaintext":"aGk="}"#),
      ("POST", "transit/encrypt/derived", #"{"plaintext":"aGk=","context":"Y3R4"}"#),
    ]
    for (method, path, body) in refused {
      let reply = await vault.http(method, path, body, token: token)
      #expect(reply.status == 403, "\(method) \(path): \(reply.text)")
      #expect(reply.errors == ["permission denied"], "\(method) \(path)")
    }
    // Nothing was changed: the key and the secret are still there, and no key was made.
    #expect(await vault.call("GET", "transit/keys/k").at("data", "latest_version") == .integer(1))
    #expect(await vault.call("GET", "transit/keys/brandnew").status == 404)
    #expect(await vault.call("GET", "transit/keys/derived").status == 404)
    #expect(
      await vault.call("POST", "transit/encrypt/rootmade", #"{"plaintext":"aGk="}"#).status == 200)
    #expect(await vault.call("GET", "secret/data/a").status == 200)
  }

  @Test("a token revokes only its own leases")
  func leasesOfOtherTokensStay() async throws {
    let vault = try await VaultFixture()
    let (token, _) = try await Self.token(vault)
    let (other, _) = try await Self.token(vault)
    let mine = try #require(
      await vault.http("GET", "auth/token/lookup-self", token: token).at("data", "accessor")?
        .stringValue)
    let theirs = try #require(
      await vault.http("GET", "auth/token/lookup-self", token: other).at("data", "accessor")?
        .stringValue)
    let own = try await TokenLeaseTests.lease(vault, owner: mine, username: "")
    let foreign = try await TokenLeaseTests.lease(vault, owner: theirs, username: "")
    let refused = await vault.http(
      "PUT", "sys/leases/revoke", #"{"lease_id":"\#(foreign)"}"#, token: token)
    #expect(refused.status == 403)
    #expect(try await vault.store.lease(foreign) != nil)
    let revoked = await vault.http(
      "PUT", "sys/leases/revoke", #"{"lease_id":"\#(own)"}"#, token: token)
    #expect(revoked.status == 204 || revoked.status == 400, "\(revoked.text)")
    #expect(
      await vault.call("PUT", "sys/leases/revoke", #"{"lease_id":"\#(foreign)"}"#).status != 403)
  }
}

/// `auth/token/create-orphan`, which hvac's `create_orphan` calls: `create` with `no_parent`.
@Suite struct CreateOrphanTests {
  @Test func anOrphanOutlivesItsCreator() async throws {
    let vault = try await VaultFixture()
    let parent = await vault.call("POST", "auth/token/create", #"{"policies":["root"]}"#)
    let parentToken = try #require(parent.at("auth", "client_token")?.stringValue)
    let orphan = await vault.http(
      "POST", "auth/token/create-orphan", #"{"ttl":"1h"}"#, token: parentToken)
    #expect(orphan.status == 200, "\(orphan.text)")
    #expect(orphan.at("auth", "orphan") == .bool(true))
    let child = try #require(orphan.at("auth", "client_token")?.stringValue)
    await vault.http("POST", "auth/token/revoke-self", token: parentToken)
    #expect(await vault.http("GET", "auth/token/lookup-self", token: child).status == 200)
    let (plain, _) = try await EngineAccessTests.token(vault)
    #expect(await vault.http("POST", "auth/token/create-orphan", "{}", token: plain).status == 403)
  }
}
