import Foundation
import GRDB
import Testing
import _CinchTestSupport

/// A running `cinch serve` whose store cannot list the expired leases says so on stderr, once
/// for a lasting cause, and keeps serving (it said nothing, and each sweep found "nothing").
@Suite struct LeaseSweepFailureTests {
  @Test func aSweepThatCannotReadTheStoreSaysSoOnce() async throws {
    let project = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: project) }
    #expect(try await CinchProcess.run(["init"], in: project).status == 0)
    #expect(try await CinchProcess.run(["iam", "create-access-key"], in: project).status == 0)
    let serve = try ServeWithLog(in: project, leaseInterval: 0.1)
    defer { serve.stop() }
    try await serve.waitForBanner("Vault API under")

    // Another process breaks the store under the server: the leases' table is gone.
    let store = try DatabaseQueue(path: project.appendingPathComponent(".cinch/store.db").path)
    try await store.write { try $0.execute(sql: "DROP TABLE vault_leases") }
    try store.close()

    let message = "cinch serve: expired leases cannot be listed: "
    for _ in 0..<150 where !serve.printed.contains(message) {
      try await Task.sleep(for: .milliseconds(100))
    }
    // Sweeps every 0.1 s keep failing for the same reason: still one line.
    try await Task.sleep(for: .seconds(1))
    let lines = serve.printed.split(separator: "\n").filter { $0.hasPrefix(message) }
    #expect(lines.count == 1, "\(serve.printed)")
    #expect(lines.first?.contains("vault_leases") == true, "\(serve.printed)")
  }
}
