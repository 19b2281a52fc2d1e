import ArgumentParser
import CinchJSON
import CinchStore
import Foundation

/// `cinch audit list|verify`: the store's hash-chained audit log; `enable|disable|hash`: the
/// Vault-style audit devices (Docs/Vault.md).
struct AuditCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit",
    abstract: "Read and verify the store's audit log (every read and write; never a value).",
    subcommands: [
      AuditListCommand.self, AuditVerifyCommand.self, AuditEnableCommand.self,
      AuditDisableCommand.self, AuditHashCommand.self,
    ])
}

struct AuditListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "Print the audit log, oldest first.")

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, json
  }

  @OptionGroup var storeOptions: StoreOptions

  @Option(help: "Only rows about this entry name.")
  var name: String?

  @Option(help: "Only the last N rows.")
  var limit: Int?

  @Option(help: "table or json.")
  var format: Format = .table

  func run() async throws {
    let records: [AuditRecord]
    do {
      records = try await storeOptions.open().auditRecords(name: name, limit: limit)
    } catch let error as StoreAccessError {
      throw CLIFailure("\(error)")
    }
    switch format {
    case .json: Output.stdout(Self.json(records))
    case .table: Output.stdout(Self.table(records))
    }
  }

  /// The rows as cinch's other JSON output is written, every field in the table's order
  /// (`null` where a row has none).
  static func json(_ records: [AuditRecord]) -> String {
    JSONValue.array(
      records.map { record in
        JSONValue.object([
          ("seq", .int(record.seq)),
          ("time", .string(record.time)),
          ("operation", .string(record.operation)),
          ("kind", .string(record.kind)),
          ("name", .string(record.name)),
          ("version", .int(record.version)),
          ("versionId", .string(record.versionID)),
          ("result", .string(record.result)),
          ("caller", .string(record.caller)),
        ])
      }
    ).pretty()
  }

  /// The widest a NAME, RESULT or CALLER cell is shown: one refused call with a 2,048-character
  /// name would otherwise widen every row after it. `--format json` has them whole.
  static let widestCell = 96

  /// VERSION is the store's number of the version; for a secret, VERSION ID is the
  /// `VersionId` AWS's API shows (rows written before schema step 10 have none).
  static func table(_ records: [AuditRecord]) -> String {
    let header = [
      "SEQ", "TIME", "OPERATION", "KIND", "NAME", "VERSION", "VERSION ID", "RESULT", "CALLER",
    ]
    func shortened(_ text: String) -> String {
      text.count <= widestCell ? text : String(text.prefix(widestCell - 1)) + "…"
    }
    let rows = records.map { record in
      [
        String(record.seq), record.time, record.operation, record.kind ?? "-",
        shortened(record.name ?? "-"), record.version.map(String.init) ?? "-",
        shortened(record.versionID ?? "-"), shortened(record.result),
        shortened(record.caller ?? "-"),
      ]
    }
    var widths = header.map(\.count)
    for row in rows {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
    }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { index, cell in
        index == cells.count - 1
          ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
      }.joined(separator: "  ") + "\n"
    }
    return ([line(header)] + rows.map(line)).joined()
  }
}

struct AuditVerifyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check the hash chain: exit 0 when intact, 1 naming each broken row.",
    discussion: """
      Prints the sealed head as SEQ:HASH (no value: a hash of rows that hold none). Kept \
      outside the store (a CI log, a ticket) and given back with --witness, it also catches a \
      store put back from an older copy, whose log and head agree with each other.
      """)

  @Option(
    help: ArgumentHelp(
      "A head printed by an earlier verify: the log must still hold that row with that hash.",
      valueName: "seq:hash"))
  var witness: String?

  @OptionGroup var storeOptions: StoreOptions

  func validate() throws {
    if let witness, AuditHead(witness) == nil {
      throw ValidationError(
        "--witness takes SEQ:HASH as verify prints it (a row number, ':', 64 hex digits)")
    }
  }

  func run() async throws {
    let result: AuditVerification
    do {
      result = try await storeOptions.open().verifyAuditLog(
        witness: witness.flatMap(AuditHead.init))
    } catch let error as StoreAccessError {
      throw CLIFailure("\(error)")
    }
    let rows = Self.counted(result.rowsChecked, "row")
    if result.isIntact {
      let head = result.head.map { "; head \($0)" } ?? ""
      let witnessed = witness == nil ? "" : ", witness held"
      Output.stdout(
        "audit log intact: \(rows), hash chain and sealed head verified\(witnessed)\(head)\n")
      return
    }
    for problem in result.problems { Output.stderr("cinch: audit: \(problem)\n") }
    Output.stderr(
      "cinch: audit log damaged: \(Self.counted(result.problems.count, "problem")) in \(rows)\n")
    throw ExitCode(ExitStatus.findings)
  }

  /// `1 row`, `2 rows` (a new store's log holds one row, and read "1 rows").
  static func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
  }
}
