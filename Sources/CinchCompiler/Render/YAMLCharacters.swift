/// Which characters YAML lets a scalar hold as they are, and which only escaped.
///
/// The reader (libyaml's, and the YAML 1.1 and 1.2 specs') accepts only printable characters
/// anywhere in a file, and treats CR, LF, NEL, LS and PS as line breaks. Raw text in a plain,
/// single-quoted or block scalar must avoid the rest; a double-quoted scalar escapes them.
enum YAMLCharacters {
  /// Printable and not a line break: may stand as it is inside one line of a plain,
  /// single-quoted or block scalar. A tab is allowed; a byte-order mark is not.
  static func isInline(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09, 0x20...0x7E: true
    case 0xA0...0xD7FF: scalar.value != 0x2028 && scalar.value != 0x2029
    case 0xE000...0xFFFD: scalar.value != 0xFEFF
    case 0x10000...0x10FFFF: true
    default: false
    }
  }

  /// A YAML line break: LF, CR, NEL, LS, PS.
  static func isBreak(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0A, 0x0D, 0x85, 0x2028, 0x2029: true
    default: false
    }
  }

  static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
    scalar == " " || scalar == "\t"
  }

  /// Every character may stand inside one line.
  static func isInlineText(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy(isInline)
  }

  /// Text that a literal block scalar can hold: inline characters and LF line breaks.
  static func isBlockText(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy { $0 == "\n" || isInline($0) }
  }
}
