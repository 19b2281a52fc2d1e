import CinchTemplate

/// What the bytes around a scalar say about how it may be rewritten: line starts, the
/// indentation a block scalar's content must exceed, the header of a block scalar, and the
/// line break the file uses.
struct YAMLLayout {
  let bytes: [UInt8]

  init(_ file: SourceFile) {
    self.bytes = file.bytes
  }

  static func isBreak(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D }
  static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

  /// The offset where the line holding `offset` starts.
  func lineStart(of offset: Int) -> Int {
    var index = min(offset, bytes.count)
    while index > 0, !Self.isBreak(bytes[index - 1]) { index -= 1 }
    return index
  }

  /// Whether `range` holds a line break.
  func spansLines(_ range: Range<Int>) -> Bool {
    bytes[range].contains { Self.isBreak($0) }
  }

  /// Whether only spaces come before `offset` on its line.
  func onlySpacesBefore(_ offset: Int) -> Bool {
    bytes[lineStart(of: offset)..<offset].allSatisfy { $0 == 0x20 }
  }

  /// The line break to write near `offset`: the one ending the line that holds it (CRLF, LF or
  /// a bare CR, as YAML 1.1 reads all three), or at the end of the file the one ending the line
  /// before; LF when the file has none.
  func lineBreak(near offset: Int) -> [UInt8] {
    var index = offset
    while index < bytes.count, !Self.isBreak(bytes[index]) { index += 1 }
    if index == bytes.count {
      index = lineStart(of: offset) - 1
      guard index >= 0 else { return [0x0A] }
      if bytes[index] == 0x0A, index > 0, bytes[index - 1] == 0x0D { index -= 1 }
    }
    if bytes[index] == 0x0A { return [0x0A] }
    return index + 1 < bytes.count && bytes[index + 1] == 0x0A ? [0x0D, 0x0A] : [0x0D]
  }

  /// The indentation libyaml holds when it reads a block scalar header at `header`: the column
  /// of the key on the header's line (after any `- `), else the column of the last `- `; nil
  /// when the line holds neither before the header (the node starts its own line, or follows
  /// only its tag or anchor), where the enclosing indentation is not on this line.
  func parentIndent(ofHeaderAt header: Int) -> Int? {
    let start = lineStart(of: header)
    var index = start
    while index < header, bytes[index] == 0x20 { index += 1 }
    var dash: Int?
    while index + 1 < header, bytes[index] == UInt8(ascii: "-"), Self.isBlank(bytes[index + 1]) {
      dash = index - start
      index += 1
      while index < header, Self.isBlank(bytes[index]) { index += 1 }
    }
    var probe = index
    while probe + 1 < header {
      if bytes[probe] == UInt8(ascii: ":"), Self.isBlank(bytes[probe + 1]) { return index - start }
      probe += 1
    }
    return dash
  }

  /// The column of the first non-space byte on the line holding `offset`.
  func firstColumn(ofLineAt offset: Int) -> Int {
    let start = lineStart(of: offset)
    var index = start
    while index < bytes.count, bytes[index] == 0x20 { index += 1 }
    return index - start
  }

  /// A block scalar header at `offset` (`|`, `>-`, `|2+`): its explicit indentation indicator.
  func blockIndicator(at offset: Int) -> Int? {
    var index = offset + 1
    for _ in 0..<2 where index < bytes.count {
      let byte = bytes[index]
      if byte >= UInt8(ascii: "1"), byte <= UInt8(ascii: "9") {
        return Int(byte - UInt8(ascii: "0"))
      }
      if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") { index += 1 } else { break }
    }
    return nil
  }

  /// Whether the line after the line break at `offset` holds something other than blanks (or
  /// the file ends there): a keep-chomped block scalar ending at `offset` would take in the
  /// empty lines that follow it.
  func nextLineHasContent(afterBreakAt offset: Int) -> Bool {
    var index = offset
    if index < bytes.count, bytes[index] == 0x0D { index += 1 }
    if index < bytes.count, bytes[index] == 0x0A { index += 1 }
    if index >= bytes.count { return true }
    while index < bytes.count, Self.isBlank(bytes[index]) { index += 1 }
    return index < bytes.count && !Self.isBreak(bytes[index])
  }
}
