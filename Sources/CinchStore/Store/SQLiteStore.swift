package import Foundation
import GRDB

/// The embedded store: one SQLite file (WAL) holding sealed parameters (and, later, secrets and
/// KV entries), KMS-style keys and the audit log. It implements `ParameterStore`, `KeyStore`,
/// `ParameterCatalog`, `ParameterResolver` and `AuditLog`.
///
/// Every operation is one `BEGIN IMMEDIATE` transaction that waits for other writers (other
/// processes too) up to the configured busy timeout, so concurrent writers never lose or
/// duplicate a version; a process killed at any point leaves the last committed state.
public final class SQLiteStore: Sendable {
  /// The store file.
  public let path: String
  public let configuration: StoreConfiguration
  /// Problems worth telling the user that did not stop the store from opening (loose file
  /// modes). The CLI prints them.
  public let warnings: [String]
  let pool: DatabasePool
  let vault: KeyVault
  /// What rotations run: the in-process rotators and the environment of command rotators.
  public let rotationHost: RotationHost
  /// Added to the wall clock (tests move time forward to reach deletion dates and rotation
  /// windows).
  let clockOffset: TimeInterval
  /// The writer connection's state, shared by the copies `withCaller` and the like make.
  let writer: WriterState
  /// Set on the copy that runs one `cinch serve` request authenticated from cached
  /// credentials: every transaction checks them first.
  let credentialCheck: CredentialCheck?
  /// Set on the copy that runs one `cinch serve` request of a caller whose policies limit it:
  /// asked before a value is returned decrypted or a write encrypts one (`KMSCall`). Nil: every
  /// call may be made.
  let kmsCallCheck: KMSCallCheck?
  /// Set on the same copy: asked before `BatchGetSecretValue` reads a secret
  /// (`SecretValueRead`). Nil: every secret may be read.
  let secretReadCheck: SecretReadCheck?

  init(
    path: String, configuration: StoreConfiguration, warnings: [String], pool: DatabasePool,
    vault: KeyVault, rotationHost: RotationHost = .standard, clockOffset: TimeInterval = 0,
    writer: WriterState, credentialCheck: CredentialCheck? = nil,
    kmsCallCheck: KMSCallCheck? = nil, secretReadCheck: SecretReadCheck? = nil
  ) {
    self.path = path
    self.configuration = configuration
    self.warnings = warnings
    self.pool = pool
    self.vault = vault
    self.rotationHost = rotationHost
    self.clockOffset = clockOffset
    self.writer = writer
    self.credentialCheck = credentialCheck
    self.kmsCallCheck = kmsCallCheck
    self.secretReadCheck = secretReadCheck
  }

  var storeID: [UInt8] { vault.storeID }

  /// The same open store acting for another caller (the server opens a store once and serves
  /// many callers; the audit log and `LastModifiedUser` name each).
  public func withCaller(_ caller: String?, arn: String? = nil) -> SQLiteStore {
    withCaller(caller, arn: arn, check: nil)
  }

  /// The same open store acting for a caller whose credentials `check` keeps checking.
  package func withCaller(_ caller: String?, arn: String?, check: CredentialCheck?)
    -> SQLiteStore
  {
    copy {
      $0.configuration.caller = caller
      $0.configuration.callerARN = arn
      $0.credentialCheck = check
    }
  }

  /// The same open store seen from `region` in account `accountID`: its ARNs (and the ARNs it
  /// accepts as ids) name them. The file has no region of its own; like a secret replicated to
  /// every region (same name, same suffix), each entry has the ARN of wherever it is read
  /// from. The template commands read it from the region and account a stack is deployed to.
  public func located(region: String, accountID: String) -> SQLiteStore {
    guard region != configuration.region || accountID != configuration.accountID else {
      return self
    }
    return copy {
      $0.configuration.region = region
      $0.configuration.accountID = accountID
    }
  }

  /// The same open store asking `check` before it returns a value decrypted (`GetParameter`
  /// and the other Parameter Store reads `WithDecryption`, `GetSecretValue`,
  /// `BatchGetSecretValue`) and before a write encrypts one: `cinch serve` authorises the KMS
  /// calls there, as AWS does.
  package func withKMSCallCheck(_ check: KMSCallCheck?) -> SQLiteStore {
    copy { $0.kmsCallCheck = check }
  }

  /// The same open store asking `check` before `BatchGetSecretValue` reads a secret:
  /// `cinch serve` authorises `secretsmanager:GetSecretValue` on each there, as AWS does, so a
  /// secret the caller may not read is reported in `Errors` without being read.
  package func withSecretReadCheck(_ check: SecretReadCheck?) -> SQLiteStore {
    copy { $0.secretReadCheck = check }
  }

  /// The same open store running rotations with `host` (the CLI adds the environment command
  /// rotators need to open the store).
  public func withRotationHost(_ host: RotationHost) -> SQLiteStore {
    copy { $0.rotationHost = host }
  }

  /// The same open store with its clock moved by `offset` seconds.
  package func withClock(offset: TimeInterval) -> SQLiteStore {
    copy { $0.clockOffset = offset }
  }

  /// What the `with…` copies may change; the connections, the key vault and the writer's state
  /// are shared by every copy.
  private struct Settings {
    var configuration: StoreConfiguration
    var rotationHost: RotationHost
    var clockOffset: TimeInterval
    var credentialCheck: CredentialCheck?
    var kmsCallCheck: KMSCallCheck?
    var secretReadCheck: SecretReadCheck?
  }

  private func copy(_ change: (inout Settings) -> Void) -> SQLiteStore {
    var settings = Settings(
      configuration: configuration, rotationHost: rotationHost, clockOffset: clockOffset,
      credentialCheck: credentialCheck, kmsCallCheck: kmsCallCheck,
      secretReadCheck: secretReadCheck)
    change(&settings)
    return SQLiteStore(
      path: path, configuration: settings.configuration, warnings: warnings, pool: pool,
      vault: vault, rotationHost: settings.rotationHost, clockOffset: settings.clockOffset,
      writer: writer, credentialCheck: settings.credentialCheck,
      kmsCallCheck: settings.kmsCallCheck, secretReadCheck: settings.secretReadCheck)
  }

  /// Now, to the millisecond, on the store's clock.
  func now() -> Date {
    Date.storeTimestamp().addingTimeInterval(clockOffset)
  }

  /// The store id, as hex: part of every sealed value's associated data.
  public var storeIDHex: String { storeID.map { String(format: "%02x", $0) }.joined() }

  /// Closes the database connections (also done when the store is released), and leaves the
  /// store one file when no other process has it open (`StoreDatabase.closeLast`). Operations
  /// waiting for the write lock give up first (`stopWaiting`), the close waits for the
  /// operations in progress to end, and every operation after it (on any copy of this store)
  /// is refused as busy (`StoreError.storeClosed`): no connection is closed under an operation.
  public func close() throws {
    writer.gate.close()
    try pool.close()
    StoreDatabase.closeLast(path)
  }

  /// Ends every wait for the write lock, on this store and its copies: the operations waiting
  /// for it (behind another process's transaction, or behind each other) give up at once with
  /// `TooManyUpdates`, and later ones do not wait. For a server shutting down: a request
  /// waiting for the store is answered busy, which SDKs retry, instead of holding the exit
  /// until its busy timeout.
  public func stopWaiting() {
    writer.gate.stopWaiting()
  }

  // MARK: Create

  /// Creates a new store at `path` and its master key. Refuses to overwrite a store or a key
  /// file; the store file is created with mode 0600 before SQLite opens it (SQLite gives its
  /// `-wal` and `-shm` files the same mode).
  ///
  /// Crash-safe: both files are made whole under hidden names and linked into place, the key
  /// file first, then the store. A kill before the first link leaves neither (the next init
  /// removes the stagings); a kill between the two leaves the key file and the staged store,
  /// and the next init with the same key file finishes that store (`finishInterruptedInit`)
  /// rather than refusing the key file it finds; a store is never in place without its key.
  /// Nothing is removed or overwritten to get there: a key file that might guard a store's
  /// data is never touched, and a staged store is finished only when that key file unlocks it
  /// and it has never been used.
  public static func create(
    at path: String, master: MasterKeyProvision, configuration: StoreConfiguration = .init()
  ) async throws -> SQLiteStore {
    try await create(
      at: path, master: master, configuration: configuration, scryptCost: .interactive)
  }

  package static func create(
    at path: String, master: MasterKeyProvision, configuration: StoreConfiguration,
    scryptCost: Crypto.ScryptCost
  ) async throws -> SQLiteStore {
    let path = try StoreLink.placeOfNewStore(path)
    if FileManager.default.fileExists(atPath: path) {
      throw refusal(ofStoreAt: path, master: master)
    }
    if let inTheWay = StoreAccessError.ifBesideFileNotARegularFile(of: path) { throw inTheWay }
    for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
      // SQLite would read a left WAL into the new store: refused, and named for what it is.
      throw StoreAccessError.orphanedBesideFile(path: path + suffix, store: path)
    }
    if case .newKeyFile(let keyPath) = master, FileManager.default.fileExists(atPath: keyPath) {
      if KeyFile.isDirectory(keyPath) { throw StoreAccessError.keyFileIsDirectory(path: keyPath) }
      if let finished = try finishInterruptedInit(
        at: path, keyPath: keyPath, configuration: configuration)
      {
        return finished
      }
      throw StoreAccessError.keyFileExists(path: keyPath)
    }
    // A failed init leaves the folders it made no more than the files (a full disk, say).
    var madeFolders = try SecureFile.createParentDirectories(of: path)
    var finished = false
    defer { if !finished { SecureFile.removeDirectories(madeFolders) } }
    if case .newKeyFile(let keyPath) = master {
      madeFolders += try SecureFile.createParentDirectories(of: keyPath)
    }

    // Both files are made whole under hidden names and only then given theirs (`link`, which
    // refuses to replace anything); stagings a killed init left are removed here.
    let staging = Staging(for: path)
    let keyStaging: Staging?
    if case .newKeyFile(let keyPath) = master {
      keyStaging = Staging(for: keyPath)
    } else {
      keyStaging = nil
    }
    for stale in [staging] + (keyStaging.map { [$0] } ?? []) {
      stale.removeAbandoned()
      stale.remove()  // a name this process id had in another life
    }

    let storeID = try Crypto.randomBytes(StoreMeta.storeIDLength)
    let raw: SecretBytes
    let mode: MasterKey.Mode
    var salt: [UInt8]?
    switch master {
    case .newKeyFile(let keyPath):
      let stagedKey = keyStaging?.path ?? ""
      do {
        raw = try KeyFile.create(at: stagedKey)
      } catch let error as StoreAccessError {
        throw error.naming(stagedKey, as: keyPath)
      }
      mode = .key
    case .key(let key, _):
      raw = key
      mode = .key
    case .passphrase(let passphrase, _):
      salt = try Crypto.randomBytes(StoreMeta.kdfSaltLength)
      raw = try Crypto.scrypt(passphrase: passphrase, salt: salt ?? [], cost: scryptCost)
      mode = .passphrase
    }

    func discardStagings() {
      staging.remove()
      keyStaging?.remove()
    }
    let vault: KeyVault
    do {
      try SecureFile.createExclusive(
        at: staging.path, write: { _ in },
        ifExists: {
          StoreAccessError.storeExists(path: path)
        })
      let masterKey = try MasterKey(raw: raw, storeID: storeID)
      let masterKeyID = try Crypto.randomBytes(Envelope.keyIDLength)
      let storeKey = try Crypto.randomKey()
      vault = try KeyVault(
        storeID: storeID, wrapKey: masterKey.wrapKey, masterKeyID: masterKeyID, storeKey: storeKey)
      let now = Date.storeTimestamp()
      try writeNewStore(
        at: staging.path, named: path, busyTimeoutSeconds: configuration.busyTimeoutSeconds
      ) { db in
        try StoreMeta.set(db, StoreMeta.storeID, storeID)
        try StoreMeta.set(db, StoreMeta.createdAt, text: AuditChain.timestamp(now))
        try StoreMeta.set(db, StoreMeta.masterMode, text: mode.rawValue)
        if let salt {
          try StoreMeta.set(db, StoreMeta.kdfSalt, salt)
          try StoreMeta.set(
            db, StoreMeta.kdfCost, text: "\(scryptCost.n),\(scryptCost.r),\(scryptCost.p)")
        }
        try writeMasterWrappedKeys(db, vault: vault, createdAt: now, createManagedKeys: true)
        try AuditChain.append(
          [AuditEvent(operation: "Init", kind: nil, name: nil, version: nil, result: "ok")],
          caller: configuration.caller, at: now, db, vault: vault)
      }
      // The key file first, made durable before the store is linked: a kill between the two
      // leaves the key and the staged store, which the next init finishes; never a store
      // without its key (until 2026-12-03 the store went first, and a kill between the two
      // left a store that no key opened and that every later init refused).
      if let keyStaging, case .newKeyFile(let keyPath) = master {
        let key = SecureFile.identity(of: keyStaging.path)
        try keyStaging.publish(as: keyPath) { StoreAccessError.keyFileExists(path: keyPath) }
        try SecureFile.syncDirectory(of: keyPath)
        do {
          try staging.publish(as: path) { StoreAccessError.storeExists(path: path) }
        } catch {
          // The key guards nothing but the staged store, discarded below: it goes too, while
          // its name is still its own.
          if let key, SecureFile.identity(of: keyPath) == key { unlink(keyPath) }
          throw error
        }
      } else {
        try staging.publish(as: path) { StoreAccessError.storeExists(path: path) }
      }
      try SecureFile.syncDirectory(of: path)
    } catch let error as StoreAccessError {
      discardStagings()
      throw error.naming(staging.path, as: path)
    } catch {
      discardStagings()
      throw error
    }
    finished = true
    let writer = WriterState()
    let pool = try StoreDatabase.openPool(
      path: path, busyTimeoutSeconds: configuration.busyTimeoutSeconds, gate: writer.gate)
    return SQLiteStore(
      path: path, configuration: configuration, warnings: [], pool: pool, vault: vault,
      writer: writer)
  }

  /// Why `init` refuses the store at `path`: it exists. When `init` was to make a key file that
  /// is not there and the store has never been used, it may be the store of an init before
  /// 2026-12-03 killed between its two links (the store first, then its key), which no key
  /// opens: the refusal says what to do then, since only the user may remove a store. (It may
  /// as well be a store whose key is elsewhere, so the advice is for a lost key only.)
  private static func refusal(ofStoreAt path: String, master: MasterKeyProvision)
    -> StoreAccessError
  {
    if let notAFile = StoreAccessError.ifNotARegularFile(
      path, advice: "; name the store's file in it (--store \(path)/store.db)")
    {
      return notAFile
    }
    if let handle = FileHandle(forReadingAtPath: path) {
      let header = (try? handle.read(upToCount: 16)) ?? Data()
      try? handle.close()
      if header != Data("SQLite format 3\0".utf8) {
        return .notAStore(
          path: path, reason: "a file that is not an SQLite database, which cinch never overwrites")
      }
    }
    guard case .newKeyFile(let keyPath) = master,
      !FileManager.default.fileExists(atPath: keyPath), isUnused(path)
    else { return .storeExists(path: path) }
    return .unusedStoreExists(path: path, keyFile: keyPath)
  }

  /// Finishes the init that was killed between linking the key file at `keyPath` and linking
  /// its store: the store is still under its staged name (`Staging`), its process gone. A
  /// staged store is finished only when the key file unlocks it and it has never been used (a
  /// hidden name left for a store in use is not brought back), so it is the one that init made
  /// for this key. It is linked into place; nothing is overwritten, and nothing removed but the
  /// staged names. Nil when there is no such store.
  private static func finishInterruptedInit(
    at path: String, keyPath: String, configuration: StoreConfiguration
  ) throws -> SQLiteStore? {
    for staged in Staging(for: path).abandoned() {
      guard Self.isUnused(staged),
        let store = try? openOnThisThread(
          at: staged, master: .keyFile(path: keyPath), configuration: configuration)
      else { continue }
      // The last connection: the WAL goes into the file, and the file is the whole store.
      try? store.close()
      guard !FileManager.default.fileExists(atPath: staged + "-wal") else { continue }
      guard link(staged, path) == 0 else {
        if errno == EEXIST { throw StoreAccessError.storeExists(path: path) }
        throw StoreAccessError.file(path, errno: errno)
      }
      unlink(staged)
      // The key's staged name, if the kill came before it was dropped: another name of the key
      // file (the same file), which would keep the key after the key file is gone.
      let key = SecureFile.identity(of: keyPath)
      for name in Staging(for: keyPath).abandoned() where SecureFile.identity(of: name) == key {
        unlink(name)
      }
      try SecureFile.syncDirectory(of: path)
      let finished = try openOnThisThread(
        at: path, master: .keyFile(path: keyPath), configuration: configuration)
      return SQLiteStore(
        path: path, configuration: configuration,
        warnings: finished.warnings + [
          "an earlier 'cinch init' was interrupted after it wrote key file '\(keyPath)'; this one "
            + "finished the store it had made for it"
        ],
        pool: finished.pool, vault: finished.vault, writer: finished.writer)
    }
    return nil
  }

  /// Whether the store at `path` has never been used: its audit log, which every operation (a
  /// read included) appends to, holds only its creation. Read without the key.
  private static func isUnused(_ path: String) -> Bool {
    guard let opening = try? StoreOpening(path: path, busyTimeoutSeconds: 1) else { return false }
    defer { opening.close() }
    return opening.auditRowCount() == 1
  }

  /// Writes a new store into the empty file `staged`: the schema, then `contents` in one
  /// transaction, then the WAL checkpointed into the file, so that the file is the whole store
  /// once the pool has closed. SQLite's failures name the store `path` it will become; one that
  /// found no room says so (`StoreDatabase.isOutOfSpace`). The checkpoint is made here, where
  /// its failure is reported: the one the last connection makes as it closes fails silently,
  /// which on a full disk left the WAL beside the file and said only "the new store's log was
  /// not checkpointed" (until 2026-12-03).
  private static func writeNewStore(
    at staged: String, named path: String, busyTimeoutSeconds: Double,
    _ contents: (Database) throws -> Void
  ) throws {
    let pool = try StoreDatabase.openPool(
      path: staged, named: path, busyTimeoutSeconds: busyTimeoutSeconds)
    do {
      try upgrade(pool, path: path)
      try pool.write(contents)
      try pool.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
      }
    } catch {
      var failure = error
      if let error = error as? DatabaseError {
        failure = StoreDatabase.accessError(
          code: error.extendedResultCode.rawValue,
          message: error.message ?? "\(error.resultCode)",
          systemErrors: StoreDatabase.systemErrors(of: pool), path: path)
      }
      try? pool.close()
      throw failure
    }
    try pool.close()
    guard !FileManager.default.fileExists(atPath: staged + "-wal") else {
      throw StoreAccessError.io(path: path, message: "the new store's log was not checkpointed")
    }
  }

  /// A file made under a hidden name beside its final one (`.store.db.init-PID`), published
  /// with `link`, which never replaces a file.
  struct Staging {
    let directory: String
    let prefix: String
    let path: String

    init(for final: String) {
      let url = URL(fileURLWithPath: final)
      directory = url.deletingLastPathComponent().path
      prefix = "." + url.lastPathComponent + ".init-"
      path = directory + "/" + prefix + String(getpid())
    }

    /// Links the staged file to `final` and drops the staged name.
    func publish(as final: String, ifExists: () -> any Error) throws {
      guard link(path, final) == 0 else {
        if errno == EEXIST { throw ifExists() }
        throw StoreAccessError.file(final, errno: errno)
      }
      unlink(path)
    }

    func remove() {
      for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }

    /// Stagings of inits that were killed (their process is gone), with their `-wal` and the
    /// like.
    func removeAbandoned() {
      for name in abandonedNames() { unlink(directory + "/" + name) }
    }

    /// The staged files of inits that were killed, without the files SQLite keeps beside them.
    func abandoned() -> [String] {
      abandonedNames().filter { name in name.dropFirst(prefix.count).allSatisfy(\.isNumber) }
        .sorted().map { directory + "/" + $0 }
    }

    private func abandonedNames() -> [String] {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
      return names.filter { name in
        guard name.hasPrefix(prefix) else { return false }
        let rest = name.dropFirst(prefix.count).prefix { $0.isNumber }
        guard let pid = pid_t(rest), pid != getpid() else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
      }
    }
  }

  /// Writes (or, on rekey, rewrites) everything wrapped by the master key: the key check value,
  /// the store key, and every KMS-style key's material.
  static func writeMasterWrappedKeys(
    _ db: Database, vault: KeyVault, createdAt: Date, createManagedKeys: Bool
  ) throws {
    let (wrapKey, masterKeyID) = vault.wrapping
    let storeID = vault.storeID
    try StoreMeta.set(db, StoreMeta.masterKeyID, masterKeyID)
    try StoreMeta.set(
      db, StoreMeta.keyCheck,
      Envelope.wrap(
        MasterKey.checkValue, under: wrapKey, wrappingKeyID: masterKeyID,
        context: MasterKey.checkContext(storeID: storeID)))
    try StoreMeta.set(
      db, StoreMeta.storeKey,
      Envelope.wrap(
        vault.storeKey, under: wrapKey, wrappingKeyID: masterKeyID,
        context: MasterKey.storeKeyContext(storeID: storeID)))
    if createManagedKeys {
      for (alias, description) in KMSKeyRecord.managedAliases {
        let (keyID, keyIDBytes) = try KMSKeyRecord.newKeyID()
        let material = try Crypto.randomKey()
        let record = KMSKeyRecord(
          keyID: keyID, keyIDBytes: keyIDBytes, description: description,
          keyManager: KMSKeyRecord.managedKeyManager, createdAt: createdAt,
          material: try Envelope.wrap(
            material, under: wrapKey, wrappingKeyID: masterKeyID,
            context: MasterKey.kmsKeyContext(storeID: storeID, keyID: keyID)))
        try record.insert(db)
        try db.execute(
          cached: "INSERT INTO kms_aliases (alias_name, key_id, created_at, updated_at) "
            + "VALUES (?, ?, ?, ?)",
          arguments: [
            alias, keyID, createdAt.timeIntervalSince1970, createdAt.timeIntervalSince1970,
          ])
        vault.cache(material, for: keyIDBytes)
      }
    }
  }

  // MARK: Open

  /// Opens an existing store with its master key. A wrong key is `StoreAccessError.wrongKey`
  /// and nothing is written; pending schema migrations run only after the key is verified.
  /// Opening may need the write lock (a first WAL frame, a migration): another process holding
  /// it past the busy timeout is `StoreError.tooManyUpdates(store:)`, as for any write.
  public static func open(
    at path: String, master: MasterKeySource, configuration: StoreConfiguration = .init()
  ) async throws -> SQLiteStore {
    try openOnThisThread(at: path, master: master, configuration: configuration)
  }

  /// `open`, on the calling thread (which it blocks while SQLite and the key work): for a
  /// thread of its own that opens the store while the command line is parsed.
  public static func openOnThisThread(
    at path: String, master: MasterKeySource, configuration: StoreConfiguration = .init()
  ) throws -> SQLiteStore {
    guard FileManager.default.fileExists(atPath: path) else {
      throw StoreLink.loop(at: path) ?? StoreAccessError.storeNotFound(path: path)
    }
    if let notAFile = StoreAccessError.ifNotARegularFile(path) { throw notAFile }
    var warnings: [String] = []
    if let warning = SecureFile.looseModeWarning(path, what: "store") { warnings.append(warning) }
    if case .keyFile(let keyPath) = master,
      let warning = SecureFile.looseModeWarning(keyPath, what: "key file")
    {
      warnings.append(warning)
    }

    struct Meta: Sendable {
      var storeID: [UInt8]
      var mode: String
      var salt: [UInt8]?
      var cost: String?
      var masterKeyID: [UInt8]
      var keyCheck: [UInt8]
      var storeKey: [UInt8]
      var migrated: Bool
    }
    // Read on a connection that writes nothing before the key is checked: with a wrong key,
    // nothing is written. Closed once the pool is open (or the open failed).
    let opening = try StoreOpening(path: path, busyTimeoutSeconds: configuration.busyTimeoutSeconds)
    defer { opening.close() }
    let inspection = opening.inspection
    // The key below needs libcrypto; while another thread is still setting it up
    // (`Crypto.prepare`), the time the key would wait makes GRDB's one-time type lookups.
    if !Crypto.isPrepared { StoreDatabase.prepareConnectionTypes(path: path) }
    let applied = inspection.appliedMigrations
    let known = Set(StoreSchema.identifiers)
    let missing = StoreSchema.identifiers.first { !applied.contains($0) }
    if let unknown = applied.subtracting(known).sorted().first {
      // A newer cinch applies every step this one knows, then its own. A step of this one
      // missing beside an unknown one is a record damaged in place, not a newer schema.
      if let missing {
        throw StoreAccessError.damagedFile(
          path: path,
          problem:
            "its schema record names step '\(StoreAccessError.quoting(unknown))' where step "
            + "'\(missing)' belongs")
      }
      throw StoreAccessError.newerSchema(path: path, migration: unknown)
    }
    if let missing, let damage = schemaRecordDamage(path: path, missing: missing, applied: applied)
    {
      throw damage
    }
    func text(_ key: String) -> String? {
      inspection.meta[key].map { String(decoding: $0, as: UTF8.self) }
    }
    guard let storeID = inspection.meta[StoreMeta.storeID],
      let metaMode = text(StoreMeta.masterMode),
      let masterKeyID = inspection.meta[StoreMeta.masterKeyID],
      let keyCheck = inspection.meta[StoreMeta.keyCheck],
      let sealedStoreKey = inspection.meta[StoreMeta.storeKey]
    else {
      throw StoreAccessError.notAStore(path: path, reason: "its key records are missing")
    }
    let meta = Meta(
      storeID: storeID, mode: metaMode, salt: inspection.meta[StoreMeta.kdfSalt],
      cost: text(StoreMeta.kdfCost), masterKeyID: masterKeyID, keyCheck: keyCheck,
      storeKey: sealedStoreKey, migrated: missing == nil)

    guard let mode = MasterKey.Mode(rawValue: meta.mode) else {
      // A newer cinch with another mode would have added a schema step, refused above.
      throw StoreAccessError.damagedFile(
        path: path,
        problem: "its master key mode '\(StoreAccessError.quoting(meta.mode))' is neither "
          + "'\(MasterKey.Mode.key.rawValue)' nor '\(MasterKey.Mode.passphrase.rawValue)'")
    }
    // A record of a shape cinch never writes cannot open under any key: it is damage, said
    // before a key is tried (until 2026-12-07 it read "wrong master key").
    if let problem = StoreMeta.shapeProblem(inspection.meta, mode: mode) {
      throw StoreAccessError.damagedFile(path: path, problem: problem)
    }
    let cost = meta.cost.flatMap(parseCost)
    let raw = try MasterKey.raw(
      from: master, mode: mode, salt: meta.salt, cost: cost, storePath: path)
    let masterKey = try MasterKey(raw: raw, storeID: meta.storeID)
    do {
      let check = try Envelope.unwrap(
        meta.keyCheck, with: masterKey.wrapKey,
        context: MasterKey.checkContext(storeID: meta.storeID))
      guard check.constantTimeEquals(MasterKey.checkValue) else {
        throw CryptoError.authenticationFailed
      }
    } catch is CryptoError {
      throw StoreAccessError.wrongKey(source: master.description, store: path, hint: nil)
    }
    // The key check value tells a wrong key; past it, a store key that does not open is
    // damage (until 2026-12-07 it read "wrong master key" too, and sent the user after a key
    // that was right).
    let storeKey: SecretBytes
    do {
      storeKey = try Envelope.unwrap(
        meta.storeKey, with: masterKey.wrapKey,
        context: MasterKey.storeKeyContext(storeID: meta.storeID))
    } catch is CryptoError {
      throw StoreAccessError.damagedFile(
        path: path,
        problem: "its store key does not open under the master key that passes the key check")
    }
    let vault = try KeyVault(
      storeID: meta.storeID, wrapKey: masterKey.wrapKey, masterKeyID: meta.masterKeyID,
      storeKey: storeKey)
    let writer = WriterState()
    let pool = try StoreDatabase.openPool(
      path: path, busyTimeoutSeconds: configuration.busyTimeoutSeconds, gate: writer.gate)
    if !meta.migrated {
      do {
        try upgrade(pool, path: path)
      } catch let error as DatabaseError {
        if error.resultCode == .SQLITE_BUSY { throw StoreError.tooManyUpdates(store: path) }
        throw StoreDatabase.accessError(
          code: error.extendedResultCode.rawValue, message: error.message ?? "\(error.resultCode)",
          systemErrors: StoreDatabase.systemErrors(of: pool), path: path)
      }
    }
    return SQLiteStore(
      path: path, configuration: configuration, warnings: warnings, pool: pool, vault: vault,
      writer: writer)
  }

  /// Applies the schema steps the store at `path` lacks, all in one transaction that reads
  /// which steps are applied once it holds the write lock: a step that fails takes back the
  /// ones before it, and processes opening a store from an older cinch at the same moment take
  /// turns, each finding what the one before applied. (GRDB's migrator, which ran them until
  /// 2026-12-07, read the applied steps before it ran each in a transaction of its own: such
  /// processes raced on each step's record, and a store whose record had lost a step it holds
  /// was left with the steps before the failing one applied.)
  ///
  /// A step that SQLite refuses as SQL (an index or a column that is there already) meets a
  /// store whose record lacks a step its tables hold: damage, with SQLite's words.
  static func upgrade(
    _ pool: DatabasePool, steps: [StoreSchema.Step] = StoreSchema.steps, path: String
  ) throws {
    try pool.barrierWriteWithoutTransaction { db in
      // As GRDB's migrator: foreign keys are checked once all steps have run, which a step that
      // rebuilds a table needs (https://www.sqlite.org/lang_altertable.html#otheralter).
      try db.execute(sql: "PRAGMA foreign_keys = OFF")
      let run = Result { try applySteps(steps, path: path, db) }
      do {
        try db.execute(sql: "PRAGMA foreign_keys = ON")
      } catch {
        if case .success = run { throw error }
      }
      try run.get()
    }
  }

  private static func applySteps(_ steps: [StoreSchema.Step], path: String, _ db: Database)
    throws
  {
    try db.inTransaction(.immediate) {
      try db.execute(
        sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
      let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
      for step in steps where !applied.contains(step.identifier) {
        do {
          try step.apply(db)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR {
          throw StoreAccessError.damagedFile(
            path: path,
            problem: "its schema record lacks step '\(step.identifier)', which does not apply "
              + "to its tables (SQLite: \(StoreAccessError.quoting(error.message ?? "error")))")
        }
        try db.execute(
          sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)",
          arguments: [step.identifier])
      }
      try db.checkForeignKeys()
      return .commit
    }
  }

  /// The damage a store's schema record shows before anything runs, when step `missing` (the
  /// first this cinch knows that the record lacks) is not applied: a step after it is, though
  /// steps apply in order; or it is the first step, which made the `store_meta` table the
  /// store has. Nil when the record is that of a store from an older cinch.
  static func schemaRecordDamage(path: String, missing: String, applied: Set<String>)
    -> StoreAccessError?
  {
    let later = StoreSchema.identifiers.drop { $0 != missing }.first { applied.contains($0) }
    if let later {
      return .damagedFile(
        path: path,
        problem: "its schema record lacks step '\(missing)' but holds the later step '\(later)'")
    }
    guard missing == StoreSchema.identifiers.first else { return nil }
    return .damagedFile(
      path: path,
      problem: "its schema record lacks step '\(missing)', which made its store_meta table")
  }

  static func parseCost(_ text: String) -> Crypto.ScryptCost? {
    let parts = text.split(separator: ",").compactMap { UInt64($0) }
    guard parts.count == 3, parts[1] <= UInt32.max, parts[2] <= UInt32.max else { return nil }
    return Crypto.ScryptCost(n: parts[0], r: UInt32(parts[1]), p: UInt32(parts[2]))
  }

  // MARK: Rekey

  /// Replaces the master key: re-wraps the key check value, the store key and every KMS-style
  /// key's material under the new key, in one transaction. Sealed values are not touched. A new
  /// key file is created (0600, never over an existing file) before the transaction and removed
  /// again if it fails.
  public func rekey(to master: MasterKeyProvision) async throws {
    try await rekey(to: master, scryptCost: .interactive)
  }

  package func rekey(to master: MasterKeyProvision, scryptCost: Crypto.ScryptCost) async throws {
    let raw: SecretBytes
    let mode: MasterKey.Mode
    var salt: [UInt8]?
    var createdKeyFile: String?
    switch master {
    case .newKeyFile(let keyPath):
      try SecureFile.createParentDirectories(of: keyPath)
      raw = try KeyFile.create(at: keyPath)
      createdKeyFile = keyPath
      mode = .key
    case .key(let key, _):
      raw = key
      mode = .key
    case .passphrase(let passphrase, _):
      salt = try Crypto.randomBytes(StoreMeta.kdfSaltLength)
      raw = try Crypto.scrypt(passphrase: passphrase, salt: salt ?? [], cost: scryptCost)
      mode = .passphrase
    }
    let newMaster = try MasterKey(raw: raw, storeID: storeID)
    let newMasterKeyID = try Crypto.randomBytes(Envelope.keyIDLength)
    let vault = self.vault
    let (oldWrapKey, _) = vault.wrapping
    let caller = configuration.caller
    let saltBytes = salt
    let cost = scryptCost
    do {
      try await writeWithRetry { db in
        // Another rekey committed first: this process's key is no longer the store's.
        try self.requireCurrentMasterKey(db)
        // Unwrap every key's material under the old master key first: a failure leaves the
        // transaction (and the store) untouched.
        let records = try Row.fetchAll(db, cached: "SELECT * FROM kms_keys").map(
          KMSKeyRecord.init(row:))
        var materials: [(KMSKeyRecord, SecretBytes)] = []
        for record in records {
          let material = try Envelope.unwrap(
            record.material, with: oldWrapKey,
            context: MasterKey.kmsKeyContext(storeID: vault.storeID, keyID: record.keyID))
          materials.append((record, material))
        }
        let staged = try KeyVault(
          storeID: vault.storeID, wrapKey: newMaster.wrapKey, masterKeyID: newMasterKeyID,
          storeKey: vault.storeKey)
        try Self.writeMasterWrappedKeys(
          db, vault: staged, createdAt: Date(), createManagedKeys: false)
        for (record, material) in materials {
          let wrapped = try Envelope.wrap(
            material, under: newMaster.wrapKey, wrappingKeyID: newMasterKeyID,
            context: MasterKey.kmsKeyContext(storeID: vault.storeID, keyID: record.keyID))
          try db.execute(
            cached: "UPDATE kms_keys SET material = ? WHERE key_id = ?",
            arguments: [Data(wrapped), record.keyID])
        }
        try StoreMeta.set(db, StoreMeta.masterMode, text: mode.rawValue)
        if let saltBytes {
          try StoreMeta.set(db, StoreMeta.kdfSalt, saltBytes)
          try StoreMeta.set(db, StoreMeta.kdfCost, text: "\(cost.n),\(cost.r),\(cost.p)")
        } else {
          try db.execute(
            cached: "DELETE FROM store_meta WHERE key IN (?, ?)",
            arguments: [StoreMeta.kdfSalt, StoreMeta.kdfCost])
        }
        try AuditChain.append(
          [AuditEvent(operation: "Rekey", kind: nil, name: nil, version: nil, result: "ok")],
          caller: caller, at: Date(), db, vault: vault)
      }
    } catch {
      if let createdKeyFile { unlink(createdKeyFile) }
      throw error
    }
    vault.replaceWrapping(key: newMaster.wrapKey, id: newMasterKeyID)
  }
}

extension Date {
  /// Now, to the millisecond: AWS reports times with millisecond precision.
  static func storeTimestamp() -> Date {
    Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded() / 1000)
  }
}
