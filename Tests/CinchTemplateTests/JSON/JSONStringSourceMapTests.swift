import CinchTemplate
import PropertyBased
import Testing

@Suite struct JSONStringSourceMapTests {
  private static func map(_ token: String) -> [Int] {
    let bytes = Array(token.utf8)
    return JSONStringSourceMap.offsets(in: bytes, token: 0..<bytes.count)
  }

  @Test func withoutEscapesEachByteMapsToItself() {
    #expect(Self.map(#""abc""#) == [1, 2, 3, 4])
    #expect(Self.map(#""""#) == [1])
    // Multi-byte characters written raw map byte for byte.
    #expect(Self.map("\"é😀\"") == [1, 2, 3, 4, 5, 6, 7])
  }

  @Test func escapesMapEveryDecodedByteToTheirBackslash() {
    #expect(Self.map(#""a\nb""#) == [1, 2, 4, 5])
    #expect(Self.map(#""\u00e9x""#) == [1, 1, 7, 8])
    #expect(Self.map(#""\u20AC""#) == [1, 1, 1, 7])
    #expect(Self.map(#""\ud83d\ude00!""#) == [1, 1, 1, 1, 13, 14])
    #expect(Self.map(#""\\\"\/""#) == [1, 3, 5, 7])
  }

  @Test func aReferenceInsideAnEscapedStringMapsToItsSourceText() throws {
    let text = #"{"A": "x \/ {{resolve:ssm:\/orders\/db:3}} y"}"#
    var diagnostics = Diagnostics()
    let file = SourceFile(path: "t.json", text: text)
    let root = try #require(JSONParser.parse(file, into: &diagnostics))
    let value = try #require(root["A"])
    let decoded = try #require(value.scalar)
    #expect(decoded == "x / {{resolve:ssm:/orders/db:3}} y")
    let map = JSONStringSourceMap.offsets(in: file.bytes, token: value.range.bytes)
    #expect(map.count == decoded.utf8.count + 1)
    let reference = Array(decoded.utf8).firstRange(of: Array("{{resolve:ssm:/orders/db:3}}".utf8))
    let span = try #require(reference)
    let source = map[span.lowerBound]..<map[span.upperBound]
    #expect(
      String(decoding: file.bytes[source], as: UTF8.self) == #"{{resolve:ssm:\/orders\/db:3}}"#)
  }

  @Test func malformedTokensDoNotTrap() {
    #expect(Self.map(#""\q""#) == [1, 2, 3])
    #expect(Self.map(#""\u12""#) == [1, 2, 3, 4, 5])
    #expect(Self.map("\"") == [0])
    #expect(JSONStringSourceMap.offsets(in: Array("\"ab\"".utf8), token: 2..<99) == [3])
    #expect(JSONStringSourceMap.offsets(in: [], token: 0..<0) == [0])
  }

  /// Strings of arbitrary scalars, each written raw or as one of its escapes: the map is one
  /// entry per decoded byte plus one, never decreases, and slices each decoded scalar back to
  /// exactly the source text that wrote it. (Inputs come from a fixed seed; see
  /// `JSONParserPropertyTests` for why this does not use the `.fixedSeed` trait.)
  @Test func everyDecodedScalarMapsBackToItsSourceText() {
    let piece = zip(Gen<UInt32>.value(in: 0...0x10_FFFF), Gen<Int>.int(in: 0...3))
    var random = Xoshiro(
      seed: (0x243F_6A88_85A3_08D3, 0x1319_8A2E_0370_7344, 0xA409_3822_299F_31D0, 1))
    let strings = piece.array(of: 0...24).array(of: 500).run(using: &random)
    for pieces in strings {
      let written = pieces.map { JSONTestText.piece(value: $0.0, encoding: $0.1) }
      let token = "\"" + written.map(\.source).joined() + "\""
      let bytes = Array(token.utf8)
      var diagnostics = Diagnostics()
      let node = JSONParser.parse(SourceFile(path: "t.json", bytes: bytes), into: &diagnostics)
      let decoded = Array((node?.scalar ?? "").utf8)
      #expect(diagnostics.isEmpty, "\(token)")
      #expect(decoded == Array(written.map(\.decoded).joined().utf8), "\(token)")
      let map = JSONStringSourceMap.offsets(in: bytes, token: 0..<bytes.count)
      #expect(map.count == decoded.count + 1)
      #expect(zip(map, map.dropFirst()).allSatisfy { $0 <= $1 })
      var decodedOffset = 0
      for piece in written {
        let width = piece.decoded.utf8.count
        let source = map[decodedOffset]..<map[decodedOffset + width]
        #expect(String(decoding: bytes[source], as: UTF8.self) == piece.source, "\(token)")
        decodedOffset += width
      }
    }
  }
}
