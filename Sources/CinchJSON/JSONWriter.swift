/// Writes `JSONValue`s the way cinch's own files and reports want them: keys in the order
/// given, two-space indentation (or compact), a final newline, and strings escaped so the
/// output is safe to print.
extension JSONValue {
  /// Pretty-printed with two-space indentation, `"key": value`, one element per line, empty
  /// collections as `[]` and `{}`, and a final newline.
  package func pretty() -> String {
    var output: [UInt8] = []
    write(to: &output, indent: 0, pretty: true)
    output.append(UInt8(ascii: "\n"))
    return String(decoding: output, as: UTF8.self)
  }

  /// On one line, no spaces, no final newline.
  package func compact() -> String {
    String(decoding: compactBytes(), as: UTF8.self)
  }

  /// `compact()` as UTF-8 bytes (a request or response body).
  package func compactBytes() -> [UInt8] {
    var output: [UInt8] = []
    write(to: &output, indent: 0, pretty: false)
    return output
  }

  // Written as UTF-8 bytes and made a String once: appending to a String piece by piece cost
  // 15% of `cinch lock` on 1,000 resources (its lockfile is ~1 MB of JSON).
  private func write(to output: inout [UInt8], indent: Int, pretty: Bool) {
    switch self {
    case .null: output.append(contentsOf: "null".utf8)
    case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
    case .integer(let value): output.append(contentsOf: String(value).utf8)
    case .double(let value):
      let text =
        value.isFinite
        ? (value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value))
        : "null"
      output.append(contentsOf: text.utf8)
    case .string(let value): JSONValue.appendQuoted(value, to: &output)
    case .array(let values):
      guard !values.isEmpty else { return output.append(contentsOf: "[]".utf8) }
      output.append(UInt8(ascii: "["))
      if pretty { output.append(UInt8(ascii: "\n")) }
      for (index, value) in values.enumerated() {
        if pretty { JSONValue.appendIndent(indent + 1, to: &output) }
        value.write(to: &output, indent: indent + 1, pretty: pretty)
        if index < values.count - 1 { output.append(UInt8(ascii: ",")) }
        if pretty { output.append(UInt8(ascii: "\n")) }
      }
      if pretty { JSONValue.appendIndent(indent, to: &output) }
      output.append(UInt8(ascii: "]"))
    case .object(let object):
      guard !object.isEmpty else { return output.append(contentsOf: "{}".utf8) }
      output.append(UInt8(ascii: "{"))
      if pretty { output.append(UInt8(ascii: "\n")) }
      for (index, member) in object.members.enumerated() {
        if pretty { JSONValue.appendIndent(indent + 1, to: &output) }
        JSONValue.appendQuoted(member.key, to: &output)
        output.append(UInt8(ascii: ":"))
        if pretty { output.append(UInt8(ascii: " ")) }
        member.value.write(to: &output, indent: indent + 1, pretty: pretty)
        if index < object.count - 1 { output.append(UInt8(ascii: ",")) }
        if pretty { output.append(UInt8(ascii: "\n")) }
      }
      if pretty { JSONValue.appendIndent(indent, to: &output) }
      output.append(UInt8(ascii: "}"))
    }
  }

  private static func appendIndent(_ level: Int, to output: inout [UInt8]) {
    output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
  }

  /// RFC 8259 §7: `"` and `\` escaped, control characters U+0000–U+001F as their short
  /// escape or `\u00XX`; DEL too, so the output is safe to print. Everything else is written
  /// as UTF-8 (a Swift string holds no lone surrogates); runs that need no escape are copied
  /// whole.
  private static func appendQuoted(_ text: String, to output: inout [UInt8]) {
    var text = text
    output.append(UInt8(ascii: "\""))
    text.withUTF8 { bytes in
      var runStart = 0
      for (position, byte) in bytes.enumerated() {
        let escape: StaticString?
        switch byte {
        case UInt8(ascii: "\""): escape = "\\\""
        case UInt8(ascii: "\\"): escape = "\\\\"
        case UInt8(ascii: "\n"): escape = "\\n"
        case UInt8(ascii: "\r"): escape = "\\r"
        case UInt8(ascii: "\t"): escape = "\\t"
        case 0x08: escape = "\\b"
        case 0x0C: escape = "\\f"
        case 0..<0x20, 0x7F: escape = nil
        default: continue
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
        runStart = position + 1
        if let escape {
          output.append(
            contentsOf: UnsafeBufferPointer(
              start: escape.utf8Start, count: escape.utf8CodeUnitCount))
        } else {
          output.append(contentsOf: "\\u00".utf8)
          output.append(hexDigits[Int(byte >> 4)])
          output.append(hexDigits[Int(byte & 0xF)])
        }
      }
      output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
    }
    output.append(UInt8(ascii: "\""))
  }

  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

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
