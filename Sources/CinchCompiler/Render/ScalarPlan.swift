import CinchTemplate

/// A change to a scalar's decoded value: `span` (bytes of the value as parsed) becomes `text`.
struct ValueEdit {
  var span: Range<Int>
  var text: String
  /// The substitution it serves.
  var site: Int
  /// Further substitutions that ask for the same change (an alias repeats its anchor's text).
  var repeats: [Int] = []
  /// The `Fn::Join` pieces the change is asked for in, when the scalar is a piece that only
  /// with the others holds the reference (an alias may repeat it where it holds none).
  var joinPieces: [JoinPiecePlace] = []

  init(span: Range<Int>, text: String, site: Int) {
    self.span = span
    self.text = text
    self.site = site
  }

  var sites: [Int] { [site] + repeats }
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
  /// Decoded bytes `0..<verbatimLength` are the source bytes from `contentStart` on, as checked
  /// by `locate` (no escape, quote or line break among them): the common case, which needs no
  /// source map.
  private var verbatimLength = 0
  private let contentStart: Int?
  /// The full source map, built only when an edit lies beyond the verbatim bytes or the style
  /// needs it (block scalars).
  private(set) var map: ScalarSourceMap?
  private var mapBuilt = false
  private(set) var edits: [ValueEdit] = []

  init(target: ScalarTarget, file: SourceFile, format: ParsedDocument.Format) {
    self.target = target
    self.value = Array((target.node.scalar ?? "").utf8)
    let start = target.node.range.start.offset
    switch (format, target.node.style) {
    case (.yaml, .plain): contentStart = start
    case (.yaml, .singleQuoted), (.yaml, .doubleQuoted), (.json, .doubleQuoted):
      contentStart = start + 1
    default: contentStart = nil
    }
  }

  var node: Node { target.node }

  /// Bytes that would make a source differ from its value in this style.
  private func isSpecial(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x0A, 0x0D: true
    case UInt8(ascii: "'"): node.style == .singleQuoted
    case UInt8(ascii: "\\"), UInt8(ascii: "\""): node.style == .doubleQuoted
    default: false
    }
  }

  mutating func buildMap(file: SourceFile, format: ParsedDocument.Format) {
    guard !mapBuilt else { return }
    map = ScalarSourceMap(file: file, node: target.node, format: format)
    mapBuilt = true
  }

  /// Whether `sourceRange` can answer for every edit without the full map.
  var needsMap: Bool {
    contentStart == nil || edits.contains { $0.span.upperBound > verbatimLength }
  }

  /// The source bytes of decoded bytes `span` (see `ScalarSourceMap.sourceRange`); nil when
  /// the span lies beyond the verbatim bytes and the scalar has no map.
  func sourceRange(_ span: Range<Int>) -> Range<Int>? {
    if let contentStart, span.upperBound <= verbatimLength {
      return (contentStart + span.lowerBound)..<(contentStart + span.upperBound)
    }
    return map?.sourceRange(span)
  }

  /// Where `text` sits in the value so that its source is exactly `range`; when the scalar
  /// cannot be mapped and the site covers the whole node (how the finder locates such
  /// sites), the `rank`-th occurrence.
  mutating func locate(
    _ text: String, at range: Range<Int>, rank: () -> Int, file: SourceFile,
    format: ParsedDocument.Format
  ) -> Range<Int>? {
    let needle = Array(text.utf8)
    if let contentStart, let found = verbatimSpan(needle, at: range, from: contentStart, in: file) {
      return found
    }
    buildMap(file: file, format: format)
    let occurrences = Self.occurrences(of: needle, in: value)
    if let map {
      if let found = occurrences.first(where: { map.sourceRange($0) == range }) { return found }
    }
    guard range == node.range.bytes else { return nil }
    let rank = rank()
    return rank < occurrences.count ? occurrences[rank] : nil
  }

  /// The span of `needle` when it and everything before it in the value are the source bytes
  /// unchanged, which is almost always; records how far the value is known to be verbatim.
  private mutating func verbatimSpan(
    _ needle: [UInt8], at range: Range<Int>, from contentStart: Int, in file: SourceFile
  ) -> Range<Int>? {
    let offset = range.lowerBound - contentStart
    let end = offset + needle.count
    guard offset >= 0, range.count == needle.count, end <= value.count,
      range.upperBound <= file.bytes.count
    else { return nil }
    let checkedFrom = min(verbatimLength, offset)
    let verbatim = file.bytes.withUnsafeBufferPointer { source in
      value.withUnsafeBufferPointer { value in
        for index in checkedFrom..<end {
          let byte = value[index]
          if byte != source[contentStart + index] || isSpecial(byte) { return false }
        }
        return true
      }
    }
    guard verbatim, Self.matches(needle, in: value, at: offset) else { return nil }
    verbatimLength = max(verbatimLength, end)
    return offset..<end
  }

  private static func matches(_ needle: [UInt8], in haystack: [UInt8], at start: Int) -> Bool {
    needle.withUnsafeBufferPointer { needle in
      haystack.withUnsafeBufferPointer { haystack in
        for offset in 0..<needle.count where haystack[start + offset] != needle[offset] {
          return false
        }
        return true
      }
    }
  }

  private static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Range<Int>] {
    guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
    var found: [Range<Int>] = []
    var index = 0
    let last = haystack.count - needle.count
    while index <= last {
      if matches(needle, in: haystack, at: index) {
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
        edits[index].repeats.append(edit.site)
        edits[index].joinPieces += edit.joinPieces
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

  /// Takes out the edits `shouldRemove` picks; they are returned.
  mutating func removeEdits(where shouldRemove: (ValueEdit) -> Bool) -> [ValueEdit] {
    let removed = edits.filter(shouldRemove)
    if !removed.isEmpty { edits.removeAll(where: shouldRemove) }
    return removed
  }

  var sortedEdits: [ValueEdit] {
    edits.count < 2 ? edits : edits.sorted { $0.span.lowerBound < $1.span.lowerBound }
  }

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

  /// The substitutions the plan serves, each once, in order.
  var sites: [Int] {
    if edits.count == 1, edits[0].repeats.isEmpty { return [edits[0].site] }
    return Array(Set(edits.flatMap(\.sites))).sorted()
  }
}
