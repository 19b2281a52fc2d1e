import CinchTemplate
import Testing

@testable import CinchCompiler

/// Checks every rendering test applies: the output equals the input outside the spans the
/// renderer says it changed, and each changed span lies inside text that holds a rendered
/// reference (its scalar, or the `Fn::Join` assembling it).
enum RenderChecks {
  /// Nil when `output` equals `input` everywhere outside `edits`; else where it does not.
  static func differenceOutsideEdits(
    input: [UInt8], output: [UInt8], edits: [RenderEdit]
  ) -> String? {
    var inputCursor = 0
    var outputCursor = 0
    for edit in edits {
      guard edit.source.lowerBound >= inputCursor, edit.output.lowerBound >= outputCursor else {
        return "edit \(edit) overlaps the one before it"
      }
      let kept = edit.source.lowerBound - inputCursor
      guard edit.output.lowerBound - outputCursor == kept,
        input[inputCursor..<edit.source.lowerBound]
          .elementsEqual(output[outputCursor..<edit.output.lowerBound])
      else { return "bytes before edit \(edit) differ from the input's" }
      inputCursor = edit.source.upperBound
      outputCursor = edit.output.upperBound
    }
    guard input[inputCursor...].elementsEqual(output[outputCursor...]) else {
      return "bytes after the last edit differ from the input's"
    }
    return nil
  }

  /// Nil when every edit lies inside the range of a node that holds one of `sites` (the
  /// scalar around a reference, or the `Fn::Join` assembling one).
  static func editsOutsideReferences(
    _ edits: [RenderEdit], sites: [ReferenceSite], root: Node
  ) -> String? {
    var holders: [Range<Int>] = []
    func visit(_ node: Node) {
      let range = node.range.bytes
      switch node.value {
      case .scalar:
        if sites.contains(where: { range.contains($0.range.bytes.lowerBound) }) {
          holders.append(range)
        }
      case .sequence(let items):
        items.forEach(visit)
      case .mapping(let entries):
        entries.forEach { visit($0.value) }
      case .intrinsic(let intrinsic):
        if intrinsic.function == .join, sites.contains(where: { $0.range.bytes == range }) {
          holders.append(range)
        }
        visit(intrinsic.argument)
      }
    }
    visit(root)
    for edit in edits
    where !holders.contains(where: {
      $0.lowerBound <= edit.source.lowerBound && edit.source.upperBound <= $0.upperBound
    }) {
      return "edit \(edit) changes bytes outside every scalar that holds a rendered reference"
    }
    return nil
  }

  /// Both checks, recorded as test issues.
  static func expectOnlyReferenceTextChanged(
    _ rendered: RenderedTemplate, document: ParsedDocument, sites: [ReferenceSite],
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    if let problem = differenceOutsideEdits(
      input: document.file.bytes, output: rendered.bytes, edits: rendered.edits)
    {
      Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
    }
    if let root = document.root,
      let problem = editsOutsideReferences(rendered.edits, sites: sites, root: root)
    {
      Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
    }
  }
}
