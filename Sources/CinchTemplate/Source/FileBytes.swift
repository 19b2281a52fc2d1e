#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a whole file with POSIX calls: no Foundation on the hot path, one allocation sized
/// from `fstat`, and a size limit checked before anything is read.
enum FileBytes {
  static let standardInput = STDIN_FILENO

  static func read(path: String, limit: Int) throws(SourceFileError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      let code = errno
      if code == ENOENT { throw .notFound(path: path) }
      throw .unreadable(path: path, reason: String(cString: strerror(code)))
    }
    defer { close(fd) }
    return try read(descriptor: fd, path: path, limit: limit)
  }

  /// Reads what is left of an open descriptor (standard input, a pipe), named `path` in errors;
  /// the descriptor stays open.
  static func read(descriptor fd: Int32, path: String, limit: Int) throws(SourceFileError)
    -> [UInt8]
  {
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    if (info.st_mode & S_IFMT) == S_IFDIR {
      throw .unreadable(path: path, reason: "is a directory")
    }
    let expected = Int(info.st_size)
    if expected > limit { throw .tooLarge(path: path, size: expected, limit: limit) }
    var result = [UInt8]()
    result.reserveCapacity(expected + 1)
    var chunk = [UInt8](repeating: 0, count: max(64 * 1024, min(expected + 1, 16 << 20)))
    while true {
      let count = chunk.withUnsafeMutableBytes { buffer in
        posixRead(fd, buffer.baseAddress, buffer.count)
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw .unreadable(path: path, reason: String(cString: strerror(errno)))
      }
      if count == 0 { break }
      result.append(contentsOf: chunk[0..<count])
      if result.count > limit { throw .tooLarge(path: path, size: result.count, limit: limit) }
    }
    return result
  }
}

private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
  #if canImport(Glibc)
    Glibc.read(fd, buffer, count)
  #else
    Darwin.read(fd, buffer, count)
  #endif
}
