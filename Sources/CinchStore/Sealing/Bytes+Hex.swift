extension Sequence<UInt8> {
  /// Lower-case hex, two digits a byte. Built from a digit table: `String(format: "%02x")` per
  /// byte went through Foundation and was 6% of a 30,000-reference `lock` (fingerprints).
  var hex: String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(underestimatedCount * 2)
    for byte in self {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: text, as: UTF8.self)
  }
}
