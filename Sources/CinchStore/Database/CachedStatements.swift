import GRDB

// Every query the store runs is one of a fixed set of SQL texts, and a read runs several of
// them. Compiling a statement costs far more than running it (SQLite's parser and GRDB's
// authorizer were ~70% of a decrypted read), so the store asks for its statements by text from
// the connection's statement cache, compiled once per connection and reused. Their arguments
// are `StoreArguments`, which refuse text holding a NUL (GRDB would bind it cut short).

extension Row {
  static func fetchOne(_ db: Database, cached sql: String, arguments: StoreArguments = [])
    throws -> Row?
  {
    try fetchOne(db.cachedStatement(sql: sql), arguments: arguments.checked())
  }

  static func fetchAll(_ db: Database, cached sql: String, arguments: StoreArguments = [])
    throws -> [Row]
  {
    try fetchAll(db.cachedStatement(sql: sql), arguments: arguments.checked())
  }
}

extension DatabaseValueConvertible where Self: StatementColumnConvertible {
  static func fetchOne(_ db: Database, cached sql: String, arguments: StoreArguments = [])
    throws -> Self?
  {
    try fetchOne(db.cachedStatement(sql: sql), arguments: arguments.checked())
  }

  static func fetchAll(_ db: Database, cached sql: String, arguments: StoreArguments = [])
    throws -> [Self]
  {
    try fetchAll(db.cachedStatement(sql: sql), arguments: arguments.checked())
  }
}

extension Database {
  /// Runs one statement (never several separated by `;`: a cached statement holds one).
  func execute(cached sql: String, arguments: StoreArguments = []) throws {
    try cachedStatement(sql: sql).execute(arguments: arguments.checked())
  }
}
