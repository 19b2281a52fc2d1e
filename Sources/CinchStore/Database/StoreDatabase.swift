import Foundation
import GRDB

/// Opening the SQLite file the way the store needs it: WAL (through `DatabasePool`), durable
/// commits, write transactions that take the write lock at `BEGIN IMMEDIATE` and wait for other
/// processes up to a busy timeout.
enum StoreDatabase {
  static func openPool(path: String, busyTimeoutSeconds: Double) throws -> DatabasePool {
    var configuration = Configuration()
    configuration.label = "cinch-store"
    configuration.busyMode = .callback(busyHandler(timeoutSeconds: busyTimeoutSeconds))
    configuration.foreignKeysEnabled = true
    configuration.prepareDatabase { db in
      // FULL: a commit is on disk when the call returns, so an acknowledged write survives a
      // crash of the machine, not only of the process.
      try db.execute(cached: "PRAGMA synchronous = FULL")
      // Deleted rows (old versions, removed entries) are overwritten with zeros.
      try db.execute(sql: "PRAGMA secure_delete = ON")
    }
    do {
      let pool = try DatabasePool(path: path, configuration: configuration)
      // DatabasePool sets `synchronous = NORMAL` when it switches the writer to WAL, after
      // `prepareDatabase` ran: put FULL back on the one connection that writes.
      try pool.writeWithoutTransaction { db in try db.execute(cached: "PRAGMA synchronous = FULL") }
      return pool
    } catch let error as DatabaseError {
      if error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
        throw StoreAccessError.notAStore(path: path, reason: "not an SQLite database")
      }
      throw StoreAccessError.io(path: path, message: error.message ?? "\(error.resultCode)")
    }
  }
}

extension StoreDatabase {
  /// How a connection waits for the write lock another process holds. SQLite's own busy timeout
  /// sleeps in steps growing to 100 ms, which leaves the lock idle while processes queue for it;
  /// this polls every 1 ms at first, then every 2 and 5 ms, and gives up after the timeout
  /// (the operation then fails with `TooManyUpdates`).
  static func busyHandler(timeoutSeconds: Double) -> Database.BusyCallback {
    let limit = Int(timeoutSeconds * 1000)
    return { tries in
      guard waited(afterTries: tries) < limit else { return false }
      usleep(useconds_t(delay(afterTries: tries) * 1000))
      return true
    }
  }

  static func delay(afterTries tries: Int) -> Int {
    tries < 50 ? 1 : tries < 200 ? 2 : 5
  }

  /// Milliseconds slept before try number `tries`.
  static func waited(afterTries tries: Int) -> Int {
    if tries < 50 { return tries }
    if tries < 200 { return 50 + (tries - 50) * 2 }
    return 350 + (tries - 200) * 5
  }
}

/// A read-only connection for checking a store before anything may be written to it (the pool
/// writes when it opens: it makes sure the WAL file is not empty). It creates an empty `-wal` and
/// a `-shm` beside the file if they are missing, and writes no page.
enum StoreInspection {
  static func read<T>(path: String, busyTimeoutSeconds: Double, _ body: (Database) throws -> T)
    throws -> T
  {
    var configuration = Configuration()
    configuration.readonly = true
    configuration.label = "cinch-store-inspection"
    configuration.busyMode = .timeout(busyTimeoutSeconds)
    let queue: DatabaseQueue
    do {
      queue = try DatabaseQueue(path: path, configuration: configuration)
    } catch let error as DatabaseError {
      throw StoreAccessError.io(path: path, message: error.message ?? "\(error.resultCode)")
    }
    defer { try? queue.close() }
    do {
      return try queue.read(body)
    } catch let error as DatabaseError {
      if error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
        throw StoreAccessError.notAStore(path: path, reason: "not an SQLite database")
      }
      throw StoreAccessError.notAStore(path: path, reason: error.message ?? "unreadable")
    }
  }
}

/// Typed access to the `store_meta` table.
enum StoreMeta {
  static let storeID = "store_id"
  static let createdAt = "created_at"
  static let masterMode = "master_mode"
  static let kdfSalt = "kdf_salt"
  static let kdfCost = "kdf_cost"
  static let masterKeyID = "master_key_id"
  static let keyCheck = "key_check"
  static let storeKey = "store_key"
  static let auditHead = "audit_head"

  static func data(_ db: Database, _ key: String) throws -> [UInt8]? {
    guard
      let row = try Row.fetchOne(
        db, cached: "SELECT value FROM store_meta WHERE key = ?", arguments: [key])
    else { return nil }
    let value: DatabaseValue = row[0]
    switch value.storage {
    case .blob(let data): return Array(data)
    case .string(let text): return Array(text.utf8)
    default: return nil
    }
  }

  static func text(_ db: Database, _ key: String) throws -> String? {
    try data(db, key).map { String(decoding: $0, as: UTF8.self) }
  }

  static let setSQL =
    "INSERT INTO store_meta (key, value) VALUES (?, ?) "
    + "ON CONFLICT(key) DO UPDATE SET value = excluded.value"

  static func set(_ db: Database, _ key: String, _ value: [UInt8]) throws {
    try db.execute(cached: setSQL, arguments: [key, Data(value)])
  }

  static func set(_ db: Database, _ key: String, text: String) throws {
    try set(db, key, Array(text.utf8))
  }
}
