/// Work started on another thread before it is needed, because nothing before that point
/// depends on it: `check` and `lock` open the store (reading the key, unwrapping it, libcrypto's
/// first algorithm fetch, SQLite's connections: ~17 M instructions) while the templates are
/// parsed and analysed on the first thread.
///
/// Errors keep their order: the work's error is seen only where its value is asked for, after
/// whatever the command reported first; a command that fails before then calls `abandon`, so no
/// store is still being opened while the process exits.
struct StartedAhead<Value: Sendable>: Sendable {
  private let task: Task<Value, any Error>?
  private let work: @Sendable () async throws -> Value

  /// Starts `work` now when `condition` holds; otherwise it runs when its value is asked for.
  init(when condition: Bool, _ work: @escaping @Sendable () async throws -> Value) {
    self.work = work
    self.task = condition ? Task.detached(operation: work) : nil
  }

  /// The work's value (or error): the started task's, or the work done now.
  func value() async throws -> Value {
    if let task { return try await task.value }
    return try await work()
  }

  /// Waits for started work to finish and drops what it made (a store so opened is closed).
  func abandon() async {
    _ = await task?.result
  }
}
