import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a file whole or not at all: a temporary file in the same folder, created with its
/// final mode (never wider, not even for a moment), fsynced, then renamed over the target.
enum AtomicFile {
  static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws {
    try write(bytes: Array(text.utf8), to: path, mode: mode)
  }

  static func write(bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC, mode)
    guard fd >= 0 else { throw failure("cannot create '\(temporary)'") }
    var ok = false
    defer {
      close(fd)
      if !ok { unlink(temporary) }
    }
    // umask may have narrowed the mode; never widened it. Make it exact.
    fchmod(fd, mode)
    var bytes = bytes
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeMutableBytes { buffer in
        systemWrite(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
      }
      if written < 0 {
        if errno == EINTR { continue }
        throw failure("cannot write '\(path)'")
      }
      offset += written
    }
    guard fsync(fd) == 0 else { throw failure("cannot write '\(path)'") }
    guard rename(temporary, path) == 0 else { throw failure("cannot replace '\(path)'") }
    ok = true
  }

  private static func failure(_ what: String) -> CommandFailure {
    CommandFailure(message: "\(what): \(String(cString: strerror(errno)))")
  }

  private static func systemWrite(_ fd: Int32, _ pointer: UnsafeMutableRawPointer?, _ count: Int)
    -> Int
  {
    #if canImport(Glibc)
      Glibc.write(fd, pointer, count)
    #else
      Darwin.write(fd, pointer, count)
    #endif
  }
}
