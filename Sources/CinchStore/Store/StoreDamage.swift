import Foundation
import GRDB
import GRDBSQLite

/// A stored column that does not hold what cinch writes there (NULL where a value belongs, a
/// number that is no time, text where an integer belongs, attributes that are not cinch's
/// JSON): the file was changed by something other than cinch. Thrown while a row is read;
/// `storeError` turns it into the one-line `InternalServerError` that names the table, the
/// column and the entry, never the row's contents.
///
/// Until 2026-12-03 such a row trapped (GRDB's `row[…]` on a NULL, `Int64(Double)` on a date of
/// 1e300 while it was printed, exit 132, with the row in the crash message) or surfaced as
/// Foundation's `DecodingError` (exit 255).
struct StoreDamage: Error, Sendable, Equatable {
  var column: String
  var problem: String

  static func null(_ column: String) -> StoreDamage {
    StoreDamage(column: column, problem: "is NULL")
  }

  /// The service error for this column of `table`'s row of the entry `name` (of `kind`), and
  /// of its `version` when the row is a version's.
  func storeError(table: String, kind: EntryKind?, name: String?, version: Int? = nil)
    -> StoreError
  {
    var place = "\(table).\(column)"
    if let name {
      place += " of " + (kind.map { "\(Self.noun($0)) " } ?? "") + "'\(name)'"
    }
    if let version { place += " version \(version)" }
    return .storeDamaged(place: place, problem: problem)
  }

  /// `storeError` for a row of the entry whose id is `entry`, named as `entries` names it
  /// when that can be read.
  func storeError(table: String, entry: Int64, version: Int? = nil, _ db: Database) -> StoreError {
    let named = try? SteppedStatement(
      db, sql: "SELECT kind, name FROM entries WHERE id = ? AND typeof(name) = 'text'"
    ).withRow([.integer(entry)]) { columns in
      columns.map { (kind: $0.text(0).map(EntryKind.init(rawValue:)), name: $0.text(1)) }
    }
    guard let named, let name = named.name else {
      var place = "\(table).\(column) of entry \(entry)"
      if let version { place += " version \(version)" }
      return .storeDamaged(place: place, problem: problem)
    }
    return storeError(table: table, kind: named.kind, name: name, version: version)
  }

  private static func noun(_ kind: EntryKind) -> String {
    switch kind {
    case .parameter: "parameter"
    case .secret: "secret"
    case .kmsKey: "key"
    default: "entry"
    }
  }

  /// Seconds since 1970 that name a time cinch can print: finite, from year 1 to year 9999
  /// (Python's `datetime`, whose output the aws CLI's dates follow, has no others).
  static func isTime(_ seconds: Double) -> Bool {
    seconds >= -62_135_596_800 && seconds < 253_402_300_800
  }

  /// `seconds` as a date, or the damage of a stored time that is none.
  static func time(_ seconds: Double, _ column: String) throws(StoreDamage) -> Date {
    guard isTime(seconds) else { throw StoreDamage(column: column, problem: "is not a time") }
    return Date(timeIntervalSince1970: seconds)
  }

  /// A stored JSON column (`attributes`) decoded by `body`, or its damage: any failure to
  /// decode, and any date in it that is not a time.
  static func json<T>(_ column: String, _ body: () throws -> T) throws(StoreDamage) -> T {
    do {
      return try body()
    } catch let damage as StoreDamage {
      throw damage
    } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
      let DecodingError.keyNotFound(_, context), let DecodingError.dataCorrupted(context)
    {
      let path = context.codingPath.map(\.stringValue).filter { !$0.isEmpty }
      throw StoreDamage(
        column: column,
        problem: "is not the JSON cinch writes"
          + (path.isEmpty ? "" : " (at '\(path.joined(separator: "."))')"))
    } catch {
      throw StoreDamage(column: column, problem: "is not the JSON cinch writes")
    }
  }
}

extension SteppedStatement.Columns {
  /// An integer column that must hold one.
  func storedInteger(_ column: Int32, _ name: String) throws(StoreDamage) -> Int64 {
    switch sqlite3_column_type(statement, column) {
    case SQLITE_INTEGER: return integer(column)
    case SQLITE_NULL: throw .null(name)
    default: throw StoreDamage(column: name, problem: "is not an integer")
    }
  }

  /// An integer column read as an `Int` (a version, a count).
  func storedInt(_ column: Int32, _ name: String) throws(StoreDamage) -> Int {
    Int(try storedInteger(column, name))
  }

  /// A text column that must hold text.
  func storedText(_ column: Int32, _ name: String) throws(StoreDamage) -> String {
    guard let text = try storedOptionalText(column, name) else { throw .null(name) }
    return text
  }

  /// A text column that may be NULL, but holds nothing but text.
  func storedOptionalText(_ column: Int32, _ name: String) throws(StoreDamage) -> String? {
    switch sqlite3_column_type(statement, column) {
    case SQLITE_TEXT: return text(column)
    case SQLITE_NULL: return nil
    default: throw StoreDamage(column: name, problem: "is not text")
    }
  }

  /// A time (seconds since 1970) that must be one.
  func storedTime(_ column: Int32, _ name: String) throws(StoreDamage) -> Date {
    switch sqlite3_column_type(statement, column) {
    case SQLITE_FLOAT, SQLITE_INTEGER: return try StoreDamage.time(double(column), name)
    case SQLITE_NULL: throw .null(name)
    default: throw StoreDamage(column: name, problem: "is not a time")
    }
  }
}

extension Row {
  /// The column `name`'s stored value (NULL for a column the row lacks).
  private func stored(_ name: String) -> DatabaseValue {
    self[name] as DatabaseValue? ?? .null
  }

  func storedInteger(_ name: String) throws(StoreDamage) -> Int64 {
    switch stored(name).storage {
    case .int64(let value): return value
    case .null: throw .null(name)
    default: throw StoreDamage(column: name, problem: "is not an integer")
    }
  }

  func storedInt(_ name: String) throws(StoreDamage) -> Int { Int(try storedInteger(name)) }

  func storedBool(_ name: String) throws(StoreDamage) -> Bool { try storedInteger(name) != 0 }

  func storedOptionalInt(_ name: String) throws(StoreDamage) -> Int? {
    if case .null = stored(name).storage { return nil }
    return try storedInt(name)
  }

  func storedText(_ name: String) throws(StoreDamage) -> String {
    guard let text = try storedOptionalText(name) else { throw .null(name) }
    return text
  }

  func storedOptionalText(_ name: String) throws(StoreDamage) -> String? {
    switch stored(name).storage {
    case .string(let text): return text
    case .null: return nil
    default: throw StoreDamage(column: name, problem: "is not text")
    }
  }

  func storedBlob(_ name: String) throws(StoreDamage) -> [UInt8] {
    guard let bytes = try storedOptionalBlob(name) else { throw .null(name) }
    return bytes
  }

  func storedOptionalBlob(_ name: String) throws(StoreDamage) -> [UInt8]? {
    switch stored(name).storage {
    case .blob(let data): return Array(data)
    case .null: return nil
    default: throw StoreDamage(column: name, problem: "is not a blob")
    }
  }

  func storedTime(_ name: String) throws(StoreDamage) -> Date {
    guard let date = try storedOptionalTime(name) else { throw .null(name) }
    return date
  }

  func storedOptionalTime(_ name: String) throws(StoreDamage) -> Date? {
    switch stored(name).storage {
    case .double(let seconds): return try StoreDamage.time(seconds, name)
    case .int64(let seconds): return try StoreDamage.time(Double(seconds), name)
    case .null: return nil
    default: throw StoreDamage(column: name, problem: "is not a time")
    }
  }
}
