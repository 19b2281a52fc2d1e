import Foundation

/// Another process holding a store's write lock (`BEGIN IMMEDIATE`), as `sqlite3` or any other
/// program may, until `release`: what makes the store's operations wait and then give up busy.
/// A process (python3's sqlite3) rather than a connection of the test's own, so the lock is
/// held as another process holds it, and a test target needs no SQLite library to hold it.
package final class WriteLockHolder: Sendable {
  private let process: Process

  package struct Failure: Error, CustomStringConvertible {
    package var description: String
  }

  /// Returns once the lock is held. Blocks: call it off the concurrency pool (`offThePool`).
  package init(storePath: String) throws {
    let holder = Process()
    holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    holder.arguments = [
      "python3", "-c",
      """
      import sqlite3, sys, time
      db = sqlite3.connect(sys.argv[1], isolation_level=None)
      db.execute("BEGIN IMMEDIATE")
      print("held", flush=True)
      time.sleep(300)
      """,
      storePath,
    ]
    let output = Pipe()
    holder.standardOutput = output
    holder.standardInput = FileHandle.nullDevice
    try holder.run()
    process = holder
    let line = ServerProcess.firstLine(of: output.fileHandleForReading, within: 30)
    guard line.hasPrefix("held") else {
      release()
      throw Failure(description: "the lock holder did not start: '\(line)'")
    }
  }

  /// Ends the process, and its transaction with it.
  package func release() {
    ServerProcess.stop(process, within: 5)
  }
}
