package import CinchJSON

/// Writes JSON the way Python's `json.dumps` does, which is what the aws CLI prints for
/// `--output json` (`indent=4, ensure_ascii=False`) and what JMESPath's `to_string` returns
/// (compact separators, `ensure_ascii=True`).
package struct PythonJSONWriter: Sendable {
  /// Spaces per nesting level; `nil` writes everything on one line.
  package var indent: Int?
  /// Escape every non-ASCII character as `\uXXXX` (surrogate pairs above the BMP).
  package var ensureASCII: Bool
  package var itemSeparator: String
  package var keySeparator: String

  /// `json.dumps(value, indent=4, ensure_ascii=False)`: the aws CLI's `--output json`.
  package static let awsCLI = PythonJSONWriter(
    indent: 4, ensureASCII: false, itemSeparator: ",", keySeparator: ": ")
  /// `json.dumps(value, separators=(',', ':'))`: JMESPath's `to_string`.
  package static let compact = PythonJSONWriter(
    indent: nil, ensureASCII: true, itemSeparator: ",", keySeparator: ":")

  package init(indent: Int?, ensureASCII: Bool, itemSeparator: String, keySeparator: String) {
    self.indent = indent
    self.ensureASCII = ensureASCII
    self.itemSeparator = itemSeparator
    self.keySeparator = keySeparator
  }

  package func string(_ value: JSONValue) -> String {
    var output = ""
    write(value, level: 0, into: &output)
    return output
  }

  private func write(_ value: JSONValue, level: Int, into output: inout String) {
    switch value {
    case .null: output += "null"
    case .bool(let bool): output += bool ? "true" : "false"
    case .integer(let integer): output += String(integer)
    case .double(let double): output += Self.number(double)
    case .string(let string): output += quoted(string)
    case .array(let array):
      if array.isEmpty {
        output += "[]"
        return
      }
      output += "["
      for (index, element) in array.enumerated() {
        if index > 0 { output += itemSeparator }
        newline(level + 1, into: &output)
        write(element, level: level + 1, into: &output)
      }
      newline(level, into: &output)
      output += "]"
    case .object(let object):
      if object.isEmpty {
        output += "{}"
        return
      }
      output += "{"
      for (index, member) in object.enumerated() {
        if index > 0 { output += itemSeparator }
        newline(level + 1, into: &output)
        output += quoted(member.key)
        output += keySeparator
        write(member.value, level: level + 1, into: &output)
      }
      newline(level, into: &output)
      output += "}"
    }
  }

  private func newline(_ level: Int, into output: inout String) {
    guard let indent else { return }
    output += "\n" + String(repeating: " ", count: indent * level)
  }

  /// `float.__repr__`, with Python's spellings of the non-finite values.
  package static func number(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
    return PythonText.float(value)
  }

  package func quoted(_ string: String) -> String {
    var output = "\""
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case "\u{08}": output += "\\b"
      case "\u{0C}": output += "\\f"
      default:
        if scalar.value < 0x20 {
          output += "\\u" + PythonText.hex(scalar.value, width: 4)
        } else if ensureASCII && scalar.value > 0x7E {
          if scalar.value >= 0x10000 {
            let offset = scalar.value - 0x10000
            output += "\\u" + PythonText.hex(0xD800 + (offset >> 10), width: 4)
            output += "\\u" + PythonText.hex(0xDC00 + (offset & 0x3FF), width: 4)
          } else {
            output += "\\u" + PythonText.hex(scalar.value, width: 4)
          }
        } else {
          output.unicodeScalars.append(scalar)
        }
      }
    }
    return output + "\""
  }
}
