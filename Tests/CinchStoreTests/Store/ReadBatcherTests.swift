import Dispatch
import Foundation
import Synchronization
import Testing

@testable import CinchStore

/// Group commit of reads: every read runs exactly once and gets its own outcome, reads that
/// queue behind a running batch share the next one, and the audit log records each read under
/// its own caller.
@Suite struct ReadBatcherTests {
  /// The batcher alone, on real threads (a connection's thread each in `cinch serve`): the
  /// first read's batch holds the writer until every other read has arrived, so they queue.
  @Test func readsThatQueueBehindABatchShareTheNextOne() {
    let batcher = ReadBatcher()
    let batches = Mutex<[[Int]]>([])
    let ran = Mutex<[Int: Int]>([:])
    let arrived = Atomic<Int>(0)
    let firstBatchStarted = DispatchSemaphore(value: 0)
    let items = (0..<6).map { index in
      ReadBatchItem(caller: "c\(index)", deadline: .now + .seconds(30)) { _ in [] }
    }
    let finished = DispatchGroup()
    func start(_ index: Int) {
      finished.enter()
      Thread {
        arrived.add(1, ordering: .sequentiallyConsistent)
        batcher.run(items[index]) { batch in
          let members = batch.map { item in items.firstIndex { $0 === item }! }
          let first = batches.withLock { seen in
            seen.append(members)
            return seen.count == 1
          }
          for member in members { ran.withLock { $0[member, default: 0] += 1 } }
          if first {
            firstBatchStarted.signal()
            while arrived.load(ordering: .sequentiallyConsistent) < items.count { usleep(1_000) }
            usleep(50_000)  // from arriving to being queued
          }
        }
        finished.leave()
      }.start()
    }
    start(0)
    firstBatchStarted.wait()
    for index in 1..<items.count { start(index) }
    finished.wait()
    let seen = batches.withLock { $0 }
    #expect(ran.withLock { $0 } == Dictionary(uniqueKeysWithValues: (0..<6).map { ($0, 1) }))
    #expect(seen.first == [0], "the first read leads a batch of its own")
    #expect(seen.count < items.count, "later reads shared batches: \(seen)")
    #expect(seen.flatMap { $0 }.sorted() == Array(0..<6))
  }

  /// The store under concurrent reads from several callers: right answers, failures kept to
  /// their own read, one audit row per read under its caller, an intact chain.
  @Test func concurrentReadsKeepTheirOwnOutcomesAndAuditRows() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.put("/app/a", "alpha", type: .secureString, overwrite: false)
    try await store.put("/app/b", "beta", overwrite: false)
    let before = try await store.auditRecords(name: nil, limit: nil).count
    let callers = 8
    let perCaller = 40
    let answers = try await withThrowingTaskGroup(of: [String].self) { group in
      for index in 0..<callers {
        let caller = store.withCaller("AKIACALLER\(index)")
        group.addTask {
          var mine: [String] = []
          for step in 0..<perCaller {
            switch step % 3 {
            case 0: mine.append(try await caller.get("/app/a").value)
            case 1: mine.append(try await caller.get("/app/b").value)
            default:
              do {
                _ = try await caller.get("/app/missing")
                mine.append("found")
              } catch let error as StoreError {
                mine.append(error.code)
              }
            }
          }
          return mine
        }
      }
      var all: [String] = []
      for try await batch in group { all += batch }
      return all
    }
    let expected = (0..<perCaller).map { ["alpha", "beta", "ParameterNotFound"][$0 % 3] }
    #expect(answers.sorted() == Array(repeating: expected, count: callers).flatMap { $0 }.sorted())

    let records = try await store.auditRecords(name: nil, limit: nil)
    #expect(records.count == before + callers * perCaller)
    for index in 0..<callers {
      let mine = records.filter { $0.caller == "AKIACALLER\(index)" }
      #expect(mine.count == perCaller)
      #expect(mine.filter { $0.result == "ParameterNotFound" }.count == perCaller / 3)
      #expect(mine.allSatisfy { $0.operation == "GetParameter" })
    }
    #expect(try await store.verifyAuditLog().isIntact)
  }
}
