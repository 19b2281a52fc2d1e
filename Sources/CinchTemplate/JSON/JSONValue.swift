/// A JSON value built by code that writes JSON: objects keep their keys in the order given, so
/// output is stable and diffs cleanly (Foundation's `JSONSerialization` reorders keys).
package enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case int(Int)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): true
    case (.bool(let a), .bool(let b)): a == b
    case (.int(let a), .int(let b)): a == b
    case (.string(let a), .string(let b)): a == b
    case (.array(let a), .array(let b)): a == b
    case (.object(let a), .object(let b)):
      a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: false
    }
  }

  /// A string, or `null` when there is none.
  package static func string(_ value: String?) -> JSONValue {
    value.map(JSONValue.string) ?? .null
  }

  /// An integer, or `null` when there is none.
  package static func int(_ value: Int?) -> JSONValue {
    value.map(JSONValue.int) ?? .null
  }

  /// Pretty-printed with two-space indentation, `"key": value`, one element per line, empty
  /// collections as `[]` and `{}`, and a final newline.
  package func pretty() -> String {
    var output = ""
    write(to: &output, indent: 0)
    output.append("\n")
    return output
  }

  private func write(to output: inout String, indent: Int) {
    switch self {
    case .null: output.append("null")
    case .bool(let value): output.append(value ? "true" : "false")
    case .int(let value): output.append(String(value))
    case .string(let value): JSONValue.appendQuoted(value, to: &output)
    case .array(let values):
      guard !values.isEmpty else { return output.append("[]") }
      output.append("[\n")
      for (index, value) in values.enumerated() {
        JSONValue.appendIndent(indent + 1, to: &output)
        value.write(to: &output, indent: indent + 1)
        output.append(index == values.count - 1 ? "\n" : ",\n")
      }
      JSONValue.appendIndent(indent, to: &output)
      output.append("]")
    case .object(let entries):
      guard !entries.isEmpty else { return output.append("{}") }
      output.append("{\n")
      for (index, (key, value)) in entries.enumerated() {
        JSONValue.appendIndent(indent + 1, to: &output)
        JSONValue.appendQuoted(key, to: &output)
        output.append(": ")
        value.write(to: &output, indent: indent + 1)
        output.append(index == entries.count - 1 ? "\n" : ",\n")
      }
      JSONValue.appendIndent(indent, to: &output)
      output.append("}")
    }
  }

  private static func appendIndent(_ level: Int, to output: inout String) {
    output.append(String(repeating: "  ", count: level))
  }

  /// RFC 8259 §7: `"` and `\` escaped, control characters U+0000–U+001F as their short
  /// escape or `\u00XX`; DEL too, so the output is safe to print. Everything else is written
  /// as UTF-8 (a Swift string holds no lone surrogates).
  package static func appendQuoted(_ text: String, to output: inout String) {
    output.append("\"")
    var run = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": run.append("\\\"")
      case "\\": run.append("\\\\")
      case "\n": run.append("\\n")
      case "\r": run.append("\\r")
      case "\t": run.append("\\t")
      case "\u{08}": run.append("\\b")
      case "\u{0C}": run.append("\\f")
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          run.append("\\u00")
          run.append(hexDigits[Int(scalar.value >> 4)])
          run.append(hexDigits[Int(scalar.value & 0xF)])
        } else {
          run.unicodeScalars.append(scalar)
        }
      }
    }
    output.append(run)
    output.append("\"")
  }

  private static let hexDigits: [Character] = Array("0123456789abcdef")
}
