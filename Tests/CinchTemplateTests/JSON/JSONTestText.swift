/// Writes scalars the ways JSON allows, for the property tests.
enum JSONTestText {
  /// A scalar from any code point (surrogates moved out of their range), written raw
  /// (encoding 0 or 3, when JSON allows it raw), with its short escape (1, when it has one) or
  /// as `\u` escapes (2, or any encoding the scalar cannot take).
  static func piece(value: UInt32, encoding: Int) -> (source: String, decoded: String) {
    let scalarValue = (0xD800...0xDFFF).contains(value) ? value - 0xD800 + 0xE000 : value
    let scalar = Unicode.Scalar(scalarValue) ?? "?"
    let decoded = String(Character(scalar))
    let short: String? =
      switch scalar {
      case "\"": #"\""#
      case "\\": #"\\"#
      case "/": #"\/"#
      case "\u{08}": #"\b"#
      case "\u{0C}": #"\f"#
      case "\n": #"\n"#
      case "\r": #"\r"#
      case "\t": #"\t"#
      default: nil
      }
    let mustEscape = scalar.value < 0x20 || scalar == "\"" || scalar == "\\"
    if encoding == 1, let short { return (short, decoded) }
    if encoding == 0 || encoding == 3, !mustEscape { return (decoded, decoded) }
    return (unicodeEscape(scalar, uppercase: encoding == 2), decoded)
  }

  static func unicodeEscape(_ scalar: Unicode.Scalar, uppercase: Bool) -> String {
    func hex(_ unit: UInt32) -> String {
      let digits = String(unit, radix: 16, uppercase: uppercase)
      return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
    }
    guard scalar.value > 0xFFFF else { return hex(scalar.value) }
    let offset = scalar.value - 0x10000
    return hex(0xD800 + (offset >> 10)) + hex(0xDC00 + (offset & 0x3FF))
  }
}
