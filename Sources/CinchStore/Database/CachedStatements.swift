import GRDB

// Every query the store runs is one of a fixed set of SQL texts, and a read runs several of
// them. Compiling a statement costs far more than running it (SQLite's parser and GRDB's
// authorizer were ~70% of a decrypted read), so the store asks for its statements by text from
// the connection's statement cache, compiled once per connection and reused.

extension Row {
  static func fetchOne(_ db: Database, cached sql: String, arguments: StatementArguments = [])
    throws -> Row?
  {
    try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
  }

  static func fetchAll(_ db: Database, cached sql: String, arguments: StatementArguments = [])
    throws -> [Row]
  {
    try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
  }
}

extension DatabaseValueConvertible where Self: StatementColumnConvertible {
  static func fetchOne(_ db: Database, cached sql: String, arguments: StatementArguments = [])
    throws -> Self?
  {
    try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
  }

  static func fetchAll(_ db: Database, cached sql: String, arguments: StatementArguments = [])
    throws -> [Self]
  {
    try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
  }
}

extension Database {
  /// Runs one statement (never several separated by `;`: a cached statement holds one).
  func execute(cached sql: String, arguments: StatementArguments = []) throws {
    try cachedStatement(sql: sql).execute(arguments: arguments)
  }
}
