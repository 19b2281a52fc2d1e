@testable import CinchTemplate

/// Renders scan results for golden files: each reference and issue with its byte span, and
/// carets under the part of the input the span covers, so a reviewer sees the position.
enum ScanRendering {
  static func render(_ text: String, _ scan: ReferenceScan) -> String {
    let bytes = Array(text.utf8)
    var output = ""
    for found in scan.references {
      let reference = found.reference
      output += "reference \(reference.kind.rawValue) \(describe(found.span))\n"
      output += "  name: \(NodeDump.quoted(reference.name))\n"
      if let version = reference.version { output += "  version: \(version)\n" }
      if let value = reference.secretString {
        output += "  secretString: \(NodeDump.quoted(value))\n"
      }
      if let value = reference.jsonKey { output += "  jsonKey: \(NodeDump.quoted(value))\n" }
      if let value = reference.versionStage {
        output += "  versionStage: \(NodeDump.quoted(value))\n"
      }
      if let value = reference.versionId { output += "  versionId: \(NodeDump.quoted(value))\n" }
      output += "  delimiter: \(reference.delimiter.rawValue)\n"
      if reference.isClosedByInput { output += "  closed by input\n" }
      for placeholder in found.placeholders {
        output +=
          "  placeholder: \(NodeDump.quoted(placeholder.name)) \(describe(placeholder.span))\n"
      }
      output += carets(bytes, found.span)
    }
    for issue in scan.issues {
      output += "issue \(issue.code.id) \(issue.code.name) \(describe(issue.span))"
      output += " in \(describe(issue.referenceSpan))\n"
      output += "  \(issue.message)\n"
      output += carets(bytes, issue.span)
    }
    return output.isEmpty ? "no references\n" : output
  }

  static func describe(_ span: Range<Int>) -> String { "[\(span.lowerBound)..<\(span.upperBound)]" }

  /// Each input line the span touches, with `^` under the covered characters.
  static func carets(_ bytes: [UInt8], _ span: Range<Int>) -> String {
    var output = ""
    var lineStart = 0
    while lineStart <= bytes.count {
      var lineEnd = lineStart
      while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
      let touches =
        span.isEmpty
        ? (lineStart...lineEnd).contains(span.lowerBound)
        : span.lowerBound <= lineEnd && span.upperBound > lineStart
      if touches {
        let from = max(span.lowerBound, lineStart)
        let to = min(max(span.upperBound, from), lineEnd)
        let pad = scalars(bytes[lineStart..<from])
        let width = max(1, scalars(bytes[from..<to]))
        output += "  | " + String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self) + "\n"
        output +=
          "  | " + String(repeating: " ", count: pad) + String(repeating: "^", count: width) + "\n"
      }
      lineStart = lineEnd + 1
    }
    return output
  }

  static func scalars(_ bytes: ArraySlice<UInt8>) -> Int {
    bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
  }
}
