import CinchTemplate

/// A change to a scalar's decoded value: `span` (bytes of the value as parsed) becomes `text`.
struct ValueEdit {
  var span: Range<Int>
  var text: String
  /// The substitutions it serves (more than one when an alias repeats the text).
  var sites: [Int]
}

/// A change to the file: `range` of the input becomes `bytes`.
struct ByteEdit {
  var range: Range<Int>
  var bytes: [UInt8]
}

/// Where each byte of a scalar's decoded value came from in the file.
enum ScalarSourceMap {
  case yaml(YAMLScalarSourceMap)
  /// `JSONStringSourceMap` offsets: one per decoded byte, then the closing quote.
  case json([Int])

  init?(file: SourceFile, node: Node, format: ParsedDocument.Format) {
    guard case .scalar(let text) = node.value else { return nil }
    switch format {
    case .yaml:
      guard let map = YAMLScalarSourceMap(file: file, node: node) else { return nil }
      self = .yaml(map)
    case .json:
      guard node.style == .doubleQuoted else { return nil }
      let offsets = JSONStringSourceMap.offsets(in: file.bytes, token: node.range.bytes)
      guard offsets.count == text.utf8.count + 1 else { return nil }
      self = .json(offsets)
    }
  }

  /// The source bytes of decoded bytes `span`; for an empty span, the point before the source
  /// of the decoded byte at `span.lowerBound`.
  func sourceRange(_ span: Range<Int>) -> Range<Int> {
    switch self {
    case .yaml(let map):
      if span.isEmpty {
        let offset = map.sourceOffset(ofValueOffset: span.lowerBound)
        return offset..<offset
      }
      return map.sourceRange(ofValueBytes: span)
    case .json(let offsets):
      let lower = offsets[min(max(0, span.lowerBound), offsets.count - 1)]
      let upper = offsets[min(max(span.lowerBound, span.upperBound), offsets.count - 1)]
      return lower..<max(lower, upper)
    }
  }
}

/// The edits to make in one scalar, gathered from every substitution that lands in it.
struct ScalarPlan {
  let target: ScalarTarget
  /// The decoded value as parsed.
  let value: [UInt8]
  let map: ScalarSourceMap?
  private(set) var edits: [ValueEdit] = []

  init(target: ScalarTarget, file: SourceFile, format: ParsedDocument.Format) {
    self.target = target
    self.value = Array((target.node.scalar ?? "").utf8)
    self.map = ScalarSourceMap(file: file, node: target.node, format: format)
  }

  var node: Node { target.node }

  /// Where `text` sits in the value so that its source is exactly `range`; when the scalar
  /// cannot be mapped and the site covers the whole node (how the finder locates such
  /// sites), the `rank`-th occurrence.
  func locate(_ text: String, at range: Range<Int>, rank: Int) -> Range<Int>? {
    let needle = Array(text.utf8)
    let occurrences = Self.occurrences(of: needle, in: value)
    if let map {
      if let found = occurrences.first(where: { map.sourceRange($0) == range }) { return found }
    }
    guard range == node.range.bytes else { return nil }
    return rank < occurrences.count ? occurrences[rank] : nil
  }

  private static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Range<Int>] {
    guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
    var found: [Range<Int>] = []
    var index = 0
    let last = haystack.count - needle.count
    while index <= last {
      if haystack[index] == needle[0],
        haystack[index..<(index + needle.count)].elementsEqual(needle)
      {
        found.append(index..<(index + needle.count))
        index += needle.count
      } else {
        index += 1
      }
    }
    return found
  }

  enum AddResult {
    case added
    /// The same change is already planned (an alias repeats the text).
    case merged
    /// A different change overlaps it.
    case conflict
  }

  mutating func add(_ edit: ValueEdit) -> AddResult {
    for index in edits.indices {
      let existing = edits[index]
      if existing.span == edit.span {
        guard existing.text == edit.text else { return .conflict }
        edits[index].sites += edit.sites
        return .merged
      }
      if existing.span.overlaps(edit.span) { return .conflict }
      // Two edits touching at one point would both write there.
      if existing.span.isEmpty || edit.span.isEmpty,
        existing.span.lowerBound == edit.span.lowerBound
          || existing.span.upperBound == edit.span.lowerBound
          || edit.span.upperBound == existing.span.lowerBound
      {
        return .conflict
      }
    }
    edits.append(edit)
    return .added
  }

  var sortedEdits: [ValueEdit] { edits.sorted { $0.span.lowerBound < $1.span.lowerBound } }

  /// The value once every edit is made.
  var newValue: [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(value.count + edits.reduce(0) { $0 + $1.text.utf8.count })
    var cursor = 0
    for edit in sortedEdits {
      output += value[cursor..<edit.span.lowerBound]
      output += edit.text.utf8
      cursor = edit.span.upperBound
    }
    output += value[cursor...]
    return output
  }

  /// Whether one edit replaces the whole value.
  var replacesWholeValue: Bool {
    edits.count == 1 && edits[0].span == 0..<value.count
  }

  var sites: [Int] { edits.flatMap(\.sites) }
}
