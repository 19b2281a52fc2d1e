import Foundation
import GRDB
import Testing

@testable import CinchStore

/// The IAM generation `cinch serve` checks its cached credentials against: every change to a
/// key or a policy moves it, whichever connection makes it, and a request whose credentials
/// turned out stale commits nothing.
struct CredentialCheckTests {
  @Test func everyChangeToKeysOrPoliciesMovesTheGeneration() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    var seen = [try await store.iamGeneration()]
    func moved(_ change: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
      let now = try await store.iamGeneration()
      #expect(now > seen.last!, "\(change) moves the generation", sourceLocation: sourceLocation)
      seen.append(now)
    }
    let key = try await store.createAccessKey(userName: "ci").accessKey
    try await moved("create-access-key")
    try await store.updateAccessKey(accessKeyID: key.accessKeyID, status: .inactive, userName: nil)
    try await moved("update-access-key")
    try await store.putUserPolicy(userName: "ci", policyName: "p", policyDocument: "{}")
    try await moved("put-user-policy")
    try await store.putUserPolicy(userName: "ci", policyName: "p", policyDocument: "{ }")
    try await moved("put-user-policy replacing a document")
    try await store.deleteUserPolicy(userName: "ci", policyName: "p")
    try await moved("delete-user-policy")
    try await store.deleteAccessKey(accessKeyID: key.accessKeyID, userName: nil)
    try await moved("delete-access-key")

    // Another connection (another process) is seen too, and so is an edit made outside cinch.
    let other = try await fixture.reopen()
    _ = try await other.createAccessKey(userName: nil)
    try await moved("create-access-key from another connection")
    try await store.pool.write { db in
      try db.execute(sql: "UPDATE iam_access_keys SET status = 'Inactive'")
    }
    try await moved("an UPDATE in SQL")

    // Other writes do not.
    _ = try await store.putParameter(PutParameterRequest(name: "/a", value: "v", type: .string))
    #expect(try await store.iamGeneration() == seen.last!)
  }

  @Test func theCredentialCarriesTheGenerationItWasReadAt() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let key = try await store.createAccessKey(userName: nil).accessKey
    let credential = try #require(try await store.accessKeyCredential(key.accessKeyID))
    #expect(credential.iamGeneration == (try await store.iamGeneration()))
  }

  @Test func aCurrentCheckLetsEveryTransactionThrough() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let check = CredentialCheck(generation: try await store.iamGeneration())
    let caller = store.withCaller("AKIAEXAMPLE", arn: nil, check: check)
    #expect(check.state == .unchecked)
    _ = try await caller.putParameter(PutParameterRequest(name: "/a", value: "v", type: .string))
    #expect(check.state == .validated)
    // Once validated, a later change does not fail the rest of the same request.
    _ = try await store.createAccessKey(userName: nil)
    _ = try await caller.getParameter(GetParameterRequest(name: "/a"))
    #expect(check.state == .validated)
  }

  @Test func aStaleCheckFailsEveryTransactionAndCommitsNothing() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let check = CredentialCheck(generation: try await store.iamGeneration())
    let other = try await fixture.reopen()
    _ = try await other.createAccessKey(userName: "ci")
    let caller = store.withCaller("AKIAEXAMPLE", arn: nil, check: check)
    let auditBefore = try await store.auditRecords(name: nil, limit: nil).count

    await #expect(throws: CredentialsChanged.self) {
      _ = try await caller.putParameter(PutParameterRequest(name: "/a", value: "v", type: .string))
    }
    #expect(check.state == .stale)
    await #expect(throws: CredentialsChanged.self) {
      _ = try await caller.describeParameters(DescribeParametersRequest())
    }
    await #expect(throws: CredentialsChanged.self) {
      _ = try await caller.accessKeyCredential("AKIAEXAMPLE")
    }
    await #expect(throws: StoreError.self) {
      _ = try await store.getParameter(GetParameterRequest(name: "/a"))
    }
    // Nothing of the refused request was recorded either (the lookups above are unaudited;
    // the failed GetParameter by the unchecked store is).
    let audit = try await store.auditRecords(name: nil, limit: nil)
    #expect(audit.count == auditBefore + 1)
    #expect(!audit.contains { $0.caller == "AKIAEXAMPLE" })
  }
}
