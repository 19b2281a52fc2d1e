/// A file's bytes as read from disk, with what is needed to turn byte offsets into
/// 1-based line:column positions (columns counted in Unicode scalars, DESIGN §3).
///
/// Reading happens once, at the edge (`SourceFile(path:)`); everything after works on the
/// bytes in memory.
public struct SourceFile: Sendable {
  /// The path as the user named it; diagnostics print it unchanged.
  public let path: String
  public let bytes: [UInt8]
  /// Byte offset of the first byte of each line; `lineStarts[0] == 0`.
  public let lineStarts: [Int]
  /// True when every byte is ASCII, so a column is a byte distance.
  public let isASCII: Bool

  public init(path: String, bytes: [UInt8]) {
    self.path = path
    self.bytes = bytes
    var starts = [0]
    starts.reserveCapacity(bytes.count / 32 + 1)
    var ascii = true
    bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      let count = buffer.count
      var index = 0
      while index < count {
        // Eight bytes at a time while none is a line end or non-ASCII.
        while index + 8 <= count {
          let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
          if word & 0x8080_8080_8080_8080 != 0 || Self.hasByte(0x0A, in: word)
            || Self.hasByte(0x0D, in: word)
          {
            break
          }
          index += 8
        }
        guard index < count else { break }
        let byte = buffer[index]
        defer { index += 1 }
        if byte == 0x0A {
          starts.append(index + 1)
        } else if byte == 0x0D {
          // A lone CR ends a line too (YAML 1.1 §5.4); CRLF counts once.
          if index + 1 >= buffer.count || buffer[index + 1] != 0x0A { starts.append(index + 1) }
        }
        if byte >= 0x80 { ascii = false }
      }
    }
    self.lineStarts = starts
    self.isASCII = ascii
  }

  /// Whether any byte of `word` (all below 0x80) is `byte`: the zero-byte test on the
  /// difference, exact for ASCII words.
  @inline(__always)
  static func hasByte(_ byte: UInt8, in word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let difference = word ^ (ones &* UInt64(byte))
    return (difference &- ones) & ~difference & 0x8080_8080_8080_8080 != 0
  }

  public init(path: String, text: String) {
    self.init(path: path, bytes: Array(text.utf8))
  }

  /// Reads `path` from disk. Throws `SourceFileError` with a one-line reason.
  public init(path: String, limit: Int = .max) throws(SourceFileError) {
    self.init(path: path, bytes: try FileBytes.read(path: path, limit: limit))
  }

  /// The position of a byte offset, clamped to the file.
  public func position(atByte offset: Int) -> SourcePosition {
    let clamped = max(0, min(offset, bytes.count))
    return position(atByte: clamped, lineIndex: lineIndex(containing: clamped))
  }

  /// The position of `clamped` (within the file) on the line `lineIndex` (0-based).
  func position(atByte clamped: Int, lineIndex: Int) -> SourcePosition {
    var start = lineStarts[lineIndex]
    // A byte-order mark is not a column.
    if start == 0, hasByteOrderMark, clamped >= 3 { start = 3 }
    let column: Int
    if isASCII {
      column = clamped - start + 1
    } else {
      column = Self.scalarCount(bytes, from: start, to: clamped) + 1
    }
    return SourcePosition(offset: clamped, line: lineIndex + 1, column: column)
  }

  public var hasByteOrderMark: Bool {
    bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
  }

  /// The byte offset of a 1-based line and a 0-based column counted in Unicode scalars.
  public func byteOffset(line: Int, scalarColumn: Int) -> Int {
    guard line >= 1, line <= lineStarts.count else { return bytes.count }
    let start = lineStarts[line - 1]
    if isASCII { return min(start + scalarColumn, bytes.count) }
    var offset = start
    var remaining = scalarColumn
    while remaining > 0, offset < bytes.count {
      offset += 1
      while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
      remaining -= 1
    }
    return offset
  }

  public func range(fromByte start: Int, toByte end: Int) -> SourceRange {
    SourceRange(start: position(atByte: start), end: position(atByte: end))
  }

  /// The text of a 1-based line without its line break (for carets in diagnostics), and
  /// without a byte-order mark, which is not a column (`position(atByte:)`).
  public func lineText(_ line: Int) -> String {
    guard line >= 1, line <= lineStarts.count else { return "" }
    var start = lineStarts[line - 1]
    if line == 1, hasByteOrderMark { start = 3 }
    var end = line < lineStarts.count ? lineStarts[line] : bytes.count
    while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  public func text(_ range: SourceRange) -> String {
    String(decoding: bytes[range.start.offset..<range.end.offset], as: UTF8.self)
  }

  /// The last line starting at or before `offset` (every node's range asks, twice).
  func lineIndex(containing offset: Int) -> Int {
    lineStarts.withUnsafeBufferPointer { starts in
      // The answer is in starts[low ..< low + count]; halving without a bounds check a step.
      var low = 0
      var count = starts.count
      while count > 1 {
        let half = count / 2
        if starts[low + half] <= offset { low += half }
        count -= half
      }
      return low
    }
  }

  static func scalarCount(_ bytes: [UInt8], from start: Int, to end: Int) -> Int {
    var count = 0
    var index = start
    while index < end {
      if bytes[index] & 0xC0 != 0x80 { count += 1 }
      index += 1
    }
    return count
  }
}

/// Positions of offsets that mostly come in order, as a parser's marks do: the line is found by
/// stepping on from the previous one, and by a binary search only after a jump back or far
/// ahead. Two searches per node were an eighth of parsing a large template.
struct SourcePositionCursor {
  let file: SourceFile
  private var line = 0

  init(file: SourceFile) {
    self.file = file
  }

  mutating func position(atByte offset: Int) -> SourcePosition {
    let clamped = max(0, min(offset, file.bytes.count))
    let starts = file.lineStarts
    if clamped < starts[line] {
      line = file.lineIndex(containing: clamped)
    } else {
      var steps = 0
      while line + 1 < starts.count, starts[line + 1] <= clamped {
        line += 1
        steps += 1
        if steps == 32 {
          line = file.lineIndex(containing: clamped)
          break
        }
      }
    }
    return file.position(atByte: clamped, lineIndex: line)
  }

  mutating func range(fromByte start: Int, toByte end: Int) -> SourceRange {
    let startPosition = position(atByte: start)
    return SourceRange(start: startPosition, end: position(atByte: end))
  }
}

public enum SourceFileError: Error, Sendable, Equatable, CustomStringConvertible {
  case notFound(path: String)
  case unreadable(path: String, reason: String)
  case tooLarge(path: String, size: Int, limit: Int)

  public var description: String {
    switch self {
    case .notFound(let path): "\(path): no such file"
    case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
    case .tooLarge(let path, let size, let limit):
      "\(path): file is \(size) bytes, over the limit of \(limit) (raise it with --max-file-size)"
    }
  }
}
