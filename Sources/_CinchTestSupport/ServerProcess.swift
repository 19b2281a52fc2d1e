package import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Bounded waits on a server a test started (`cinch serve`): for the line it prints once it
/// listens, and for its end once told to stop. A server that stalls fails its test, named,
/// instead of holding the test run.
package enum ServerProcess {
  /// What `handle` gives until a newline, its end, or `seconds` (the read waits in `poll`).
  package static func firstLine(of handle: FileHandle, within seconds: Double) -> String {
    let deadline = Date().addingTimeInterval(seconds)
    var line = Data()
    var buffer = [UInt8](repeating: 0, count: 4096)
    while !line.contains(UInt8(ascii: "\n")) {
      let left = deadline.timeIntervalSinceNow
      guard left > 0 else { break }
      var watched = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
      let ready = poll(&watched, 1, Int32(min(left, 1) * 1000))
      if ready < 0, errno == EINTR { continue }
      guard ready >= 0 else { break }
      if ready == 0 { continue }
      let count = buffer.withUnsafeMutableBytes {
        read(handle.fileDescriptor, $0.baseAddress, $0.count)
      }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { break }
      line.append(contentsOf: buffer[0..<count])
    }
    return String(decoding: line, as: UTF8.self)
  }

  /// Waits up to `seconds` for `process` to end; whether it did.
  @discardableResult
  package static func waitForExit(_ process: Process, seconds: Double) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning, Date() < deadline { usleep(20_000) }
    return !process.isRunning
  }

  /// Ends `process`: SIGTERM, up to `seconds` for it to finish what it was doing, then SIGKILL.
  package static func stop(_ process: Process, within seconds: Double = 45) {
    guard process.isRunning else { return }
    kill(process.processIdentifier, SIGTERM)
    waitForExit(process, seconds: seconds)
    // Not reaped while it runs, so the pid is still the server's.
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }
}
