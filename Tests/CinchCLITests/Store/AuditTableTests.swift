import CinchStore
import Testing

@testable import CinchCLI

/// `cinch audit list`'s table: a refused call with a 2,048-character name must not widen every
/// row after it.
@Suite struct AuditTableTests {
  @Test func longCellsAreShortenedAndTheColumnsStayNarrow() {
    let long = String(repeating: "a", count: 2_049)
    let records = [
      AuditRecord(
        seq: 1, time: "2026-12-07T03:00:00Z", operation: "GetSecretValue", kind: "secret",
        name: long, version: nil, result: "ValidationException", caller: "tester"),
      AuditRecord(
        seq: 2, time: "2026-12-07T03:00:01Z", operation: "GetSecretValue", kind: "secret",
        name: "prod/db", version: 1, result: "ok", caller: "tester"),
    ]
    let lines = AuditListCommand.table(records).split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines.allSatisfy { $0.count < 200 }, "\(lines.map(\.count))")
    #expect(lines[1].contains(String(repeating: "a", count: 95) + "…"))
    #expect(lines[2].contains("prod/db"))
  }
}

/// A line break in a cell (a logical ID may hold one) would print a row of its own that reads
/// as cinch's: tables show control characters as U+FFFD.
@Suite struct TextTableTests {
  @Test func controlCharactersCannotStartARow() {
    let table = TextTable.render(
      header: ["LOCATION", "PATH"],
      rows: [["t.yaml:4:40", "Resources/A\nfake.yaml:1:1  ssm  /evil\r/Properties"]])
    #expect(table.split(separator: "\n").count == 2)
    #expect(table.contains("A\u{FFFD}fake.yaml:1:1  ssm  /evil\u{FFFD}/Properties"))
  }
}
