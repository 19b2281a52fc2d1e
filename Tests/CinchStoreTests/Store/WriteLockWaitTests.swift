import Foundation
import GRDB
import Testing
import _CinchTestSupport

@testable import CinchStore

/// How long operations wait for the write lock another process holds: each until its own
/// deadline (the busy timeout from when it began), however many wait ahead of it; all at once
/// when the store stops the waits (a server shutting down) or closes.
@Suite struct WriteLockWaitTests {
  /// Another process holding the write lock (`BEGIN IMMEDIATE`) until `release`.
  final class LockHolder: Sendable {
    let queue: DatabaseQueue

    init(_ path: String) async throws {
      var configuration = Configuration()
      configuration.allowsUnsafeTransactions = true
      queue = try DatabaseQueue(path: path, configuration: configuration)
      try await queue.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
    }

    func release() async throws {
      try await queue.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
    }
  }

  /// Runs each job on a thread of its own: operations that block their thread while they wait
  /// for the lock (as a `cinch serve` request blocks its connection's thread) all wait at once,
  /// rather than as many at a time as the concurrency pool has threads.
  final class ThreadPerJobExecutor: TaskExecutor {
    func enqueue(_ job: consuming ExecutorJob) {
      let job = UnownedJob(job)
      Thread { job.runSynchronously(on: self.asUnownedTaskExecutor()) }.start()
    }
  }

  /// A store holding the parameter `/app/read`, opened with `configuration` when given, and
  /// another process holding its write lock.
  static func heldStore(_ configuration: StoreConfiguration? = nil) async throws -> (
    fixture: StoreFixture, store: SQLiteStore, holder: LockHolder
  ) {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("/app/read", "v", overwrite: false)
    var store = fixture.store
    if let configuration { store = try await fixture.reopen(configuration: configuration) }
    return (fixture, store, try await LockHolder(fixture.storePath))
  }

  /// An operation started on a thread of its own: how long it took, when it ended, and its
  /// error code ("ok" when it succeeded, the error's text when it was not a `StoreError`).
  /// Both times are read on that thread: a test's own task may resume late on a loaded
  /// machine's concurrency pool (under the full suite, by 20 s and more).
  static func started(
    on executor: ThreadPerJobExecutor, _ operation: @escaping @Sendable () async throws -> Void
  ) -> Task<(elapsed: Duration, ended: ContinuousClock.Instant, outcome: String), Never> {
    Task(executorPreference: executor) {
      let start = ContinuousClock.now
      let outcome: String
      do {
        try await operation()
        outcome = "ok"
      } catch let error as StoreError {
        outcome = error.code
      } catch {
        outcome = "\(error)"
      }
      let ended = ContinuousClock.now
      return (ended - start, ended, outcome)
    }
  }

  /// Five writes and three reads behind a lock held throughout: each gives up about the busy
  /// timeout after it began. Until 2026-12-08 a write waited for the writes ahead of it (GRDB's
  /// queue, without a bound) and then the busy timeout of its own: with a 30 s timeout the
  /// third of five writes failed after 95 s, and an SDK's retries queued behind requests it had
  /// given up on, which could still commit (a second version of the same put).
  @Test func operationsQueuedBehindAHeldLockEachGiveUpAtTheirOwnDeadline() async throws {
    let timeout = 3.0
    let (_, store, holder) = try await Self.heldStore(
      StoreConfiguration(busyTimeoutSeconds: timeout))
    let executor = ThreadPerJobExecutor()
    var waiting:
      [Task<(elapsed: Duration, ended: ContinuousClock.Instant, outcome: String), Never>] =
        []
    for index in 0..<8 {
      waiting.append(
        Self.started(on: executor) {
          if index < 5 {
            try await store.put("/app/w\(index)", "v", overwrite: false)
          } else {
            _ = try await store.get("/app/read")
          }
        })
      try await Task.sleep(for: .milliseconds(100))
    }
    for (index, operation) in waiting.enumerated() {
      let (elapsed, _, outcome) = await operation.value
      #expect(outcome == "TooManyUpdates", "operation \(index)")
      // The deadline, plus room for a loaded machine (measured on the operation's own thread);
      // the second write in line took twice the timeout before.
      #expect(elapsed >= .seconds(timeout - 0.1), "operation \(index): \(elapsed)")
      #expect(elapsed < .seconds(timeout + 2), "operation \(index): \(elapsed)")
    }
    try await holder.release()
    #expect(try await store.put("/app/w0", "v", overwrite: false).version == 1)
  }

  /// A server shutting down stops the waits: every operation waiting for the lock gives up at
  /// once with the busy error (which SDKs retry), and none waits out its timeout. An operation
  /// that finds the lock free still runs.
  @Test func stoppingTheWaitsAnswersEveryWaitingOperationAtOnce() async throws {
    let (_, store, holder) = try await Self.heldStore()
    let executor = ThreadPerJobExecutor()
    let waiting = [
      Self.started(on: executor) { try await store.put("/app/a", "v", overwrite: false) },
      Self.started(on: executor) { try await store.put("/app/b", "v", overwrite: false) },
      Self.started(on: executor) { _ = try await store.get("/app/read") },
    ]
    try await Task.sleep(for: .milliseconds(500))
    let stopping = ContinuousClock.now
    store.stopWaiting()
    for operation in waiting {
      let (_, ended, outcome) = await operation.value
      #expect(outcome == "TooManyUpdates")
      // The busy timeout is 30 s.
      #expect(ended - stopping < .seconds(10), "\(ended - stopping)")
    }
    await expectStoreError("TooManyUpdates") {
      try await store.put("/app/c", "v", overwrite: false)
    }
    try await holder.release()
    #expect(try await store.put("/app/c", "v", overwrite: false).version == 1)
  }

  /// Closing a store under operations waiting for the lock ends their waits rather than
  /// waiting for them (or closing the connection under them), and an operation after the close
  /// is refused with the busy error, retryable, whose served form names no path. Until
  /// 2026-12-08 the close waited out the write's busy timeout, and the request's next read met
  /// the closed connection: a 500 `store '…': database error: out of memory` (or `Connection is
  /// closed`) to a remote client.
  @Test func closingEndsTheWaitsAndRefusesLaterOperationsAsBusy() async throws {
    let (fixture, store, holder) = try await Self.heldStore()
    let executor = ThreadPerJobExecutor()
    let waiting = Self.started(on: executor) { try await store.put("/app/a", "v") }
    try await Task.sleep(for: .milliseconds(500))
    // Timed on the closing thread: the busy timeout is 30 s.
    let (closing, closed) = try await offThePool {
      let closing = ContinuousClock.now
      try store.close()
      return (closing, ContinuousClock.now)
    }
    #expect(closed - closing < .seconds(10), "\(closed - closing)")
    let (_, ended, outcome) = await waiting.value
    #expect(outcome == "TooManyUpdates")
    #expect(ended - closing < .seconds(10), "\(ended - closing)")
    for operation in [
      { _ = try await store.get("/app/read") },
      { try await store.put("/app/b", "v") },
    ] as [@Sendable () async throws -> Void] {
      do {
        try await operation()
        Issue.record("an operation ran on a closed store")
      } catch let error as StoreError {
        #expect(error.code == "TooManyUpdates", "\(error)")
        #expect(error.message.contains("closed"), "\(error)")
        let served = error.inService(.ssm, operation: "GetParameter").served
        #expect(served.code == "ThrottlingException")
        #expect(served.message == StoreError.busyMessage)
      }
    }
    try await holder.release()
    // The store is as the holder left it: the waiting write never ran.
    let reopened = try await fixture.reopen()
    await expectStoreError("ParameterNotFound") { _ = try await reopened.get("/app/a") }
  }
}
