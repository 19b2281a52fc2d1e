import CinchTemplate

/// Rewrites YAML scalars: splices new text into the source where the scalar's style can hold
/// it without changing how the rest reads, and otherwise writes the whole scalar again in the
/// style that keeps its value.
///
/// Splicing keeps every byte of the scalar outside the changed text (escapes, folds, line
/// breaks). It is allowed when:
/// - plain: the new value is still a safe plain scalar (`YAMLPlainScalar`), and the new text is
///   printable on one line (with no blank at either end when the scalar spans lines, where
///   folding would trim it);
/// - single-quoted: the new text is printable on one line (the same blank rule);
/// - double-quoted: always, with escapes;
/// - literal: the new text holds only printable characters and LF (each break is written with
///   the block's indentation), the value keeps its trailing line breaks (chomping applies to
///   them), and without an indentation indicator its first line does not start with a space;
/// - folded: the new text is printable on one line, not empty, and does not put a blank at the
///   start of a line (that would make the line "more indented" and change the folding).
///
/// Written again, a scalar is plain when it was and still can be; a literal block scalar when
/// it sits in block context, the text has line breaks and either it was a block scalar or it
/// is one whole reference (a PEM key); single-quoted when printable on one line and not
/// double-quoted before; double-quoted otherwise.
struct YAMLScalarRewriter {
  let file: SourceFile
  let layout: YAMLLayout

  init(file: SourceFile) {
    self.file = file
    self.layout = YAMLLayout(file)
  }

  func rewrite(_ plan: ScalarPlan) -> [ByteEdit]? {
    let newValue = plan.newValue
    let text = String(decoding: newValue, as: UTF8.self)
    let node = plan.node
    // One whole reference whose value has line breaks (a PEM key) reads best as a literal
    // block scalar, whatever the style it was written in.
    let preferBlock =
      plan.replacesWholeValue && !plan.target.flow && newValue.contains(0x0A)
      && node.style != .literal
    if !preferBlock, let spliced = splice(plan, newText: text) {
      return spliced
    }
    let start = node.range.start.offset
    let range: Range<Int>
    var blockIndent: Int?
    switch node.style {
    case .literal, .folded:
      // A block scalar's range runs on to the next line; rewrite up to the end of its last
      // content line and leave the line breaks after it.
      guard let map = plan.map, let last = plan.value.lastIndex(where: { $0 != 0x0A }) else {
        return nil
      }
      range = start..<map.sourceRange(last..<(last + 1)).upperBound
      let lineStartValue = plan.value[..<last].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
      let contentStart = map.sourceRange(lineStartValue..<lineStartValue).lowerBound
      blockIndent = contentStart - layout.lineStart(of: contentStart)
    default:
      range = node.range.bytes
    }
    let written = emit(
      text, style: node.style, at: start, replacing: range, flow: plan.target.flow,
      whole: plan.replacesWholeValue, blockIndent: blockIndent)
    return [ByteEdit(range: range, bytes: written)]
  }

  // MARK: Splicing

  private func splice(_ plan: ScalarPlan, newText: String) -> [ByteEdit]? {
    let node = plan.node
    let multiline = layout.spansLines(node.range.bytes)
    let edits = plan.sortedEdits
    func hasEdgeBlank(_ text: String) -> Bool {
      guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else {
        return false
      }
      return YAMLCharacters.isBlank(first) || YAMLCharacters.isBlank(last)
    }
    var output: [ByteEdit] = []
    switch node.style {
    case .plain, .singleQuoted:
      // Over lines, a plain scalar's line breaks are the source's own folds (an empty line is
      // a break in the value) and stay as they are; the value must still be safe read as one
      // line, and `decodes` below proves the new source reads as the new value.
      let asOneLine = multiline ? newText.replacingLineFeeds() : newText
      if node.style == .plain, !YAMLPlainScalar.isSafe(asOneLine, flow: plan.target.flow) {
        return nil
      }
      for edit in edits {
        guard YAMLCharacters.isInlineText(edit.text), !(multiline && hasEdgeBlank(edit.text)) else {
          return nil
        }
        let written =
          node.style == .plain ? edit.text : YAMLQuoting.singleQuotedContent(edit.text)
        guard let range = plan.sourceRange(edit.span) else { return nil }
        output.append(ByteEdit(range: range, bytes: Array(written.utf8)))
      }
    case .doubleQuoted:
      for edit in edits {
        let written = YAMLQuoting.doubleQuotedContent(edit.text, escapingEdgeBlanks: multiline)
        guard let range = plan.sourceRange(edit.span) else { return nil }
        output.append(ByteEdit(range: range, bytes: Array(written.utf8)))
      }
    case .literal:
      let newValue = Array(newText.utf8)
      guard Self.trailingBreaks(newValue) == Self.trailingBreaks(plan.value),
        newValue.contains(where: { $0 != 0x0A })
      else { return nil }
      // Without an indentation indicator, the first line's leading blanks would read as
      // indentation (a space) or fail to (a tab).
      if layout.blockIndicator(at: node.range.start.offset) == nil,
        let first = newValue.first(where: { $0 != 0x0A }), first == 0x20 || first == 0x09
      {
        return nil
      }
      for edit in edits {
        guard YAMLCharacters.isBlockText(edit.text) else { return nil }
        guard let range = plan.sourceRange(edit.span) else { return nil }
        guard edit.text.utf8.contains(0x0A) else {
          output.append(ByteEdit(range: range, bytes: Array(edit.text.utf8)))
          continue
        }
        // Each new line is indented like the line the text starts on.
        let lineStart = plan.value[..<edit.span.lowerBound].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        guard let contentStart = plan.sourceRange(lineStart..<lineStart)?.lowerBound else {
          return nil
        }
        let indent = contentStart - layout.lineStart(of: contentStart)
        let endsLine =
          range.upperBound >= file.bytes.count
          || YAMLLayout.isBreak(file.bytes[range.upperBound])
        output.append(
          ByteEdit(
            range: range,
            bytes: indentedLines(
              edit.text, indent: indent, lineBreak: layout.lineBreak(near: range.lowerBound),
              lastLineEndsLine: endsLine)))
      }
    case .folded:
      guard Self.trailingBreaks(Array(newText.utf8)) == Self.trailingBreaks(plan.value) else {
        return nil
      }
      for edit in edits {
        guard let first = edit.text.unicodeScalars.first, YAMLCharacters.isInlineText(edit.text)
        else { return nil }
        guard let range = plan.sourceRange(edit.span) else { return nil }
        if YAMLCharacters.isBlank(first), layout.onlySpacesBefore(range.lowerBound) { return nil }
        output.append(ByteEdit(range: range, bytes: Array(edit.text.utf8)))
      }
    case .block, .flow:
      return nil
    }
    if multiline,
      node.style == .plain || node.style == .singleQuoted || node.style == .doubleQuoted,
      !decodes(output, in: node, to: newText)
    {
      return nil
    }
    return output
  }

  /// Whether the scalar's source with `edits` made reads as `value`, decoded the way libyaml
  /// decodes it (`YAMLScalarSourceMap` re-reads the source and must use all of it). Folding
  /// makes this worth checking for a scalar that spans lines: a blank that ends up next to a
  /// line break is trimmed, a line left empty becomes a line break.
  private func decodes(_ edits: [ByteEdit], in node: Node, to value: String) -> Bool {
    let range = node.range.bytes
    var buffer: [UInt8] = []
    buffer.reserveCapacity(range.count + edits.reduce(0) { $0 + $1.bytes.count })
    var cursor = range.lowerBound
    for edit in edits {
      buffer += file.bytes[cursor..<edit.range.lowerBound]
      buffer += edit.bytes
      cursor = edit.range.upperBound
    }
    buffer += file.bytes[cursor..<range.upperBound]
    let end = node.style == .plain ? buffer.count : buffer.count - 1
    // An empty value decodes from any source; only an empty one writes it.
    if value.isEmpty { return end == (node.style == .plain ? 0 : 1) }
    guard
      let map = YAMLScalarSourceMap(bytes: buffer, start: 0, style: node.style, value: value)
    else { return false }
    return map.sourceRange(ofValueBytes: 0..<value.utf8.count).upperBound == end
  }

  /// `text` with each line after the first on a new line indented by `indent` spaces; inner
  /// empty lines stay empty, and so does the last when nothing follows it on its line.
  private func indentedLines(
    _ text: String, indent: Int, lineBreak: [UInt8], lastLineEndsLine: Bool
  ) -> [UInt8] {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    var output: [UInt8] = Array(lines[0].utf8)
    let spaces = [UInt8](repeating: 0x20, count: indent)
    for (index, line) in lines.enumerated().dropFirst() {
      output += lineBreak
      let isLast = index == lines.count - 1
      if !line.isEmpty || (isLast && !lastLineEndsLine) { output += spaces }
      output += line.utf8
    }
    return output
  }

  static func trailingBreaks(_ value: [UInt8]) -> Int {
    var count = 0
    while count < value.count, value[value.count - 1 - count] == 0x0A { count += 1 }
    return count
  }

  // MARK: Writing a whole scalar

  /// The bytes of a scalar holding `text`, to replace `range` (which starts at `start`).
  /// `style` is how the scalar was written; `whole` says the text is one reference's value.
  /// `blockIndent` is the content indentation of the block scalar being replaced, if it was
  /// one.
  func emit(
    _ text: String, style: NodeStyle, at start: Int, replacing range: Range<Int>, flow: Bool,
    whole: Bool, blockIndent: Int?
  ) -> [UInt8] {
    if style == .plain, YAMLPlainScalar.isSafe(text, flow: flow) { return Array(text.utf8) }
    let isBlockStyle = style == .literal || style == .folded
    if !flow, isBlockStyle || (whole && text.utf8.contains(0x0A)),
      let block = literalBlock(text, at: start, replacing: range, indent: blockIndent)
    {
      return block
    }
    if style != .doubleQuoted, YAMLCharacters.isInlineText(text) {
      return Array(("'" + YAMLQuoting.singleQuotedContent(text) + "'").utf8)
    }
    return Array(("\"" + YAMLQuoting.doubleQuotedContent(text) + "\"").utf8)
  }

  /// A literal block scalar (`|`, `|-`, `|+`, with an indentation indicator when the first
  /// line starts with a space), or nil when `text` or the place cannot take one: the replaced
  /// bytes must end their line, and keep chomping needs a next line that is not empty (it
  /// would take the empty lines in).
  func literalBlock(_ text: String, at start: Int, replacing range: Range<Int>, indent: Int?)
    -> [UInt8]?
  {
    let bytes = file.bytes
    guard YAMLCharacters.isBlockText(text), text.utf8.contains(where: { $0 != 0x0A }) else {
      return nil
    }
    let end = range.upperBound
    let atEnd = end >= bytes.count
    guard atEnd || YAMLLayout.isBreak(bytes[end]) else { return nil }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    var trailing = 0
    while lines.count > 1, lines.last?.isEmpty == true {
      lines.removeLast()
      trailing += 1
    }
    if trailing >= 2, !atEnd, !layout.nextLineHasContent(afterBreakAt: end) { return nil }

    let parent = layout.parentIndent(ofHeaderAt: start)
    let contentIndent =
      indent ?? (parent.map { $0 + 2 } ?? layout.firstColumn(ofLineAt: start) + 2)
    var header = "|"
    if let first = lines.first(where: { !$0.isEmpty })?.first, first == " " || first == "\t" {
      // Without an indicator the first line's spaces would read as indentation, and a tab
      // where indentation is expected is an error.
      guard let parent, contentIndent - parent >= 1, contentIndent - parent <= 9 else {
        return nil
      }
      header += String(contentIndent - parent)
    }
    header += trailing == 0 ? "-" : trailing == 1 ? "" : "+"

    let lineBreak = layout.lineBreak(near: start)
    let spaces = [UInt8](repeating: 0x20, count: contentIndent)
    var output = Array(header.utf8)
    for line in lines {
      output += lineBreak
      if !line.isEmpty {
        output += spaces
        output += line.utf8
      }
    }
    for _ in 0..<max(0, trailing - 1) { output += lineBreak }
    if atEnd, trailing > 0 { output += lineBreak }
    return output
  }
}

extension String {
  /// The text with each line feed written as a space (`YAMLPlainScalar.isSafe` of a folded
  /// value).
  fileprivate func replacingLineFeeds() -> String {
    guard utf8.contains(0x0A) else { return self }
    return String(decoding: utf8.map { $0 == 0x0A ? 0x20 : $0 }, as: UTF8.self)
  }
}
