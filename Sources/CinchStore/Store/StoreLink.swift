import Foundation

/// A store named through a symbolic link. SQLite follows links (its `-wal` and `-shm` go
/// beside the file the link leads to), and so do reads: a link to an existing store is that
/// store. For `init`, a link to a file that does not exist yet names where the store is to be
/// made, as `ln -s /secure/store.db .cinch/store.db` before `cinch init` means: it is made at
/// the link's target when the target's folder exists. A target without a folder, or a link
/// that leads back to itself, is said as such. (Until 2026-12-07 `init` through such a link
/// said "a store already exists" while reads said "no store".)
package enum StoreLink {
  /// Links followed before a chain is taken for a loop, as the kernel's `ELOOP` limit.
  static let maximumHops = 40

  /// Where `init` makes the store named `path`: `path` itself, unless it is a symbolic link
  /// (or a chain of them) to nothing, whose target is returned when its folder exists.
  static func placeOfNewStore(_ path: String) throws -> String {
    guard let target = try danglingTarget(of: path) else { return path }
    var isFolder: ObjCBool = false
    let folder = (target as NSString).deletingLastPathComponent
    guard
      FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isFolder),
      isFolder.boolValue
    else { throw StoreAccessError.linkToNoFolder(path: path, target: target) }
    return target
  }

  /// `linkLoop` when `path` is a symbolic link that leads back to itself; nil otherwise.
  package static func loop(at path: String) -> StoreAccessError? {
    do {
      _ = try danglingTarget(of: path)
      return nil
    } catch {
      return error as? StoreAccessError
    }
  }

  /// The path a symbolic link at `path` finally leads to, when nothing is there; nil when
  /// `path` is no link or leads to something. Throws `linkLoop` for a loop.
  private static func danglingTarget(of path: String) throws -> String? {
    var current = path
    var hops = 0
    while true {
      var status = stat()
      guard lstat(current, &status) == 0 else {
        if errno == ELOOP { throw StoreAccessError.linkLoop(path: path) }
        return hops > 0 ? current : nil
      }
      guard status.st_mode & S_IFMT == S_IFLNK else { return nil }
      hops += 1
      guard hops <= maximumHops else { throw StoreAccessError.linkLoop(path: path) }
      guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: current)
      else { return nil }
      let folder = (current as NSString).deletingLastPathComponent
      current =
        target.hasPrefix("/") || folder.isEmpty
        ? target : (folder as NSString).appendingPathComponent(target)
    }
  }
}
