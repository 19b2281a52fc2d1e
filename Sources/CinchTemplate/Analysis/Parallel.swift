import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

extension Array where Element: Sendable {
  /// `map` with the elements spread over the machine's cores (the calling thread is one of
  /// them), results in the elements' order. For work that shares nothing, such as parsing and
  /// analysing each template of a run; one element is transformed on the calling thread.
  package func parallelMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
    guard count > 1 else { return map(transform) }
    let results = Mutex<[T?]>(Array<T?>(repeating: nil, count: count))
    DispatchQueue.concurrentPerform(iterations: count) { index in
      let result = transform(self[index])
      results.withLock { $0[index] = result }
    }
    // concurrentPerform returns once every iteration has run, so every slot is filled.
    return results.withLock { $0.compactMap { $0 } }
  }
}

/// Runs `first` on the calling thread and `second` on a thread of its own, at the same time,
/// and returns both results. A thread of its own rather than `DispatchQueue.concurrentPerform`:
/// dispatch sizes that by the cores it counts as idle, and a command's other thread (opening
/// the store) made it run both on the caller, one after the other.
package func inParallel<A, B: Sendable>(
  _ first: () -> A, _ second: @escaping @Sendable () -> B
) -> (A, B) {
  let job = ThreadJob(second)
  guard let thread = job.start() else { return (first(), second()) }
  let a = first()
  pthread_join(thread, nil)
  // The join orders the thread's write of the result before this read.
  guard let b = job.result else { preconditionFailure("the thread ran its work") }
  return (a, b)
}

/// Work for a thread of its own.
private class ThreadWork: @unchecked Sendable {
  func run() {}

  /// Starts a thread that runs `run()`; nil when none could be made.
  func start() -> pthread_t? {
    var thread = pthread_t()
    let created = pthread_create(
      &thread, nil,
      { raw in
        guard let raw else { return nil }
        Unmanaged<ThreadWork>.fromOpaque(raw).takeUnretainedValue().run()
        return nil
      }, Unmanaged.passUnretained(self).toOpaque())
    return created == 0 ? thread : nil
  }
}

/// `inParallel`'s second half and its result, written by its thread before that thread ends
/// and read only after it was joined.
private final class ThreadJob<B>: ThreadWork, @unchecked Sendable {
  let work: @Sendable () -> B
  var result: B?

  init(_ work: @escaping @Sendable () -> B) { self.work = work }

  override func run() { result = work() }
}
