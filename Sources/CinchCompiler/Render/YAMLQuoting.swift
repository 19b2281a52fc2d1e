/// Text written inside YAML quotes, and JSON string escapes.
enum YAMLQuoting {
  /// Text for the inside of a single-quoted scalar: `'` doubled. The caller has checked that
  /// every character may stand inline.
  static func singleQuotedContent(_ text: String) -> String {
    guard text.utf8.contains(UInt8(ascii: "'")) else { return text }
    var output: [UInt8] = []
    output.reserveCapacity(text.utf8.count + 4)
    for byte in text.utf8 {
      output.append(byte)
      if byte == UInt8(ascii: "'") { output.append(byte) }
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// Text for the inside of a double-quoted scalar: `"` and `\` escaped, line breaks and
  /// non-printable characters as `\n`, `\xNN`, `\uNNNN`. With `escapingEdgeBlanks`, a blank at
  /// either end is escaped too, so that it survives when the scalar's source spans lines
  /// (folding trims blanks next to a line break).
  static func doubleQuotedContent(_ text: String, escapingEdgeBlanks: Bool = false) -> String {
    if isPlainASCII(text),
      !escapingEdgeBlanks || (text.utf8.first != 0x20 && text.utf8.last != 0x20)
    {
      return text
    }
    var output = ""
    output.reserveCapacity(text.utf8.count + 2)
    let scalars = Array(text.unicodeScalars)
    for (index, scalar) in scalars.enumerated() {
      let atEdge = index == 0 || index == scalars.count - 1
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\t": output += "\\t"
      case "\r": output += "\\r"
      case "\u{0}": output += "\\0"
      case "\u{7}": output += "\\a"
      case "\u{8}": output += "\\b"
      case "\u{B}": output += "\\v"
      case "\u{C}": output += "\\f"
      case "\u{1B}": output += "\\e"
      case "\u{85}": output += "\\N"
      case "\u{2028}": output += "\\L"
      case "\u{2029}": output += "\\P"
      case " " where escapingEdgeBlanks && atEdge: output += "\\x20"
      default:
        if YAMLCharacters.isInline(scalar) {
          output.unicodeScalars.append(scalar)
        } else {
          output += hexEscape(scalar)
        }
      }
    }
    return output
  }

  /// `\xNN` below U+0100, `\uNNNN` below U+10000, `\UNNNNNNNN` above.
  static func hexEscape(_ scalar: Unicode.Scalar) -> String {
    let value = scalar.value
    let (prefix, width) = value < 0x100 ? ("\\x", 2) : value < 0x10000 ? ("\\u", 4) : ("\\U", 8)
    let hex = String(value, radix: 16, uppercase: true)
    return prefix + String(repeating: "0", count: max(0, width - hex.count)) + hex
  }

  /// Text for the inside of a JSON string (RFC 8259 §7): `"`, `\` and control characters
  /// escaped; LS and PS escaped too, so the string is also valid JavaScript.
  static func jsonStringContent(_ text: String) -> String {
    if isPlainASCII(text) { return text }
    var output = ""
    output.reserveCapacity(text.utf8.count + 2)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case "\u{8}": output += "\\b"
      case "\u{C}": output += "\\f"
      default:
        if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
          let hex = String(scalar.value, radix: 16)
          output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          output.unicodeScalars.append(scalar)
        }
      }
    }
    return output
  }

  /// Printable ASCII with no quote or backslash: the same inside YAML and JSON double quotes.
  private static func isPlainASCII(_ text: String) -> Bool {
    text.utf8.allSatisfy { byte in
      byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }
  }
}
