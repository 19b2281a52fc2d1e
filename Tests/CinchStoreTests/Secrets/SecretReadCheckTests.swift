import Foundation
import Synchronization
import Testing

@testable import CinchStore

/// `secretReadCheck`, the `secretsmanager:GetSecretValue` `BatchGetSecretValue` asks for each
/// secret: asked before the secret is read, so a refused one is reported in `Errors` without
/// being decrypted or touched, and its audit row says it was refused.
@Suite struct SecretReadCheckTests {
  static let refusal = StoreError(code: "AccessDeniedException", message: "not this one")

  /// What the checks were asked, in order.
  final class Asked: Sendable {
    let reads = Mutex<[SecretValueRead]>([])
    let decryptions = Mutex<[String]>([])
  }

  /// A store whose batch refuses `refused` (by name) and records what it asks, over `app/open`
  /// and `app/closed`, both under a customer-managed key so that `kms:Decrypt` is asked too.
  static func store(refusing refused: Set<String>) async throws
    -> (fixture: StoreFixture, checked: SQLiteStore, asked: Asked)
  {
    let fixture = try await StoreFixture.make()
    let key = try await fixture.store.createKey(CreateKeyRequest()).keyMetadata.keyID
    for name in ["app/open", "app/closed"] {
      _ = try await fixture.store.createSecret(
        CreateSecretRequest(name: name, kmsKeyID: key, secretString: "value-of-\(name)"))
    }
    let asked = Asked()
    let checked = fixture.store
      .withSecretReadCheck { request in
        asked.reads.withLock { $0.append(request) }
        let name = request.secretARN.split(separator: ":").last.map(String.init) ?? ""
        return refused.contains { name.hasPrefix($0 + "-") } ? Self.refusal : nil
      }
      .withKMSCallCheck { request in
        asked.decryptions.withLock { $0.append(request.encryptionContext["SecretARN"] ?? "") }
        return nil
      }
    return (fixture, checked, asked)
  }

  func arn(_ store: SQLiteStore, _ name: String) async throws -> String {
    try await store.describeSecret(DescribeSecretRequest(secretID: name)).arn
  }

  @Test func aRefusedSecretIsNotReadNotTouchedAndAuditedAsRefused() async throws {
    let (fixture, checked, asked) = try await Self.store(refusing: ["app/closed"])
    let closed = try await arn(fixture.store, "app/closed")
    let open = try await arn(fixture.store, "app/open")
    let response = try await checked.batchGetSecretValue(
      BatchGetSecretValueRequest(secretIDList: ["app/open", closed, "missing"]))
    #expect(response.secretValues.map(\.name) == ["app/open"])
    #expect(
      response.errors.map { [$0.secretID, $0.errorCode, $0.message] } == [
        [closed, "AccessDeniedException", "not this one"],
        [
          "missing", "ResourceNotFoundException",
          "Secrets Manager can't find the specified secret.",
        ],
      ])
    // Asked with the secret as listed; the missing one on its partial ARN (and, allowed, it is
    // reported missing).
    #expect(
      asked.reads.withLock { $0 } == [
        SecretValueRead(secretARN: open, secretID: "app/open"),
        SecretValueRead(secretARN: closed, secretID: closed),
        SecretValueRead(
          secretARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:missing",
          secretID: "missing"),
      ])
    #expect(asked.decryptions.withLock { $0 } == [open], "KMS was asked for the refused secret")

    let described = try await fixture.store.describeSecret(
      DescribeSecretRequest(secretID: "app/closed"))
    #expect(described.lastAccessedDate == nil)
    let versions = try await fixture.store.listSecretVersionIds(
      ListSecretVersionIdsRequest(secretID: "app/closed"))
    #expect(versions.versions.allSatisfy { $0.lastAccessedDate == nil })
    #expect(
      try await fixture.store.describeSecret(DescribeSecretRequest(secretID: "app/open"))
        .lastAccessedDate != nil)

    let rows = try await fixture.store.auditRecords(name: "app/closed", limit: nil).filter {
      $0.operation == "BatchGetSecretValue"
    }
    #expect(rows.map(\.result) == ["AccessDeniedException"])
    #expect(rows.first?.version == nil)
  }

  /// A filter listing names no secret: the check is asked with the ARN, on every page.
  @Test func aFilterListingAsksWithTheARNOnEveryPage() async throws {
    let (fixture, checked, asked) = try await Self.store(refusing: ["app/closed"])
    var token: String?
    var values: [String] = []
    var errors: [String] = []
    repeat {
      let page = try await checked.batchGetSecretValue(
        BatchGetSecretValueRequest(
          filters: [SecretsFilter(key: "name", values: ["app/"])], maxResults: 1,
          nextToken: token))
      values += page.secretValues.map(\.name)
      errors += page.errors.map(\.secretID)
      token = page.nextToken
    } while token != nil && values.count + errors.count < 5
    let open = try await arn(fixture.store, "app/open")
    let closed = try await arn(fixture.store, "app/closed")
    #expect(values == ["app/open"])
    #expect(errors == [closed])
    #expect(
      asked.reads.withLock { $0 } == [
        SecretValueRead(secretARN: open, secretID: open),
        SecretValueRead(secretARN: closed, secretID: closed),
      ])
    #expect(asked.decryptions.withLock { $0 } == [open])
  }

  /// The check comes before anything else about the secret: a refused caller is not told it is
  /// scheduled for deletion.
  @Test func aRefusedDeletedSecretIsRefusedNotReportedDeleted() async throws {
    let (fixture, checked, _) = try await Self.store(refusing: ["app/closed"])
    _ = try await fixture.store.deleteSecret(DeleteSecretRequest(secretID: "app/closed"))
    let refused = try await checked.batchGetSecretValue(
      BatchGetSecretValueRequest(secretIDList: ["app/closed"]))
    #expect(refused.errors.map(\.errorCode) == ["AccessDeniedException"])
    let unchecked = try await fixture.store.batchGetSecretValue(
      BatchGetSecretValueRequest(secretIDList: ["app/closed"]))
    #expect(unchecked.errors.map(\.errorCode) == ["InvalidRequestException"])
  }

  /// Only `BatchGetSecretValue` asks: a single read is authorised before the store is called.
  @Test func aSingleReadDoesNotAsk() async throws {
    let (_, checked, asked) = try await Self.store(refusing: ["app/closed"])
    #expect(try await checked.value("app/closed") == "value-of-app/closed")
    #expect(asked.reads.withLock { $0 }.isEmpty)
  }
}
