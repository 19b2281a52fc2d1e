/// A strict RFC 8259 parser into `JSONValue`, for `--cli-input-json` and JSON-valued arguments
/// (`--tags '[{"Key":"env","Value":"prod"}]'`). Numbers without a fraction or exponent that fit
/// in 64 bits become integers; a repeated key keeps its first position and its last value, as
/// Python's `json.loads` does. Error messages give a position, never the input text, because the
/// input may hold a secret.
package struct JSONValueParser {
  package struct Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package var line: Int
    package var column: Int
    package var offset: Int

    package var description: String { "\(message) at line \(line), column \(column)" }
  }

  /// Nesting deeper than this is refused rather than risking the stack.
  package static let maximumDepth = 512

  private let bytes: [UInt8]
  private var index = 0
  private var depth = 0
  /// The byte range of each member value of the top-level object, when asked for.
  private var memberRanges: [String: Range<Int>]?

  private init(_ text: String) { bytes = Array(text.utf8) }

  package static func parse(_ text: String) throws(Error) -> JSONValue {
    var parser = JSONValueParser(text)
    return try parser.parseDocument()
  }

  /// `parse`, and beside the value the source text of each member of the top-level object (of
  /// the last one for a repeated key), for a caller that must give a number exactly as written:
  /// `12345678901234567890123` and `1.0` do not survive a round trip through `Double`.
  package static func parseKeepingMemberText(_ text: String) throws(Error) -> (
    value: JSONValue, memberText: [String: String]
  ) {
    var parser = JSONValueParser(text)
    parser.memberRanges = [:]
    let value = try parser.parseDocument()
    let memberText = (parser.memberRanges ?? [:]).mapValues {
      String(decoding: parser.bytes[$0], as: UTF8.self)
    }
    return (value, memberText)
  }

  private mutating func parseDocument() throws(Error) -> JSONValue {
    skipWhitespace()
    let value = try parseValue()
    skipWhitespace()
    if index < bytes.count { throw error("unexpected content after the value") }
    return value
  }

  private mutating func parseValue() throws(Error) -> JSONValue {
    guard index < bytes.count else { throw error("expected a value, found the end of the input") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): try literal("true"); return .bool(true)
    case UInt8(ascii: "f"): try literal("false"); return .bool(false)
    case UInt8(ascii: "n"): try literal("null"); return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
    default: throw error("expected a value")
    }
  }

  private mutating func literal(_ word: String) throws(Error) {
    for byte in word.utf8 {
      guard index < bytes.count, bytes[index] == byte else { throw error("invalid literal") }
      index += 1
    }
  }

  private mutating func enter() throws(Error) {
    depth += 1
    if depth > Self.maximumDepth { throw error("nesting deeper than \(Self.maximumDepth) levels") }
  }

  private mutating func parseObject() throws(Error) -> JSONValue {
    try enter()
    index += 1
    var object = JSONObject()
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      depth -= 1
      return .object(object)
    }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
        throw error("expected a string key")
      }
      let key = try parseString()
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
        throw error("expected ':' after a key")
      }
      index += 1
      skipWhitespace()
      let valueStart = index
      object[key] = try parseValue()
      if depth == 1, memberRanges != nil { memberRanges?[key] = valueStart..<index }
      skipWhitespace()
      guard index < bytes.count else {
        throw error("expected ',' or '}', found the end of the input")
      }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
      } else if bytes[index] == UInt8(ascii: "}") {
        index += 1
        depth -= 1
        return .object(object)
      } else {
        throw error("expected ',' or '}'")
      }
    }
  }

  private mutating func parseArray() throws(Error) -> JSONValue {
    try enter()
    index += 1
    var array: [JSONValue] = []
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      depth -= 1
      return .array(array)
    }
    while true {
      skipWhitespace()
      array.append(try parseValue())
      skipWhitespace()
      guard index < bytes.count else {
        throw error("expected ',' or ']', found the end of the input")
      }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
      } else if bytes[index] == UInt8(ascii: "]") {
        index += 1
        depth -= 1
        return .array(array)
      } else {
        throw error("expected ',' or ']'")
      }
    }
  }

  private mutating func parseString() throws(Error) -> String {
    let start = index
    index += 1
    var scalars = String.UnicodeScalarView()
    var runStart = index
    func flush(_ bytes: ArraySlice<UInt8>, into scalars: inout String.UnicodeScalarView) {
      scalars.append(contentsOf: String(decoding: bytes, as: UTF8.self).unicodeScalars)
    }
    while true {
      guard index < bytes.count else {
        index = start
        throw error("unterminated string")
      }
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        defer { index += 1 }
        // Without escapes (nearly every string), the bytes are the string.
        if runStart == start + 1 { return String(decoding: bytes[runStart..<index], as: UTF8.self) }
        flush(bytes[runStart..<index], into: &scalars)
        return String(scalars)
      }
      if byte < 0x20 { throw error("control character in a string") }
      if byte == UInt8(ascii: "\\") {
        flush(bytes[runStart..<index], into: &scalars)
        index += 1
        guard index < bytes.count else { throw error("unterminated escape") }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""): scalars.append("\"")
        case UInt8(ascii: "\\"): scalars.append("\\")
        case UInt8(ascii: "/"): scalars.append("/")
        case UInt8(ascii: "b"): scalars.append("\u{08}")
        case UInt8(ascii: "f"): scalars.append("\u{0C}")
        case UInt8(ascii: "n"): scalars.append("\n")
        case UInt8(ascii: "r"): scalars.append("\r")
        case UInt8(ascii: "t"): scalars.append("\t")
        case UInt8(ascii: "u"): scalars.append(try parseUnicodeEscape())
        default:
          index -= 2
          throw error("invalid escape")
        }
        runStart = index
        continue
      }
      if byte >= 0x80 {
        guard let length = validUTF8Length(at: index) else { throw error("invalid UTF-8") }
        index += length
        continue
      }
      index += 1
    }
  }

  private mutating func hexQuad() throws(Error) -> UInt32 {
    guard index + 4 <= bytes.count else { throw error("invalid \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
      default: throw error("invalid \\u escape")
      }
      value = value * 16 + digit
      index += 1
    }
    return value
  }

  private mutating func parseUnicodeEscape() throws(Error) -> Unicode.Scalar {
    let first = try hexQuad()
    if (0xD800..<0xDC00).contains(first) {
      guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
        bytes[index + 1] == UInt8(ascii: "u")
      else { throw error("unpaired surrogate in a \\u escape") }
      index += 2
      let second = try hexQuad()
      guard (0xDC00..<0xE000).contains(second) else {
        throw error("unpaired surrogate in a \\u escape")
      }
      let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
      guard let scalar = Unicode.Scalar(combined) else { throw error("invalid \\u escape") }
      return scalar
    }
    guard let scalar = Unicode.Scalar(first) else {
      throw error("unpaired surrogate in a \\u escape")
    }
    return scalar
  }

  private func validUTF8Length(at position: Int) -> Int? {
    let lead = bytes[position]
    let length: Int
    var minimum: UInt32
    var value: UInt32
    switch lead {
    case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F); minimum = 0x80
    case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F); minimum = 0x800
    case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07); minimum = 0x10000
    default: return nil
    }
    guard position + length <= bytes.count else { return nil }
    for offset in 1..<length {
      let byte = bytes[position + offset]
      guard byte & 0xC0 == 0x80 else { return nil }
      value = value << 6 | UInt32(byte & 0x3F)
    }
    guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else {
      return nil
    }
    return length
  }

  private mutating func parseNumber() throws(Error) -> JSONValue {
    let start = index
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
      if index < bytes.count, isDigit(bytes[index]) { throw error("leading zero in a number") }
    } else {
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    var integral = true
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      integral = false
      index += 1
      guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      integral = false
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
      {
        index += 1
      }
      guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    let text = String(decoding: bytes[start..<index], as: UTF8.self)
    if integral, let integer = Int64(text) { return .integer(integer) }
    guard let double = Double(text) else { throw error("invalid number") }
    return .double(double)
  }

  private func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  private mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  private func error(_ message: String) -> Error {
    var line = 1
    var column = 1
    var position = 0
    let end = min(index, bytes.count)
    while position < end {
      let byte = bytes[position]
      if byte == 0x0A {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
      position += 1
    }
    return Error(message: message, line: line, column: column, offset: index)
  }
}
