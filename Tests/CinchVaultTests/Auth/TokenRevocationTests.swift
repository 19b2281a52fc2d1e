import Testing

@testable import CinchVault

/// `auth/token/revoke-self` ends the token that calls it, the root token included (Vault
/// revokes a root token like any other); the store then makes a new root token on request.
@Suite struct TokenRevocationTests {
  @Test func theRootTokenRevokesItself() async throws {
    let fixture = try await VaultFixture()
    let root = try await fixture.store.vaultRootToken()
    #expect(await fixture.http("GET", "sys/mounts", token: root).status == 200)
    #expect(await fixture.http("POST", "auth/token/revoke-self", token: root).status == 204)
    #expect(await fixture.http("GET", "sys/mounts", token: root).status == 403)
    let next = try await fixture.store.vaultRootToken()
    #expect(next != root)
    #expect(await fixture.http("GET", "sys/mounts", token: next).status == 200)
  }
}
