package import CinchJSON

/// How Python prints values. The aws CLI is a Python program: its text and table output use
/// `str()`, its error messages `repr()`, and its JSON `json.dumps`, so matching it byte for byte
/// means printing numbers and strings the way CPython does.
package enum PythonText {
  /// `repr(float)`: the shortest digits that round-trip, positional when the decimal exponent is
  /// in [-4, 16), otherwise scientific with a signed two-digit-minimum exponent (`1e+16`, `1e-05`).
  package static func float(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    let negative = value.sign == .minus
    let sign = negative ? "-" : ""
    if value == 0 { return sign + "0.0" }
    let (digits, pointPosition) = shortestDigits(abs(value))
    if pointPosition > -4 && pointPosition <= 16 {
      if pointPosition <= 0 {
        return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
      }
      if digits.count <= pointPosition {
        return sign + digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
      }
      let split = digits.index(digits.startIndex, offsetBy: pointPosition)
      return sign + digits[..<split] + "." + digits[split...]
    }
    let exponent = pointPosition - 1
    var mantissa = String(digits.prefix(1))
    if digits.count > 1 { mantissa += "." + digits.dropFirst() }
    let exponentDigits = String(abs(exponent))
    let paddedExponent = exponentDigits.count < 2 ? "0" + exponentDigits : exponentDigits
    return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + paddedExponent
  }

  /// The significant digits of a positive finite double (no leading or trailing zeros) and the
  /// position of the decimal point relative to them: `value = 0.DIGITS × 10^pointPosition`.
  /// Swift's `description` already yields the shortest round-trip digits; only their layout
  /// differs from Python's.
  static func shortestDigits(_ value: Double) -> (digits: String, pointPosition: Int) {
    let text = value.description
    var mantissa = Substring(text)
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      mantissa = text[..<e]
      exponent = Int(text[text.index(after: e)...]) ?? 0
    }
    let integerPart: Substring
    let fractionPart: Substring
    if let dot = mantissa.firstIndex(of: ".") {
      integerPart = mantissa[..<dot]
      fractionPart = mantissa[mantissa.index(after: dot)...]
    } else {
      integerPart = mantissa
      fractionPart = ""
    }
    var digits = Array(integerPart + fractionPart)
    var pointPosition = integerPart.count + exponent
    while let first = digits.first, first == "0" {
      digits.removeFirst()
      pointPosition -= 1
    }
    while let last = digits.last, last == "0" { digits.removeLast() }
    return (String(digits), pointPosition)
  }

  /// `str(value)` for a scalar the way the text and table formatters print it
  /// (`True`, `None`, `1.5`); containers print as Python's `repr` of a list or dict.
  package static func str(_ value: JSONValue) -> String {
    switch value {
    case .string(let string): string
    default: repr(value)
    }
  }

  /// `repr(value)` of the Python object the JSON value parses to.
  package static func repr(_ value: JSONValue) -> String {
    switch value {
    case .null: "None"
    case .bool(let bool): bool ? "True" : "False"
    case .integer(let integer): String(integer)
    case .double(let double): float(double)
    case .string(let string): repr(string)
    case .array(let array): "[" + array.map(repr).joined(separator: ", ") + "]"
    case .object(let object):
      "{" + object.map { repr($0.key) + ": " + repr($0.value) }.joined(separator: ", ") + "}"
    }
  }

  /// `repr(str)`: single quotes unless the text holds a single quote and no double quote,
  /// backslash escapes for quotes, `\t\n\r`, and `\x`/`\u`/`\U` for characters Python does not
  /// consider printable.
  package static func repr(_ string: String) -> String {
    let quote: Character = string.contains("'") && !string.contains("\"") ? "\"" : "'"
    var result = String(quote)
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\\": result += "\\\\"
      case "\t": result += "\\t"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      default:
        if Character(scalar) == quote {
          result += "\\" + String(quote)
        } else if isPrintable(scalar) {
          result.unicodeScalars.append(scalar)
        } else if scalar.value < 0x100 {
          result += "\\x" + hex(scalar.value, width: 2)
        } else if scalar.value < 0x10000 {
          result += "\\u" + hex(scalar.value, width: 4)
        } else {
          result += "\\U" + hex(scalar.value, width: 8)
        }
      }
    }
    result.append(quote)
    return result
  }

  /// `str.isprintable()` for one character: everything but the categories Other and Separator,
  /// with the ASCII space counted as printable.
  package static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == " " { return true }
    switch scalar.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned,
      .spaceSeparator, .lineSeparator, .paragraphSeparator:
      return false
    default:
      return true
    }
  }

  package static func hex(_ value: UInt32, width: Int, uppercase: Bool = false) -> String {
    let digits = String(value, radix: 16, uppercase: uppercase)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
