import Dispatch
import Synchronization

extension Array where Element: Sendable {
  /// `map` with the elements spread over the machine's cores (the calling thread is one of
  /// them), results in the elements' order. For work that shares nothing, such as parsing and
  /// analysing each template of a run; one element is transformed on the calling thread.
  func parallelMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
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
