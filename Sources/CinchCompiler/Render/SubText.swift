import CinchTemplate

/// Writing a value into the string of an `Fn::Sub`, where `${…}` is a variable: each `${` of
/// the value becomes `${!`, which `Fn::Sub` turns back into `${`. The result is accepted only
/// when the string, read the way `Fn::Sub` reads it, gives exactly the text around the value
/// and the value itself (a `${` with no `}` after it in the value could otherwise pair with a
/// `}` further on in the string).
enum SubText {
  /// `value` escaped for an `Fn::Sub` string.
  static func escaped(_ value: String) -> String {
    let bytes = Array(value.utf8)
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count + 4)
    var index = 0
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "$"), index + 1 < bytes.count,
        bytes[index + 1] == UInt8(ascii: "{"),
        let close = bytes[(index + 2)...].firstIndex(of: UInt8(ascii: "}"))
      {
        output += [UInt8(ascii: "$"), UInt8(ascii: "{"), UInt8(ascii: "!")]
        output += bytes[(index + 2)...close]
        index = close + 1
        continue
      }
      output.append(bytes[index])
      index += 1
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// Whether `before + written + after` reads, as an `Fn::Sub` string, as `before`, the literal
  /// text `value`, then `after`.
  static func reads(
    _ written: String, as value: String, between before: String, and after: String
  ) -> Bool {
    let expected = normalized(SubTemplate(before).parts + [.text(value)] + SubTemplate(after).parts)
    return normalized(SubTemplate(before + written + after).parts) == expected
  }

  private enum Piece: Equatable {
    case text(String)
    case variable(String)
  }

  private static func normalized(_ parts: [SubTemplate.Part]) -> [Piece] {
    var pieces: [Piece] = []
    for part in parts {
      switch part {
      case .text(let text):
        if case .text(let previous) = pieces.last {
          pieces[pieces.count - 1] = .text(previous + text)
        } else if !text.isEmpty {
          pieces.append(.text(text))
        }
      case .variable(let name, _):
        pieces.append(.variable(name))
      }
    }
    return pieces
  }
}
