import Foundation
import GRDB
import Testing

@testable import CinchStore

/// The master key: key file, base64 key, passphrase, wrong keys, rekey, file modes.
@Suite struct MasterKeyTests {
  @Test func storeAndKeyFilesAreCreated0600() async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("/a", "v", overwrite: false)
    #expect(SecureFile.mode(of: fixture.keyPath) == 0o600)
    #expect(SecureFile.mode(of: fixture.storePath) == 0o600)
    #expect(SecureFile.mode(of: fixture.storePath + "-wal") == 0o600)
    #expect(SecureFile.mode(of: fixture.storePath + "-shm") == 0o600)
    #expect(FileManager.default.contents(atPath: fixture.keyPath)?.count == 32)
    #expect(fixture.store.warnings.isEmpty)
  }

  @Test func initNeverOverwrites() async throws {
    let fixture = try await StoreFixture.make()
    let keyBefore = FileManager.default.contents(atPath: fixture.keyPath)
    // The store has never been used: the refusal also says what to do if its key is lost.
    await #expect(
      throws: StoreAccessError.unusedStoreExists(
        path: fixture.storePath, keyFile: fixture.directory.file("other.key"))
    ) {
      _ = try await SQLiteStore.create(
        at: fixture.storePath, master: .newKeyFile(path: fixture.directory.file("other.key")))
    }
    #expect(!FileManager.default.fileExists(atPath: fixture.directory.file("other.key")))
    await #expect(throws: StoreAccessError.keyFileExists(path: fixture.keyPath)) {
      _ = try await SQLiteStore.create(
        at: fixture.directory.file("second.db"), master: .newKeyFile(path: fixture.keyPath))
    }
    #expect(!FileManager.default.fileExists(atPath: fixture.directory.file("second.db")))
    #expect(FileManager.default.contents(atPath: fixture.keyPath) == keyBefore)
  }

  /// The store and key are made under hidden names and linked into place at the end, so an
  /// init killed before leaves neither; the staging a killed init left is removed by the next.
  @Test func initPublishesWholeFilesAndClearsAbandonedStagings() async throws {
    let directory = try TemporaryDirectory()
    let abandoned = directory.file(".store.db.init-2147483646")  // no such process
    #expect(FileManager.default.createFile(atPath: abandoned, contents: Data("half".utf8)))
    let store = try await SQLiteStore.create(
      at: directory.file("store.db"), master: .newKeyFile(path: directory.file("master.key")))
    try store.close()
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    #expect(names == ["master.key", "store.db"])
    #expect(SecureFile.mode(of: directory.file("store.db")) == 0o600)
    let reopened = try await SQLiteStore.open(
      at: directory.file("store.db"), master: .keyFile(path: directory.file("master.key")))
    try await reopened.put("/a", "v", overwrite: false)
    #expect(try await reopened.verifyAuditLog().isIntact)
  }

  /// What an init killed between its two links leaves (the key file is linked first): the key
  /// file in place and the store still under its staged name, its process gone.
  static func interruptedInit(in directory: TemporaryDirectory, keyFile: String = "master.key")
    async throws -> String
  {
    let staged = directory.file(".store.db.init-2147483646")  // no such process
    let store = try await SQLiteStore.create(
      at: staged, master: .newKeyFile(path: directory.file(keyFile)))
    try store.close()
    return staged
  }

  /// The next init finishes the store of an init killed between its links, with the key that
  /// init made: it neither refuses the key file it finds nor replaces it.
  @Test func anInitKilledBetweenItsLinksIsFinishedByTheNext() async throws {
    let directory = try TemporaryDirectory()
    _ = try await Self.interruptedInit(in: directory)
    let key = FileManager.default.contents(atPath: directory.file("master.key"))
    // Killed before it dropped the key's staged name, another name of the key file.
    #expect(
      link(directory.file("master.key"), directory.file(".master.key.init-2147483646")) == 0)
    let store = try await SQLiteStore.create(
      at: directory.file("store.db"), master: .newKeyFile(path: directory.file("master.key")))
    #expect(
      store.warnings == [
        "an earlier 'cinch init' was interrupted after it wrote key file '\(directory.file("master.key"))'; "
          + "this one finished the store it had made for it"
      ])
    try await store.put("/a", "v", overwrite: false)
    try store.close()
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        == ["master.key", "store.db"])
    #expect(FileManager.default.contents(atPath: directory.file("master.key")) == key)
    let reopened = try await SQLiteStore.open(
      at: directory.file("store.db"), master: .keyFile(path: directory.file("master.key")))
    #expect(try await reopened.get("/a").value == "v")
    #expect(try await reopened.verifyAuditLog().isIntact)
  }

  /// A staged store is finished only with the key file that opens it, and only while it has
  /// never been used: otherwise the key file is refused as before, and nothing is touched.
  @Test func aStagedStoreIsFinishedOnlyWithItsKeyAndUnused() async throws {
    let directory = try TemporaryDirectory()
    let staged = try await Self.interruptedInit(in: directory, keyFile: "its.key")
    _ = try KeyFile.create(at: directory.file("master.key"))
    let key = FileManager.default.contents(atPath: directory.file("master.key"))
    await #expect(throws: StoreAccessError.keyFileExists(path: directory.file("master.key"))) {
      _ = try await SQLiteStore.create(
        at: directory.file("store.db"), master: .newKeyFile(path: directory.file("master.key")))
    }
    #expect(FileManager.default.contents(atPath: directory.file("master.key")) == key)
    #expect(FileManager.default.fileExists(atPath: staged))
    #expect(!FileManager.default.fileExists(atPath: directory.file("store.db")))

    let used = try await SQLiteStore.open(
      at: staged, master: .keyFile(path: directory.file("its.key")))
    try await used.put("/a", "v", overwrite: false)
    try used.close()
    await #expect(throws: StoreAccessError.keyFileExists(path: directory.file("its.key"))) {
      _ = try await SQLiteStore.create(
        at: directory.file("store.db"), master: .newKeyFile(path: directory.file("its.key")))
    }
    #expect(!FileManager.default.fileExists(atPath: directory.file("store.db")))
  }

  /// A store without the key file init was to make, never used, may be what an init of an
  /// earlier cinch left when killed between its links (the store went first): init says what
  /// to do if its key is lost. A store that was used is refused as any store is.
  @Test func anUnusedStoreWithoutItsKeyFileIsExplained() async throws {
    let fixture = try await StoreFixture.make()
    try fixture.store.close()
    try FileManager.default.removeItem(atPath: fixture.keyPath)
    let provision = MasterKeyProvision.newKeyFile(path: fixture.keyPath)
    do {
      _ = try await SQLiteStore.create(at: fixture.storePath, master: provision)
      Issue.record("init replaced a store")
    } catch let error as StoreAccessError {
      #expect(
        error.description
          == "a store already exists at '\(fixture.storePath)'; cinch never overwrites a store. "
          + "It has never been used: if its key is lost (as when 'cinch init' is interrupted "
          + "before it writes key file '\(fixture.keyPath)'), remove '\(fixture.storePath)' and "
          + "run 'cinch init' again")
    }
    #expect(!FileManager.default.fileExists(atPath: fixture.keyPath))

    let used = try await StoreFixture.make()
    try await used.store.put("/a", "v", overwrite: false)
    try used.store.close()
    try FileManager.default.removeItem(atPath: used.keyPath)
    await #expect(throws: StoreAccessError.storeExists(path: used.storePath)) {
      _ = try await SQLiteStore.create(
        at: used.storePath, master: .newKeyFile(path: used.keyPath))
    }
  }

  @Test func aWrongKeyIsOneLineAndWritesNothing() async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("/a", "v", overwrite: false)
    try fixture.store.close()
    let before = FileManager.default.contents(atPath: fixture.storePath)
    let otherKey = fixture.directory.file("other.key")
    _ = try KeyFile.create(at: otherKey)
    do {
      _ = try await SQLiteStore.open(at: fixture.storePath, master: .keyFile(path: otherKey))
      Issue.record("a wrong key opened the store")
    } catch let error as StoreAccessError {
      let message = error.description
      #expect(
        message
          == "wrong master key: key file '\(otherKey)' does not unlock store '\(fixture.storePath)'"
      )
      #expect(!message.contains("\n"))
    }
    let base64 = try Crypto.randomBytes(32)
    do {
      _ = try await SQLiteStore.open(
        at: fixture.storePath,
        master: .base64Key(Data(base64).base64EncodedString(), origin: "CINCH_MASTER_KEY"))
      Issue.record("a wrong key opened the store")
    } catch let error as StoreAccessError {
      #expect(
        error.description.hasPrefix(
          "wrong master key: the key in CINCH_MASTER_KEY does not unlock store"))
    }
    // The database file is byte for byte the same, and no `-wal` or `-shm` is left beside it.
    #expect(FileManager.default.contents(atPath: fixture.storePath) == before)
    #expect(!FileManager.default.fileExists(atPath: fixture.storePath + "-wal"))
    #expect(!FileManager.default.fileExists(atPath: fixture.storePath + "-shm"))
  }

  /// Once the key check value opens, the key is right: a store key that does not open under
  /// it (replaced, or a byte of it changed) is damage to restore from a backup, not a wrong key
  /// to go looking for. A wrong key is still named as one: its key check fails first. (A store
  /// key of a length no key opens is damage whatever the key: StoreInspectionTests.)
  @Test(arguments: [
    "x'01' || randomblob(76)", "substr(value, 1, 40) || x'00' || substr(value, 42)",
  ])
  func aDamagedStoreKeyIsDamageNotAWrongKey(_ value: String) async throws {
    let fixture = try await StoreFixture.make()
    try fixture.store.close()
    let queue = try fixture.rawDatabase()
    try await queue.write { db in
      try db.execute(sql: "UPDATE store_meta SET value = \(value) WHERE key = 'store_key'")
    }
    try queue.close()
    await #expect(
      throws: StoreAccessError.damagedFile(
        path: fixture.storePath,
        problem: "its store key does not open under the master key that passes the key check")
    ) {
      _ = try await SQLiteStore.open(at: fixture.storePath, master: .keyFile(path: fixture.keyPath))
    }
    let otherKey = fixture.directory.file("other.key")
    _ = try KeyFile.create(at: otherKey)
    await #expect(
      throws: StoreAccessError.wrongKey(
        source: "key file '\(otherKey)'", store: fixture.storePath, hint: nil)
    ) {
      _ = try await SQLiteStore.open(at: fixture.storePath, master: .keyFile(path: otherKey))
    }
  }

  @Test func malformedKeysAreExplained() async throws {
    let fixture = try await StoreFixture.make()
    #expect(throws: StoreAccessError.self) {
      try MasterKeySource.base64Key("not base64!", origin: "CINCH_MASTER_KEY")
    }
    do {
      _ = try MasterKeySource.base64Key(
        Data([1, 2, 3]).base64EncodedString(), origin: "CINCH_MASTER_KEY")
    } catch let error as StoreAccessError {
      #expect(
        error.description
          == "the master key in CINCH_MASTER_KEY is not a 32-byte base64 key: it decodes to 3 bytes, not 32"
      )
    }
    let short = fixture.directory.file("short.key")
    #expect(FileManager.default.createFile(atPath: short, contents: Data([1, 2, 3])))
    await #expect(
      throws: StoreAccessError.keyFileInvalid(path: short, reason: "it holds 3 bytes, not 32")
    ) {
      _ = try await SQLiteStore.open(at: fixture.storePath, master: .keyFile(path: short))
    }
    await #expect(
      throws: StoreAccessError.keyFileNotFound(path: fixture.directory.file("none.key"))
    ) {
      _ = try await SQLiteStore.open(
        at: fixture.storePath, master: .keyFile(path: fixture.directory.file("none.key")))
    }
    await #expect(throws: StoreAccessError.storeNotFound(path: fixture.directory.file("none.db"))) {
      _ = try await SQLiteStore.open(
        at: fixture.directory.file("none.db"), master: .keyFile(path: fixture.keyPath))
    }
  }

  @Test func theKeyFileAndItsBase64AreTheSameKey() async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("/a", "v", type: .secureString, overwrite: false)
    let raw = try #require(FileManager.default.contents(atPath: fixture.keyPath))
    let store = try await SQLiteStore.open(
      at: fixture.storePath,
      master: .base64Key(raw.base64EncodedString(), origin: "CINCH_MASTER_KEY"))
    #expect(try await store.get("/a").value == "v")
  }

  @Test func passphraseStores() async throws {
    let directory = try TemporaryDirectory()
    let path = directory.file("store.db")
    let store = try await SQLiteStore.create(
      at: path, master: .passphrase(SecretBytes(utf8: "correct horse"), origin: "CINCH_PASSPHRASE"),
      configuration: .init(), scryptCost: testScryptCost)
    try await store.put("/p", "v", type: .secureString, overwrite: false)
    try store.close()
    let reopened = try await SQLiteStore.open(
      at: path, master: .passphrase(SecretBytes(utf8: "correct horse"), origin: "CINCH_PASSPHRASE"))
    #expect(try await reopened.get("/p").value == "v")
    await #expect(
      throws: StoreAccessError.wrongKey(
        source: "the passphrase from CINCH_PASSPHRASE", store: path, hint: nil)
    ) {
      _ = try await SQLiteStore.open(
        at: path, master: .passphrase(SecretBytes(utf8: "wrong horse"), origin: "CINCH_PASSPHRASE"))
    }
    let key = directory.file("k")
    _ = try KeyFile.create(at: key)
    do {
      _ = try await SQLiteStore.open(at: path, master: .keyFile(path: key))
      Issue.record("a key file opened a passphrase store")
    } catch let error as StoreAccessError {
      #expect(error.description.contains("the store is locked with a passphrase"))
    }
    // A key file that is not there is that mistake, as on a store locked with a key, not a
    // key that does not unlock the store; the hint still says what does.
    let missing = directory.file("none.key")
    await #expect(
      throws: StoreAccessError.keyFileNotFound(
        path: missing, hint: "the store is locked with a passphrase; set CINCH_PASSPHRASE")
    ) {
      _ = try await SQLiteStore.open(at: path, master: .keyFile(path: missing))
    }
    #expect(
      StoreAccessError.keyFileNotFound(path: "k", hint: "h").description
        == "key file 'k' not found (h)")
  }

  @Test func rekeyRewrapsKeysAndLeavesValuesAlone() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let customer = try await store.createKey(CreateKeyRequest()).keyMetadata
    try await store.put("/a", "alpha", type: .secureString, overwrite: false)
    try await store.put("/b", "beta", type: .secureString, overwrite: false, keyID: customer.keyID)
    try await store.put("/c", "gamma", overwrite: false)
    let sealedBefore = try await store.pool.read { db in
      try Data.fetchAll(db, sql: "SELECT sealed FROM entry_versions ORDER BY entry_id")
    }
    let materialBefore = try await store.pool.read { db in
      try Data.fetchAll(db, sql: "SELECT material FROM kms_keys ORDER BY key_id")
    }
    let newKey = fixture.directory.file("next.key")
    try await store.rekey(to: .newKeyFile(path: newKey))
    #expect(SecureFile.mode(of: newKey) == 0o600)
    // The same object keeps working under the new key.
    try await store.put("/d", "delta", type: .secureString, overwrite: false)
    #expect(try await store.get("/b").value == "beta")

    let sealedAfter = try await store.pool.read { db in
      try Data.fetchAll(
        db, sql: "SELECT sealed FROM entry_versions WHERE entry_id <= 3 ORDER BY entry_id")
    }
    let materialAfter = try await store.pool.read { db in
      try Data.fetchAll(db, sql: "SELECT material FROM kms_keys ORDER BY key_id")
    }
    #expect(sealedAfter == sealedBefore)
    #expect(zip(materialBefore, materialAfter).allSatisfy { $0 != $1 })
    try store.close()

    await #expect(throws: StoreAccessError.self) {
      _ = try await fixture.reopen()
    }
    let reopened = try await SQLiteStore.open(at: fixture.storePath, master: .keyFile(path: newKey))
    #expect(try await reopened.get("/a").value == "alpha")
    #expect(try await reopened.get("/b").value == "beta")
    #expect(try await reopened.get("/c").value == "gamma")
    #expect(try await reopened.get("/d").value == "delta")
    #expect(try await reopened.verifyAuditLog().isIntact)

    // And on to a passphrase.
    try await reopened.rekey(
      to: .passphrase(SecretBytes(utf8: "s3cret phrase"), origin: "CINCH_PASSPHRASE"),
      scryptCost: testScryptCost)
    try reopened.close()
    let byPassphrase = try await SQLiteStore.open(
      at: fixture.storePath,
      master: .passphrase(SecretBytes(utf8: "s3cret phrase"), origin: "CINCH_PASSPHRASE"))
    #expect(try await byPassphrase.get("/b").value == "beta")
  }

  /// A process that opened the store before another rekeyed it (a running `cinch serve`)
  /// holds the old master key: what it would wrap now no later process could open. It is
  /// refused, with the reason, and the store is left as the rekey made it.
  @Test func aProcessHoldingTheOldMasterKeyWrapsNothing() async throws {
    let fixture = try await StoreFixture.make()
    let customer = try await fixture.store.createKey(CreateKeyRequest()).keyMetadata
    let serving = try await fixture.reopen()
    let newKey = fixture.directory.file("next.key")
    try await fixture.store.rekey(to: .newKeyFile(path: newKey))
    let rekeyed = "its master key was replaced ('cinch rekey') after this process opened it"
    do {
      _ = try await serving.createKey(CreateKeyRequest())
      Issue.record("a key was wrapped under the replaced master key")
    } catch let error as StoreError {
      #expect(error.message.contains(rekeyed), "\(error.message)")
    }
    // Material it never unwrapped is told apart from material that was altered.
    do {
      try await serving.put(
        "/b", "beta", type: .secureString, overwrite: false, keyID: customer.keyID)
      Issue.record("sealed under material it could not open")
    } catch let error as StoreError {
      #expect(error.message.contains(rekeyed), "\(error.message)")
    }
    // A second rekey from the old key is refused the same way, not with a crypto error.
    do {
      try await serving.rekey(to: .newKeyFile(path: fixture.directory.file("third.key")))
      Issue.record("rekeyed from a replaced master key")
    } catch let error as StoreError {
      #expect(error.message.contains(rekeyed), "\(error.message)")
    }
    #expect(!FileManager.default.fileExists(atPath: fixture.directory.file("third.key")))
    try serving.close()
    try fixture.store.close()
    let reopened = try await SQLiteStore.open(at: fixture.storePath, master: .keyFile(path: newKey))
    let keys = try await reopened.listKeys(ListKeysRequest()).keys.map(\.keyID)
    #expect(keys.contains(customer.keyID))
    for key in keys { _ = try await reopened.describeKey(DescribeKeyRequest(keyID: key)) }
    #expect(try await reopened.verifyAuditLog().isIntact)
  }

  @Test func rekeyNeverOverwritesAKeyFile() async throws {
    let fixture = try await StoreFixture.make()
    await #expect(throws: StoreAccessError.keyFileExists(path: fixture.keyPath)) {
      try await fixture.store.rekey(to: .newKeyFile(path: fixture.keyPath))
    }
    // Still the old key.
    _ = try await fixture.reopen()
  }

  @Test func looseModesAreWarnedAbout() async throws {
    let fixture = try await StoreFixture.make()
    chmod(fixture.storePath, 0o644)
    chmod(fixture.keyPath, 0o640)
    let store = try await fixture.reopen()
    #expect(
      store.warnings == [
        "store '\(fixture.storePath)' is accessible by other users (mode 644); run 'chmod 600 \(fixture.storePath)'",
        "key file '\(fixture.keyPath)' is accessible by other users (mode 640); run 'chmod 600 \(fixture.keyPath)'",
      ])
  }

  @Test func aFileThatIsNoStoreIsNamed() async throws {
    let directory = try TemporaryDirectory()
    let path = directory.file("junk.db")
    #expect(
      FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 4096)))
    let key = directory.file("k")
    _ = try KeyFile.create(at: key)
    await #expect(throws: StoreAccessError.self) {
      _ = try await SQLiteStore.open(at: path, master: .keyFile(path: key))
    }
  }
}
