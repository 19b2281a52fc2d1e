import Dispatch
import GRDB
import Synchronization

/// Group commit for reads: reads that arrive while another read holds the writer wait for it,
/// then all of them run in one write transaction with one append to the audit log.
///
/// Every audited read is a write (its audit row), so concurrent reads (`cinch serve`) queue for
/// the one writer connection. One at a time, each paid a transaction of its own (`BEGIN`,
/// `COMMIT`, the chain's head read and sealed again, three WAL frames) and, when it had to
/// wait, a hand-over of the writer from thread to thread during which the writer was idle; a
/// third of the server's thread switches were such waits (Benchmarks/NOTES.md). Here the first
/// read to find no batch running leads: it takes every read queued so far (its own included),
/// runs them in one transaction on its own thread, then wakes the others with their results and
/// passes the lead to the first read that queued meanwhile. A read alone (the CLI) leads a batch
/// of one, as before.
///
/// Only reads that change nothing but the audit log are batched (`SQLiteStore.batchedReads`):
/// one that fails leaves nothing to roll back, so no savepoint separates them. Each keeps its
/// own caller in the log and its own `CredentialCheck`. Everything runs synchronously on the
/// threads of the callers (the writer's way, `writeWithRetry`): no read waits on a task that
/// needs a free thread to run.
final class ReadBatcher: Sendable {
  private struct State {
    var queued: [ReadBatchItem] = []
    var leading = false
  }

  private let state = Mutex(State())

  /// Runs `item` in a batch: as its leader (with `runBatch`) or as a member of another read's
  /// batch. Returns once the item has its outcome.
  func run(_ item: ReadBatchItem, runBatch: ([ReadBatchItem]) -> Void) {
    let leads = state.withLock { state in
      state.queued.append(item)
      guard !state.leading else { return false }
      state.leading = true
      return true
    }
    if !leads {
      guard item.waitForTurn() == .lead else { return }
    }
    let batch = state.withLock { state in
      defer { state.queued.removeAll(keepingCapacity: true) }
      return state.queued
    }
    runBatch(batch)
    let next = state.withLock { state -> ReadBatchItem? in
      guard let first = state.queued.first else {
        state.leading = false
        return nil
      }
      return first
    }
    for member in batch where member !== item { member.finish(.done) }
    next?.finish(.lead)
  }
}

/// One read in a `ReadBatcher`: its work, run by whichever thread leads its batch, and the
/// wait for it.
final class ReadBatchItem: @unchecked Sendable {
  enum Turn { case done, lead }

  let caller: String?
  /// When the read stops waiting for the write lock (`SQLiteStore.busyDeadline`).
  let deadline: ContinuousClock.Instant
  /// Runs the read's body on the batch's connection and keeps its outcome; returns the audit
  /// events it leaves (none when it failed without reaching the store's rules).
  let work: (Database) -> [AuditEvent]
  /// Set when the batch's transaction failed as a whole: the read's own outcome is void.
  var batchFailure: (any Error)?

  private let signal = DispatchSemaphore(value: 0)
  // Written before `signal` is raised, read after it is awaited.
  private var turn = Turn.done

  init(
    caller: String?, deadline: ContinuousClock.Instant,
    work: @escaping (Database) -> [AuditEvent]
  ) {
    self.caller = caller
    self.deadline = deadline
    self.work = work
  }

  func waitForTurn() -> Turn {
    signal.wait()
    return turn
  }

  func finish(_ turn: Turn) {
    self.turn = turn
    signal.signal()
  }
}
