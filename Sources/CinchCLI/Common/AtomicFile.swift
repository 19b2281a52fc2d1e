import CinchCompiler
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

  /// Replaces a file the user keeps (the lockfile) as `write` does, but as an edit would: a
  /// symbolic link is followed, so the file it names gets the new text and the link stays
  /// (`SitePaths` reads the lock's paths from that file's folder too), and a file already
  /// there keeps its permissions (a new one gets `mode`). A loop of links is refused.
  static func replace(_ text: String, at path: String, mode: mode_t = 0o644) throws {
    guard let target = SitePaths.followingLinks(path) else {
      throw CommandFailure(message: "cannot write '\(path)': too many levels of symbolic links")
    }
    var info = stat()
    let kept = stat(target, &info) == 0 ? info.st_mode & 0o7777 : mode
    try write(text, to: target, mode: kept)
  }

  /// Writes several files all or none: every one is written and fsynced to its temporary name
  /// first (a full disk or an unwritable folder fails here, with nothing replaced and every
  /// temporary removed), each file being replaced gets a second name (a hard link), then each
  /// is renamed into place, in order (a folder's `manifest.json` last, so it never describes
  /// files not yet there). A rename that fails (a folder or an immutable file in the way) puts
  /// back what the ones before it replaced, so the batch lands whole or leaves every file as
  /// it was; only a crash between the renames, or a file system without hard links, can leave
  /// part of it.
  static func writeAll(_ files: [(bytes: [UInt8], path: String, mode: mode_t)]) throws {
    sweepLeftovers(beside: files.map(\.path))
    var staged: [(temporary: String, path: String)] = []
    var previous: [Previous] = []
    /// Removes the temporaries not renamed into place (from `renamed` on) and every second
    /// name still there: the old files' copies, which may hold an earlier render's secret
    /// values, never outlive the write.
    func removeLeftovers(renamed: Int) {
      for file in staged[renamed...] { unlink(file.temporary) }
      for case .kept(let copy) in previous { unlink(copy) }
    }
    do {
      for file in files {
        staged.append((try stage(file.bytes, for: file.path, mode: file.mode), file.path))
      }
      for file in staged { previous.append(try keep(file.path)) }
    } catch {
      removeLeftovers(renamed: 0)
      throw error
    }
    for (index, file) in staged.enumerated() where rename(file.temporary, file.path) != 0 {
      let failure = failure("cannot replace '\(file.path)'")
      for undone in (0..<index).reversed() {
        switch previous[undone] {
        case .none: unlink(staged[undone].path)
        // Renamed back, the copy is the file again; if that fails, the copy is all that is
        // left of the old file and stays (either way it is no leftover to remove).
        case .kept(let copy):
          rename(copy, staged[undone].path)
          previous[undone] = .unkept
        case .unkept: break
        }
      }
      removeLeftovers(renamed: index)
      throw failure
    }
    removeLeftovers(renamed: staged.count)
  }

  /// What stood where a file of a batch is going, for putting it back.
  private enum Previous {
    /// Nothing: putting back removes the new file.
    case none
    /// A second name for the file (or symbolic link) that stood there.
    case kept(String)
    /// A file that could not be given a second name (a file system without hard links).
    case unkept
  }

  /// Gives the file at `path` a second name beside it, so a failed batch can put it back. A
  /// folder in the way fails here, before anything is replaced.
  private static func keep(_ path: String) throws -> Previous {
    var info = stat()
    guard lstat(path, &info) == 0 else {
      if errno == ENOENT { return .none }
      throw failure("cannot replace '\(path)'")
    }
    if info.st_mode & S_IFMT == S_IFDIR {
      throw CommandFailure(message: "cannot replace '\(path)': a folder is in the way")
    }
    let copy = sibling(of: path, "previous")
    unlink(copy)
    // linkat without AT_SYMLINK_FOLLOW names a symbolic link itself, not what it points to.
    return linkat(AT_FDCWD, path, AT_FDCWD, copy, 0) == 0 ? .kept(copy) : .unkept
  }

  /// Writes `bytes` to a temporary file beside `path`, created with its final mode (never
  /// wider, not even for a moment) and fsynced; returns its path.
  private static func stage(_ bytes: [UInt8], for path: String, mode: mode_t) throws -> String {
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
    try createDirectory(directory)
    let temporary = sibling(of: path, "tmp")
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

  /// Removes what a write of these files by a process that is gone left beside them: only
  /// SIGKILL (an out-of-memory kill, a CI job's hard timeout) stops a write between staging
  /// and cleaning up, and an inline render's temporaries hold secret values in clear, in the
  /// folder a later pin render publishes. A temporary (`.NAME.tmp-PID`) is removed; a second
  /// name of the file it replaced (`.NAME.previous-PID`) is removed when the file is there
  /// (the rename happened or never started), else put back. A live process's names are its
  /// own, and are left alone.
  ///
  /// `anyName`: every such leftover in those folders, not only those of the files named (a
  /// folder `render` owns). This process's own PID counts as gone: nothing is staged yet when
  /// the sweep runs, and a container's cinch is PID 1 every time, so a killed one's names
  /// would otherwise block every later write (`O_EXCL`).
  static func sweepLeftovers(beside paths: [String], anyName: Bool = false) {
    var byFolder: [String: Set<String>] = [:]
    for path in paths {
      let url = URL(fileURLWithPath: path)
      byFolder[url.deletingLastPathComponent().path, default: []].insert(url.lastPathComponent)
    }
    for (folder, names) in byFolder {
      guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
        continue
      }
      for entry in entries where entry.hasPrefix(".") {
        guard let leftover = Leftover(entry), anyName || names.contains(leftover.name),
          leftover.process == getpid() || (kill(leftover.process, 0) != 0 && errno == ESRCH)
        else { continue }
        let path = folder + "/" + entry
        let target = folder + "/" + leftover.name
        // In a folder render owns, a copy put back would be a file no manifest lists, kept for
        // ever: the render about to run writes every file anyway.
        if leftover.role == "previous", !anyName, access(target, F_OK) != 0 {
          rename(path, target)
        } else {
          unlink(path)
        }
      }
    }
  }

  /// `.NAME.ROLE-PID`, as `sibling` names it.
  struct Leftover: Equatable {
    var name: String
    var role: String
    var process: pid_t

    init?(_ entry: String) {
      guard entry.hasPrefix("."), let dash = entry.lastIndex(of: "-"),
        let process = pid_t(entry[entry.index(after: dash)...]), process > 0
      else { return nil }
      let head = entry[entry.index(after: entry.startIndex)..<dash]
      for role in ["tmp", "previous"] where head.hasSuffix("." + role) {
        let name = head.dropLast(role.count + 1)
        guard !name.isEmpty else { return nil }
        self.name = String(name)
        self.role = role
        self.process = process
        return
      }
      return nil
    }
  }

  /// A hidden name beside `path` for this process: `DIR/.NAME.ROLE-PID`.
  private static func sibling(of path: String, _ role: String) -> String {
    let url = URL(fileURLWithPath: path)
    return url.deletingLastPathComponent().path + "/." + url.lastPathComponent
      + ".\(role)-\(getpid())"
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
