import Foundation
import GRDB
import Testing
import _CinchTestSupport

/// `cinch lease renew` past the lease's maximum: the renewal is capped and Vault's warning is
/// printed in the CLI's `WARNING!` block. The lease has no database user, so no psql runs.
@Suite struct LeaseRenewTests {
  @Test func aCappedRenewalPrintsVaultsWarning() async throws {
    let project = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: project) }
    #expect(try await CinchProcess.run(["init"], in: project).status == 0)
    // A lease is renewed under its role, as in Vault.
    #expect(try await CinchProcess.run(["secrets", "enable", "database"], in: project).status == 0)
    let role = try await CinchProcess.run(
      ["write", "database/roles/r", "db_name=pg", "creation_statements=SELECT 1", "max_ttl=2h"],
      in: project)
    #expect(role.status == 0, "\(role.stderr)")
    let id = "database/creds/r/" + UUID().uuidString
    let now = Date().timeIntervalSince1970
    let store = try DatabaseQueue(path: project.appendingPathComponent(".cinch/store.db").path)
    try await store.write {
      try $0.execute(
        sql: """
          INSERT INTO vault_leases (lease_id, mount, role, issued_at, expires_at, max_expires_at,
            renewable, attributes, token_accessor)
          VALUES (?, 'database/', 'r', ?, ?, ?, 1, '{"username":"","dbName":"pg"}', NULL)
          """,
        arguments: [id, now, now + 3600, now + 7200])
    }
    try store.close()

    let renewed = try await CinchProcess.run(
      ["lease", "renew", "-increment=5h", id], in: project)
    #expect(renewed.status == 0, "\(renewed.stderr)")
    #expect(
      renewed.stderr.hasPrefix(
        "WARNING! The following warnings were returned from Vault:\n\n"
          + "  * TTL of \"5h0m0s\" exceeded the effective max_ttl of \"1h59m"),
      "\(renewed.stderr)")
    #expect(renewed.stderr.hasSuffix("; TTL value is capped accordingly\n\n"))
    #expect(renewed.stdout.contains("lease_duration"))
  }
}
