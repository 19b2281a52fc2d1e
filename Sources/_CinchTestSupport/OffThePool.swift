import Foundation

/// Runs blocking work (a child process, a blocking socket read, a sleep) on a thread of its
/// own and awaits its result, so the test never holds one of the concurrency pool's threads
/// while it waits.
///
/// The pool has as many threads as the machine has cores (two on CI), and Swift Testing runs
/// several tests at once on it: a test that blocked a pool thread for a child process kept
/// every other test's `await` from resuming meanwhile. Once, for over 100 seconds, that made a
/// server test's idle connection time out and a one-second lease expire before it was renewed.
package func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    let thread = Thread { continuation.resume(with: Result { try body() }) }
    thread.name = "cinch-test-blocking"
    thread.start()
  }
}

extension Process {
  /// Starts the process and waits for it to exit, off the concurrency pool.
  package func runUntilExit() async throws {
    try run()
    _ = try await offThePool { self.waitUntilExit() }
  }
}
