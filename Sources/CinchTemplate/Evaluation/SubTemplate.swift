/// The text of an `Fn::Sub` string split into literal text and `${…}` variables.
///
/// `${!Literal}` is the literal text `${Literal}` (the `!` is dropped), as the CloudFormation
/// reference says: "To write a dollar sign and curly braces (${}) literally, add an
/// exclamation point (!) after the open curly brace". An unclosed `${` is literal text.
public struct SubTemplate: Sendable, Hashable {
  public enum Part: Sendable, Hashable {
    case text(String)
    /// `${Name}`, `${AWS::Region}` or `${Resource.Attribute}`; `range` is the UTF-8 byte range
    /// of the whole `${…}` in the Sub string.
    case variable(String, range: Range<Int>)
  }

  public var parts: [Part]

  public init(_ string: String) {
    var parts: [Part] = []
    var text: [UInt8] = []
    let bytes = Array(string.utf8)
    var index = 0
    func flush() {
      if !text.isEmpty {
        parts.append(.text(String(decoding: text, as: UTF8.self)))
        text.removeAll(keepingCapacity: true)
      }
    }
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "$"), index + 1 < bytes.count,
        bytes[index + 1] == UInt8(ascii: "{"),
        let close = bytes[(index + 2)...].firstIndex(of: UInt8(ascii: "}"))
      {
        if index + 2 < bytes.count, bytes[index + 2] == UInt8(ascii: "!") {
          text += [UInt8(ascii: "$"), UInt8(ascii: "{")]
          text += bytes[(index + 3)...close]
        } else {
          flush()
          let name = String(decoding: bytes[(index + 2)..<close], as: UTF8.self)
          parts.append(.variable(name, range: index..<(close + 1)))
        }
        index = close + 1
        continue
      }
      text.append(bytes[index])
      index += 1
    }
    flush()
    self.parts = parts
  }

  /// The variable names in order of first use.
  public var variables: [String] {
    var seen = Set<String>()
    return parts.compactMap { part in
      if case .variable(let name, _) = part, seen.insert(name).inserted { return name }
      return nil
    }
  }
}
