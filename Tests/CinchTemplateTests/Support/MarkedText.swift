/// Test input with expected positions marked inside it, the way swift-format's tests write
/// them: `1️⃣`, `2️⃣`, … are taken out of the text and their byte offsets kept.
///
///     let input = MarkedText("{{resolve:ssm:/a:1️⃣prod2️⃣}}")
///     input.text         // "{{resolve:ssm:/a:prod}}"
///     input.span(1, 2)   // 17..<21
struct MarkedText {
  let text: String
  private var offsets: [Int: Int] = [:]

  init(_ marked: String) {
    var bytes: [UInt8] = []
    let source = Array(marked.utf8)
    var index = 0
    scanning: while index < source.count {
      for digit in 0...9 {
        let marker = Array("\(digit)\u{FE0F}\u{20E3}".utf8)
        if index + marker.count <= source.count,
          Array(source[index..<(index + marker.count)]) == marker
        {
          offsets[digit] = bytes.count
          index += marker.count
          continue scanning
        }
      }
      bytes.append(source[index])
      index += 1
    }
    self.text = String(decoding: bytes, as: UTF8.self)
  }

  /// The byte offset of marker `digit` in `text`.
  func offset(_ digit: Int) -> Int { offsets[digit] ?? -1 }

  /// The bytes between two markers.
  func span(_ from: Int, _ to: Int) -> Range<Int> { offset(from)..<offset(to) }
}
