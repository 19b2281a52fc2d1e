/// `${Identifier}` and `&{Identifier}` of the `Fn::ForEach` loops around a place: the language
/// extensions replace every one in a loop's keys and values, in any string, by the element
/// (`&{…}` by its letters and digits only) before anything else reads the body.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html
enum LoopPlaceholders {
  /// A placeholder: where it is in the text (UTF-8 offsets), its identifier, and whether it is
  /// `&{…}`.
  struct Use {
    var range: Range<Int>
    var identifier: String
    var alphanumeric: Bool
  }

  /// The placeholders of `text` whose identifier `isIdentifier` accepts, in order.
  static func uses(in text: String, where isIdentifier: (String) -> Bool) -> [Use] {
    let bytes = Array(text.utf8)
    guard bytes.contains(UInt8(ascii: "{")) else { return [] }
    var uses: [Use] = []
    var index = 0
    while index + 1 < bytes.count {
      let sigil = bytes[index]
      guard sigil == UInt8(ascii: "$") || sigil == UInt8(ascii: "&"),
        bytes[index + 1] == UInt8(ascii: "{"),
        let close = bytes[(index + 2)...].firstIndex(of: UInt8(ascii: "}"))
      else {
        index += 1
        continue
      }
      let name = String(decoding: bytes[(index + 2)..<close], as: UTF8.self)
      guard isIdentifier(name) else {
        index += 1
        continue
      }
      uses.append(
        Use(range: index..<(close + 1), identifier: name, alphanumeric: sigil == UInt8(ascii: "&")))
      index = close + 1
    }
    return uses
  }

  /// What the element reads as in a `&{…}`: its letters and digits, A-Za-z0-9, the characters
  /// of a logical ID (`&{}` is how an element with other characters makes an OutputKey; an
  /// `é` or a `٣` is left out as a `.` is).
  /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-foreach.html
  static func alphanumeric(_ element: String) -> String {
    String(decoding: element.utf8.filter(Template.isLogicalIDByte), as: UTF8.self)
  }

  /// What `element` reads as where `use` is: itself for `${…}`, its letters and digits for
  /// `&{…}`.
  static func written(_ element: String, at use: Use) -> String {
    use.alphanumeric ? alphanumeric(element) : element
  }

  /// `text` cut around `uses` (found in it, in order): the text before each, then the text
  /// after the last, one more piece than uses.
  static func pieces(of text: String, around uses: [Use]) -> [String] {
    let bytes = Array(text.utf8)
    var pieces: [String] = []
    var from = 0
    for use in uses {
      pieces.append(String(decoding: bytes[from..<use.range.lowerBound], as: UTF8.self))
      from = use.range.upperBound
    }
    pieces.append(String(decoding: bytes[from...], as: UTF8.self))
    return pieces
  }

  /// `text` with each placeholder of an identifier `elements` gives replaced by its element.
  static func substitute(_ text: String, _ elements: [String: String]) -> String {
    let uses = uses(in: text) { elements[$0] != nil }
    guard !uses.isEmpty else { return text }
    let pieces = pieces(of: text, around: uses)
    var result = pieces[0]
    for (use, piece) in zip(uses, pieces.dropFirst()) {
      result += written(elements[use.identifier] ?? "", at: use) + piece
    }
    return result
  }

  /// `text` with each placeholder of an identifier in `identifiers` written with characters no
  /// template text holds, byte for byte as long (`${N}` → `\u{1}\u{1}N\u{2}`), so that an
  /// `Fn::Sub` string reads `${Topic${N}.Arn}` as one variable, `Topic…N….Arn`, at the same
  /// offsets; `unmasked` puts them back.
  static func masked(_ text: String, _ identifiers: Set<String>) -> String {
    let uses = uses(in: text, where: identifiers.contains)
    guard !uses.isEmpty else { return text }
    var bytes = Array(text.utf8)
    for use in uses {
      bytes[use.range.lowerBound] = maskOpen
      bytes[use.range.lowerBound + 1] = use.alphanumeric ? maskAlphanumeric : maskOpen
      bytes[use.range.upperBound - 1] = maskClose
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  static func unmasked(_ text: String) -> String {
    guard text.utf8.contains(maskOpen) else { return text }
    var bytes = Array(text.utf8)
    var index = 0
    while index + 1 < bytes.count {
      if bytes[index] == maskOpen {
        let alphanumeric = bytes[index + 1] == maskAlphanumeric
        bytes[index] = UInt8(ascii: alphanumeric ? "&" : "$")
        bytes[index + 1] = UInt8(ascii: "{")
        if let close = bytes[(index + 2)...].firstIndex(of: maskClose) {
          bytes[close] = UInt8(ascii: "}")
          index = close
        }
      }
      index += 1
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  private static let maskOpen: UInt8 = 0x01
  private static let maskAlphanumeric: UInt8 = 0x03
  private static let maskClose: UInt8 = 0x02
}
