import Dispatch
import Foundation
import Synchronization

/// Turns at the store's one writer connection, each taken until a deadline, and the store's
/// operations in progress, which a close waits for.
///
/// GRDB serialises the writer on a dispatch queue, where a write waits for the writes ahead of
/// it without a bound. Behind another process holding the write lock, each queued write
/// waited for the one ahead (which waited up to the busy timeout) and then up to the busy
/// timeout of its own: with five concurrent `PutParameter` calls and a 30 s timeout, they
/// failed after 32, 63 and 95 s, and an SDK's retries queued behind requests it had given up
/// on, which could still commit. Here an operation waits for its turn, in order of arrival, no
/// later than its deadline (the busy timeout from when it began), and SQLite's busy handler
/// waits for the lock until the same deadline (`busyWait`): every operation gives up at its
/// own deadline, whatever waits ahead of it.
///
/// `stopWaiting` ends every wait at once (a server shutting down); `close` also refuses every
/// operation from then on, after those in progress have ended. Uncontended, a turn costs two
/// lock operations; a waiter sleeps on a semaphore of its own, woken once, when its turn comes.
final class WriterGate: Sendable {
  /// Why a turn was not given.
  enum Refusal: Error, Equatable {
    /// The operation's deadline passed while it waited.
    case deadlinePassed
    /// `stopWaiting` was called, and the writer was taken.
    case waitsStopped
    /// `close` was called.
    case closed
  }

  /// How SQLite's busy handler waits for the write lock.
  enum BusyWait: Equatable {
    /// Up to the operation's deadline.
    case until(ContinuousClock.Instant)
    /// Not at all: the waits are stopped.
    case stop
    /// Up to the busy timeout (no operation's turn: an open, a migration).
    case timeout
  }

  private final class Waiter: @unchecked Sendable {
    let deadline: ContinuousClock.Instant
    let signal = DispatchSemaphore(value: 0)
    /// Set, under the gate's lock, before `signal` is raised.
    var outcome: Result<Void, Refusal>?

    init(deadline: ContinuousClock.Instant) {
      self.deadline = deadline
    }
  }

  private struct State {
    var held = false
    /// The deadline of the operation whose turn it is.
    var holderDeadline: ContinuousClock.Instant?
    var queue: [Waiter] = []
    /// Reads in progress (on reader connections, outside the turns).
    var reads = 0
    var waitsStopped = false
    var closed = false
  }

  private let state = Mutex(State())

  /// Takes the writer's turn, waiting for the operations ahead until `deadline`. Throws when
  /// the deadline passes first, when the waits are stopped and the writer is taken, and when
  /// the store is closed. Every turn taken is given back with `release`.
  func acquire(until deadline: ContinuousClock.Instant) throws(Refusal) {
    let queued = state.withLock { state -> Result<Waiter?, Refusal> in
      if state.closed { return .failure(.closed) }
      if !state.held {
        state.held = true
        state.holderDeadline = deadline
        return .success(nil)
      }
      if state.waitsStopped { return .failure(.waitsStopped) }
      let waiter = Waiter(deadline: deadline)
      state.queue.append(waiter)
      return .success(waiter)
    }
    guard let waiter = try queued.get() else { return }
    let left = ContinuousClock.now.duration(to: deadline)
    let nanoseconds =
      max(left.components.seconds, 0) * 1_000_000_000
      + max(left.components.attoseconds, 0) / 1_000_000_000
    if waiter.signal.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .timedOut {
      let gaveUp = state.withLock { state -> Refusal? in
        guard let index = state.queue.firstIndex(where: { $0 === waiter }) else { return nil }
        state.queue.remove(at: index)
        return state.closed ? .closed : state.waitsStopped ? .waitsStopped : .deadlinePassed
      }
      if let gaveUp { throw gaveUp }
      // Its turn (or a refusal) came as the wait ended: the signal is raised, or about to be.
      waiter.signal.wait()
    }
    try state.withLock { _ in waiter.outcome ?? .failure(.deadlinePassed) }.get()
  }

  /// Gives the turn to the operation that has waited longest, or frees the writer.
  func release() {
    state.withLock { state in
      guard !state.queue.isEmpty else {
        state.held = false
        state.holderDeadline = nil
        return
      }
      let next = state.queue.removeFirst()
      state.holderDeadline = next.deadline
      next.outcome = .success(())
      next.signal.signal()
    }
  }

  /// How long the busy handler waits for the write lock now: the deadline of the operation
  /// whose turn it is (a reader meeting a busy lock, which WAL makes rare, waits as long).
  var busyWait: BusyWait {
    state.withLock { state in
      if state.waitsStopped { return .stop }
      if let deadline = state.holderDeadline { return .until(deadline) }
      return .timeout
    }
  }

  /// Ends every wait: the operations waiting for their turn are refused, the one waiting for
  /// the write lock gives up at the busy handler's next call, and from now on an operation
  /// that finds the writer taken or the lock held does not wait. One that finds both free still
  /// runs.
  func stopWaiting() {
    state.withLock { state in Self.stopWaits(&state, with: .waitsStopped) }
  }

  var waitsStopped: Bool { state.withLock { $0.waitsStopped } }

  /// Counts a read in progress, for `close` to wait for; throws once the store is closed.
  func beginRead() throws(Refusal) {
    try state.withLock { state throws(Refusal) in
      if state.closed { throw .closed }
      state.reads += 1
    }
  }

  func endRead() {
    state.withLock { $0.reads -= 1 }
  }

  var isClosed: Bool { state.withLock { $0.closed } }

  /// Refuses every operation from now on, ends the waits, and returns once the operations in
  /// progress (a turn taken, a read) have ended: they run on other threads and, with their
  /// waits ended, end soon.
  func close() {
    state.withLock { state in
      state.closed = true
      Self.stopWaits(&state, with: .closed)
    }
    while state.withLock({ $0.held || $0.reads > 0 }) { usleep(1_000) }
  }

  private static func stopWaits(_ state: inout State, with refusal: Refusal) {
    state.waitsStopped = true
    for waiter in state.queue {
      waiter.outcome = .failure(refusal)
      waiter.signal.signal()
    }
    state.queue.removeAll()
  }
}
