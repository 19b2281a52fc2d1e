import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchTemplate

/// Byte offsets to line:column: every offset of every file lands on the line a plain scan
/// says, with LF, CRLF and lone CR line ends, multi-byte scalars and a byte-order mark.
@Suite struct SourceFileTests {
  static let pieces = Gen<String>.oneOf(
    Gen.always("a"), Gen.always("bc"), Gen.always("\n"), Gen.always("\r\n"), Gen.always("\r"),
    Gen.always("é"), Gen.always("🙂"), Gen.always("\n\n"))

  /// Line and column by walking the bytes from the start.
  static func scanned(_ bytes: [UInt8], _ offset: Int) -> (line: Int, column: Int) {
    var line = 1
    var lineStart = bytes.starts(with: [0xEF, 0xBB, 0xBF]) && offset >= 3 ? 3 : 0
    var index = 0
    while index < offset {
      let byte = bytes[index]
      if byte == 0x0A || (byte == 0x0D && (index + 1 >= bytes.count || bytes[index + 1] != 0x0A)) {
        line += 1
        lineStart = index + 1
      }
      index += 1
    }
    let column = bytes[lineStart..<offset].filter { $0 & 0xC0 != 0x80 }.count + 1
    return (line, column)
  }

  /// Pieces with runs longer than the eight bytes the line table skips at a time.
  static let longPieces = Gen<String>.oneOf(
    Gen.always("abcdefghijk"), Gen.always("0123456789abcdef0123"), Gen.always("\n"),
    Gen.always("\r\n"), Gen.always("\r"), Gen.always("é"), Gen.always("a"), Gen.always("  \t"))

  @Test func lineStartsAndASCIIAsAPlainScanSaysThem() {
    seededCheck(Self.longPieces.array(of: 0...40), count: 1_000) { parts in
      let bytes = Array(parts.joined().utf8)
      var starts = [0]
      for (index, byte) in bytes.enumerated() {
        if byte == 0x0A || (byte == 0x0D && (index + 1 >= bytes.count || bytes[index + 1] != 0x0A))
        {
          starts.append(index + 1)
        }
      }
      let file = SourceFile(path: "t.yaml", bytes: bytes)
      #expect(file.lineStarts == starts)
      #expect(file.isASCII == bytes.allSatisfy { $0 < 0x80 })
    }
  }

  @Test func everyOffsetFindsItsLineAndColumn() {
    seededCheck(Self.pieces.array(of: 0...30), count: 500) { parts in
      for prefix in ["", "\u{FEFF}"] {
        let file = SourceFile(path: "t.yaml", text: prefix + parts.joined())
        for offset in 0...file.bytes.count {
          let position = file.position(atByte: offset)
          let expected = Self.scanned(file.bytes, offset)
          #expect(position.line == expected.line && position.column == expected.column)
        }
      }
    }
  }
}
