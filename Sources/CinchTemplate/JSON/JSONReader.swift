/// The JSON parser's state over one file's bytes: a cursor, an explicit stack of open
/// collections, and the line and column of the cursor, tracked as the bytes go by so that no
/// node's position needs a search.
struct JSONReader: ~Copyable {
  /// Thrown after the diagnostic that ends the parse has been reported.
  struct Stop: Error {}

  /// An object or array whose closing bracket has not been read yet.
  struct Frame {
    let isObject: Bool
    let start: SourcePosition
    /// Where this collection's children start in the reader's `children`.
    let children: OpenChildren.Mark
    /// The key whose value is being read.
    var key: Node?
    /// When the pending key repeats an earlier one, its value is read and dropped.
    var keyIsDuplicate = false
    /// Key → entry index, built once an object has more keys than a linear scan suits.
    var keyIndex: [String: Int]?

    init(isObject: Bool, start: SourcePosition, children: OpenChildren.Mark) {
      self.isObject = isObject
      self.start = start
      self.children = children
    }
  }

  let bytes: UnsafeBufferPointer<UInt8>
  let count: Int
  let file: SourceFile
  let limits: ParseLimits
  var diagnostics = Diagnostics()
  /// Whether an `Fn::If`, `Fn::Select` or `Fn::FindInMap` was made
  /// (`ParsedDocument.mayContainChoice`).
  var sawChoice = false

  var index = 0
  var stack: [Frame] = []
  /// The children of the collections in `stack`.
  var children = OpenChildren()
  var nodeCount = 0
  /// Decoded bytes of a string with escapes, reused across strings.
  var scratch: [UInt8] = []

  // Position tracking: line breaks occur only in whitespace between tokens (a raw one inside a
  // string is an error), so the whitespace skipper keeps `line` and `lineStart` current. For a
  // file with non-ASCII bytes the column is a count of scalars, carried forward from `anchor`
  // because positions are asked for in increasing offset order.
  var line = 1
  var lineStart = 0
  var anchorOffset = 0
  var anchorColumn = 1

  init(_ bytes: UnsafeBufferPointer<UInt8>, file: SourceFile, limits: ParseLimits) {
    self.bytes = bytes
    self.count = bytes.count
    self.file = file
    self.limits = limits
  }

  // MARK: - Document

  mutating func read() -> Node? {
    if file.hasByteOrderMark {
      // The mark is not a column (`SourceFile.position`): line 1 starts after it.
      index = 3
      lineStart = 3
      anchorOffset = 3
    }
    do {
      return try readDocument()
    } catch {
      return nil
    }
  }

  private mutating func readDocument() throws(Stop) -> Node {
    skipWhitespace()
    values: while true {
      // A value starts at `index` (whitespace already skipped).
      guard index < count else { throw endOfFile() }
      var node: Node
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        try countNode()
        let isObject = byte == UInt8(ascii: "{")
        if stack.count >= limits.maxDepth {
          throw fail(
            .nestingTooDeep,
            limits.tooDeep,
            from: index, to: index + 1)
        }
        stack.append(Frame(isObject: isObject, start: position(index), children: children.mark))
        index += 1
        skipWhitespace()
        if index < count, bytes[index] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
          index += 1
          node = close()
        } else {
          if isObject { try readKey(afterComma: nil) }
          continue values
        }
      case UInt8(ascii: "\""):
        try countNode()
        node = try readString()
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        try countNode()
        node = try readNumber()
      default:
        try countNode()
        node = try readLiteral()
      }
      // Hand the finished value to the collections it closes, until one expects more.
      while true {
        guard !stack.isEmpty else {
          skipWhitespace()
          if index < count {
            let found = describe(at: index)
            throw fail(
              .jsonSyntax, "unexpected content after the document", from: index, to: found.end)
          }
          return node
        }
        add(consume node)
        skipWhitespace()
        guard index < count else { throw endOfFile() }
        let isObject = stack[stack.count - 1].isObject
        let closer = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        let next = bytes[index]
        if next == UInt8(ascii: ",") {
          let comma = index
          index += 1
          skipWhitespace()
          if index < count, bytes[index] == closer {
            throw fail(.jsonSyntax, "trailing comma", from: comma, to: comma + 1)
          }
          if isObject { try readKey(afterComma: comma) }
          continue values
        } else if next == closer {
          index += 1
          node = close()
        } else {
          throw unexpected(
            expected: isObject
              ? "expected ',' or '}' after object member"
              : "expected ',' or ']' after array element")
        }
      }
    }
  }

  /// Reads an object key, the colon after it and the whitespace before the value.
  private mutating func readKey(afterComma comma: Int?) throws(Stop) {
    guard index < count else { throw endOfFile() }
    guard bytes[index] == UInt8(ascii: "\"") else {
      throw unexpected(
        expected: comma == nil ? "expected a string key or '}'" : "expected a string key after ','")
    }
    try countNode()
    let key = try readString()
    let name = key.scalar ?? ""
    let top = stack.count - 1
    if let first = firstEntry(named: name, inFrame: top) {
      let firstKey = children.entries[first].key
      diagnostics.report(
        Diagnostic(
          .duplicateKey, "duplicate key '\(Self.printable(name))'", file: file.path,
          range: key.range,
          notes: [
            Diagnostic.Note(
              "first defined here", file: file.path,
              range: firstKey.range)
          ]))
      stack[top].keyIsDuplicate = true
    } else {
      stack[top].keyIsDuplicate = false
    }
    stack[top].key = key
    skipWhitespace()
    guard index < count else { throw endOfFile() }
    guard bytes[index] == UInt8(ascii: ":") else {
      throw unexpected(expected: "expected ':' after object key")
    }
    index += 1
    skipWhitespace()
  }

  /// The index in `children.entries` of the open object's entry named `name`.
  private func firstEntry(named name: String, inFrame frame: Int) -> Int? {
    // By code points: a `[String: Int]` and `==` match canonically equivalent keys (`e` +
    // U+0301 and `é`), which JSON tells apart (RFC 8259 §8.3).
    let entries = children.entries(since: stack[frame].children)
    if let keyIndex = stack[frame].keyIndex {
      return keyIndex[name].flatMap { entries[$0].name.utf8.elementsEqual(name.utf8) ? $0 : nil }
    }
    return entries.firstIndex { $0.name.utf8.elementsEqual(name.utf8) }
  }

  /// Adds a finished value to the innermost open collection.
  private mutating func add(_ node: consuming Node) {
    let top = stack.count - 1
    guard stack[top].isObject else {
      children.append(node)
      return
    }
    guard let key = stack[top].key.take(), !stack[top].keyIsDuplicate else { return }
    let name = key.scalar ?? ""
    children.append(Entry(key: key, value: node))
    let entries = children.entries(since: stack[top].children)
    let entryCount = entries.count
    if stack[top].keyIndex != nil {
      stack[top].keyIndex?[name] = entries.endIndex - 1
    } else if entryCount > 8 {
      var keyIndex: [String: Int] = [:]
      keyIndex.reserveCapacity(entryCount * 2)
      for (slot, entry) in zip(entries.indices, entries) {
        keyIndex[entry.name] = slot
      }
      stack[top].keyIndex = keyIndex
    }
  }

  /// Pops the innermost collection, whose closing bracket was just read, into a node.
  private mutating func close() -> Node {
    let frame = stack.removeLast()
    let range = SourceRange(start: frame.start, end: position(index))
    guard frame.isObject else {
      return Node(.sequence(children.takeItems(since: frame.children)), style: .flow, range: range)
    }
    let entries = children.takeEntries(since: frame.children)
    if let intrinsic = IntrinsicNormalizer.longForm(
      entries, style: .flow, range: range, file: file, into: &diagnostics)
    {
      if intrinsic.intrinsic?.function.isChoice == true { sawChoice = true }
      return intrinsic
    }
    return Node(.mapping(entries), style: .flow, range: range)
  }

  private mutating func countNode() throws(Stop) {
    nodeCount += 1
    if nodeCount > limits.maxNodes {
      let end = bytes[index] == UInt8(ascii: "\"") ? index + 1 : describe(at: index).end
      throw fail(
        .tooManyNodes, "document has more than \(limits.maxNodes) nodes",
        from: index, to: end)
    }
  }

  // MARK: - Scalars

  /// A string token; `index` is at its opening quote.
  private mutating func readString() throws(Stop) -> Node {
    let start = index
    let startPosition = position(start)
    var cursor = nextSpecial(from: start + 1)
    let text: String
    let length: Int
    if cursor < count, bytes[cursor] == UInt8(ascii: "\"") {
      length = cursor - start - 1
      try checkLength(length, of: "string", from: start, to: cursor + 1)
      text = String(
        decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<cursor]), as: UTF8.self)
    } else {
      scratch.removeAll(keepingCapacity: true)
      scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<cursor]))
      while true {
        guard cursor < count else {
          throw fail(.jsonSyntax, "unterminated string", from: start, to: start + 1)
        }
        let byte = bytes[cursor]
        if byte == UInt8(ascii: "\"") { break }
        if byte == UInt8(ascii: "\\") {
          cursor = try readEscape(at: cursor, stringStart: start)
        } else if byte < 0x20 {
          throw fail(
            .jsonSyntax, "control character \(Self.codePoint(UInt32(byte))) in string",
            from: cursor, to: cursor + 1)
        } else {
          let run = nextSpecial(from: cursor + 1)
          scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[cursor..<run]))
          cursor = run
        }
      }
      length = scratch.count
      try checkLength(length, of: "string", from: start, to: cursor + 1)
      text = String(decoding: scratch, as: UTF8.self)
    }
    index = cursor + 1
    return Node(
      .scalar(text), style: .doubleQuoted,
      range: SourceRange(start: startPosition, end: position(index)))
  }

  /// Decodes the escape at `cursor` into `scratch`; returns the offset after it.
  private mutating func readEscape(at cursor: Int, stringStart: Int) throws(Stop) -> Int {
    switch JSONEscape.decode(bytes, at: cursor, end: count) {
    case .scalar(let scalar, let length):
      JSONEscape.appendUTF8(scalar, to: &scratch)
      return cursor + length
    case .truncated:
      throw fail(.jsonSyntax, "unterminated string", from: stringStart, to: stringStart + 1)
    case .invalid:
      let found = scalarText(at: cursor + 1)
      let message =
        found.isPrintable
        ? "invalid escape '\\\(found.text)'"
        : "invalid escape: '\\' followed by \(found.text)"
      throw fail(.jsonSyntax, message, from: cursor, to: found.end)
    case .badUnicode(let length):
      // Show what follows `\u` up to four bytes, when it is plain text.
      var end = cursor + length
      while end < min(cursor + 6, count), bytes[end] > 0x20, bytes[end] < 0x7F,
        bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\")
      {
        end += 1
      }
      throw fail(
        .jsonSyntax, "invalid unicode escape '\(text(from: cursor, to: end))'", from: cursor,
        to: end)
    case .loneSurrogate:
      throw fail(
        .jsonSyntax, "lone surrogate '\(text(from: cursor, to: cursor + 6))'", from: cursor,
        to: cursor + 6)
    }
  }

  /// The first `"`, `\` or control byte at or after `start`, or `count`; eight bytes a step.
  @inline(__always)
  private func nextSpecial(from start: Int) -> Int {
    var cursor = start
    if let base = bytes.baseAddress {
      let ones: UInt64 = 0x0101_0101_0101_0101
      let highs: UInt64 = 0x8080_8080_8080_8080
      while cursor + 8 <= count {
        let word = UInt64(
          littleEndian: UnsafeRawPointer(base + cursor).loadUnaligned(as: UInt64.self))
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let found =
          ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (word &- ones &* 0x20)
            & ~word)
          & highs
        if found != 0 { return cursor + found.trailingZeroBitCount >> 3 }
        cursor += 8
      }
    }
    while cursor < count {
      let byte = bytes[cursor]
      if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return cursor }
      cursor += 1
    }
    return count
  }

  /// A number token (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`), kept as its text.
  private mutating func readNumber() throws(Stop) -> Node {
    let start = index
    var cursor = index
    if bytes[cursor] == UInt8(ascii: "-") {
      cursor += 1
      guard cursor < count else { throw endOfFile() }
      guard Self.isDigit(bytes[cursor]) else {
        let found = describe(at: cursor)
        throw fail(
          .jsonSyntax, "expected a digit after '-', found \(found.text)", from: cursor,
          to: found.end)
      }
    }
    if bytes[cursor] == UInt8(ascii: "0") {
      cursor += 1
      if cursor < count, Self.isDigit(bytes[cursor]) {
        let end = skipDigits(from: cursor)
        throw fail(.jsonSyntax, "leading zeros are not allowed", from: cursor - 1, to: end)
      }
    } else {
      cursor = skipDigits(from: cursor)
    }
    if cursor < count, bytes[cursor] == UInt8(ascii: ".") {
      cursor += 1
      guard cursor < count else { throw endOfFile() }
      guard Self.isDigit(bytes[cursor]) else {
        let found = describe(at: cursor)
        throw fail(
          .jsonSyntax, "expected a digit after '.', found \(found.text)", from: cursor,
          to: found.end)
      }
      cursor = skipDigits(from: cursor)
    }
    if cursor < count, bytes[cursor] | 0x20 == UInt8(ascii: "e") {
      cursor += 1
      if cursor < count, bytes[cursor] == UInt8(ascii: "+") || bytes[cursor] == UInt8(ascii: "-") {
        cursor += 1
      }
      guard cursor < count else { throw endOfFile() }
      guard Self.isDigit(bytes[cursor]) else {
        let found = describe(at: cursor)
        throw fail(
          .jsonSyntax, "expected a digit in the exponent, found \(found.text)", from: cursor,
          to: found.end)
      }
      cursor = skipDigits(from: cursor)
    }
    try checkLength(cursor - start, of: "number", from: start, to: cursor)
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<cursor]), as: UTF8.self)
    let startPosition = position(start)
    index = cursor
    return Node(
      .scalar(text), style: .plain, range: SourceRange(start: startPosition, end: position(index)))
  }

  private func skipDigits(from start: Int) -> Int {
    var cursor = start
    while cursor < count, Self.isDigit(bytes[cursor]) { cursor += 1 }
    return cursor
  }

  /// `true`, `false` or `null`; anything else where a value belongs is reported here.
  private mutating func readLiteral() throws(Stop) -> Node {
    let start = index
    let word = describe(at: start)
    let literal: String
    switch word.text {
    case "'true'": literal = "true"
    case "'false'": literal = "false"
    case "'null'": literal = "null"
    default:
      let byte = bytes[start]
      if word.end == count,
        ["true", "false", "null"].contains(where: { $0.utf8.starts(with: bytes[start..<count]) })
      {
        throw endOfFile()  // a literal cut short by the end of a truncated file
      }
      if Self.isWordByte(byte) {
        throw fail(.jsonSyntax, "invalid literal \(word.text)", from: start, to: word.end)
      }
      if byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") {
        throw fail(
          .jsonSyntax, "a number cannot start with \(word.text)", from: start, to: word.end)
      }
      throw unexpected(expected: "expected a value")
    }
    let startPosition = position(start)
    index = word.end
    return Node(
      .scalar(literal), style: .plain,
      range: SourceRange(start: startPosition, end: position(index)))
  }

  private mutating func checkLength(
    _ length: Int, of kind: String, from start: Int, to end: Int
  ) throws(Stop) {
    if length > limits.maxScalarLength {
      throw fail(
        .scalarTooLong,
        "\(kind) is \(length) bytes, over the limit of \(limits.maxScalarLength)", from: start,
        to: end)
    }
  }

  // MARK: - Whitespace and positions

  @inline(__always)
  private mutating func skipWhitespace() {
    while index < count {
      switch bytes[index] {
      case 0x20, 0x09:
        index += 1
      case 0x0A:
        index += 1
        newLine()
      case 0x0D:
        index += 1
        // CRLF is one line break; a lone CR is one too, as `SourceFile` counts lines.
        if index >= count || bytes[index] != 0x0A { newLine() }
      default:
        return
      }
    }
  }

  @inline(__always)
  private mutating func newLine() {
    line += 1
    lineStart = index
    anchorOffset = index
    anchorColumn = 1
  }

  /// The position of `offset`, which is on the cursor's current line.
  @inline(__always)
  private mutating func position(_ offset: Int) -> SourcePosition {
    if file.isASCII {
      return SourcePosition(offset: offset, line: line, column: offset - lineStart + 1)
    }
    if offset < anchorOffset {
      anchorOffset = lineStart
      anchorColumn = 1
    }
    var column = anchorColumn
    var cursor = anchorOffset
    while cursor < offset {
      if bytes[cursor] & 0xC0 != 0x80 { column += 1 }
      cursor += 1
    }
    anchorOffset = offset
    anchorColumn = column
    return SourcePosition(offset: offset, line: line, column: column)
  }

  // MARK: - Diagnostics

  private mutating func fail(
    _ code: DiagnosticCode, _ message: String, from start: Int, to end: Int,
    notes: [Diagnostic.Note] = []
  ) -> Stop {
    diagnostics.report(
      Diagnostic(
        code, message, file: file.path, range: file.range(fromByte: start, toByte: min(end, count)),
        notes: notes))
    return Stop()
  }

  /// Something other than what the grammar allows at `index`, named in the message; the two
  /// habits JSON does not allow (comments, single quotes) get a message of their own.
  private mutating func unexpected(expected: String) -> Stop {
    let found = describe(at: index)
    let message =
      switch bytes[index] {
      case UInt8(ascii: "/"): "comments are not allowed in JSON"
      case UInt8(ascii: "'"): "strings must be enclosed in double quotes"
      default: "\(expected), found \(found.text)"
      }
    return fail(.jsonSyntax, message, from: index, to: found.end)
  }

  /// A truncated file: points at its end, with a note at the collection left open.
  private mutating func endOfFile() -> Stop {
    var notes: [Diagnostic.Note] = []
    if let open = stack.last {
      let what = open.isObject ? "object" : "array"
      notes.append(
        Diagnostic.Note(
          "the unclosed \(what) starts here", file: file.path,
          range: file.range(fromByte: open.start.offset, toByte: open.start.offset + 1)))
    }
    return fail(.jsonSyntax, "unexpected end of file", from: count, to: count, notes: notes)
  }

  /// What a person sees at `offset`, quoted for a message, and where it ends: a whole word for
  /// letters and digits (`'True'`), one character otherwise, a code point for invisible ones.
  private func describe(at offset: Int) -> (text: String, end: Int) {
    guard offset < count else { return ("end of file", count) }
    if Self.isWordByte(bytes[offset]) {
      var end = offset + 1
      while end < count, end - offset < 64, Self.isWordByte(bytes[end]) { end += 1 }
      return ("'\(text(from: offset, to: end))'", end)
    }
    let scalar = scalarText(at: offset)
    if scalar.isPrintable {
      return (bytes[offset] == UInt8(ascii: "'") ? "\"'\"" : "'\(scalar.text)'", scalar.end)
    }
    return (scalar.text, scalar.end)
  }

  /// The character at `offset`: itself when printable, `U+XXXX` otherwise (or the raw byte's
  /// value when the bytes are not UTF-8, for a caller that skipped validation).
  private func scalarText(at offset: Int) -> (text: String, end: Int, isPrintable: Bool) {
    guard offset < count else { return ("end of file", count, false) }
    let lead = bytes[offset]
    let length: Int
    switch lead {
    case 0x00..<0x80: length = 1
    case 0xC2...0xDF: length = 2
    case 0xE0...0xEF: length = 3
    case 0xF0...0xF4: length = 4
    default: return ("byte 0x\(String(lead, radix: 16, uppercase: true))", offset + 1, false)
    }
    guard offset + length <= count else {
      return ("byte 0x\(String(lead, radix: 16, uppercase: true))", offset + 1, false)
    }
    var value = length == 1 ? UInt32(lead) : UInt32(lead) & (0xFF >> (length + 1))
    for continuation in 1..<max(length, 1) {
      value = value << 6 | UInt32(bytes[offset + continuation] & 0x3F)
    }
    guard let scalar = Unicode.Scalar(value) else {
      return ("byte 0x\(String(lead, radix: 16, uppercase: true))", offset + 1, false)
    }
    let invisible =
      value < 0x21 || value == 0x7F || (0x80...0xA0).contains(value) || value == 0xAD
      || (0x2000...0x200F).contains(value) || (0x2028...0x202F).contains(value)
      || value == 0xFEFF || scalar.properties.generalCategory == .format
    if invisible { return (Self.codePoint(value), offset + length, false) }
    return (String(Character(scalar)), offset + length, true)
  }

  private func text(from start: Int, to end: Int) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<min(end, count)]), as: UTF8.self)
  }

  static func codePoint(_ value: UInt32) -> String {
    let hex = String(value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
  }

  /// A key as it may appear in a message: control characters escaped, at most 80 characters.
  static func printable(_ name: String) -> String {
    var result = ""
    var count = 0
    for scalar in name.unicodeScalars {
      if count == 80 {
        result += "…"
        break
      }
      if scalar.value < 0x20 || scalar.value == 0x7F {
        result += "\\u{\(String(scalar.value, radix: 16))}"
      } else {
        result.unicodeScalars.append(scalar)
      }
      count += 1
    }
    return result
  }

  @inline(__always)
  static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

  static func isWordByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
      true
    default: false
    }
  }
}
