import Foundation
import GRDB
import Synchronization

extension SQLiteStore {
  /// Runs one operation: an immediate write transaction in which `body` does its work and the
  /// audit rows it recorded are appended. When `body` throws a `StoreError`, its changes are
  /// rolled back (a savepoint), the failure is audited in the same transaction, and the error is
  /// rethrown: failed requests leave a trace but no partial change.
  ///
  /// Reads (`readOperations`) commit without waiting for the disk (`synchronous = NORMAL`):
  /// their audit rows survive the process being killed, though not a power loss of the machine
  /// in the instant after the read; a write's commit is on disk before it returns. A read pays no
  /// fsync, which is most of its cost (one fsync takes ~3 ms here, the rest of a read ~0.1 ms).
  func perform<T: Sendable>(
    _ operation: String, kind: EntryKind? = .parameter, name: String?,
    _ body: @escaping @Sendable (Database, inout AuditTrail) throws -> T
  ) async throws -> T {
    if Self.batchedReads.contains(operation) {
      return try performBatched(operation, kind: kind, name: name, body)
    }
    let caller = configuration.caller
    let vault = self.vault
    let durable = !Self.readOperations.contains(operation)
    let outcome: Result<T, StoreError> = try await writeWithRetry(durable: durable) { db in
      let (outcome, events) = try Self.audited(operation, kind: kind, name: name) { trail in
        var result: T?
        try Self.inSavepoint(db) { result = try body(db, &trail) }
        guard let result else { preconditionFailure("a committed savepoint ran its body") }
        return result
      }
      try AuditChain.append(events, caller: caller, at: Date(), db, vault: vault)
      return outcome
    }
    return try outcome.get()
  }

  /// Runs an operation's `body` and gives back its outcome with the audit events to append: the
  /// ones `body` recorded (one naming `name` when it recorded none) or, when it threw a
  /// `StoreError`, the failure's. Any other error is thrown.
  static func audited<T>(
    _ operation: String, kind: EntryKind?, name: String?,
    _ body: (inout AuditTrail) throws -> T
  ) throws -> (Result<T, StoreError>, [AuditEvent]) {
    var trail = AuditTrail(operation: operation, kind: kind)
    do {
      let result = try body(&trail)
      if trail.events.isEmpty { trail.record(name) }
      return (.success(result), trail.events)
    } catch let error as StoreError {
      var failure = AuditTrail(operation: operation, kind: kind)
      failure.record(name, result: error.code)
      return (.failure(error), failure.events)
    } catch let refusal as DecryptionRefusal {
      var failure = AuditTrail(operation: operation, kind: kind)
      failure.record(
        refusal.name, version: refusal.version, result: refusal.error.code,
        versionID: refusal.versionID)
      return (.failure(refusal.error), failure.events)
    }
  }

  /// The reads that change nothing but the audit log, not even bookkeeping: run in batches
  /// (`ReadBatcher`).
  static let batchedReads: Set<String> = [
    "GetParameter", "GetParameters", "GetParametersByPath", "GetParameterHistory",
    "DescribeParameters",
  ]

  /// `perform` for a batched read: the same outcome and audit rows, in a transaction shared
  /// with the reads that queued beside it.
  ///
  /// A batch waits for the write lock until the earliest deadline among its reads; when it
  /// gives up, each read whose own deadline has not passed queues again (unless the waits are
  /// stopped), so every read gives up about the busy timeout after it began, as a write does.
  private func performBatched<T: Sendable>(
    _ operation: String, kind: EntryKind?, name: String?,
    _ body: @escaping @Sendable (Database, inout AuditTrail) throws -> T
  ) throws -> T {
    let check = credentialCheck
    let outcome = Mutex<Result<T, any Error>?>(nil)
    let item = ReadBatchItem(caller: configuration.caller, deadline: busyDeadline()) { db in
      do {
        try check?.validate(db)
        let (result, events) = try Self.audited(operation, kind: kind, name: name) { trail in
          try body(db, &trail)
        }
        outcome.withLock { $0 = result.mapError { $0 } }
        return events
      } catch let error as DatabaseError {
        // The database failing under this read alone: nothing to record.
        outcome.withLock { $0 = .failure(self.databaseFailure(error, on: db)) }
        return []
      } catch {
        // Stale credentials (`CredentialsChanged`): nothing to record.
        outcome.withLock { $0 = .failure(error) }
        return []
      }
    }
    while true {
      item.batchFailure = nil
      writer.reads.run(item) { batch in
        do {
          try writeBatch(batch)
        } catch {
          for member in batch { member.batchFailure = error }
        }
      }
      guard let failure = item.batchFailure else { break }
      guard (failure as? StoreError)?.fault == .busy, ContinuousClock.now < item.deadline,
        !writer.gate.waitsStopped
      else { throw failure }
    }
    guard let result = outcome.withLock({ $0 }) else {
      preconditionFailure("a batched read ran before its batch committed")
    }
    return try result.get()
  }

  /// One transaction for `batch`: each read's body, then all their audit rows, retried as
  /// `writeWithRetry` is.
  /// Each read checks its own credentials, so the batch checks none.
  private func writeBatch(_ batch: [ReadBatchItem]) throws {
    let vault = self.vault
    let deadline = batch.map(\.deadline).min() ?? busyDeadline()
    try retryingWhenBusy(until: deadline) { deadline in
      try writeOnCallingThread(durable: false, check: nil, until: deadline) { db in
        let groups = batch.map { (caller: $0.caller, events: $0.work(db)) }
        try AuditChain.append(groups, at: Date(), db, vault: vault)
      }
    }
  }

  /// The operations that change nothing but the audit log (and bookkeeping that is redone when
  /// lost, such as purging secrets whose recovery window has ended).
  static let readOperations: Set<String> = [
    "GetParameter", "GetParameters", "GetParametersByPath", "GetParameterHistory",
    "DescribeParameters", "ListTagsForResource", "ListParameterVersions", "ResolveParameters",
    "GetSecretValue", "BatchGetSecretValue", "DescribeSecret", "GetResourcePolicy", "ListSecrets",
    "ListSecretVersionIds", "ListSecretVersions", "ResolveSecrets", "GetRandomPassword",
    "DescribeKey", "ListKeys", "ListAliases", "ListAccessKeys", "GetUserPolicy",
    "ListUserPolicies", "ListRotators", "ListDueRotations",
  ]

  /// `pool.write` in the operation's turn at the writer (`WriterGate`), waiting for it and for
  /// the write lock until the busy timeout from now, a few retries on `SQLITE_BUSY`, and
  /// database failures turned into service errors.
  ///
  /// GRDB's synchronous API on purpose: it runs `updates` on the calling thread once the writer
  /// is free (`DispatchQueue.sync` on an idle serial queue does not switch threads), where the
  /// `async` one hops to the writer's queue and back, two thread wake-ups per operation, which
  /// were a third of `cinch serve`'s CPU per request (Benchmarks/NOTES.md). Blocking is bounded
  /// by SQLite's busy timeout, and the body never awaits, so no task can wait on a thread it
  /// holds.
  func writeWithRetry<T: Sendable>(
    durable: Bool = true, _ updates: @escaping @Sendable (Database) throws -> T
  ) async throws -> T {
    try retryingWhenBusy(until: busyDeadline()) { deadline in
      try writeOnCallingThread(durable: durable, check: credentialCheck, until: deadline, updates)
    }
  }

  /// When an operation beginning now stops waiting for the writer and its lock: the busy
  /// timeout from now.
  func busyDeadline() -> ContinuousClock.Instant {
    .now + .milliseconds(Int(configuration.busyTimeoutSeconds * 1000))
  }

  /// `attempt` (given `deadline`), and again while SQLite reports the store busy before the
  /// busy timeout has passed (`retriesBusy`) and before `deadline`; `TooManyUpdates` once
  /// either has, or once the waits are stopped. Database failures become service errors. It
  /// waits in the thread, as SQLite's busy handler already does: the attempt runs on the
  /// calling thread anyway.
  func retryingWhenBusy<T>(
    until deadline: ContinuousClock.Instant, _ attempt: (ContinuousClock.Instant) throws -> T
  ) throws -> T {
    let start = ContinuousClock.now
    var attempts = 0
    while true {
      do {
        return try attempt(deadline)
      } catch let error as DatabaseError
        where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
      {
        attempts += 1
        let now = ContinuousClock.now
        guard
          Self.retriesBusy(
            attempts: attempts, waited: now - start,
            timeoutSeconds: configuration.busyTimeoutSeconds),
          now < deadline, !writer.gate.waitsStopped
        else { throw busyFailure() }
        let left = now.duration(to: deadline)
        usleep(useconds_t(min(Double(25_000 * attempts), Self.microseconds(left))))
      } catch let error as DatabaseError {
        throw databaseFailure(error)
      }
    }
  }

  private static func microseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
  }

  /// The error of an operation that could not have the writer or its lock: `TooManyUpdates`,
  /// saying the store is closed when it is.
  func busyFailure() -> StoreError {
    writer.gate.isClosed ? StoreError.storeClosed(store: path) : .tooManyUpdates(store: path)
  }

  /// The error for a turn at the writer that was refused (`WriterGate.Refusal`).
  func busyFailure(_ refusal: WriterGate.Refusal) -> StoreError {
    refusal == .closed ? StoreError.storeClosed(store: path) : .tooManyUpdates(store: path)
  }

  /// Whether an operation that found the store busy `attempts` times, `waited` in all, tries
  /// again. SQLite's busy handler has already waited for the write lock up to the busy timeout
  /// when an attempt fails, so a lock held that long is `TooManyUpdates` at once; an attempt
  /// that failed sooner met a lock SQLite does not wait for (another process recovering the WAL
  /// or closing the store's last connection), and is tried again, up to four times in all.
  /// (Until 2026-12-03 every busy failure was tried again, each attempt waiting out the busy
  /// timeout anew: a write behind a held lock failed after four timeouts, two minutes.)
  static func retriesBusy(attempts: Int, waited: Duration, timeoutSeconds: Double) -> Bool {
    attempts < 4 && waited < .seconds(timeoutSeconds)
  }

  /// The service error for a database failure; `db`, the connection it happened on, when at
  /// hand, tells an I/O error that was a full disk (`StoreDatabase.isOutOfSpace`).
  func databaseFailure(_ error: DatabaseError, on db: Database? = nil) -> StoreError {
    // A connection closed under an operation (which the gate keeps from happening) is the
    // store closing, not a fault to report with the database's words.
    if writer.gate.isClosed { return StoreError.storeClosed(store: path) }
    if Self.isOutOfSpace(error, on: db) { return StoreError.noSpace(store: path) }
    if error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
      return StoreError.internalError(
        StoreAccessError.damaged(path: path, detail: error.message ?? "\(error.resultCode)")
          .description)
    }
    return StoreError.internalError(
      "store '\(path)': database error: \(error.message ?? "\(error.resultCode)")")
  }

  /// Whether `error`, on the connection `db` when at hand, is a write that found no room
  /// (`StoreDatabase.isOutOfSpace`); read before anything else fails on that connection.
  static func isOutOfSpace(_ error: DatabaseError, on db: Database?) -> Bool {
    StoreDatabase.isOutOfSpace(
      code: error.extendedResultCode.rawValue,
      systemErrors: db?.sqliteConnection.map(StoreDatabase.systemErrors) ?? [])
  }

  /// One attempt of `writeWithRetry` (or of a read batch), in a turn at the writer taken by
  /// `deadline` (`WriterGate`), `check` first in the transaction. Synchronous, so that GRDB's
  /// synchronous overloads are the ones chosen. A write that found no room is told here, on
  /// its connection, whose `errno` says so (`isOutOfSpace`); its transaction is rolled back, so
  /// nothing of it is in the store.
  private func writeOnCallingThread<T>(
    durable: Bool, check: CredentialCheck?, until deadline: ContinuousClock.Instant,
    _ updates: (Database) throws -> T
  ) throws -> T {
    do {
      try writer.gate.acquire(until: deadline)
    } catch {
      throw busyFailure(error)
    }
    defer { writer.gate.release() }
    return try pool.writeWithoutTransaction { db in
      do {
        try writer.setDurable(durable, db)
        return try Self.inImmediateTransaction(db) {
          try check?.validate(db)
          return try updates(db)
        }
      } catch let error as DatabaseError where Self.isOutOfSpace(error, on: db) {
        throw StoreError.noSpace(store: path)
      }
    }
  }

  /// `BEGIN IMMEDIATE` … `COMMIT` around `body`, rolled back when it throws. GRDB's
  /// `inTransaction` does the same with SQL it parses anew each time (with `SAVEPOINT` and
  /// `RELEASE`, ~35 k instructions of a ~0.3 M-instruction decrypted read); these statements
  /// come from the connection's cache.
  static func inImmediateTransaction<T>(_ db: Database, _ body: () throws -> T) throws -> T {
    try inTransaction(db, begin: "BEGIN IMMEDIATE TRANSACTION", body)
  }

  /// `BEGIN` (`begin`, a cached statement) … `COMMIT` around `body`, rolled back when it throws.
  private static func inTransaction<T>(_ db: Database, begin: String, _ body: () throws -> T)
    throws -> T
  {
    try db.execute(cached: begin)
    do {
      let result = try body()
      try db.execute(cached: "COMMIT TRANSACTION")
      return result
    } catch {
      if db.isInsideTransaction { try? db.rollback() }
      throw error
    }
  }

  /// A savepoint around `body` inside the current transaction: released when `body` returns,
  /// rolled back to (and released) when it throws, as GRDB's `inSavepoint` does within a
  /// transaction, from cached statements.
  static func inSavepoint(_ db: Database, _ body: () throws -> Void) throws {
    precondition(db.isInsideTransaction, "an operation's savepoint is inside its transaction")
    try db.execute(cached: "SAVEPOINT cinch_operation")
    do {
      try body()
    } catch {
      try? db.execute(cached: "ROLLBACK TRANSACTION TO SAVEPOINT cinch_operation")
      try? db.execute(cached: "RELEASE SAVEPOINT cinch_operation")
      throw error
    }
    try db.execute(cached: "RELEASE SAVEPOINT cinch_operation")
  }

  /// A read-only snapshot (for reads that record nothing, such as audit verification), on the
  /// calling thread as `writeWithRetry` explains.
  func readSnapshot<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws
    -> T
  {
    do {
      return try readOnCallingThread(value)
    } catch let error as DatabaseError {
      throw databaseFailure(error)
    }
  }

  /// GRDB's `read` without its transaction statements, which it parses anew each time (~45 k
  /// instructions of the ~80 k an access-key lookup cost `cinch serve` per request): the same
  /// snapshot, from a deferred transaction whose statements come from the reader's cache.
  private func readOnCallingThread<T>(_ value: (Database) throws -> T) throws -> T {
    do {
      try writer.gate.beginRead()
    } catch {
      throw busyFailure(error)
    }
    defer { writer.gate.endRead() }
    return try pool.unsafeRead { db in
      try Self.inTransaction(db, begin: "BEGIN DEFERRED TRANSACTION") {
        try credentialCheck?.validate(db)
        return try value(db)
      }
    }
  }

  /// GRDB's `read` (a snapshot on a reader, off the calling thread), counted as a use of the
  /// store that `close` waits for, and refused as busy once the store is closed.
  func pooledRead<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws
    -> T
  {
    do {
      try writer.gate.beginRead()
    } catch {
      throw busyFailure(error)
    }
    defer { writer.gate.endRead() }
    return try await pool.read(value)
  }

  // MARK: Keys and sealed values

  /// The material of the KMS-style key with these id bytes, unwrapped once and cached.
  func keyMaterial(_ keyIDBytes: [UInt8], _ db: Database) throws -> SecretBytes? {
    if let cached = vault.cachedMaterial(keyIDBytes) { return cached }
    guard let record = try KMSKeyRecord.fetch(db, keyIDBytes: keyIDBytes) else { return nil }
    return try material(of: record)
  }

  func material(of record: KMSKeyRecord) throws -> SecretBytes {
    if let cached = vault.cachedMaterial(record.keyIDBytes) { return cached }
    let material: SecretBytes
    let (wrapKey, masterKeyID) = vault.wrapping
    do {
      material = try Envelope.unwrap(
        record.material, with: wrapKey,
        context: MasterKey.kmsKeyContext(storeID: storeID, keyID: record.keyID))
    } catch {
      // Wrapped under another master key than this process holds: `cinch rekey` ran since.
      if let wrappedUnder = try? Envelope.keyID(of: record.material), wrappedUnder != masterKeyID {
        throw StoreError.internalError(rekeyedMessage(writing: false))
      }
      throw StoreError.internalError(
        "the material of key '\(record.keyID)' does not open: it was altered")
    }
    vault.cache(material, for: record.keyIDBytes)
    return material
  }

  /// What a process holding the master key from before a `cinch rekey` is told: what it
  /// would wrap now, no later process could open.
  func rekeyedMessage(writing: Bool = true) -> String {
    "store '\(path)': its master key was replaced ('cinch rekey') after this process opened "
      + "it; \(writing ? "nothing was written: " : "")run again with the new key (restart a "
      + "running 'cinch serve')"
  }

  /// Refuses, inside a write transaction, to wrap anything under a master key the store no
  /// longer uses: a `cinch rekey` committed since this process opened the store would leave
  /// it wrapped under the old key, which nothing opens any more.
  func requireCurrentMasterKey(_ db: Database) throws {
    guard let current = try StoreMeta.data(db, StoreMeta.masterKeyID),
      current != vault.wrapping.id
    else { return }
    throw StoreError.internalError(rekeyedMessage())
  }

  /// Seals `value` under a fresh data key wrapped by `key`.
  func seal(_ value: String, under key: KMSKeyRecord, context: SealingContext) throws -> [UInt8] {
    let material = try material(of: key)
    let plaintext = SecretBytes(utf8: value)
    return try plaintext.withUnsafeBytes {
      try Envelope.seal($0, keyID: key.keyIDBytes, keyMaterial: material, context: context)
    }
  }

  /// Asks `kmsCallCheck`, when the caller has one, whether `sealed` may be returned
  /// decrypted, as KMS would decide the `kms:Decrypt` the service makes for it: on the key the
  /// sealed value names, with the service's encryption context. Called before the value is
  /// opened; throws `DecryptionRefusal` naming the entry when it may not be.
  func checkDecryption(
    _ sealed: [UInt8], by service: KMSCall.Service, context: [String: String],
    entry name: String, version: Int, versionID: String? = nil, _ db: Database
  ) throws {
    if let refusal = try decryptionRefusal(sealed, by: service, context: context, db) {
      throw DecryptionRefusal(error: refusal, name: name, version: version, versionID: versionID)
    }
  }

  /// What `kmsCallCheck` answers for the `kms:Decrypt` of `sealed` on the key it names: nil
  /// when allowed or when there is no check. A value that names no key does not open either:
  /// `open` reports it.
  func decryptionRefusal(
    _ sealed: [UInt8], by service: KMSCall.Service, context: [String: String], _ db: Database
  ) throws -> StoreError? {
    guard kmsCallCheck != nil, let keyIDBytes = try? Envelope.keyID(of: sealed),
      let key = try KMSKeyRecord.fetch(db, keyIDBytes: keyIDBytes)
    else { return nil }
    return kmsRefusal(.decrypt, under: key, by: service, context: context)
  }

  /// Asks `kmsCallCheck`, when the caller has one, whether a write may encrypt a value under
  /// `key`, as KMS would decide each of `actions` the service calls with the caller's
  /// credentials, with the service's encryption context. Called after the request is validated
  /// and before the value is sealed; throws the refusal, and the operation's savepoint undoes
  /// whatever the write had done (a new secret, its tags), so nothing is written.
  func checkEncryption(
    under key: KMSKeyRecord, by service: KMSCall.Service,
    actions: [KMSCall.Action], context: [String: String]
  ) throws(StoreError) {
    for action in actions {
      if let refusal = kmsRefusal(action, under: key, by: service, context: context) {
        throw refusal
      }
    }
  }

  /// What `kmsCallCheck` answers for `service` calling `action` on `key` with the caller's
  /// credentials: nil when allowed or when there is no check. `checkEncryption` throws it; a
  /// step the service skips rather than refuses (re-encrypting on a key change) tests it.
  func kmsRefusal(
    _ action: KMSCall.Action, under key: KMSKeyRecord, by service: KMSCall.Service,
    context: [String: String]
  ) -> StoreError? {
    kmsCallCheck?(kmsCall(action, under: key, by: service, context: context))
  }

  /// The call `service` makes to KMS for `action` on `key`, as the check sees it.
  private func kmsCall(
    _ action: KMSCall.Action, under key: KMSKeyRecord, by service: KMSCall.Service,
    context: [String: String]
  ) -> KMSCall {
    KMSCall(
      service: service, action: action, keyARN: key.arn(configuration),
      isAWSManaged: key.keyManager == KMSKeyRecord.managedKeyManager, encryptionContext: context)
  }

  /// Asks `secretReadCheck`, when the caller has one, whether `entry`'s value may be read, as
  /// IAM would decide `secretsmanager:GetSecretValue` on it, with `secretsmanager:SecretId` the
  /// secret as the request named it (`SecretValueRead.secretID`). Called before anything of the
  /// secret is read (so before `checkDecryption`: IAM decides before KMS is called); throws the
  /// refusal.
  func checkSecretRead(_ entry: SecretEntry, as secretID: String) throws(StoreError) {
    guard let secretReadCheck else { return }
    let request = SecretValueRead(secretARN: entry.arn(configuration), secretID: secretID)
    if let refusal = secretReadCheck(request) { throw refusal }
  }

  /// Opens a sealed value; any failure is the one clear error that names the entry.
  func open(_ sealed: [UInt8], context: SealingContext, displayName: String, _ db: Database) throws
    -> SecretBytes
  {
    // Built only when needed: its message is formatted text, and every read passes here.
    func rejected() -> StoreError {
      StoreError.sealedValueRejected(
        kind: context.kind, name: displayName, version: context.version)
    }
    do {
      guard let material = try keyMaterial(try Envelope.keyID(of: sealed), db) else {
        throw rejected()
      }
      return try Envelope.open(sealed, keyMaterial: material, context: context)
    } catch is CryptoError {
      throw rejected()
    }
  }
}

extension SQLiteStore {
  /// Appends one audit row for something that happened outside an operation: a request the
  /// server refused before it reached the store (`result` is the error code).
  package func audit(operation: String, kind: EntryKind?, name: String?, result: String)
    async throws
  {
    let caller = configuration.caller
    let vault = self.vault
    try await writeWithRetry(durable: false) { db in
      try AuditChain.append(
        [AuditEvent(operation: operation, kind: kind, name: name, version: nil, result: result)],
        caller: caller, at: Date(), db, vault: vault)
    }
  }
}

/// What the store knows about its one writer connection: its `synchronous` setting (FULL when
/// the store opens), changed only when an operation needs the other one, so that a run of
/// reads, or of writes, sets it once rather than twice per operation (two statements, ~15 k
/// instructions of a `cinch serve` request).
final class WriterState: Sendable {
  private let durable = Mutex(true)
  /// Reads waiting for the writer, run together.
  let reads = ReadBatcher()
  /// Turns at the writer, each until its operation's deadline, and the uses `close` waits for.
  let gate: WriterGate

  init(gate: WriterGate = WriterGate()) {
    self.gate = gate
  }

  /// Sets `synchronous` to FULL (`durable`) or NORMAL on `db`, the writer, unless it is already.
  /// Called inside the writer's serialized access.
  func setDurable(_ wanted: Bool, _ db: Database) throws {
    guard durable.withLock({ $0 }) != wanted else { return }
    try db.execute(cached: wanted ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
    durable.withLock { $0 = wanted }
  }
}
