import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchTemplate

/// `SubTemplate` reads the string's bytes in place and copies literal runs whole; it must split
/// every string exactly as the byte-at-a-time reading it replaced.
@Suite struct SubTemplateTests {
  /// The byte-at-a-time reading: `${Name}` a variable, `${!…}` literal `${…}`, an unclosed `${`
  /// literal text.
  static func plainParts(_ string: String) -> [SubTemplate.Part] {
    var parts: [SubTemplate.Part] = []
    var text: [UInt8] = []
    let bytes = Array(string.utf8)
    var index = 0
    func flush() {
      if !text.isEmpty {
        parts.append(.text(String(decoding: text, as: UTF8.self)))
        text.removeAll()
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
    return parts
  }

  static let pieces = Gen<String>.oneOf(
    Gen.always("$"), Gen.always("{"), Gen.always("}"), Gen.always("!"), Gen.always("${"),
    Gen.always("${Env}"), Gen.always("${!Lit}"), Gen.always("a"), Gen.always("bc:d"),
    Gen.always("é"), Gen.always("${AWS::Region}"), Gen.always("${Db.Arn}"))

  @Test func splitsAsTheByteAtATimeReading() {
    seededCheck(Self.pieces.array(of: 0...16), count: 3_000) { pieces in
      let string = pieces.joined()
      let sub = SubTemplate(string)
      #expect(sub.parts == Self.plainParts(string), "\(string)")
      var seen = Set<String>()
      let names = Self.plainParts(string).compactMap { part -> String? in
        if case .variable(let name, _) = part, seen.insert(name).inserted { return name }
        return nil
      }
      #expect(sub.variables == names, "\(string)")
    }
  }

  @Test func manyVariablesKeepTheirFirstUseOrder() {
    let names = (0..<40).map { "V\($0 % 25)" }
    let sub = SubTemplate(names.map { "${\($0)}-" }.joined())
    #expect(sub.variables == (0..<25).map { "V\($0)" })
  }
}
