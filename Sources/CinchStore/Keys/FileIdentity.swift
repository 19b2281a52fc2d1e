import Foundation

/// Which file a path names: its device and inode, the same under any name (`./`, `..`, a
/// symbolic or hard link). Nil when nothing is there.
package struct FileIdentity: Hashable, Sendable {
  package let device: UInt64
  package let inode: UInt64

  package init?(path: String) {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    device = UInt64(info.st_dev)
    inode = UInt64(info.st_ino)
  }
}
