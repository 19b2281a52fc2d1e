/// A field of an access-log line as the client wrote it (method, path, `X-Amz-Target`), made
/// safe to print: every byte outside printable ASCII, space and `%` included, is written as
/// `%XX`. A decoded `%0A` in a path cannot start a second, forged line; an escape sequence
/// cannot reach the terminal; a space cannot shift the fields after it.
package enum AccessLogField {
  package static func escaped(_ text: String) -> String {
    let bytes = Array(text.utf8)
    guard bytes.contains(where: needsEscape) else { return text }
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count + 8)
    for byte in bytes {
      guard needsEscape(byte) else {
        output.append(byte)
        continue
      }
      output.append(UInt8(ascii: "%"))
      output.append(hexDigits[Int(byte >> 4)])
      output.append(hexDigits[Int(byte & 0xF)])
    }
    return String(decoding: output, as: UTF8.self)
  }

  private static func needsEscape(_ byte: UInt8) -> Bool {
    byte <= 0x20 || byte >= 0x7F || byte == UInt8(ascii: "%")
  }

  private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}
