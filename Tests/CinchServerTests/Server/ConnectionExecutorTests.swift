import Dispatch
import Foundation
import Synchronization
import Testing

@testable import CinchServer

#if canImport(Glibc)
  import Glibc
#endif

/// The executor that runs a request's handler on its connection's thread.
struct ConnectionExecutorTests {
  /// Work handed to another queue and awaited, as the store hands its transactions to GRDB's.
  static func elsewhere(_ value: Int) async -> Int {
    await withCheckedContinuation { continuation in
      DispatchQueue.global().async { continuation.resume(returning: value * 2) }
    }
  }

  final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
  }

  final class Threads: Sendable {
    let seen = Mutex<[pthread_t]>([])
    func record() { seen.withLock { $0.append(pthread_self()) } }
  }

  /// Runs `body` on a thread of its own (the executor blocks the thread that runs it).
  static func onAThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
      Thread { continuation.resume(returning: body()) }.start()
    }
  }

  @Test func theHandlerRunsOnTheCallingThreadAcrossAwaits() async {
    let threads = Threads()
    let (result, caller) = await Self.onAThread { () -> (Int?, pthread_t) in
      let executor = ConnectionExecutor()
      var last: Int?
      for round in 1...3 {
        last = executor.run(timeout: 10) {
          threads.record()
          let doubled = await Self.elsewhere(round)
          threads.record()
          return doubled
        }
      }
      return (last, pthread_self())
    }
    #expect(result == 6)
    let seen = threads.seen.withLock { $0 }
    #expect(seen.count == 6)
    #expect(seen.allSatisfy { pthread_equal($0, caller) != 0 })
  }

  @Test func aHandlerThatOutlivesItsWaitFinishesElsewhere() async throws {
    let finished = Flag()
    let result = await Self.onAThread { () -> Int? in
      ConnectionExecutor().run(timeout: 0.05) { () -> Int in
        // Cancelled when the wait ends: the sleep returns early, and the rest still runs.
        try? await Task.sleep(for: .seconds(30))
        _ = await Self.elsewhere(1)
        finished.set()
        return 1
      }
    }
    #expect(result == nil)
    // Bounded wait for the abandoned task, now on the global executor, to run to its end.
    for _ in 0..<500 where !finished.isSet {
      try await Task.sleep(for: .milliseconds(10))
    }
    #expect(finished.isSet)
  }
}
