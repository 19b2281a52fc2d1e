/// Turns spans of a scalar's value (UTF-8 byte offsets into the decoded text) into file
/// ranges, building the scalar's source map on first use: a reference, or a `${Var}` of a
/// `!Sub` string, is located exactly even in a quoted, escaped or folded scalar.
struct ScalarLocator {
  let node: Node
  let text: String
  let file: SourceFile
  let format: ParsedDocument.Format
  private var map: SourceMap??

  /// A YAML scalar's map, or a JSON string's offsets (`JSONStringSourceMap`: one per decoded
  /// byte plus the closing quote).
  enum SourceMap {
    case yaml(YAMLScalarSourceMap)
    case json([Int])

    func bytes(_ span: Range<Int>) -> Range<Int> {
      switch self {
      case .yaml(let map):
        return map.sourceRange(ofValueBytes: span)
      case .json(let offsets):
        let lower = offsets[min(max(0, span.lowerBound), offsets.count - 1)]
        let upper = offsets[min(max(span.lowerBound, span.upperBound), offsets.count - 1)]
        return lower..<max(lower, upper)
      }
    }
  }

  init(node: Node, text: String, in document: ParsedDocument) {
    self.node = node
    self.text = text
    self.file = document.file
    self.format = document.format
  }

  /// The file range of `span`; the whole scalar when its text cannot be mapped back.
  mutating func range(_ span: Range<Int>) -> SourceRange {
    if map == nil {
      map = .some(Self.sourceMap(node: node, text: text, file: file, format: format))
    }
    guard let map = map ?? nil else { return node.range }
    let bytes = map.bytes(span)
    guard bytes.lowerBound >= 0, bytes.upperBound <= file.bytes.count else { return node.range }
    return file.range(fromByte: bytes.lowerBound, toByte: bytes.upperBound)
  }

  static func sourceMap(
    node: Node, text: String, file: SourceFile, format: ParsedDocument.Format
  ) -> SourceMap? {
    switch format {
    case .yaml:
      return YAMLScalarSourceMap(file: file, node: node).map(SourceMap.yaml)
    case .json:
      guard node.style == .doubleQuoted else { return nil }
      let offsets = JSONStringSourceMap.offsets(in: file.bytes, token: node.range.bytes)
      guard offsets.count == text.utf8.count + 1 else { return nil }
      return .json(offsets)
    }
  }
}
