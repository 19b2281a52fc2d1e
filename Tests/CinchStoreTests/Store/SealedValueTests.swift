import Foundation
import Testing

@testable import CinchStore

/// What the embedded store answers for a SecureString read without decryption: its own sealed
/// envelope, base64 (the shared store suite checks only that the value does not show).
@Suite struct SealedValueTests {
  @Test func aSecureStringReadWithoutDecryptionIsTheEnvelope() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.put("/db/password", "hunter2", type: .secureString, overwrite: false)
    let sealed = try await store.get("/db/password", decrypt: false)
    let envelope = try #require(Data(base64Encoded: sealed.value))
    #expect(envelope.count == "hunter2".utf8.count + 105)
    #expect(envelope.first == 1)
    #expect(!Array(envelope).contains(bytes: Array("hunter2".utf8)))
  }
}
