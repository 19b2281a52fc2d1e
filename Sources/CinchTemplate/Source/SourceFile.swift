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
  /// For a file that is not ASCII, the number of UTF-8 continuation bytes before every
  /// multiple of `checkpointStride`, so that a column on a long line costs at most two strides
  /// of scanning however far it is from the line start (`scalarCount(from:to:)`); empty when
  /// the file is ASCII.
  let checkpoints: [Int]
  let checkpointStride: Int

  /// Bytes between two checkpoints: 1 KiB keeps the table at under 1% of the file (8 bytes a
  /// KiB) and a column's scan to at most 2 KiB, 256 eight-byte words.
  static let defaultCheckpointStride = 1024

  public init(path: String, bytes: [UInt8]) {
    self.init(path: path, bytes: bytes, checkpointStride: Self.defaultCheckpointStride)
  }

  /// `checkpointStride` is a parameter for the tests, which use short ones to reach the table
  /// with short strings.
  init(path: String, bytes: [UInt8], checkpointStride: Int) {
    precondition(checkpointStride > 0, "checkpoint stride must be positive")
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
    self.checkpointStride = checkpointStride
    self.checkpoints = ascii ? [] : Self.checkpoints(bytes, stride: checkpointStride)
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

  /// Reads standard input to its end, as a file named `path` (`<stdin>`). Throws
  /// `SourceFileError` with a one-line reason.
  public init(standardInputNamed path: String, limit: Int = .max) throws(SourceFileError) {
    self.init(
      path: path,
      bytes: try FileBytes.read(descriptor: FileBytes.standardInput, path: path, limit: limit))
  }

  /// The position of a byte offset, clamped to the file.
  /// Whether the file's bytes hold `needle` anywhere: a plain scan over the buffer (the
  /// generic `firstRange(of:)` over `[UInt8]` cost `refs` 13% of its time on a 500-resource
  /// template).
  public func contains(_ needle: String) -> Bool {
    let pattern = Array(needle.utf8)
    guard let first = pattern.first else { return true }
    return bytes.withUnsafeBufferPointer { haystack in
      let last = haystack.count - pattern.count
      guard last >= 0 else { return false }
      var index = 0
      while index <= last {
        if haystack[index] == first {
          var matched = 1
          while matched < pattern.count, haystack[index + matched] == pattern[matched] {
            matched += 1
          }
          if matched == pattern.count { return true }
        }
        index += 1
      }
      return false
    }
  }

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
      column = scalarCount(from: start, to: clamped) + 1
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

  /// The Unicode scalars of `bytes[start..<end]`, counted as the bytes that do not continue a
  /// UTF-8 sequence (so an invalid byte is a column of its own). Scans at most two strides:
  /// the whole blocks of the span come from `checkpoints`.
  func scalarCount(from start: Int, to end: Int) -> Int {
    guard end > start else { return 0 }
    if isASCII { return end - start }
    let plan = ScalarCountPlan(from: start, to: end, stride: checkpointStride)
    return bytes.withUnsafeBufferPointer { buffer in
      var continuation = Self.continuationCount(buffer, plan.head)
      if !plan.blocks.isEmpty {
        continuation += checkpoints[plan.blocks.upperBound] - checkpoints[plan.blocks.lowerBound]
        continuation += Self.continuationCount(buffer, plan.tail)
      }
      return end - start - continuation
    }
  }

  /// The continuation bytes before each multiple of `stride`, the first entry 0 and the last
  /// at the last multiple within the file.
  static func checkpoints(_ bytes: [UInt8], stride: Int) -> [Int] {
    bytes.withUnsafeBufferPointer { buffer in
      var table = [0]
      table.reserveCapacity(buffer.count / stride + 1)
      var total = 0
      var blockStart = 0
      while blockStart + stride <= buffer.count {
        total += continuationCount(buffer, blockStart..<(blockStart + stride))
        table.append(total)
        blockStart += stride
      }
      return table
    }
  }

  /// Bytes of `range` that continue a UTF-8 sequence (`10xxxxxx`), eight at a time: a byte
  /// continues one when its top bit is set and the next one down (shifted up into its place)
  /// is clear.
  static func continuationCount(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
    guard let base = buffer.baseAddress else { return 0 }
    var count = 0
    var index = range.lowerBound
    while index + 8 <= range.upperBound {
      let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
      count += (word & ~(word << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
      index += 8
    }
    while index < range.upperBound {
      if buffer[index] & 0xC0 == 0x80 { count += 1 }
      index += 1
    }
    return count
  }
}

/// How `SourceFile.scalarCount(from:to:)` covers a span: `head` and `tail` are scanned, the
/// whole blocks between them (`blocks`, in strides: block `i` starts at `i * stride`) come from
/// the checkpoint table. A span too short to hold a whole block after its first checkpoint is
/// all `head`; either way at most two strides are scanned.
struct ScalarCountPlan: Equatable {
  var head: Range<Int>
  var blocks: Range<Int>
  var tail: Range<Int>

  init(from start: Int, to end: Int, stride: Int) {
    let first = (start + stride - 1) / stride
    let last = end / stride
    if first < last {
      head = start..<(first * stride)
      blocks = first..<last
      tail = (last * stride)..<end
    } else {
      head = start..<max(start, end)
      blocks = first..<first
      tail = end..<end
    }
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
