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
}
