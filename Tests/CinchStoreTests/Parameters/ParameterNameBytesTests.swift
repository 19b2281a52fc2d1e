import PropertyBased
import Testing

@testable import CinchStore

/// The name rules read bytes from a buffer (`String.withUTF8Bytes`); they must answer exactly as
/// the `String.UTF8View` versions they replaced, which are kept here as the reference, on names
/// drawn from the characters that matter to the rules (fixed seeds, as in the JSON parser's
/// property tests).
@Suite struct ParameterNameBytesTests {
  static let alphabet: [String] = ["a", "Z", "9", "/", "/", "-", "_", ".", ":", " ", "é", "@", "s"]

  static func names(_ count: Int, seed: UInt64) -> [String] {
    var random = Xoshiro(
      seed: (seed, 0x9E37_79B9_7F4A_7C15, 0xBF58_476D_1CE4_E5B9, 0x94D0_49BB_1331_11EB))
    let piece = Gen<Int>.int(in: 0...(alphabet.count - 1)).map { alphabet[$0] }
    let name = piece.array(of: 0...12).map { $0.joined() }
    var names = name.array(of: count).run(using: &random)
    names += ["/aws/service/x", "/AWS/Service/x", "/aws/servic", "/", "//", "a", "/a", "/a/b/"]
    return names
  }

  /// The previous `validateShape` after trimming, over `String.UTF8View`.
  static func referenceShapeProblem(_ name: String) -> ParameterNameRules.ShapeProblem? {
    let slash = UInt8(ascii: "/")
    guard
      name.utf8.allSatisfy({ ParameterNameRules.isNameCharacter($0) || $0 == slash })
    else { return .invalid }
    let bytes = name.utf8
    let rooted = bytes.first == slash
    if !rooted && bytes.dropFirst().contains(slash) { return .notFullyQualified }
    var previous = rooted ? slash : 0
    for byte in bytes.dropFirst(rooted ? 1 : 0) {
      if byte == slash && previous == slash { return .invalid }
      previous = byte
    }
    return previous == slash ? .invalid : nil
  }

  @Test func shapeRulesAnswerAsTheUTF8ViewVersion() {
    for name in Self.names(3000, seed: 5) where !name.isEmpty {
      #expect(
        name.withUTF8Bytes(ParameterNameRules.shapeProblem) == Self.referenceShapeProblem(name),
        "\(name)")
    }
  }

  @Test func keyDepthAndPublicAnswerAsTheUTF8ViewVersions() {
    for name in Self.names(3000, seed: 6) {
      let body = name.hasPrefix("/") ? name.dropFirst() : Substring(name)
      let key = body.utf8.contains(UInt8(ascii: "/")) ? name : String(body)
      #expect(ParameterName.key(of: name) == key, "\(name)")

      let slashes = key.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) }
      let depth = key.utf8.first == UInt8(ascii: "/") ? slashes : slashes + 1
      #expect(ParameterName(stored: name).depth == depth, "\(name)")

      let prefix = "/aws/service/".utf8
      let head = name.utf8.prefix(prefix.count)
      let isPublic =
        head.count == prefix.count
        && zip(head, prefix).allSatisfy { byte, expected in
          (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte) == expected
        }
      #expect(ParameterNameRules.isPublic(name) == isPublic, "\(name)")
    }
  }

  @Test func theBytesAreTheStringsUTF8WhateverItsStorage() {
    // Small strings live inside the value, large ones in a heap buffer; both must read whole.
    for name in ["/a/b", String("x/a/b".dropFirst()), "/" + String(repeating: "é/b", count: 40)] {
      #expect(name.withUTF8Bytes { Array($0) } == Array(name.utf8))
    }
  }
}
