import Foundation

#if canImport(Glibc)
  import Glibc
  private let systemRead = Glibc.read
  private let systemWrite = Glibc.write
#elseif canImport(Musl)
  import Musl
  private let systemRead = Musl.read
  private let systemWrite = Musl.write
#elseif canImport(Darwin)
  import Darwin
  private let systemRead = Darwin.read
  private let systemWrite = Darwin.write
#endif

/// The key file: exactly 32 random bytes, created with mode 0600 in one `open(O_CREAT|O_EXCL)`
/// (never `chmod` after the fact, never over an existing file), and flushed to disk before the
/// store that depends on it is written.
package enum KeyFile {
  package static func create(at path: String) throws -> SecretBytes {
    let key = try Crypto.randomKey()
    try SecureFile.createExclusive(at: path) { descriptor in
      try key.withUnsafeBytes { bytes in try SecureFile.writeAll(descriptor, bytes, path: path) }
    } ifExists: {
      isDirectory(path)
        ? StoreAccessError.keyFileIsDirectory(path: path) : .keyFileExists(path: path)
    }
    return key
  }

  /// Whether nothing is at `path` (a link to nothing included): what `read` reports as
  /// `keyFileNotFound`.
  static func isMissing(at path: String) -> Bool {
    var status = stat()
    return stat(path, &status) != 0 && errno == ENOENT
  }

  package static func read(at path: String) throws -> SecretBytes {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      if errno == ENOENT { throw StoreAccessError.keyFileNotFound(path: path) }
      throw StoreAccessError.io(path: path, message: String(cString: strerror(errno)))
    }
    defer { close(descriptor) }
    // A folder opens for reading; its read fails with "Is a directory", which did not say
    // that the folder was named as the key file (`CINCH_MASTER_KEY_FILE=keys`).
    var status = stat()
    if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
      throw StoreAccessError.keyFileIsDirectory(path: path)
    }
    // One byte more than a key, to tell a key file from a longer file.
    let key = try SecretBytes(count: Crypto.keyLength + 1) { buffer in
      var filled = 0
      while filled < buffer.count, let base = buffer.baseAddress {
        let count = systemRead(descriptor, base + filled, buffer.count - filled)
        if count < 0 {
          if errno == EINTR { continue }
          throw StoreAccessError.io(path: path, message: String(cString: strerror(errno)))
        }
        if count == 0 { break }
        filled += count
      }
      guard filled == Crypto.keyLength else {
        throw StoreAccessError.keyFileInvalid(
          path: path,
          reason: filled > Crypto.keyLength
            ? "it is longer than \(Crypto.keyLength) bytes"
            : "it holds \(filled) bytes, not \(Crypto.keyLength)")
      }
    }
    return key.withUnsafeBytes {
      SecretBytes(copying: UnsafeRawBufferPointer(rebasing: $0[0..<Crypto.keyLength]))
    }
  }

  static func isDirectory(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
  }
}

/// Files that hold secrets: created with their final mode, checked for loose permissions.
package enum SecureFile {
  /// Creates `path` with mode 0600 (failing if it exists), runs `write`, fsyncs and closes it;
  /// removes the file again if `write` fails.
  package static func createExclusive(
    at path: String, write: (Int32) throws -> Void, ifExists: () -> any Error
  ) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      if errno == EEXIST { throw ifExists() }
      throw StoreAccessError.file(path, errno: errno)
    }
    do {
      try write(descriptor)
      guard fsync(descriptor) == 0 else { throw StoreAccessError.file(path, errno: errno) }
      close(descriptor)
    } catch {
      close(descriptor)
      unlink(path)
      throw error
    }
    try syncDirectory(of: path)
  }

  package static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String)
    throws
  {
    var written = 0
    while written < bytes.count, let base = bytes.baseAddress {
      let count = systemWrite(descriptor, base + written, bytes.count - written)
      if count < 0 {
        if errno == EINTR { continue }
        throw StoreAccessError.file(path, errno: errno)
      }
      written += count
    }
  }

  /// Makes a new directory entry durable.
  static func syncDirectory(of path: String) throws {
    let descriptor = open(PathFolder.containing(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    _ = fsync(descriptor)
  }

  /// Creates the directories leading to `path` with mode 0700 where they are missing; returns
  /// those it made, outermost first (for the caller to remove if what it was making fails).
  @discardableResult
  package static func createParentDirectories(of path: String) throws -> [String] {
    let directory = PathFolder.of(path)
    guard !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) else { return [] }
    var made: [String] = []
    // Each missing level is made 0700 by mkdir itself: Foundation's `createDirectory` makes
    // it with the umask's mode and narrows it after, and under `umask 000` another user could
    // put a file (a `-wal` beside the store) into the folder in between.
    var prefix = directory.hasPrefix("/") ? "/" : ""
    for component in directory.split(separator: "/") {
      prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
      if mkdir(prefix, 0o700) == 0 {
        made.append(prefix)
      } else if errno != EEXIST {
        removeDirectories(made)
        throw StoreAccessError.io(path: directory, message: "cannot create the directory")
      }
    }
    return made
  }

  /// Removes the directories `createParentDirectories` made, innermost first, each only if it
  /// is still empty.
  package static func removeDirectories(_ made: [String]) {
    for directory in made.reversed() { rmdir(directory) }
  }

  /// Which file `path` names, or nil when it does not exist: a name still given to the file
  /// this process made, or since to another.
  static func identity(of path: String) -> FileIdentity? { FileIdentity(path: path) }

  /// The permission bits of `path`, or nil when it does not exist.
  package static func mode(of path: String) -> UInt32? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return UInt32(info.st_mode) & 0o7777
  }

  /// A warning when group or others may read or write `path`.
  package static func looseModeWarning(_ path: String, what: String) -> String? {
    guard let mode = mode(of: path), mode & 0o077 != 0 else { return nil }
    return "\(what) '\(path)' is accessible by other users (mode \(String(mode, radix: 8))); "
      + "run 'chmod 600 \(path)'"
  }
}
