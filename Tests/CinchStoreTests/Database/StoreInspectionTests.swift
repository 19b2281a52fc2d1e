import Foundation
import GRDB
import GRDBSQLite
import Testing

@testable import CinchStore

/// What opening a store reads before the key is known, and the one-line errors for files that
/// are not (or not yet, or no longer) cinch stores. Each case leaves the file as it found it.
@Suite struct StoreInspectionTests {
  func openError(_ path: String, key: String) async -> String? {
    do {
      _ = try await SQLiteStore.open(at: path, master: .keyFile(path: key))
      return nil
    } catch let error as StoreAccessError {
      return error.description
    } catch {
      return "unexpected: \(error)"
    }
  }

  @Test func aFileThatIsNotSQLiteIsNamed() async throws {
    let fixture = try await StoreFixture.make()
    let path = fixture.directory.file("notes.db")
    let bytes = Data(
      Array("these are my notes, not a database; ".utf8) + [UInt8](repeating: 7, count: 600))
    try bytes.write(to: URL(fileURLWithPath: path))
    #expect(
      await openError(path, key: fixture.keyPath)
        == "'\(path)' is not a cinch store: not an SQLite database")
    #expect(FileManager.default.contents(atPath: path) == bytes)
  }

  /// An SQLite database SQLite finds damaged is named as a damaged store to restore, not as
  /// a file that is no database (until 2026-12-03 both read "not an SQLite database").
  @Test func aDamagedStoreIsToldFromAFileThatIsNoDatabase() async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("/a", "v", overwrite: false)
    try fixture.store.close()
    let path = fixture.storePath
    let whole = try #require(FileManager.default.contents(atPath: path))
    #expect(whole.count > 16 * 4096)
    func damaged(_ detail: String) -> String {
      "store '\(path)' is damaged (SQLite: \(detail)); restore it from a backup"
    }

    // Cut short at a page's end, as a copy interrupted half way (a cut inside a page is
    // found before SQLite reads anything: aStoreCutShortIsDamagedBeforeAnythingIsWritten).
    try whole.prefix(whole.count / 2 / 4096 * 4096).write(to: URL(fileURLWithPath: path))
    #expect(
      await openError(path, key: fixture.keyPath) == damaged("database disk image is malformed"))

    // SQLite's header, then garbage: SQLite says "not a database", but it was one.
    let garbage = Data(whole.prefix(16)) + Data(repeating: 0xa5, count: 8192)
    try garbage.write(to: URL(fileURLWithPath: path))
    #expect(await openError(path, key: fixture.keyPath) == damaged("file is not a database"))

    // A schema row that no longer parses; SQLite's message quotes the row's name, which a
    // damaged page may have garbled, and is left out.
    try whole.write(to: URL(fileURLWithPath: path))
    let queue = try DatabaseQueue(path: path)
    try await queue.writeWithoutTransaction { db in
      try db.execute(
        sql: """
          PRAGMA writable_schema = ON;
          UPDATE sqlite_schema SET sql = 'CREATE TABLE entries (' WHERE name = 'entries';
          PRAGMA writable_schema = OFF;
          """)
    }
    try queue.close()
    #expect(await openError(path, key: fixture.keyPath) == damaged("malformed database schema"))

    // Shorter than SQLite's header, or text: no database at all.
    for bytes in [Data("SQLite fo".utf8), Data("my notes\n".utf8)] {
      try bytes.write(to: URL(fileURLWithPath: path))
      #expect(
        await openError(path, key: fixture.keyPath)
          == "'\(path)' is not a cinch store: not an SQLite database")
    }
  }

  /// A store cut short by a byte opened, took writes, and only `audit verify` then found its
  /// last rows "edited": a size that is not whole pages is damage, said before anything runs.
  @Test func aStoreCutShortIsDamagedBeforeAnythingIsWritten() async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("/a", "v", overwrite: false)
    try fixture.store.close()
    let path = fixture.storePath
    let size = try #require(
      try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    #expect(truncate(path, off_t(size - 1)) == 0)
    let bytes = FileManager.default.contents(atPath: path)
    #expect(
      await openError(path, key: fixture.keyPath)
        == "store '\(path)' is damaged: its \(size - 1) bytes are not a whole number of "
        + "4096-byte pages (cut short?); restore it from a backup")
    #expect(FileManager.default.contents(atPath: path) == bytes)
  }

  /// The files a checkpoint leaves when it stops inside a page (the disk full, or the file
  /// size limit reached, as the last connection closes): a store file grown part of the way,
  /// beside a WAL that still holds every committed frame. Made here from a store holding `/a`
  /// and then, in its WAL only, 40 values of 3,000 bytes: a checkpoint that leaves the WAL
  /// alone (another connection has the store open), and copies of both files. Returns the
  /// copy's folder (with the key file), the pages the file held before those writes and the
  /// frames the checkpoint found in the WAL.
  static func storeWithACheckpointInItsWAL(_ fixture: StoreFixture) async throws -> (
    copy: TemporaryDirectory, pagesBefore: Int, frames: Int
  ) {
    try await fixture.store.put("/a", "v", overwrite: false)
    try fixture.store.close()
    let sizeBefore = try #require(
      try FileManager.default.attributesOfItem(atPath: fixture.storePath)[.size] as? Int)
    let store = try await fixture.reopen()
    let filler = String(repeating: "0123456789", count: 300)
    for index in 0..<40 { try await store.put("/big/\(index)", filler + "\(index)") }
    let queue = try fixture.rawDatabase()
    let checkpoint = try queue.writeWithoutTransaction { db in
      try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
    }
    try queue.close()
    #expect(checkpoint?[0] as Int? == 0)
    #expect(checkpoint?[1] as Int? == checkpoint?[2] as Int?)
    let copy = try TemporaryDirectory()
    for name in ["store.db", "store.db-wal", "master.key"] {
      try FileManager.default.copyItem(
        atPath: fixture.directory.file(name), toPath: copy.file(name))
    }
    try store.close()
    return (copy, sizeBefore / 4096, checkpoint?[1] ?? 0)
  }

  /// A checkpoint that stopped inside a page (`ulimit -f 150`: the store file left at 153,600
  /// bytes) left a store every later command called damaged, though its WAL held every page
  /// past the cut. SQLite reads them from there: the store opens, reads what was written, its
  /// audit log verifies, and closing it writes the file back whole.
  @Test func aCheckpointStoppedInsideAPageIsRepairedByItsWAL() async throws {
    let fixture = try await StoreFixture.make()
    let (copy, pagesBefore, _) = try await Self.storeWithACheckpointInItsWAL(fixture)
    let path = copy.file("store.db")
    let full = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    #expect(full / 4096 > pagesBefore + 10)
    #expect(truncate(path, off_t((pagesBefore + 5) * 4096 + 1000)) == 0)

    let store = try await SQLiteStore.open(
      at: path, master: .keyFile(path: copy.file("master.key")))
    #expect(try await store.get("/a").value == "v")
    #expect(try await store.get("/big/39").value.hasSuffix("789" + "39"))
    #expect(try await store.verifyAuditLog().isIntact)
    try store.close()
    let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    #expect(size == full)
    #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
  }

  /// A WAL beside a store cut inside a page that the WAL does not hold repairs nothing: the
  /// store is damaged, as without one, and is left as it was.
  @Test func aWALWithoutTheCutPageLeavesTheStoreDamaged() async throws {
    let fixture = try await StoreFixture.make()
    let (copy, pagesBefore, _) = try await Self.storeWithACheckpointInItsWAL(fixture)
    let path = copy.file("store.db")
    let log = try #require(WriteAheadLog.read(path + "-wal"))
    let page = try #require((1...pagesBefore).last { !log.pages.contains(UInt32($0)) })
    let cut = (page - 1) * 4096 + 1000
    #expect(truncate(path, off_t(cut)) == 0)
    let bytes = FileManager.default.contents(atPath: path)
    #expect(
      await openError(path, key: copy.file("master.key"))
        == "store '\(path)' is damaged: its \(cut) bytes are not a whole number of "
        + "4096-byte pages (cut short?); restore it from a backup")
    #expect(FileManager.default.contents(atPath: path) == bytes)
  }

  /// The WAL is read as SQLite's recovery reads it: every frame SQLite counted, the database's
  /// size after the last commit; a frame whose checksum no longer holds ends the log before
  /// its transaction, and a header that does not check out is no log.
  @Test func theWALIsReadAsSQLiteRecoversIt() async throws {
    let fixture = try await StoreFixture.make()
    let (copy, _, frames) = try await Self.storeWithACheckpointInItsWAL(fixture)
    let wal = try #require(FileManager.default.contents(atPath: copy.file("store.db-wal")))
    func read(_ bytes: Data) -> WriteAheadLog? {
      bytes.withUnsafeBytes { WriteAheadLog.parse($0) }
    }
    let log = try #require(read(wal))
    let size = try #require(
      try FileManager.default.attributesOfItem(atPath: copy.file("store.db"))[.size] as? Int)
    #expect(log.frames == frames)
    #expect(Int(log.databasePages) * 4096 == size)
    #expect(log.pageSize == 4096)

    var torn = wal
    torn[wal.count - 100] ^= 1
    let shorter = try #require(read(torn))
    #expect(shorter.frames < frames)
    #expect(shorter.pages.isSubset(of: log.pages))

    var garbled = wal
    garbled[9] ^= 1
    #expect(read(garbled) == nil)
    #expect(read(wal.prefix(31)) == nil)
  }

  @Test func anotherApplicationsDatabaseIsNamedAndLeftAlone() async throws {
    let fixture = try await StoreFixture.make()
    let path = fixture.directory.file("app.db")
    let queue = try DatabaseQueue(path: path)
    try await queue.write { db in
      try db.execute(sql: "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello')")
    }
    try queue.close()
    let before = FileManager.default.contents(atPath: path)
    #expect(
      await openError(path, key: fixture.keyPath)
        == "'\(path)' is not a cinch store: it has no store_meta table")
    // Still in its own journal mode, byte for byte.
    #expect(FileManager.default.contents(atPath: path) == before)
  }

  @Test func anEmptyFileIsNotAStore() async throws {
    let fixture = try await StoreFixture.make()
    let path = fixture.directory.file("empty.db")
    _ = FileManager.default.createFile(atPath: path, contents: Data())
    #expect(
      await openError(path, key: fixture.keyPath)
        == "'\(path)' is not a cinch store: it is an empty file")
    #expect(FileManager.default.contents(atPath: path) == Data())
    #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
  }

  @Test func aStoreFromANewerCinchIsRefusedBeforeTheKeyIsTried() async throws {
    let fixture = try await StoreFixture.make()
    try fixture.store.close()
    let queue = try DatabaseQueue(path: fixture.storePath)
    try await queue.write { db in
      try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
    }
    try queue.close()
    let otherKey = fixture.directory.file("other.key")
    _ = try KeyFile.create(at: otherKey)
    let expected =
      "store '\(fixture.storePath)' was written by a newer cinch (schema step "
      + "'v9-from-the-future'); upgrade cinch"
    #expect(await openError(fixture.storePath, key: fixture.keyPath) == expected)
    #expect(await openError(fixture.storePath, key: otherKey) == expected)
  }

  /// A step of this cinch's own, garbled in place (one byte of its page flipped), is damage:
  /// a newer cinch would have applied every step this one knows.
  @Test func aGarbledSchemaStepIsDamageNotANewerCinch() async throws {
    let fixture = try await StoreFixture.make()
    try fixture.store.close()
    let first = try #require(StoreSchema.identifiers.first)
    let queue = try DatabaseQueue(path: fixture.storePath)
    try await queue.write { db in
      try db.execute(
        sql: "UPDATE grdb_migrations SET identifier = ? WHERE identifier = ?",
        arguments: [first.dropLast() + "Z", first])
    }
    try queue.close()
    #expect(
      await openError(fixture.storePath, key: fixture.keyPath)
        == "store '\(fixture.storePath)' is damaged: its schema record names step "
        + "'\(first.dropLast())Z' where step '\(first)' belongs; restore it from a backup")
  }

  /// A `store_meta` value or a schema step's name is quoted with its control characters
  /// escaped: written raw, a value set to a terminal escape retitled the terminal, and a
  /// newline put a second line after the message (until 2026-12-07).
  @Test func storedTextIsQuotedWithoutItsControlCharacters() async throws {
    let fixture = try await StoreFixture.make()
    try fixture.store.close()
    let queue = try DatabaseQueue(path: fixture.storePath)
    try await queue.write { db in
      try db.execute(
        sql: """
          UPDATE store_meta SET value = CAST('x' || char(27) || ']0;pwned' || char(7) \
          || char(10) || 'line2' || char(0x202E) || '\\' AS BLOB) WHERE key = 'master_mode'
          """)
    }
    #expect(
      await openError(fixture.storePath, key: fixture.keyPath)
        == "store '\(fixture.storePath)' is damaged: its master key mode "
        + #"'x\u{1B}]0;pwned\u{7}\u{A}line2\u{202E}\\' is neither 'key' nor 'passphrase'; "#
        + "restore it from a backup")

    try await queue.write { db in
      try db.execute(sql: "UPDATE store_meta SET value = 'key' WHERE key = 'master_mode'")
      try db.execute(
        sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)",
        arguments: ["v9-\u{1B}[2J" + String(repeating: "z", count: 80)])
    }
    try queue.close()
    #expect(
      await openError(fixture.storePath, key: fixture.keyPath)
        == "store '\(fixture.storePath)' was written by a newer cinch (schema step "
        + #"'v9-\u{1B}[2J"# + String(repeating: "z", count: 57) + "…'); upgrade cinch")
  }

  @Test func missingKeyRecordsAreNamed() async throws {
    let fixture = try await StoreFixture.make()
    try fixture.store.close()
    let queue = try DatabaseQueue(path: fixture.storePath)
    try await queue.write { db in
      try db.execute(sql: "DELETE FROM store_meta WHERE key = 'key_check'")
    }
    try queue.close()
    #expect(
      await openError(fixture.storePath, key: fixture.keyPath)
        == "'\(fixture.storePath)' is not a cinch store: its key records are missing")
  }

  /// A key record of a length (or format version) cinch never writes is damage naming the
  /// record, found before the key is tried: until 2026-12-07 a store id or key check value cut
  /// to 2 bytes read "wrong master key", and sent the user after a key that was right.
  @Test(arguments: [
    ("store_id", "x'0102'", "is 2 bytes long, not 16"),
    ("store_id", "randomblob(17)", "is 17 bytes long, not 16"),
    ("master_key_id", "x''", "is 0 bytes long, not 16"),
    ("key_check", "x'0102'", "is 2 bytes long, not 77"),
    ("key_check", "x'02' || substr(value, 2)", "has format version 2, not 1"),
    ("store_key", "substr(value, 1, 76)", "is 76 bytes long, not 77"),
  ])
  func aKeyRecordOfAnImpossibleShapeIsDamageNotAWrongKey(
    key: String, value: String, problem: String
  ) async throws {
    let fixture = try await StoreFixture.make()
    try fixture.store.close()
    let queue = try fixture.rawDatabase()
    try await queue.write { db in
      try db.execute(sql: "UPDATE store_meta SET value = \(value) WHERE key = ?", arguments: [key])
    }
    try queue.close()
    let otherKey = fixture.directory.file("other.key")
    _ = try KeyFile.create(at: otherKey)
    let bytes = storeFileBytes(fixture.storePath)
    let expected =
      "store '\(fixture.storePath)' is damaged: its store_meta record '\(key)' \(problem); "
      + "restore it from a backup"
    #expect(await openError(fixture.storePath, key: fixture.keyPath) == expected)
    #expect(await openError(fixture.storePath, key: otherKey) == expected)
    #expect(storeFileBytes(fixture.storePath) == bytes)
  }

  /// A passphrase store's salt and scrypt cost have their shapes too: a salt of another
  /// length derives another key, and a cost that does not parse read "the passphrase salt is
  /// missing".
  @Test(arguments: [
    ("kdf_salt", "x'0102'", "is 2 bytes long, not 16"),
    ("kdf_cost", "CAST('1024,8' AS BLOB)", "is not a scrypt cost ('N,r,p')"),
  ])
  func aPassphraseRecordOfAnImpossibleShapeIsDamage(key: String, value: String, problem: String)
    async throws
  {
    let directory = try TemporaryDirectory()
    let path = directory.file("store.db")
    let passphrase = MasterKeyProvision.passphrase(
      SecretBytes(utf8: "correct horse"), origin: "CINCH_PASSPHRASE")
    try await SQLiteStore.create(
      at: path, master: passphrase, configuration: .init(), scryptCost: testScryptCost
    ).close()
    let queue = try DatabaseQueue(path: path)
    try await queue.write { db in
      try db.execute(sql: "UPDATE store_meta SET value = \(value) WHERE key = ?", arguments: [key])
    }
    try queue.close()
    do {
      _ = try await SQLiteStore.open(
        at: path,
        master: .passphrase(SecretBytes(utf8: "correct horse"), origin: "CINCH_PASSPHRASE"))
      Issue.record("a damaged passphrase store opened")
    } catch {
      #expect(
        "\(error)"
          == "store '\(path)' is damaged: its store_meta record '\(key)' \(problem); "
          + "restore it from a backup")
    }
  }

  @Test func theInspectionReadsMetaAndMigrations() async throws {
    let fixture = try await StoreFixture.make()
    let inspection = try StoreInspection.read(path: fixture.storePath, busyTimeoutSeconds: 1)
    #expect(inspection.appliedMigrations == Set(StoreSchema.identifiers))
    for key in [StoreMeta.storeID, StoreMeta.masterMode, StoreMeta.keyCheck, StoreMeta.storeKey] {
      #expect(inspection.meta[key]?.isEmpty == false, "store_meta '\(key)'")
    }
    #expect(
      inspection.meta[StoreMeta.masterMode].map { String(decoding: $0, as: UTF8.self) } == "key")
  }

  /// GRDB's pool makes an empty WAL non-empty by creating and dropping a table, which moves the
  /// schema cookie and makes every other connection prepare its statements again; the store's
  /// opening gives the WAL a frame that changes nothing instead (`StoreOpening.startWAL`).
  @Test func openingAStoreLeavesItsSchemaAlone() async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("/a", "v", overwrite: false)
    try fixture.store.close()
    func cookies() throws -> (schema: Int, user: Int) {
      let queue = try DatabaseQueue(path: fixture.storePath)
      defer { try? queue.close() }
      return try queue.read { db in
        (
          try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? -1,
          try Int.fetchOne(db, sql: "PRAGMA user_version") ?? -1
        )
      }
    }
    let before = try cookies()
    for _ in 0..<3 {
      let store = try await SQLiteStore.open(
        at: fixture.storePath, master: .keyFile(path: fixture.keyPath))
      #expect(try await store.getParameter(GetParameterRequest(name: "/a")).parameter.value == "v")
      try store.close()
      #expect(!FileManager.default.fileExists(atPath: fixture.storePath + "-wal"))
      #expect(!FileManager.default.fileExists(atPath: fixture.storePath + "-shm"))
    }
    // Opened while another process has it open (its WAL is not empty): nothing to start.
    let other = try await SQLiteStore.open(
      at: fixture.storePath, master: .keyFile(path: fixture.keyPath))
    let second = try await SQLiteStore.open(
      at: fixture.storePath, master: .keyFile(path: fixture.keyPath))
    #expect(try await second.getParameter(GetParameterRequest(name: "/a")).parameter.value == "v")
    try second.close()
    try other.close()
    let after = try cookies()
    #expect(after.schema == before.schema)
    #expect(after.user == before.user)
  }

  @Test func sqliteFailuresBecomeErrorsNamingTheStore() {
    let path = "/srv/cinch/store.db"
    #expect(
      StoreDatabase.accessError(code: SQLITE_NOTADB, message: "file is not a database", path: path)
        .description == "'\(path)' is not a cinch store: not an SQLite database")
    for code in [SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM] {
      let text = StoreDatabase.accessError(
        code: code, message: "attempt to write a readonly database", path: path
      ).description
      #expect(text.hasPrefix("cannot use '\(path)': attempt to write a readonly database (cinch"))
      #expect(text.hasSuffix("the file and its folder must be writable)"))
      #expect(!text.contains("not a cinch store"))
    }
  }

  /// SQLite says SQLITE_FULL only for `ENOSPC` from a write; the same shortage met growing the
  /// `-shm`, in a sync, at a quota (`EDQUOT`) or at the file size limit (`EFBIG`) is an I/O
  /// error, told apart by its `errno`. Either is one line saying there was no room.
  @Test func aWriteWithNoRoomIsToldFromOtherIOErrors() {
    let path = "/srv/cinch/store.db"
    let noSpace =
      "cannot write to '\(path)': no space left (the disk is full, or a disk quota or the file "
      + "size limit is reached)"
    let ioWrite = SQLITE_IOERR | (3 << 8)
    #expect(
      StoreDatabase.accessError(code: SQLITE_FULL, message: "database or disk is full", path: path)
        .description == noSpace)
    for errno in [ENOSPC, EDQUOT, EFBIG] {
      #expect(
        StoreDatabase.accessError(
          code: ioWrite, message: "disk I/O error", systemErrors: [0, errno], path: path
        ).description == noSpace)
    }
    #expect(
      StoreDatabase.accessError(
        code: ioWrite, message: "disk I/O error", systemErrors: [EIO], path: path
      ).description == "cannot use '\(path)': disk I/O error")
    // An errno kept from an earlier failure does not turn another kind of error into this one.
    #expect(!StoreDatabase.isOutOfSpace(code: SQLITE_CORRUPT, systemErrors: [ENOSPC]))
    #expect(
      StoreError.noSpace(store: path).description
        == "InternalServerError: store '\(path)': no space left (the disk is full, or a disk "
        + "quota or the file size limit is reached); nothing was written")
  }

  /// A directory (or anything but a file) where the store's `-wal` or `-shm` belongs is named,
  /// with what belongs there, whether or not the WAL beside it holds frames, and the store is
  /// left as it was. Until 2026-12-07 SQLite opened a `-shm` directory read-only and cinch
  /// called the store unusable ("attempt to write a readonly database"), or, beside a WAL with
  /// frames, opened it: reads then failed with `InternalServerError` and `audit verify` passed;
  /// a `-wal` directory read "unable to open database file".
  @Test(arguments: [
    ("-shm", false, "the store's WAL index"), ("-shm", true, "the store's WAL index"),
    ("-wal", false, "the store's write-ahead log"), ("-wal", true, "the store's write-ahead log"),
  ])
  func aDirectoryWhereTheWALOrItsIndexBelongsIsNamed(
    suffix: String, withFrames: Bool, belongs: String
  ) async throws {
    let fixture = try await StoreFixture.make()
    let folder: TemporaryDirectory
    if withFrames {
      (folder, _, _) = try await Self.storeWithACheckpointInItsWAL(fixture)
    } else {
      try fixture.store.close()
      folder = fixture.directory
    }
    let path = folder.file("store.db")
    unlink(path + suffix)
    try FileManager.default.createDirectory(
      atPath: path + suffix, withIntermediateDirectories: false)
    let bytes = storeFileBytes(path)
    #expect(
      await openError(path, key: folder.file("master.key"))
        == "'\(path)\(suffix)' is a directory, where \(belongs) belongs; move it out of the way "
        + "(SQLite makes the file as the store opens)")
    #expect(storeFileBytes(path) == bytes)
    var status = stat()
    #expect(stat(path + suffix, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR)
  }
}
