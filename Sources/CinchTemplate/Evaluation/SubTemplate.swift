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

  /// The variable map of an `Fn::Sub` argument `[string, {variables}]`; empty for the string
  /// form or a malformed map.
  public static func variables(ofArgument argument: Node) -> [String: Node] {
    guard let items = argument.sequence, items.count == 2, let entries = items[1].mapping else {
      return [:]
    }
    var variables: [String: Node] = [:]
    for entry in entries { variables[entry.name] = entry.value }
    return variables
  }

  public init(_ string: String) {
    var string = string
    parts = string.withUTF8 { Self.parts(of: $0) }
  }

  private static func parts(of bytes: UnsafeBufferPointer<UInt8>) -> [Part] {
    var parts: [Part] = []
    // Literal text waiting to become a part: `pending` (only after a `${!…}`) then the bytes
    // from `runStart` on, copied whole.
    var pending: [UInt8] = []
    var runStart = 0
    var index = 0
    let count = bytes.count
    func flush(upTo end: Int) {
      if pending.isEmpty {
        if runStart < end {
          parts.append(
            .text(
              String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<end]), as: UTF8.self))
          )
        }
      } else {
        pending += UnsafeBufferPointer(rebasing: bytes[runStart..<end])
        parts.append(.text(String(decoding: pending, as: UTF8.self)))
        pending.removeAll(keepingCapacity: true)
      }
    }
    while index < count {
      guard bytes[index] == UInt8(ascii: "$"), index + 1 < count,
        bytes[index + 1] == UInt8(ascii: "{")
      else {
        index += 1
        continue
      }
      var close = index + 2
      while close < count, bytes[close] != UInt8(ascii: "}") { close += 1 }
      guard close < count else {
        index += 1
        continue
      }
      if index + 2 < count, bytes[index + 2] == UInt8(ascii: "!") {
        // `${!Literal}` is the text `${Literal}`.
        pending += UnsafeBufferPointer(rebasing: bytes[runStart..<index])
        pending += [UInt8(ascii: "$"), UInt8(ascii: "{")]
        pending += UnsafeBufferPointer(rebasing: bytes[(index + 3)...close])
      } else {
        flush(upTo: index)
        let name = String(
          decoding: UnsafeBufferPointer(rebasing: bytes[(index + 2)..<close]), as: UTF8.self)
        parts.append(.variable(name, range: index..<(close + 1)))
      }
      index = close + 1
      runStart = index
    }
    flush(upTo: count)
    return parts
  }

  /// The variable names in order of first use.
  public var variables: [String] { firstUses.map(\.name) }

  /// Each variable name with the byte range of its first `${…}`, in order of first use.
  public var firstUses: [(name: String, range: Range<Int>)] {
    var uses: [(name: String, range: Range<Int>)] = []
    var seen: Set<String>?
    for case .variable(let name, let range) in parts {
      // A few names are compared in turn; a set only for a string with many.
      if seen == nil, uses.count >= 16 { seen = Set(uses.map(\.name)) }
      if seen != nil {
        if seen?.insert(name).inserted == true { uses.append((name, range)) }
      } else if !uses.contains(where: { $0.name == name }) {
        uses.append((name, range))
      }
    }
    return uses
  }
}
