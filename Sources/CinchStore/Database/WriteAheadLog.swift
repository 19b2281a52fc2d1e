import Foundation

/// What a store's `-wal` file holds as SQLite would read it: the pages of its committed frames
/// and the database's size in pages after the last commit. Read only when the store file is
/// not a whole number of pages (`StoreOpening.sizeDamage`), to tell a checkpoint that stopped
/// in the middle of a page (the disk full, or the file size limit reached, as the last
/// connection closed), which the WAL still repairs, from a file cut short.
///
/// The format is sqlite.org/walformat.html: a 32-byte header (magic, version, page size,
/// checkpoint sequence, two salts, a checksum of the first 24 bytes), then frames of a 24-byte
/// header (page number, database size after a commit or 0, the two salts, a cumulative
/// checksum) and a page. Frames are read as SQLite's recovery reads them: up to the first whose
/// salts or checksum do not match, and only up to the last commit before it.
struct WriteAheadLog {
  let pageSize: Int
  /// The pages the committed frames hold, by page number (1-based).
  let pages: Set<UInt32>
  /// The database's size in pages after the last committed frame.
  let databasePages: UInt32
  /// The frames up to the last committed one.
  let frames: Int

  /// Nil when `path` is missing, holds no committed frame, or has no valid header.
  static func read(_ path: String) -> WriteAheadLog? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    return data.withUnsafeBytes { parse(UnsafeRawBufferPointer($0)) }
  }

  static func parse(_ bytes: UnsafeRawBufferPointer) -> WriteAheadLog? {
    guard bytes.count >= 32 else { return nil }
    func word(_ offset: Int) -> UInt32 {
      UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
    let magic = word(0)
    guard magic & ~1 == 0x377f_0682, word(4) == 3_007_000 else { return nil }
    // The low bit says in which byte order the checksums read the file's 32-bit words.
    let bigEndianWords = magic & 1 == 1
    let pageSize = Int(word(8))
    guard (512...65536).contains(pageSize), pageSize & (pageSize - 1) == 0 else { return nil }
    var sums = (UInt32(0), UInt32(0))
    checksum(bytes, from: 0, count: 24, bigEndianWords: bigEndianWords, into: &sums)
    guard sums == (word(24), word(28)) else { return nil }
    let salts = (word(16), word(20))

    var pending: [UInt32] = []
    var pages: Set<UInt32> = []
    var databasePages: UInt32 = 0
    var frames = 0
    var offset = 32
    while offset + 24 + pageSize <= bytes.count {
      let page = word(offset)
      guard page != 0, (word(offset + 8), word(offset + 12)) == salts else { break }
      checksum(bytes, from: offset, count: 8, bigEndianWords: bigEndianWords, into: &sums)
      checksum(
        bytes, from: offset + 24, count: pageSize, bigEndianWords: bigEndianWords, into: &sums)
      guard sums == (word(offset + 16), word(offset + 20)) else { break }
      pending.append(page)
      let sizeAfterCommit = word(offset + 4)
      if sizeAfterCommit != 0 {
        pages.formUnion(pending)
        pending.removeAll(keepingCapacity: true)
        databasePages = sizeAfterCommit
        frames = (offset - 32) / (24 + pageSize) + 1
      }
      offset += 24 + pageSize
    }
    guard databasePages != 0 else { return nil }
    return WriteAheadLog(
      pageSize: pageSize, pages: pages, databasePages: databasePages, frames: frames)
  }

  /// SQLite's WAL checksum (`walChecksumBytes`) over `count` bytes (a multiple of 8), carried
  /// on from `sums`.
  private static func checksum(
    _ bytes: UnsafeRawBufferPointer, from start: Int, count: Int, bigEndianWords: Bool,
    into sums: inout (UInt32, UInt32)
  ) {
    var (first, second) = sums
    var offset = start
    while offset < start + count {
      var a = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
      var b = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
      if bigEndianWords {
        a = UInt32(bigEndian: a)
        b = UInt32(bigEndian: b)
      } else {
        a = UInt32(littleEndian: a)
        b = UInt32(littleEndian: b)
      }
      first = first &+ a &+ second
      second = second &+ b &+ first
      offset += 8
    }
    sums = (first, second)
  }

  /// Whether the log holds every page of the database from `firstPage` on: those of a store
  /// file cut inside page `firstPage`, which SQLite then reads from the log, and which the
  /// next checkpoint writes back whole.
  func holdsPages(from firstPage: UInt32) -> Bool {
    guard firstPage <= databasePages else { return true }
    return (firstPage...databasePages).allSatisfy(pages.contains)
  }
}
