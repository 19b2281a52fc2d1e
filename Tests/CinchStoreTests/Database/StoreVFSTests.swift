import CStoreVFS
import Foundation
import GRDB
import GRDBSQLite
import Testing

@testable import CinchStore

/// The store's connections go through `CStoreVFS`, which faults a `-shm` region's pages in
/// writable as SQLite maps it: SQLite made them sparse (one byte written per 4 KiB page), and
/// the first store into a hole on a full disk of 1 KiB blocks ended cinch with SIGBUS. A full
/// disk needs a mount; by hand, on an 8 MiB ext4 image (`mkfs.ext4 -m 0`, 1 KiB blocks)
/// filled to 15–60 KiB free, `get-parameter` says "no space left" (exit 253 or 254) or
/// answers, where it crashed with 21 and 29 KiB free.
@Suite struct StoreVFSTests {
  static func allocatedBytes(_ path: String) -> (size: Int, allocated: Int) {
    var status = stat()
    guard stat(path, &status) == 0 else { return (-1, -1) }
    return (Int(status.st_size), Int(status.st_blocks) * 512)
  }

  /// The holes under a shared mapping are allocated (or reserved, as ext4 reserves delayed
  /// blocks) as a store into each page would allocate them, and no byte changes.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status")))
  func aMappingsHolesAreAllocatedAndItsBytesKept() throws {
    let directory = try TemporaryDirectory()
    let path = directory.file("sparse-shm")
    #expect(FileManager.default.createFile(atPath: path, contents: Data([7, 7, 7])))
    #expect(truncate(path, 65536) == 0)
    #expect(Self.allocatedBytes(path).allocated < 32768)
    let fd = open(path, O_RDWR)
    #expect(fd >= 0)
    defer { close(fd) }
    let map = try #require(mmap(nil, 32768, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0))
    #expect(map != MAP_FAILED)
    #expect(cinch_store_vfs_populate(map, 32768) == 0)
    munmap(map, 32768)
    let (size, allocated) = Self.allocatedBytes(path)
    #expect(size == 65536)
    #expect(allocated >= 32768)
    #expect(
      FileManager.default.contents(atPath: path)
        == Data([7, 7, 7]) + Data(repeating: 0, count: 65536 - 3))
  }

  /// The pool's connections use that VFS, and the `-shm` of an open store has no holes.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status")))
  func aStoresConnectionsAllocateItsWALIndex() async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("/a", "v", overwrite: false)
    try fixture.store.close()
    let pool = try StoreDatabase.openPool(path: fixture.storePath, busyTimeoutSeconds: 1)
    let names = try await pool.read { db -> [String] in
      var vfs: UnsafeMutablePointer<sqlite3_vfs>?
      sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_VFS_POINTER, &vfs)
      return [vfs.map { String(cString: $0.pointee.zName) } ?? "none"]
    }
    #expect(names == ["cinch-unix"])
    let (size, allocated) = Self.allocatedBytes(fixture.storePath + "-shm")
    #expect(size >= 32768)
    #expect(allocated >= size)
    try pool.close()
  }
}
