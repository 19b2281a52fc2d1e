/// The escapes of RFC 8259 §7, decoded one at a time. The parser and `JSONStringSourceMap`
/// share this so that what a string decodes to and where each decoded byte came from agree.
enum JSONEscape {
  enum Decoded: Equatable {
    /// A valid escape: the scalar and how many source bytes it took, backslash included
    /// (2 for `\n`, 6 for `\u00e9`, 12 for a surrogate pair).
    case scalar(Unicode.Scalar, length: Int)
    /// A backslash followed by a byte that starts no escape (`\q`).
    case invalid
    /// `\u` not followed by four hex digits; `length` covers the backslash, the `u` and the
    /// hex digits that were there.
    case badUnicode(length: Int)
    /// `\uD800`–`\uDFFF` that is not the first half of a high-low pair.
    case loneSurrogate
    /// The input ends right after the backslash.
    case truncated
  }

  /// Decodes the escape whose backslash is at `index`; `end` bounds the bytes that may be read.
  @inline(__always)
  static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> Decoded {
    guard index + 1 < end else { return .truncated }
    let simple: UInt8
    switch bytes[index + 1] {
    case UInt8(ascii: "\""): simple = 0x22
    case UInt8(ascii: "\\"): simple = 0x5C
    case UInt8(ascii: "/"): simple = 0x2F
    case UInt8(ascii: "b"): simple = 0x08
    case UInt8(ascii: "f"): simple = 0x0C
    case UInt8(ascii: "n"): simple = 0x0A
    case UInt8(ascii: "r"): simple = 0x0D
    case UInt8(ascii: "t"): simple = 0x09
    case UInt8(ascii: "u"):
      return decodeUnicode(bytes, at: index, end: end)
    default:
      return .invalid
    }
    return .scalar(Unicode.Scalar(simple), length: 2)
  }

  private static func decodeUnicode(
    _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int
  ) -> Decoded {
    let (first, digits) = hex4(bytes, at: index + 2, end: end)
    guard digits == 4 else { return .badUnicode(length: 2 + digits) }
    switch first {
    case 0xD800...0xDBFF:
      // A high surrogate counts only when a low one follows as the very next escape.
      guard index + 7 < end, bytes[index + 6] == UInt8(ascii: "\\"),
        bytes[index + 7] == UInt8(ascii: "u")
      else { return .loneSurrogate }
      let (second, secondDigits) = hex4(bytes, at: index + 8, end: end)
      guard secondDigits == 4, (0xDC00...0xDFFF).contains(second) else { return .loneSurrogate }
      let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
      guard let scalar = Unicode.Scalar(value) else { return .loneSurrogate }
      return .scalar(scalar, length: 12)
    case 0xDC00...0xDFFF:
      return .loneSurrogate
    default:
      guard let scalar = Unicode.Scalar(first) else { return .loneSurrogate }
      return .scalar(scalar, length: 6)
    }
  }

  /// Reads up to four hex digits; returns their value and how many there were.
  @inline(__always)
  private static func hex4(
    _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int
  ) -> (value: UInt32, digits: Int) {
    var value: UInt32 = 0
    var digits = 0
    while digits < 4, index + digits < end {
      let byte = bytes[index + digits]
      let nibble: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = UInt32(byte - UInt8(ascii: "A") + 10)
      default: return (value, digits)
      }
      value = value << 4 | nibble
      digits += 1
    }
    return (value, digits)
  }

  /// Appends the UTF-8 encoding of `scalar` to `buffer`.
  @inline(__always)
  static func appendUTF8(_ scalar: Unicode.Scalar, to buffer: inout [UInt8]) {
    let value = scalar.value
    switch value {
    case 0..<0x80:
      buffer.append(UInt8(value))
    case 0x80..<0x800:
      buffer.append(UInt8(0xC0 | (value >> 6)))
      buffer.append(UInt8(0x80 | (value & 0x3F)))
    case 0x800..<0x10000:
      buffer.append(UInt8(0xE0 | (value >> 12)))
      buffer.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
      buffer.append(UInt8(0x80 | (value & 0x3F)))
    default:
      buffer.append(UInt8(0xF0 | (value >> 18)))
      buffer.append(UInt8(0x80 | ((value >> 12) & 0x3F)))
      buffer.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
      buffer.append(UInt8(0x80 | (value & 0x3F)))
    }
  }
}
