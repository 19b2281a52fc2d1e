import Foundation
import Testing

@testable import CinchStore

/// `cinch sync` copies a parameter's history into the embedded store in one transaction: a
/// version the store refuses midway leaves no parameter holding only the first ones, which a
/// later sync would skip as existing.
@Suite struct ParameterHistoryImportTests {
  func request(_ value: String, type: ParameterType = .string, overwrite: Bool)
    -> PutParameterRequest
  {
    PutParameterRequest(
      name: "/app/p", value: value, type: type, overwrite: overwrite ? true : nil)
  }

  @Test func aHistoryIsWrittenWholeWithItsLabels() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let written = try await store.putParameterHistory(
      [
        request("a", overwrite: false), request("b", overwrite: true),
        request("c", overwrite: true),
      ],
      labels: [["old"], [], ["prod", "1bad"]])
    #expect(written.versions == [1, 2, 3])
    #expect(written.refusedLabels == ["1bad"])
    let history = try await store.getParameterHistory(
      GetParameterHistoryRequest(name: "/app/p", withDecryption: true)
    ).parameters
    #expect(history.map(\.value) == ["a", "b", "c"])
    #expect(history.map(\.labels) == [["old"], [], ["prod"]])
  }

  @Test func aVersionRefusedMidwayLeavesNothing() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let before = try await store.auditRecords(name: nil, limit: nil).count
    await #expect(throws: StoreError.self) {
      _ = try await store.putParameterHistory(
        [
          request("a", overwrite: false), request("b", overwrite: true),
          request(String(repeating: "x", count: 8193), overwrite: true),
        ],
        labels: [[], [], []])
    }
    await #expect(throws: StoreError.self) {
      _ = try await store.getParameter(GetParameterRequest(name: "/app/p"))
    }
    // The refusal is audited; no version is.
    let records = try await store.auditRecords(name: "/app/p", limit: nil)
    #expect(records.allSatisfy { $0.result != "ok" }, "\(records)")
    #expect(try await store.auditRecords(name: nil, limit: nil).count > before)
    #expect(try await store.verifyAuditLog().isIntact)
  }
}
