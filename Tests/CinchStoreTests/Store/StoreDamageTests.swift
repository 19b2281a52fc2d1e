import Foundation
import GRDB
import Testing

@testable import CinchStore

/// Rows changed behind cinch's back (NULL where a value belongs, a date no calendar has, text
/// where a number belongs, attributes that are not cinch's JSON) are one `InternalServerError`
/// naming the table, the column and the entry: never a trap, never the row's contents.
@Suite struct StoreDamageTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var sql: String
    var read: @Sendable (SQLiteStore) async throws -> Void
    var message: String
    var testDescription: String { sql }
  }

  static let parameter: @Sendable (SQLiteStore) async throws -> Void = { store in
    _ = try await store.get("/app/pw")
  }
  static let secret: @Sendable (SQLiteStore) async throws -> Void = { store in
    _ = try await store.getSecretValue(GetSecretValueRequest(secretID: "app/db"))
  }
  static let versions = "UPDATE entry_versions SET"
  static let secretRows = "WHERE entry_id = (SELECT id FROM entries WHERE name = 'app/db')"
  static let suffix = "; restore it from a backup"

  static let cases: [Case] = [
    Case(
      sql: "\(versions) created_at = 1e300", read: parameter,
      message: "entry_versions.created_at of parameter '/app/pw' version 1 is not a time"),
    Case(
      sql: "\(versions) created_at = -1e300", read: secret,
      message: "entry_versions.created_at of secret 'app/db' version 1 is not a time"),
    Case(
      sql: "\(versions) created_at = 'yesterday'", read: parameter,
      message: "entry_versions.created_at of parameter '/app/pw' version 1 is not a time"),
    Case(
      sql: "\(versions) version_id = NULL \(secretRows)", read: secret,
      message: "entry_versions.version_id of secret 'app/db' version 1 is NULL"),
    Case(
      sql: "\(versions) type = x'ff00' \(secretRows)", read: secret,
      message: "entry_versions.type of secret 'app/db' version 1 is not text"),
    Case(
      sql: "UPDATE entries SET attributes = '{\"arnSuffix\":123}' WHERE name = 'app/db'",
      read: secret,
      message: "entries.attributes of secret 'app/db' is not the JSON cinch writes (at 'arnSuffix')"
    ),
    Case(
      sql: "UPDATE entries SET attributes = json_set(attributes, '$.lastChangedDate', 1e300) "
        + "WHERE name = 'app/db'",
      read: secret,
      message: "entries.attributes of secret 'app/db' holds 'lastChangedDate', which is not a time"
    ),
    Case(
      sql: "\(versions) attributes = '[' \(secretRows)", read: secret,
      message: "entry_versions.attributes of secret 'app/db' version 1 is not the JSON cinch writes"
    ),
    Case(
      sql: "UPDATE entries SET last_version = 'many' WHERE name = '/app/pw'", read: parameter,
      message: "entries.last_version of parameter '/app/pw' is not an integer"),
    Case(
      sql: "UPDATE kms_keys SET created_at = 'soon'",
      read: { _ = try await $0.describeKey(DescribeKeyRequest(keyID: "alias/aws/ssm")) },
      message: "kms_keys.created_at of key '"),
  ]

  static func seeded() async throws -> StoreFixture {
    let fixture = try await StoreFixture.make(
      configuration: StoreConfiguration(caller: "arn:aws:iam::123456789012:user/alice"))
    try await fixture.store.put("/app/pw", "hunter2", type: .secureString, overwrite: false)
    _ = try await fixture.store.createSecret(
      CreateSecretRequest(name: "app/db", secretString: #"{"password":"hunter2"}"#))
    return fixture
  }

  @Test(arguments: cases)
  func aDamagedRowIsOneLineNamingItsPlace(_ damage: Case) async throws {
    let fixture = try await Self.seeded()
    try await fixture.rawDatabase().write { db in try db.execute(sql: damage.sql) }
    do {
      try await damage.read(fixture.store)
      Issue.record("read a damaged store without an error")
    } catch let error as StoreError {
      #expect(error.code == "InternalServerError")
      #expect(error.message.hasPrefix("store is damaged: " + damage.message), "\(error.message)")
      #expect(error.message.hasSuffix(Self.suffix))
      #expect(!error.message.contains("\n"))
      for value in ["hunter2", "alice", "password"] {
        #expect(!error.message.contains(value), "\(error.message)")
      }
    }
    // The failure is audited like any other, after a chain that still verifies.
    #expect(try await fixture.store.verifyAuditLog().isIntact)
  }

  /// An audit row whose fields are not what cinch writes is an edited row to `verify`, and a
  /// damaged one to `audit list`.
  @Test func aDamagedAuditRowIsEditedToVerifyAndDamagedToList() async throws {
    let fixture = try await Self.seeded()
    try await fixture.rawDatabase().write { db in
      try db.execute(sql: "UPDATE audit_log SET version = 'two' WHERE seq = 2")
    }
    #expect(try await fixture.store.verifyAuditLog().problems == [.edited(seq: 2)])
    await expectStoreError(
      "InternalServerError",
      message: "store is damaged: audit_log.version of row 2 is not an integer" + Self.suffix
    ) { _ = try await fixture.store.auditRecords(name: nil, limit: nil) }
  }
}
