import CinchVault
import Testing

@testable import CinchCLI

/// `cinch serve` mounts the Vault API with Vault's listener limit (`max_request_size`, 32 MiB
/// by default) and refuses a larger body as Vault does: 413 with a JSON `errors` body.
@Suite struct VaultRouteTests {
  @Test func theVaultAPITakesVaultsRequestSize() {
    let limit = VaultRoute.bodyLimit
    #expect(limit.bytes == 33_554_432)
    #expect(limit.refusal.status == 413)
    #expect(
      limit.refusal.headers.contains { $0.name == "Content-Type" && $0.value == "application/json" }
    )
    #expect(
      String(decoding: limit.refusal.body, as: UTF8.self)
        == #"{"errors":["http: request body too large"]}"# + "\n")
  }

  /// A token sent in the path (Vault's older `auth/token/lookup/TOKEN` form) never reaches the
  /// access log; other paths are logged as requested.
  @Test func theAccessLogNeverShowsATokenInAPath() {
    #expect(
      VaultAPI.loggablePath("/v1/auth/token/lookup/hvs.9NjQv5tDX7UavCYNd0OMNGU8")
        == "/v1/auth/token/lookup/<token>")
    #expect(
      VaultAPI.loggablePath("/v1/auth/token/revoke-orphan/s.abc/extra")
        == "/v1/auth/token/revoke-orphan/<token>")
    #expect(VaultAPI.loggablePath("/v1/auth/token/renew/x") == "/v1/auth/token/renew/<token>")
    #expect(VaultAPI.loggablePath("/v1/auth/token/lookup") == nil)
    #expect(VaultAPI.loggablePath("/v1/auth/token/lookup/") == nil)
    #expect(VaultAPI.loggablePath("/v1/auth/token/lookup-self") == nil)
    #expect(VaultAPI.loggablePath("/v1/auth/token/accessors/abc") == nil)
    #expect(VaultAPI.loggablePath("/v1/secret/data/auth/token/lookup/x") == nil)
  }
}
