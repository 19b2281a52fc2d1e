/// Maps byte offsets in a YAML scalar's decoded value back to byte offsets in the file.
///
/// References are found in decoded values (`it''s` reads `it's`, `"\t"` a tab, a folded line
/// break a space), but a site must point at the bytes in the file. The map re-reads the scalar's
/// source the way libyaml decodes it (plain with line folding, single-quoted with `''`,
/// double-quoted with escapes, folding and escaped line breaks, literal and folded block
/// scalars) and records, for every decoded byte, the source bytes it came from. It is built
/// only for scalars that hold a reference, and when the source between the quotes is the value
/// itself it is just an offset.
///
/// The re-read is checked against the value byte for byte: when they disagree (a layout the
/// emulation does not cover) there is no map, and callers fall back to the whole node.
public struct YAMLScalarSourceMap: Sendable, Hashable {
  private enum Storage: Sendable, Hashable {
    /// Value byte `i` is source byte `start + i`.
    case identity(start: Int)
    /// Value byte `i` came from source bytes `starts[i]..<ends[i]` (an escape or a folded line
    /// break spans several). In 32 bits, as `SourcePosition` keeps offsets: two entries per
    /// byte of every block scalar holding a reference add up in a large template.
    case table(starts: [UInt32], ends: [UInt32])
  }

  private let storage: Storage
  /// The decoded value's length in bytes.
  public let valueLength: Int

  /// Builds the map for a scalar whose node starts at `start` (after any tag or anchor: the
  /// quote, the block indicator or the first character) in `bytes`.
  public init?(bytes: [UInt8], start: Int, style: NodeStyle, value: String) {
    var value = value
    let result: Storage? = value.withUTF8 { decoded in
      bytes.withUnsafeBufferPointer { source in
        Self.build(source: source, start: start, style: style, value: decoded)
      }
    }
    guard let result else { return nil }
    self.storage = result
    self.valueLength = value.utf8.count
  }

  /// The map for a scalar node of `file`; nil for a node that is not a scalar or whose source
  /// cannot be matched to its value.
  public init?(file: SourceFile, node: Node) {
    guard case .scalar(let text) = node.value else { return nil }
    self.init(bytes: file.bytes, start: node.range.start.offset, style: node.style, value: text)
  }

  /// A map for text that appears verbatim at `start` (a JSON string without escapes).
  public static func identity(start: Int, length: Int) -> YAMLScalarSourceMap {
    YAMLScalarSourceMap(storage: .identity(start: start), valueLength: length)
  }

  private init(storage: Storage, valueLength: Int) {
    self.storage = storage
    self.valueLength = valueLength
  }

  /// The source offset where value byte `offset` starts; `valueLength` maps to the end of the
  /// last byte's source.
  public func sourceOffset(ofValueOffset offset: Int) -> Int {
    switch storage {
    case .identity(let start):
      return start + offset
    case .table(let starts, let ends):
      if offset < starts.count { return Int(starts[max(0, offset)]) }
      return Int(ends.last ?? 0)
    }
  }

  /// The source bytes of value bytes `span`: from where the first starts to where the last
  /// ends (an escape at either end is included whole).
  public func sourceRange(ofValueBytes span: Range<Int>) -> Range<Int> {
    switch storage {
    case .identity(let start):
      return (start + span.lowerBound)..<(start + span.upperBound)
    case .table(let starts, let ends):
      let lower = min(max(0, span.lowerBound), starts.count)
      let upper = min(max(lower, span.upperBound), starts.count)
      let from = Int(lower < starts.count ? starts[lower] : (ends.last ?? 0))
      let to = upper > lower ? Int(ends[upper - 1]) : from
      return from..<max(from, to)
    }
  }

  // MARK: Building

  private static func build(
    source: UnsafeBufferPointer<UInt8>, start: Int, style: NodeStyle,
    value: UnsafeBufferPointer<UInt8>
  ) -> Storage? {
    guard start >= 0, start <= source.count else { return nil }
    switch style {
    case .plain, .singleQuoted, .doubleQuoted:
      let contentStart = style == .plain ? start : start + 1
      if isVerbatim(source: source, at: contentStart, style: style, value: value) {
        return .identity(start: contentStart)
      }
    default:
      break
    }
    var decoder = Decoder(source: source, expected: value)
    let complete: Bool
    switch style {
    case .plain: complete = decoder.plain(from: start)
    case .singleQuoted: complete = decoder.quoted(from: start, single: true)
    case .doubleQuoted: complete = decoder.quoted(from: start, single: false)
    case .literal, .folded: complete = decoder.block(from: start, literal: style == .literal)
    case .block, .flow: complete = false
    }
    guard complete, decoder.isDone else { return nil }
    return .table(starts: decoder.starts, ends: decoder.ends)
  }

  /// Whether the value's bytes sit unchanged at `start`, with no byte that the style would
  /// have decoded (a quote, a backslash, a line break).
  private static func isVerbatim(
    source: UnsafeBufferPointer<UInt8>, at start: Int, style: NodeStyle,
    value: UnsafeBufferPointer<UInt8>
  ) -> Bool {
    guard start + value.count <= source.count else { return false }
    if style != .plain {
      let quote = style == .singleQuoted ? UInt8(ascii: "'") : UInt8(ascii: "\"")
      guard start >= 1, source[start - 1] == quote, start + value.count < source.count,
        source[start + value.count] == quote
      else { return false }
    }
    for index in 0..<value.count {
      let byte = source[start + index]
      guard byte == value[index] else { return false }
      switch byte {
      case 0x0A, 0x0D: return false
      case UInt8(ascii: "'") where style == .singleQuoted: return false
      case UInt8(ascii: "\\") where style == .doubleQuoted: return false
      default: continue
      }
    }
    return true
  }
}

/// Re-decodes a scalar from its source as libyaml does (`yaml_parser_scan_plain_scalar`,
/// `…_flow_scalar`, `…_block_scalar`), checking each decoded byte against the expected value
/// and recording where it came from. Stops as soon as the whole value has been produced.
private struct Decoder {
  let source: UnsafeBufferPointer<UInt8>
  let expected: UnsafeBufferPointer<UInt8>
  var starts: [UInt32] = []
  var ends: [UInt32] = []
  /// False once a decoded byte disagreed with the value.
  var matching = true

  init(source: UnsafeBufferPointer<UInt8>, expected: UnsafeBufferPointer<UInt8>) {
    self.source = source
    self.expected = expected
    starts.reserveCapacity(expected.count)
    ends.reserveCapacity(expected.count)
  }

  var isDone: Bool { matching && starts.count == expected.count }
  /// Whether decoding should stop: finished or failed.
  var stop: Bool { !matching || starts.count >= expected.count }

  mutating func emit(_ byte: UInt8, from: Int, to: Int) {
    guard matching else { return }
    guard starts.count < expected.count, expected[starts.count] == byte else {
      matching = false
      return
    }
    starts.append(UInt32(clamping: from))
    ends.append(UInt32(clamping: to))
  }

  /// Copies one UTF-8 sequence from the source; returns the index after it.
  mutating func copyCharacter(at index: Int) -> Int {
    let length = min(ScanMachine.sequenceLength(source[index]), source.count - index)
    for offset in 0..<length {
      emit(source[index + offset], from: index + offset, to: index + offset + 1)
    }
    return index + length
  }

  mutating func emit(scalar value: UInt32, from: Int, to: Int) {
    guard Unicode.Scalar(value) != nil else {
      matching = false
      return
    }
    switch value {
    case ..<0x80:
      emit(UInt8(value), from: from, to: to)
    case ..<0x800:
      emit(UInt8(0xC0 | value >> 6), from: from, to: to)
      emit(UInt8(0x80 | value & 0x3F), from: from, to: to)
    case ..<0x10000:
      emit(UInt8(0xE0 | value >> 12), from: from, to: to)
      emit(UInt8(0x80 | value >> 6 & 0x3F), from: from, to: to)
      emit(UInt8(0x80 | value & 0x3F), from: from, to: to)
    default:
      emit(UInt8(0xF0 | value >> 18), from: from, to: to)
      emit(UInt8(0x80 | value >> 12 & 0x3F), from: from, to: to)
      emit(UInt8(0x80 | value >> 6 & 0x3F), from: from, to: to)
      emit(UInt8(0x80 | value & 0x3F), from: from, to: to)
    }
  }

  func isBlank(_ index: Int) -> Bool {
    index < source.count && (source[index] == 0x20 || source[index] == 0x09)
  }

  /// A line break as libyaml reads it (YAML 1.1): LF, CR, CRLF, NEL (U+0085), LS (U+2028)
  /// or PS (U+2029).
  func isBreak(_ index: Int) -> Bool {
    guard index < source.count else { return false }
    switch source[index] {
    case 0x0A, 0x0D: return true
    case 0xC2: return index + 1 < source.count && source[index + 1] == 0x85
    case 0xE2:
      return index + 2 < source.count && source[index + 1] == 0x80
        && (source[index + 2] == 0xA8 || source[index + 2] == 0xA9)
    default: return false
    }
  }

  /// The source range of the line break at `index` (CRLF is one break).
  func breakRange(at index: Int) -> Range<Int> {
    switch source[index] {
    case 0x0D where index + 1 < source.count && source[index + 1] == 0x0A:
      return index..<(index + 2)
    case 0xC2: return index..<(index + 2)
    case 0xE2: return index..<(index + 3)
    default: return index..<(index + 1)
    }
  }

  /// Whether the break at `range` reads as a line feed: LF, CR, CRLF and NEL do; LS and PS
  /// are kept as they are (libyaml's `READ_LINE`).
  func isLineFeed(_ range: Range<Int>) -> Bool { range.count < 3 }

  /// The bytes a line break puts in the value: a line feed, or the LS or PS itself.
  mutating func emitBreak(_ range: Range<Int>) {
    if isLineFeed(range) {
      emit(0x0A, from: range.lowerBound, to: range.upperBound)
    } else {
      for index in range { emit(source[index], from: range.lowerBound, to: range.upperBound) }
    }
  }

  // MARK: Folding shared by plain and quoted scalars

  /// Blanks and line breaks between two runs of text, as libyaml collects them.
  struct Gap {
    var whitespaces: [Int] = []
    var leadingBreak: Range<Int>?
    var trailingBreaks: [Range<Int>] = []
    var leadingBlanks = false

    var isEmpty: Bool { whitespaces.isEmpty && !leadingBlanks }
  }

  mutating func collectBlanks(from start: Int, into gap: inout Gap) -> Int {
    var index = start
    while index < source.count, isBlank(index) || isBreak(index) {
      if isBlank(index) {
        if !gap.leadingBlanks { gap.whitespaces.append(index) }
        index += 1
      } else {
        let range = breakRange(at: index)
        if !gap.leadingBlanks {
          gap.whitespaces.removeAll()
          gap.leadingBreak = range
          gap.leadingBlanks = true
        } else {
          gap.trailingBreaks.append(range)
        }
        index = range.upperBound
      }
    }
    return index
  }

  /// Joins the whitespace or folds the line breaks of a gap into the value: a leading line
  /// feed folds (to a space, or away before more breaks); an LS or PS stays.
  mutating func join(_ gap: inout Gap) {
    if gap.leadingBlanks {
      if let leading = gap.leadingBreak, isLineFeed(leading), gap.trailingBreaks.isEmpty {
        emit(0x20, from: leading.lowerBound, to: leading.upperBound)
      } else {
        if let leading = gap.leadingBreak, !isLineFeed(leading) { emitBreak(leading) }
        for range in gap.trailingBreaks { emitBreak(range) }
      }
    } else {
      for index in gap.whitespaces { emit(source[index], from: index, to: index + 1) }
    }
    gap = Gap()
  }

  // MARK: Plain

  mutating func plain(from start: Int) -> Bool {
    var index = start
    var gap = Gap()
    while !stop, index < source.count {
      while !stop, index < source.count, !isBlank(index), !isBreak(index) {
        if !gap.isEmpty { join(&gap) }
        if stop { break }
        index = copyCharacter(at: index)
      }
      if stop || index >= source.count { break }
      index = collectBlanks(from: index, into: &gap)
    }
    return isDone
  }

  // MARK: Quoted

  mutating func quoted(from start: Int, single: Bool) -> Bool {
    let quote = single ? UInt8(ascii: "'") : UInt8(ascii: "\"")
    guard start < source.count, source[start] == quote else { return false }
    var index = start + 1
    while !stop, index < source.count {
      var gap = Gap()
      while !stop, index < source.count, !isBlank(index), !isBreak(index) {
        let byte = source[index]
        if single, byte == quote, index + 1 < source.count, source[index + 1] == quote {
          emit(quote, from: index, to: index + 2)
          index += 2
        } else if byte == quote {
          return isDone
        } else if !single, byte == UInt8(ascii: "\\"), isBreak(index + 1) {
          index = breakRange(at: index + 1).upperBound
          gap.leadingBlanks = true
          break
        } else if !single, byte == UInt8(ascii: "\\") {
          guard let next = escape(at: index) else { return false }
          index = next
        } else {
          index = copyCharacter(at: index)
        }
      }
      if stop || index >= source.count { break }
      index = collectBlanks(from: index, into: &gap)
      join(&gap)
    }
    return isDone
  }

  /// Decodes the escape sequence at `index` (a backslash); returns the index after it.
  mutating func escape(at index: Int) -> Int? {
    guard index + 1 < source.count else { return nil }
    let code = source[index + 1]
    let simple: UInt32?
    switch code {
    case UInt8(ascii: "0"): simple = 0
    case UInt8(ascii: "a"): simple = 7
    case UInt8(ascii: "b"): simple = 8
    case UInt8(ascii: "t"), 0x09: simple = 9
    case UInt8(ascii: "n"): simple = 10
    case UInt8(ascii: "v"): simple = 11
    case UInt8(ascii: "f"): simple = 12
    case UInt8(ascii: "r"): simple = 13
    case UInt8(ascii: "e"): simple = 0x1B
    case UInt8(ascii: " "): simple = 0x20
    case UInt8(ascii: "\""): simple = 0x22
    case UInt8(ascii: "/"): simple = 0x2F
    case UInt8(ascii: "'"): simple = 0x27
    case UInt8(ascii: "\\"): simple = 0x5C
    case UInt8(ascii: "N"): simple = 0x85
    case UInt8(ascii: "_"): simple = 0xA0
    case UInt8(ascii: "L"): simple = 0x2028
    case UInt8(ascii: "P"): simple = 0x2029
    default: simple = nil
    }
    if let simple {
      emit(scalar: simple, from: index, to: index + 2)
      return index + 2
    }
    let digits: Int
    switch code {
    case UInt8(ascii: "x"): digits = 2
    case UInt8(ascii: "u"): digits = 4
    case UInt8(ascii: "U"): digits = 8
    default: return nil
    }
    let end = index + 2 + digits
    guard end <= source.count else { return nil }
    var value: UInt32 = 0
    for position in (index + 2)..<end {
      guard let digit = Self.hexValue(source[position]) else { return nil }
      value = value &* 16 &+ digit
    }
    emit(scalar: value, from: index, to: end)
    return end
  }

  static func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
  }

  // MARK: Block

  mutating func block(from start: Int, literal: Bool) -> Bool {
    guard start < source.count,
      source[start] == (literal ? UInt8(ascii: "|") : UInt8(ascii: ">"))
    else { return false }
    var index = start + 1
    var increment = 0
    for _ in 0..<2 where index < source.count {
      let byte = source[index]
      if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
        index += 1
      } else if byte >= UInt8(ascii: "1"), byte <= UInt8(ascii: "9") {
        increment = Int(byte - UInt8(ascii: "0"))
        index += 1
      }
    }
    while isBlank(index) { index += 1 }
    if index < source.count, source[index] == UInt8(ascii: "#") {
      while index < source.count, !isBreak(index) { index += 1 }
    }
    guard index < source.count else { return isDone }
    guard isBreak(index) else { return false }
    index = breakRange(at: index).upperBound

    let parent = parentIndent(ofHeaderAt: start)
    var indent = increment > 0 ? (parent >= 0 ? parent + increment : increment) : 0
    var column = 0
    var leadingBreak: Range<Int>?
    var trailingBreaks: [Range<Int>] = []
    scanBreaks(&index, &column, &indent, &trailingBreaks, parent: parent)
    var leadingBlank = false
    while !stop, column == indent, index < source.count {
      let trailingBlank = isBlank(index)
      if !literal, let leading = leadingBreak, isLineFeed(leading), !leadingBlank, !trailingBlank {
        if trailingBreaks.isEmpty { emit(0x20, from: leading.lowerBound, to: leading.upperBound) }
      } else if let leading = leadingBreak {
        emitBreak(leading)
      }
      leadingBreak = nil
      for range in trailingBreaks { emitBreak(range) }
      trailingBreaks.removeAll()
      leadingBlank = isBlank(index)
      while !stop, index < source.count, !isBreak(index) { index = copyCharacter(at: index) }
      if stop || index >= source.count { break }
      leadingBreak = breakRange(at: index)
      index = leadingBreak?.upperBound ?? index
      column = 0
      scanBreaks(&index, &column, &indent, &trailingBreaks, parent: parent)
    }
    // Chomping decides whether the final breaks belong to the value; the value says.
    if let leading = leadingBreak, !stop { emitBreak(leading) }
    for range in trailingBreaks where !stop { emitBreak(range) }
    return isDone
  }

  /// Skips indentation and empty lines before a block scalar line; detects the indentation
  /// when it is not given.
  func scanBreaks(
    _ index: inout Int, _ column: inout Int, _ indent: inout Int, _ breaks: inout [Range<Int>],
    parent: Int
  ) {
    var maxIndent = 0
    while true {
      while indent == 0 || column < indent, index < source.count, source[index] == 0x20 {
        index += 1
        column += 1
      }
      maxIndent = max(maxIndent, column)
      guard isBreak(index) else { break }
      let range = breakRange(at: index)
      breaks.append(range)
      index = range.upperBound
      column = 0
    }
    if indent == 0 { indent = max(maxIndent, parent + 1, 1) }
  }

  /// The indentation libyaml holds when it reads a block scalar header: the column of the key
  /// on the header's line, or of the last `- ` before the header, or -1 when the header
  /// starts its line.
  func parentIndent(ofHeaderAt header: Int) -> Int {
    var lineStart = header
    while lineStart > 0, source[lineStart - 1] != 0x0A, source[lineStart - 1] != 0x0D {
      lineStart -= 1
    }
    var index = lineStart
    while index < header, source[index] == 0x20 { index += 1 }
    var dash = -1
    while index + 1 < header, source[index] == UInt8(ascii: "-"), isBlank(index + 1) {
      dash = index - lineStart
      index += 1
      while index < header, isBlank(index) { index += 1 }
    }
    var probe = index
    while probe + 1 < header {
      if source[probe] == UInt8(ascii: ":"), isBlank(probe + 1) { return index - lineStart }
      probe += 1
    }
    return dash
  }
}
