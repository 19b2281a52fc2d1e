import Foundation

/// A task executor that runs jobs on the thread of one connection, while that thread waits for
/// its request's answer: the handler's code runs where the request was read, and only the
/// store's own queues are other threads. Without it a request crossed to the concurrency pool
/// and back, two thread wake-ups of the ~6 a request cost (Benchmarks/NOTES.md).
///
/// A handler that outlives its wait (the request timed out) is not stranded: the executor is
/// then abandoned, and its pending and later jobs go to the global concurrent executor.
final class ConnectionExecutor: TaskExecutor, @unchecked Sendable {
  // Guarded by `condition`.
  private let condition = NSCondition()
  private var jobs: [UnownedJob] = []
  private var finished = false
  private var abandoned = false

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    condition.lock()
    if abandoned {
      condition.unlock()
      globalConcurrentExecutor.enqueue(job)
      return
    }
    jobs.append(job)
    condition.signal()
    condition.unlock()
  }

  /// Runs `operation` as a task preferring this executor and runs its jobs on the calling
  /// thread until it returns; nil when it did not within `timeout` seconds (the task is then
  /// cancelled and left to finish elsewhere).
  func run<T: Sendable>(
    timeout: TimeInterval, _ operation: @escaping @Sendable () async -> T
  ) -> T? {
    let result = ResultBox<T>()
    let task = Task(executorPreference: self) {
      let value = await operation()
      result.set(value)
      self.finish()
    }
    let deadline = Date(timeIntervalSinceNow: timeout)
    condition.lock()
    while true {
      while jobs.isEmpty && !finished {
        guard condition.wait(until: deadline) else {
          abandon()
          condition.unlock()
          task.cancel()
          return nil
        }
      }
      if jobs.isEmpty {
        finished = false
        condition.unlock()
        return result.value
      }
      let batch = jobs
      jobs.removeAll(keepingCapacity: true)
      condition.unlock()
      for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
      condition.lock()
    }
  }

  private func finish() {
    condition.lock()
    finished = true
    condition.signal()
    condition.unlock()
  }

  /// Called with the lock held: hands what is queued, and whatever comes later, to the pool.
  private func abandon() {
    abandoned = true
    for job in jobs { globalConcurrentExecutor.enqueue(job) }
    jobs.removeAll()
  }

  private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T?
    func set(_ value: T) { lock.withLock { stored = value } }
    var value: T? { lock.withLock { stored } }
  }
}
