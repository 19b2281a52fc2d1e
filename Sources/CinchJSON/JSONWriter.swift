/// Writes `JSONValue`s the way cinch's own files and reports want them: keys in the order
/// given, two-space indentation (or compact), a final newline, and strings escaped so the
/// output is safe to print.
extension JSONValue {
  /// Pretty-printed with two-space indentation, `"key": value`, one element per line, empty
  /// collections as `[]` and `{}`, and a final newline.
  package func pretty() -> String {
    var output = ""
    write(to: &output, indent: 0, pretty: true)
    output.append("\n")
    return output
  }

  /// On one line, no spaces, no final newline.
  package func compact() -> String {
    var output = ""
    write(to: &output, indent: 0, pretty: false)
    return output
  }

  private func write(to output: inout String, indent: Int, pretty: Bool) {
    switch self {
    case .null: output.append("null")
    case .bool(let value): output.append(value ? "true" : "false")
    case .integer(let value): output.append(String(value))
    case .double(let value):
      output.append(value.isFinite ? (value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)) : "null")
    case .string(let value): JSONValue.appendQuoted(value, to: &output)
    case .array(let values):
      guard !values.isEmpty else { return output.append("[]") }
      output.append(pretty ? "[\n" : "[")
      for (index, value) in values.enumerated() {
        if pretty { JSONValue.appendIndent(indent + 1, to: &output) }
        value.write(to: &output, indent: indent + 1, pretty: pretty)
        if index < values.count - 1 { output.append(",") }
        if pretty { output.append("\n") }
      }
      if pretty { JSONValue.appendIndent(indent, to: &output) }
      output.append("]")
    case .object(let object):
      guard !object.isEmpty else { return output.append("{}") }
      output.append(pretty ? "{\n" : "{")
      for (index, member) in object.members.enumerated() {
        if pretty { JSONValue.appendIndent(indent + 1, to: &output) }
        JSONValue.appendQuoted(member.key, to: &output)
        output.append(pretty ? ": " : ":")
        member.value.write(to: &output, indent: indent + 1, pretty: pretty)
        if index < object.count - 1 { output.append(",") }
        if pretty { output.append("\n") }
      }
      if pretty { JSONValue.appendIndent(indent, to: &output) }
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

  /// A string, or `null` when there is none.
  package static func string(_ value: String?) -> JSONValue {
    value.map(JSONValue.string) ?? .null
  }

  /// An integer, or `null` when there is none.
  package static func int(_ value: Int?) -> JSONValue {
    value.map { .integer(Int64($0)) } ?? .null
  }

  /// An object from ordered pairs.
  package static func object(_ pairs: [(String, JSONValue)]) -> JSONValue {
    .object(JSONObject(pairs))
  }
}
