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
      #expect(file.checkpoints.isEmpty == file.isASCII)
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

  /// Byte pieces for the checkpoint table: scalars of two, three and four bytes, a combining
  /// mark, a tab, every line end, a byte-order mark in the middle, and bytes that are not
  /// UTF-8 (a lone continuation byte, truncated sequences, 0xFF).
  static let byteChoices: [[UInt8]] = [
    Array("a".utf8), Array("abcdefghij".utf8), Array("\t".utf8), Array("\n".utf8),
    Array("\r\n".utf8), Array("\r".utf8), Array("é".utf8), Array("e\u{0301}".utf8),
    Array("€".utf8), Array("🙂".utf8), Array("\u{FEFF}".utf8), [0x80], [0xC3], [0xE2, 0x82],
    [0xFF],
  ]
  static let bytePieces = Gen<Int>.value(in: 0...(byteChoices.count - 1)).map { byteChoices[$0] }

  /// Columns through the checkpoint table, with strides short enough that short files cross
  /// many of them, match a plain scan from the line start at every offset.
  @Test func checkpointedColumnsMatchAPlainScanAtEveryOffset() {
    seededCheck(zip(Self.bytePieces.array(of: 0...60), Gen<Int>.value(in: 1...16)), count: 500) {
      pieces, stride in
      for prefix: [UInt8] in [[], [0xEF, 0xBB, 0xBF]] {
        let bytes = prefix + pieces.joined()
        let file = SourceFile(path: "t.yaml", bytes: bytes, checkpointStride: stride)
        for offset in 0...bytes.count {
          let position = file.position(atByte: offset)
          let expected = Self.scanned(bytes, offset)
          #expect(position.line == expected.line && position.column == expected.column)
        }
      }
    }
  }

  /// The shape that was quadratic: a line of several thousand 'é' and then references, with the
  /// default stride, against a count kept while walking the bytes once.
  @Test func longNonASCIILineKeepsExactColumns() {
    let text =
      "k: [\"" + String(repeating: "é", count: 3_000) + "\", "
      + String(repeating: "\"{{resolve:ssm:/p}}\", ", count: 200) + "]\r\nnext: é\n"
    let file = SourceFile(path: "t.yaml", text: text)
    var (line, column) = (1, 1)
    var mismatches: [Int] = []
    for offset in 0...file.bytes.count {
      let position = file.position(atByte: offset)
      if position.line != line || position.column != column { mismatches.append(offset) }
      guard offset < file.bytes.count else { break }
      let byte = file.bytes[offset]
      if byte == 0x0A {
        (line, column) = (line + 1, 1)
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    #expect(mismatches.isEmpty)
  }

  /// However far an offset is from its line start, a column scans at most two strides of bytes
  /// and takes the rest from the table: the plan covers the span exactly once.
  @Test func aColumnScansAtMostTwoStrides() {
    for stride in [1, 3, 8, 1024] {
      for start in [0, 1, 7, 1023, 1024, 1025, 5000] {
        for end in Array(start...(start + 4 * stride + 64)) + [start + 1_000_000] {
          let plan = ScalarCountPlan(from: start, to: end, stride: stride)
          let middle =
            plan.blocks.isEmpty
            ? plan.head.upperBound..<plan.head.upperBound
            : (plan.blocks.lowerBound * stride)..<(plan.blocks.upperBound * stride)
          let covered =
            plan.head.lowerBound == start && plan.head.upperBound == middle.lowerBound
            && (plan.blocks.isEmpty
              ? plan.head.upperBound == end : middle.upperBound == plan.tail.lowerBound)
            && (plan.blocks.isEmpty || plan.tail.upperBound == end)
          #expect(covered, "stride \(stride), \(start)..<\(end): \(plan)")
          #expect(
            plan.head.count + plan.tail.count < 2 * stride, "stride \(stride), \(start)..<\(end)")
        }
      }
    }
  }

  /// `contains` finds a needle wherever it is (start, end, after a false start), and nothing
  /// that is only a prefix cut by the end of the file.
  @Test(arguments: [
    ("Fn::ForEach::A: []", true), ("x: Fn::ForEach::", true), ("Fn::Fn::ForEach::", true),
    ("Fn::ForEach:", false), ("", false), ("fn::foreach::", false),
  ])
  func containsFindsTheNeedle(_ text: String, _ found: Bool) {
    let file = SourceFile(path: "t.yaml", bytes: Array(text.utf8))
    #expect(file.contains("Fn::ForEach::") == found)
  }
}
