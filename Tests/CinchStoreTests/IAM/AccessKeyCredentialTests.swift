import Foundation
import GRDB
import Testing

@testable import CinchStore

/// The credential `cinch serve` reads for every request: its row is read each time, so a change
/// made by any process shows on the next request, while the opened secret may be reused only
/// for the very bytes (and user) it was opened from.
struct AccessKeyCredentialTests {
  @Test func changesToTheRowShowOnTheNextRead() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let key = try await store.createAccessKey(userName: "ci").accessKey
    let first = try #require(try await store.accessKeyCredential(key.accessKeyID))
    #expect(first.secretAccessKey.utf8String() == key.secretAccessKey)
    #expect(first.status == .active)
    let again = try #require(try await store.accessKeyCredential(key.accessKeyID))
    #expect(again.secretAccessKey.constantTimeEquals(first.secretAccessKey))

    try await store.updateAccessKey(accessKeyID: key.accessKeyID, status: .inactive, userName: nil)
    #expect(try await store.accessKeyCredential(key.accessKeyID)?.status == .inactive)
    try await store.putUserPolicy(userName: "ci", policyName: "p", policyDocument: "{}")
    #expect(try await store.accessKeyCredential(key.accessKeyID)?.policies.map(\.name) == ["p"])
    try await store.deleteAccessKey(accessKeyID: key.accessKeyID, userName: nil)
    #expect(try await store.accessKeyCredential(key.accessKeyID) == nil)
  }

  /// A row edited to give the key to another user, or with its sealed secret altered, does not
  /// open, even after the genuine row was opened (and its secret kept).
  @Test func anAlteredRowDoesNotOpenAfterTheGenuineOneDid() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let key = try await store.createAccessKey(userName: "ci").accessKey
    _ = try await store.accessKeyCredential(key.accessKeyID)

    try await store.pool.write { db in
      try db.execute(
        sql: "UPDATE iam_access_keys SET user_name = 'admin' WHERE access_key_id = ?",
        arguments: [key.accessKeyID])
    }
    await #expect(throws: StoreError.self) { try await store.accessKeyCredential(key.accessKeyID) }

    try await store.pool.write { db in
      try db.execute(
        sql: "UPDATE iam_access_keys SET user_name = 'ci', sealed_secret = sealed_secret || x'00' "
          + "WHERE access_key_id = ?",
        arguments: [key.accessKeyID])
    }
    await #expect(throws: StoreError.self) { try await store.accessKeyCredential(key.accessKeyID) }
  }
}
