import Foundation
import GRDB
import GRDBSQLite

/// A statement from the connection's cache, bound and stepped through SQLite's C API.
///
/// For the statements reads run most (a decrypted read's select and audit row, the catalog's
/// version lists). GRDB's row decoding (a `Row` copied from the
/// statement, then each column decoded through a generic conversion) cost more than SQLite's
/// own work on these queries; stepping the statement directly and reading columns by position
/// does only the latter. Everything else in the store goes through GRDB as usual.
///
/// The statement is reset when `withRow` returns, so it holds no read lock and no bindings.
struct SteppedStatement {
  private let statement: OpaquePointer
  private let connection: OpaquePointer

  /// A value to bind to a `?`.
  enum Argument {
    case text(String)
    case integer(Int64)
    case blob([UInt8])
    case null

    static func text(_ value: String?) -> Argument { value.map { .text($0) } ?? .null }
    static func integer(_ value: Int?) -> Argument { value.map { .integer(Int64($0)) } ?? .null }
  }

  init(_ db: Database, sql: String) throws {
    let cached = try db.cachedStatement(sql: sql)
    guard let connection = db.sqliteConnection else {
      throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the connection is closed")
    }
    self.statement = cached.sqliteStatement
    self.connection = connection
  }

  /// Binds `arguments` in order, steps once, and gives `body` the first row (nil when there is
  /// none).
  func withRow<T>(_ arguments: [Argument], _ body: (Columns?) throws -> T) throws -> T {
    try bind(arguments)
    defer {
      sqlite3_reset(statement)
      sqlite3_clear_bindings(statement)
    }
    switch sqlite3_step(statement) {
    case SQLITE_ROW: return try body(Columns(statement: statement))
    case SQLITE_DONE: return try body(nil)
    case let code: throw error(code)
    }
  }

  /// Binds `arguments`, steps through every row and gives each to `body`, in order.
  func forEachRow(_ arguments: [Argument], _ body: (Columns) throws -> Void) throws {
    try forEachRow(
      arguments,
      while: { columns in
        try body(columns)
        return true
      })
  }

  /// Binds `arguments` and gives `body` each row in order until it returns false: the rows
  /// after it are never read.
  func forEachRow(_ arguments: [Argument], while body: (Columns) throws -> Bool) throws {
    try bind(arguments)
    defer {
      sqlite3_reset(statement)
      sqlite3_clear_bindings(statement)
    }
    while true {
      switch sqlite3_step(statement) {
      case SQLITE_ROW: guard try body(Columns(statement: statement)) else { return }
      case SQLITE_DONE: return
      case let code: throw error(code)
      }
    }
  }

  /// Binds `arguments` and runs a statement that returns no rows (an `INSERT`).
  func run(_ arguments: [Argument]) throws {
    try bind(arguments)
    defer {
      sqlite3_reset(statement)
      sqlite3_clear_bindings(statement)
    }
    let code = sqlite3_step(statement)
    guard code == SQLITE_DONE else { throw error(code) }
  }

  /// Every parameter is bound on each use, and `withRow`/`run` clear the bindings afterwards, so
  /// a reset is all the statement needs first.
  private func bind(_ arguments: [Argument]) throws {
    precondition(
      Int(sqlite3_bind_parameter_count(statement)) == arguments.count,
      "every parameter of a stepped statement is bound")
    sqlite3_reset(statement)
    for (offset, argument) in arguments.enumerated() {
      let index = Int32(offset + 1)
      let code: Int32
      switch argument {
      case .text(var text):
        // The string's own UTF-8 storage (no `utf8CString` copy); SQLite copies it.
        code = text.withUTF8 { bytes in
          guard let base = bytes.baseAddress, bytes.count > 0 else {
            return sqlite3_bind_text(statement, index, "", 0, transient)
          }
          return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            sqlite3_bind_text(statement, index, $0, Int32(bytes.count), transient)
          }
        }
      case .integer(let value): code = sqlite3_bind_int64(statement, index, value)
      case .blob(let bytes) where bytes.isEmpty:
        // A null pointer would bind NULL, not an empty blob.
        code = sqlite3_bind_zeroblob(statement, index, 0)
      case .blob(let bytes):
        code = bytes.withUnsafeBytes {
          sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), transient)
        }
      case .null: code = sqlite3_bind_null(statement, index)
      }
      try check(code)
    }
  }

  private func check(_ code: Int32) throws {
    guard code == SQLITE_OK else { throw error(code) }
  }

  private func error(_ code: Int32) -> DatabaseError {
    DatabaseError(
      resultCode: ResultCode(rawValue: code),
      message: String(cString: sqlite3_errmsg(connection)))
  }

  /// SQLite copies the bound text before `sqlite3_bind_text` returns.
  private var transient: sqlite3_destructor_type {
    unsafeBitCast(-1, to: sqlite3_destructor_type.self)
  }

  /// The current row's columns, by position.
  struct Columns {
    let statement: OpaquePointer

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }

    func text(_ column: Int32) -> String? {
      guard let bytes = sqlite3_column_text(statement, column) else { return nil }
      let count = Int(sqlite3_column_bytes(statement, column))
      return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func blob(_ column: Int32) -> [UInt8]? {
      guard sqlite3_column_type(statement, column) != SQLITE_NULL else { return nil }
      let count = Int(sqlite3_column_bytes(statement, column))
      guard count > 0, let bytes = sqlite3_column_blob(statement, column) else { return [] }
      return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }
  }
}
