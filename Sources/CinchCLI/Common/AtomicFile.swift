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
    try writeAll([(bytes, path, mode)])
  }

  /// Writes several files all or none, as far as a file system allows: every one is written
  /// and fsynced to its temporary name first (a full disk or an unwritable folder fails here,
  /// with nothing replaced and every temporary removed), then each is renamed into place, in
  /// order (a folder's `manifest.json` last, so it never describes files not yet there).
  static func writeAll(_ files: [(bytes: [UInt8], path: String, mode: mode_t)]) throws {
    var staged: [(temporary: String, path: String)] = []
    do {
      for file in files {
        staged.append((try stage(file.bytes, for: file.path, mode: file.mode), file.path))
      }
    } catch {
      for file in staged { unlink(file.temporary) }
      throw error
    }
    for (index, file) in staged.enumerated() where rename(file.temporary, file.path) != 0 {
      let failure = failure("cannot replace '\(file.path)'")
      for rest in staged[index...] { unlink(rest.temporary) }
      throw failure
    }
  }

  /// Writes `bytes` to a temporary file beside `path`, created with its final mode (never
  /// wider, not even for a moment) and fsynced; returns its path.
  private static func stage(_ bytes: [UInt8], for path: String, mode: mode_t) throws -> String {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    try createDirectory(directory)
    let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC, mode)
    guard fd >= 0 else { throw failure("cannot create a file in '\(directory)'") }
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
    ok = true
    return temporary
  }

  /// `mkdir -p`, with the system's reason when it fails (a file in the way, no permission).
  private static func createDirectory(_ path: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw CommandFailure(message: "cannot write into '\(path)': it is a file, not a folder")
      }
      return
    }
    let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
    if parent != path { try createDirectory(parent) }
    guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
      throw failure("cannot create the folder '\(path)'")
    }
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
