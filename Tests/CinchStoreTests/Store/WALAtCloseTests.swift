import Foundation
import GRDB
import Testing

@testable import CinchStore

/// What a store leaves on disk when it closes (Docs/Store.md, "Closing"): a process that
/// changed the store checkpoints the WAL into the file and removes it; one that only read
/// leaves its audit rows in the WAL rather than pay the checkpoint's fsyncs.
@Suite struct WALAtCloseTests {
  private func hasWAL(_ fixture: StoreFixture) -> Bool {
    FileManager.default.fileExists(atPath: fixture.storePath + "-wal")
  }

  /// The audit rows in the database file alone, without its WAL: a copy of the file, opened
  /// as the store it is.
  private func auditRowsInFileAlone(_ fixture: StoreFixture) async throws -> [String] {
    let copy = fixture.directory.file("copy-\(UUID().uuidString).db")
    try FileManager.default.copyItem(atPath: fixture.storePath, toPath: copy)
    let store = try await SQLiteStore.open(at: copy, master: .keyFile(path: fixture.keyPath))
    defer { try? store.close() }
    let verification = try await store.verifyAuditLog()
    #expect(verification.isIntact, "\(verification.problems)")
    return try await store.auditRecords(name: nil, limit: nil).map(\.operation)
  }

  @Test func aProcessThatOnlyReadsLeavesTheWALAndTheFileAloneStaysWhole() async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("/app/db-host", "db.internal")
    try fixture.store.close()
    #expect(!hasWAL(fixture))

    let reader = try await fixture.reopen()
    #expect(try await reader.get("/app/db-host").value == "db.internal")
    // A reader connection too (the audit log is verified from a snapshot).
    #expect(try await reader.verifyAuditLog().isIntact)
    try reader.close()
    #expect(hasWAL(fixture))
    // The file without its WAL is the store as the last change left it: it opens, its audit
    // chain verifies, and only the read's row is missing.
    #expect(try await auditRowsInFileAlone(fixture) == ["Init", "PutParameter"])

    // Through the WAL, the read's row is there.
    let again = try await fixture.reopen()
    let operations = try await again.auditRecords(name: nil, limit: nil).map(\.operation)
    #expect(operations == ["Init", "PutParameter", "GetParameter"])
    try again.close()
  }

  @Test func theNextProcessThatChangesTheStoreCheckpointsEverything() async throws {
    let fixture = try await StoreFixture.make()
    try fixture.store.close()
    let reader = try await fixture.reopen()
    _ = try? await reader.get("/app/missing")
    try reader.close()
    #expect(hasWAL(fixture))

    let writer = try await fixture.reopen()
    // Reads before the change do not keep the WAL once the change is made.
    _ = try? await writer.get("/app/missing")
    try await writer.put("/app/db-port", "5432")
    _ = try await writer.get("/app/db-port")
    try writer.close()
    #expect(!hasWAL(fixture))
    #expect(
      try await auditRowsInFileAlone(fixture) == [
        "Init", "GetParameter", "GetParameter", "PutParameter", "GetParameter",
      ])
  }

  @Test func aStoreReleasedWithoutCloseDecidesTheSameWay() async throws {
    let fixture = try await StoreFixture.make()
    try fixture.store.close()
    do {
      let reader = try await fixture.reopen()
      _ = try await reader.verifyAuditLog()
      _ = try? await reader.get("/app/missing")
    }
    #expect(hasWAL(fixture))
    do {
      let writer = try await fixture.reopen()
      _ = try await writer.verifyAuditLog()
      try await writer.put("/app/db-port", "5432")
    }
    #expect(!hasWAL(fixture))
  }

  @Test func aCreatedStoreIsInTheFileEvenWhenItsProcessThenOnlyReads() async throws {
    let fixture = try await StoreFixture.make()
    _ = try? await fixture.store.get("/app/missing")
    try fixture.store.close()
    #expect(!hasWAL(fixture))
    #expect(try await auditRowsInFileAlone(fixture) == ["Init", "GetParameter"])
  }
}
