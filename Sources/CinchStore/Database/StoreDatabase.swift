import CStoreVFS
import Foundation
import GRDB
import GRDBSQLite

/// Opening the SQLite file the way the store needs it: WAL (through `DatabasePool`), durable
/// commits, write transactions that take the write lock at `BEGIN IMMEDIATE` and wait for other
/// processes up to a busy timeout.
enum StoreDatabase {
  /// WAL pages (4 KiB each) after which a commit checkpoints: 32 MiB.
  static let walCheckpointPages = 8_192

  /// Has the Swift runtime make the one-time type lookups that opening a pool and reading
  /// through it need: each first "does this type conform" scans the binary's ~8,800 conformance
  /// records, and GRDB's set-up of a connection (its functions, collations and value
  /// conversions) and its WAL check (Foundation's `URLResourceValues`) make many of them. Done
  /// on an in-memory database (~7 M instructions) while another thread still sets libcrypto up,
  /// which the store's key needs before the pool may open, they are off the command's path:
  /// in `get-parameter` the pool's open after the key went from 8.5 M to 3.1 M instructions,
  /// the read from 6.8 M to 5.3 M.
  static func prepareConnectionTypes(path: String) {
    if let queue = try? DatabaseQueue(configuration: configuration(busyTimeoutSeconds: 0)) {
      _ = try? queue.inDatabase { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
    }
    _ = try? URL(fileURLWithPath: path + "-wal").resourceValues(forKeys: [.fileSizeKey])
  }

  /// The connections' configuration. With `walOf`, the store file and the name errors give it,
  /// the pool's writer gives the WAL its first frame as it opens (`startWAL`).
  private static func configuration(
    busyTimeoutSeconds: Double, walOf store: (path: String, name: String)? = nil,
    gate: WriterGate? = nil
  ) -> Configuration {
    var configuration = Configuration()
    configuration.label = "cinch-store"
    configuration.busyMode = .callback(busyHandler(timeoutSeconds: busyTimeoutSeconds, gate: gate))
    configuration.foreignKeysEnabled = true
    configuration.prepareDatabase { db in
      // FULL: a commit is on disk when the call returns, so an acknowledged write survives a
      // crash of the machine, not only of the process.
      try db.execute(cached: "PRAGMA synchronous = FULL")
      // Deleted rows (old versions, removed entries) are overwritten with zeros.
      try db.execute(sql: "PRAGMA secure_delete = ON")
      if let store, !db.configuration.readonly, let connection = db.sqliteConnection {
        try startWAL(connection, path: store.path, name: store.name)
      }
    }
    return configuration
  }

  /// Makes SQLite's default VFS, for every connection opened after, the "unix" one whose
  /// `-shm` regions are faulted in writable as SQLite maps them (`CStoreVFS`): SQLite left
  /// holes in them, and on a full disk the first store into one ended cinch with SIGBUS.
  /// Every open of the store calls this first; after the first call it returns at once.
  static func useStoreVFS() {
    _ = cinch_store_vfs_register()
  }

  /// Opens the pool on the store file at `path`; errors name the store `name` (the store a
  /// new one's staged file becomes). Another process holding the write lock past the busy
  /// timeout is `TooManyUpdates`, as for any write. The busy handler of its connections waits
  /// as `gate` says (`WriterGate.busyWait`).
  static func openPool(
    path: String, named name: String? = nil, busyTimeoutSeconds: Double, gate: WriterGate? = nil
  ) throws -> DatabasePool {
    useStoreVFS()
    let name = name ?? path
    let configuration = configuration(
      busyTimeoutSeconds: busyTimeoutSeconds, walOf: (path: path, name: name), gate: gate)
    do {
      let pool = try DatabasePool(path: path, configuration: configuration)
      // DatabasePool sets `synchronous = NORMAL` when it switches the writer to WAL, after
      // `prepareDatabase` ran: put FULL back on the one connection that writes.
      //
      // The writer checkpoints the WAL once it holds `walCheckpointPages` pages rather than
      // SQLite's 1,000: a checkpoint syncs the WAL and the file (two fsyncs, ~1–20 ms here)
      // while every other write waits, and a read's audit row adds ~4 pages, so at 1,000 pages
      // `cinch serve` stalled every ~250 requests (40 checkpoints, ~0.45 s of fsync in a
      // 8,000-request run). It rewrites the same few pages each time, so a checkpoint of a
      // longer WAL copies hardly more. The last connection to close still checkpoints and
      // removes the WAL, so the file at rest holds everything.
      try pool.writeWithoutTransaction { db in
        try db.execute(cached: "PRAGMA synchronous = FULL")
        try db.execute(sql: "PRAGMA wal_autocheckpoint = \(walCheckpointPages)")
      }
      return pool
    } catch let error as DatabaseError {
      if error.resultCode == .SQLITE_BUSY { throw StoreError.tooManyUpdates(store: name) }
      // The connection that failed is closed: its `errno` is gone, and only SQLite's own
      // SQLITE_FULL tells a full disk. The writer's first frame (`startWAL`) is the first
      // write of an open, and reports the rest.
      throw accessError(
        code: error.extendedResultCode.rawValue,
        message: error.message ?? "\(error.resultCode)", path: name)
    }
  }

  /// GRDB's pool closes its writer before its readers (GRDB issue 739), and a read-only
  /// connection that closes last cannot checkpoint: the WAL stays, and a copy of the store
  /// file alone would miss what it holds. A read-write connection opened and closed after them
  /// is the last: it checkpoints and removes the WAL, unless another process has the store open
  /// (then that one's last connection does). It reads nothing the master key guards.
  static func closeLast(_ path: String) {
    guard FileManager.default.fileExists(atPath: path + "-wal") else { return }
    useStoreVFS()
    var handle: OpaquePointer?
    defer { sqlite3_close_v2(handle) }
    guard
      sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        == SQLITE_OK
    else { return }
    // The WAL is opened by a connection's first read, and checkpointed by its close.
    sqlite3_busy_timeout(handle, 1000)
    _ = sqlite3_exec(handle, "SELECT count(*) FROM sqlite_master", nil, nil, nil)
  }

  /// Gives an empty or missing WAL its first frame, on the pool's writer as it opens (before
  /// GRDB's set-up, which would otherwise write one its own way: see `StoreOpening`): the header
  /// page with `user_version` set to the value it has. A store whose WAL has frames (another
  /// process has it open) needs nothing.
  ///
  /// The frame takes the write lock, so another process holding it makes this wait, once, up
  /// to the busy timeout and then fail with `TooManyUpdates`. (Until 2026-12-03 the opening
  /// connection wrote it and, failing, left it to GRDB, which waited for the lock a second time
  /// and failed with "database is locked"; the CLI then opened the store again after its open
  /// ahead failed: four busy timeouts, two minutes, for one command.)
  static func startWAL(_ db: OpaquePointer, path: String, name: String) throws {
    var status = stat()
    if stat(path + "-wal", &status) == 0, status.st_size > 0 { return }
    func failure(_ code: Int32) -> any Error {
      if code & 0xff == SQLITE_BUSY { return StoreError.tooManyUpdates(store: name) }
      return accessError(
        code: code, message: String(cString: sqlite3_errmsg(db)), systemErrors: systemErrors(db),
        path: name)
    }
    // A new store's file is empty, not yet in WAL mode (a store's file stays in it).
    var code = SQLITE_OK
    if stat(path, &status) == 0, status.st_size == 0 {
      code = sqlite3_exec(db, "PRAGMA journal_mode = WAL", nil, nil, nil)
      guard code == SQLITE_OK else { throw failure(code) }
    }
    // No sync for the commit: the frame changes nothing, and the first commit that matters
    // syncs the WAL (and the folder that holds it). Back to NORMAL at once, so that if this
    // connection is the last to close (the pool failed to open), its checkpoint syncs the WAL
    // before it writes the file and the file before it removes the WAL.
    defer { sqlite3_exec(db, "PRAGMA synchronous = NORMAL", nil, nil, nil) }
    code = sqlite3_exec(db, "PRAGMA synchronous = OFF; BEGIN IMMEDIATE", nil, nil, nil)
    guard code == SQLITE_OK else { throw failure(code) }
    var statement: OpaquePointer?
    var version: Int64 = 0
    code = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &statement, nil)
    if code == SQLITE_OK {
      code = sqlite3_step(statement)
      if code == SQLITE_ROW {
        version = sqlite3_column_int64(statement, 0)
        code = SQLITE_OK
      }
    }
    sqlite3_finalize(statement)
    if code == SQLITE_OK {
      code = sqlite3_exec(db, "PRAGMA user_version = \(version); COMMIT", nil, nil, nil)
    }
    guard code == SQLITE_OK else {
      let error = failure(code)
      if sqlite3_get_autocommit(db) == 0 { sqlite3_exec(db, "ROLLBACK", nil, nil, nil) }
      throw error
    }
  }
}

extension StoreDatabase {
  /// What SQLite's failure `code` (primary or extended) to open or read the store file means to
  /// the user; `systemErrors` are the connection's (`systemErrors(_:)`), when there is one. A
  /// file SQLite cannot read as a database is not a store; a write that found no room is
  /// `noSpace` (`isOutOfSpace`); anything else (permissions, I/O) is a problem with a store,
  /// named with its path. SQLite's "attempt to write a readonly database" also comes from a
  /// read: a store in WAL mode needs its `-wal` and `-shm` files, and every read appends an
  /// audit row.
  static func accessError(code: Int32, message: String, systemErrors: [Int32] = [], path: String)
    -> StoreAccessError
  {
    if isOutOfSpace(code: code, systemErrors: systemErrors) { return .noSpace(path: path) }
    switch code & 0xff {
    case SQLITE_CORRUPT:
      return .damaged(path: path, detail: message)
    case SQLITE_NOTADB:
      // SQLite says "not a database" of a damaged one too (a header field out of range, a
      // file cut short): one that starts as SQLite's do is one that was damaged.
      return hasSQLiteHeader(path)
        ? .damaged(path: path, detail: message)
        : .notAStore(path: path, reason: "not an SQLite database")
    case SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM:
      // A file its user may not even read is not "read-only": it is not theirs to use.
      if let file = firstUnreadableFile(of: path) {
        return .io(
          path: file,
          message: "permission denied (cinch reads and writes the store and its -wal and -shm "
            + "files on every use: the user running it needs both)")
      }
      if let file = firstReadOnlyFile(of: path) { return .readOnly(path: file) }
      return .io(
        path: path,
        message: message
          + " (cinch writes beside the store on every use, a read's audit row included: the file "
          + "and its folder must be writable)")
    default:
      return .io(path: path, message: message)
    }
  }

  /// Whether the file at `path` starts with the 16 bytes every SQLite database starts with
  /// (`SQLite format 3` and a NUL): an empty or shorter file, or any other, does not.
  static func hasSQLiteHeader(_ path: String) -> Bool {
    guard let file = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? file.close() }
    let header = (try? file.read(upToCount: 16)) ?? Data()
    return header.elementsEqual(Array("SQLite format 3".utf8) + [0])
  }

  /// The first of the store, its `-wal` and its `-shm` that exists and that this user may not
  /// read (its mode, or a folder on the way it may not search), or nil.
  static func firstUnreadableFile(of path: String) -> String? {
    [path, path + "-wal", path + "-shm"].first { file in
      access(file, R_OK) != 0 && (errno == EACCES || errno == EPERM)
    }
  }

  /// What keeps the store at `path` from being written: the store file, its `-wal` or `-shm`
  /// (a read-only store opened by an earlier cinch left them with its mode, and SQLite then
  /// said only "attempt to write a readonly database" after the store itself was fixed), or the
  /// folder where they are still to be made. Nil when each can be written, or is missing.
  static func firstReadOnlyFile(of path: String) -> String? {
    func readOnly(_ file: String) -> Bool {
      access(file, W_OK) != 0 && (errno == EACCES || errno == EPERM || errno == EROFS)
    }
    for file in [path, path + "-wal", path + "-shm"] where readOnly(file) { return file }
    let folder = PathFolder.containing(path)
    let missing = [path + "-wal", path + "-shm"].contains { (file: String) -> Bool in
      !FileManager.default.fileExists(atPath: file)
    }
    return missing && readOnly(folder) ? folder : nil
  }

  /// The `errno` values of a write that found no room: a full disk, a full disk quota, a file
  /// grown to the process's size limit (`RLIMIT_FSIZE`; `cinch` ignores `SIGXFSZ`, so the write
  /// fails rather than the process being killed).
  static let outOfSpaceErrors: Set<Int32> = [ENOSPC, EDQUOT, EFBIG]

  /// Whether SQLite's failure `code` means a write found no room. SQLite reports `ENOSPC` from
  /// a write as SQLITE_FULL, but the same shortage met elsewhere (growing the `-shm` file, a
  /// sync, a quota's `EDQUOT`, the size limit's `EFBIG`) as an I/O error whose `errno`, among
  /// `systemErrors`, tells it: until 2026-12-03 those read "disk I/O error".
  static func isOutOfSpace(code: Int32, systemErrors: [Int32]) -> Bool {
    switch code & 0xff {
    case SQLITE_FULL: true
    case SQLITE_IOERR: systemErrors.contains { outOfSpaceErrors.contains($0) }
    default: false
    }
  }

  /// The `errno` values SQLite keeps of the connection `db`'s last I/O failures, read after a
  /// failure has returned (each is kept until the next failure of its kind). The connection's
  /// own (`sqlite3_system_errno`) is set when a statement fails, but not when its `COMMIT`
  /// does, which is where a write to the WAL fails: there only the file written keeps it (the
  /// unix VFS's `lastErrno`, `SQLITE_FCNTL_LAST_ERRNO`), the store file's or the WAL's.
  static func systemErrors(_ db: OpaquePointer) -> [Int32] {
    var errors = [sqlite3_system_errno(db)]
    var storeFile: Int32 = 0
    if sqlite3_file_control(db, "main", SQLITE_FCNTL_LAST_ERRNO, &storeFile) == SQLITE_OK {
      errors.append(storeFile)
    }
    var log: UnsafeMutablePointer<sqlite3_file>?
    if sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &log) == SQLITE_OK,
      let log, let control = log.pointee.pMethods?.pointee.xFileControl
    {
      var logFile: Int32 = 0
      if control(log, SQLITE_FCNTL_LAST_ERRNO, &logFile) == SQLITE_OK { errors.append(logFile) }
    }
    return errors
  }

  /// `systemErrors` of `pool`'s writer, after one of its writes failed; synchronous, so that
  /// GRDB's synchronous access is the one chosen.
  static func systemErrors(of pool: DatabasePool) -> [Int32] {
    pool.writeWithoutTransaction { db in db.sqliteConnection.map(systemErrors) ?? [] }
  }
}

extension StoreDatabase {
  /// How a connection waits for the write lock another process holds. SQLite's own busy timeout
  /// sleeps in steps growing to 100 ms, which leaves the lock idle while processes queue for it;
  /// this polls every 1 ms at first, then every 2 and 5 ms, and gives up after the timeout
  /// (the operation then fails with `TooManyUpdates`). With `gate`, an operation's turn at the
  /// writer gives up at the operation's own deadline instead, and every wait ends once the
  /// gate's waits are stopped (`WriterGate.busyWait`).
  static func busyHandler(timeoutSeconds: Double, gate: WriterGate? = nil)
    -> Database.BusyCallback
  {
    let limit = Int(timeoutSeconds * 1000)
    return { tries in
      switch gate?.busyWait ?? .timeout {
      case .stop: return false
      case .until(let deadline): guard ContinuousClock.now < deadline else { return false }
      case .timeout: guard waited(afterTries: tries) < limit else { return false }
      }
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

/// What opening a store reads before anything may be written to it: the `store_meta` records
/// and the applied schema migrations.
///
/// It is SQLite's C API rather than a GRDB `DatabaseQueue`: the queue's set-up (collations,
/// functions, format validation, a dispatch queue) and the migrator's queries were ~7.7 M
/// instructions of a ~64 M `cinch ssm get-parameter`, for two small tables read once.
struct StoreInspection {
  /// `store_meta`, key → value (text values as their UTF-8 bytes).
  var meta: [String: [UInt8]]
  /// The identifiers in GRDB's `grdb_migrations` table (empty when the table is missing).
  var appliedMigrations: Set<String>

  /// Reads the store on a connection of its own, closed before it returns.
  static func read(path: String, busyTimeoutSeconds: Double) throws -> StoreInspection {
    let connection = try StoreOpening(path: path, busyTimeoutSeconds: busyTimeoutSeconds)
    defer { connection.close() }
    return connection.inspection
  }

  fileprivate static func read(_ db: OpaquePointer, path: String) throws -> StoreInspection {
    var tables: Set<String> = []
    try each(
      db, path: path,
      "SELECT name FROM sqlite_master WHERE type = 'table' "
        + "AND name IN ('store_meta', 'grdb_migrations')"
    ) { row in
      if let name = text(row, 0) { tables.insert(name) }
    }
    guard tables.contains("store_meta") else {
      // SQLite reads an empty file as an empty database (every database starts as one), so
      // it is not "not an SQLite database"; neither is it another application's.
      var status = stat()
      let empty = stat(path, &status) == 0 && status.st_size == 0
      throw StoreAccessError.notAStore(
        path: path, reason: empty ? "it is an empty file" : "it has no store_meta table")
    }
    var inspection = StoreInspection(meta: [:], appliedMigrations: [])
    try each(db, path: path, "SELECT key, value FROM store_meta") { row in
      guard let key = text(row, 0) else { return }
      let count = Int(sqlite3_column_bytes(row, 1))
      switch sqlite3_column_type(row, 1) {
      case SQLITE_BLOB, SQLITE_TEXT:
        let bytes = sqlite3_column_blob(row, 1)
        inspection.meta[key] =
          count > 0 && bytes != nil ? Array(UnsafeRawBufferPointer(start: bytes, count: count)) : []
      default: break
      }
    }
    if tables.contains("grdb_migrations") {
      try each(db, path: path, "SELECT identifier FROM grdb_migrations") { row in
        if let identifier = text(row, 0) { inspection.appliedMigrations.insert(identifier) }
      }
    }
    return inspection
  }

  private static func text(_ row: OpaquePointer, _ column: Int32) -> String? {
    guard let bytes = sqlite3_column_text(row, column) else { return nil }
    let count = Int(sqlite3_column_bytes(row, column))
    return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
  }

  /// Runs `sql` and hands each row to `body`; SQLite's failures become the store's errors.
  private static func each(
    _ db: OpaquePointer, path: String, _ sql: String, _ body: (OpaquePointer) -> Void
  ) throws {
    var statement: OpaquePointer?
    defer { sqlite3_finalize(statement) }
    var code = sqlite3_prepare_v2(db, sql, -1, &statement, nil)
    while code == SQLITE_OK, let row = statement {
      switch sqlite3_step(row) {
      case SQLITE_ROW: body(row)
      case SQLITE_DONE: return
      case let failure: code = failure
      }
    }
    let message = String(cString: sqlite3_errmsg(db))
    // An SQL error on these queries means tables that are not the store's.
    if code & 0xff == SQLITE_ERROR { throw StoreAccessError.notAStore(path: path, reason: message) }
    throw StoreDatabase.accessError(
      code: code, message: message, systemErrors: StoreDatabase.systemErrors(db), path: path)
  }
}

/// The connection a store is opened through, before its pool: it reads the `StoreInspection`,
/// and it writes nothing until the master key has been checked. With a wrong key it is closed
/// as the store's last connection, and SQLite removes the empty `-wal` and `-shm` it made.
///
/// Once the key is checked the pool opens, and this connection stays open until it has. GRDB's
/// `DatabasePool` makes sure the WAL file is not empty as it opens (a read-only reader cannot
/// open a WAL database without one: GRDB's issue 102) by creating and dropping a table, which
/// moved the schema cookie on every open (by 2,104 in the store of a few hundred commands this
/// was measured on): every other connection to the store, such as a running `cinch serve`, then
/// prepared its statements again after any command. The pool's writer gives an empty WAL a
/// frame that changes nothing first (`StoreDatabase.startWAL`), and GRDB writes none. Closed
/// before the pool opened, this connection would be the last, which checkpoints the WAL and
/// removes it, for the writer to make again.
final class StoreOpening {
  let inspection: StoreInspection
  private var handle: OpaquePointer?

  init(path: String, busyTimeoutSeconds: Double) throws {
    if let inTheWay = StoreAccessError.ifBesideFileNotARegularFile(of: path) { throw inTheWay }
    if let damage = Self.sizeDamage(path) { throw damage }
    StoreDatabase.useStoreVFS()
    var opened: OpaquePointer?
    let status = sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE, nil)
    guard status == SQLITE_OK, let db = opened else {
      let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
      let systemErrors = opened.map(StoreDatabase.systemErrors) ?? []
      sqlite3_close_v2(opened)
      throw StoreDatabase.accessError(
        code: status, message: message, systemErrors: systemErrors, path: path)
    }
    // SQLite opens a file it may not write read-only. Read, a store in WAL mode makes its
    // `-wal` and `-shm` with the file's mode, and a read-only connection cannot remove them as
    // it closes: they were left beside the store, read-only, and a later command failed on
    // them ("attempt to write a readonly database") after the store itself was made writable.
    // So the store is refused before anything is read.
    if sqlite3_db_readonly(db, "main") == 1 {
      sqlite3_close_v2(db)
      throw StoreAccessError.readOnly(path: path)
    }
    handle = db
    sqlite3_extended_result_codes(db, 1)
    sqlite3_busy_timeout(db, Int32(clamping: Int(busyTimeoutSeconds * 1000)))
    do {
      inspection = try StoreInspection.read(db, path: path)
    } catch {
      sqlite3_close_v2(db)
      handle = nil
      throw error
    }
  }

  deinit { sqlite3_close_v2(handle) }

  /// A store file cut short (or grown) by something other than SQLite, which writes the main
  /// file in whole pages only: its size is not a multiple of the header's page size. SQLite
  /// itself notices only when it reads the missing page, after the store was opened and
  /// written to (a truncation by one byte left the last audit rows read as "edited").
  ///
  /// Except where the `-wal` beside it holds every page from the one cut on: a checkpoint
  /// that stopped inside a page (the disk full, or the file size limit reached, as the last
  /// connection closed) leaves the file so, and SQLite reads those pages from the WAL and
  /// writes them back whole at the next checkpoint there is room for. Until 2026-12-07 such a
  /// store was called damaged, though nothing was lost.
  static func sizeDamage(_ path: String) -> StoreAccessError? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    guard let header = try? handle.read(upToCount: 100), header.count == 100,
      header.starts(with: Data("SQLite format 3\0".utf8))
    else { return nil }
    // Bytes 16–17, big-endian; 1 means 65536 (sqlite.org/fileformat.html, 1.3.2).
    let raw = Int(header[header.startIndex + 16]) << 8 | Int(header[header.startIndex + 17])
    let pageSize = raw == 1 ? 65536 : raw
    // A page size SQLite never writes is left for SQLite to call "not a database".
    guard (512...65536).contains(pageSize), pageSize & (pageSize - 1) == 0,
      let size = try? handle.seekToEnd(), size % UInt64(pageSize) != 0
    else { return nil }
    if let log = WriteAheadLog.read(path + "-wal"), log.pageSize == pageSize,
      log.holdsPages(from: UInt32(clamping: size / UInt64(pageSize) + 1))
    {
      return nil
    }
    return .damagedFile(
      path: path,
      problem: "its \(size) bytes are not a whole number of \(pageSize)-byte pages (cut short?)")
  }

  /// The number of rows in the store's audit log, which every operation (a read included)
  /// appends to: one, its creation, in a store that has never been used. Nil when it cannot be
  /// read. Reads the store without its key, as the inspection does (for `init`).
  func auditRowCount() -> Int? {
    guard let db = handle else { return nil }
    var statement: OpaquePointer?
    defer { sqlite3_finalize(statement) }
    guard
      sqlite3_prepare_v2(db, "SELECT count(*) FROM audit_log", -1, &statement, nil) == SQLITE_OK,
      sqlite3_step(statement) == SQLITE_ROW
    else { return nil }
    return Int(sqlite3_column_int64(statement, 0))
  }

  func close() {
    sqlite3_close_v2(handle)
    handle = nil
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

  /// The lengths of the records that have one: the store id (HKDF's salt, and part of every
  /// sealed value's associated data), the master key's id and the scrypt salt.
  static let storeIDLength = 16
  static let kdfSaltLength = 16

  /// What is wrong with the shape of a key record in `meta` (a store in master key `mode`), as
  /// a message says it; nil when each has the one cinch writes. Such a record cannot open under
  /// any key, so it is damage, not a wrong key: a store id or master key id of another length,
  /// a key check value or store key (`Envelope.wrap`'s output) of another length or format
  /// version, a passphrase store's salt of another length or a cost that does not parse.
  static func shapeProblem(_ meta: [String: [UInt8]], mode: MasterKey.Mode) -> String? {
    var lengths = [
      (storeID, storeIDLength), (masterKeyID, Envelope.keyIDLength),
      (keyCheck, Envelope.keyEnvelopeLength), (storeKey, Envelope.keyEnvelopeLength),
    ]
    if mode == .passphrase { lengths.append((kdfSalt, kdfSaltLength)) }
    for (key, length) in lengths {
      guard let value = meta[key] else { continue }
      if value.count != length {
        return "its store_meta record '\(key)' is \(value.count) bytes long, not \(length)"
      }
      if length == Envelope.keyEnvelopeLength, value[0] != Envelope.formatVersion {
        return "its store_meta record '\(key)' has format version \(value[0]), not "
          + "\(Envelope.formatVersion)"
      }
    }
    if mode == .passphrase, let cost = meta[kdfCost],
      SQLiteStore.parseCost(String(decoding: cost, as: UTF8.self)) == nil
    {
      return "its store_meta record '\(kdfCost)' is not a scrypt cost ('N,r,p')"
    }
    return nil
  }

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
