/// A rendered file: its bytes, the spans that changed, and the sites left as written.
public struct RenderedTemplate: Sendable, CustomStringConvertible, CustomReflectable {
  /// The output. In inline mode it holds values: write it with care (0600), never log it.
  public var bytes: [UInt8]
  /// Every span that changed, in file order and without overlaps. Outside these the output is
  /// the input byte for byte.
  public var edits: [RenderEdit]
  /// The sites not rendered, in the order their substitutions were given.
  public var issues: [RenderIssue]

  public init(bytes: [UInt8], edits: [RenderEdit], issues: [RenderIssue]) {
    self.bytes = bytes
    self.edits = edits
    self.issues = issues
  }

  /// A summary; the bytes are left out because inline output holds values.
  public var description: String {
    "rendered template: \(bytes.count) bytes, \(edits.count) edits, \(issues.count) issues"
  }

  public var customMirror: Mirror {
    Mirror(self, children: ["edits": edits, "issues": issues], displayStyle: .struct)
  }
}

/// One changed span: `source` bytes of the input became `output` bytes of the output.
public struct RenderEdit: Sendable, Hashable, CustomStringConvertible {
  public var source: Range<Int>
  public var output: Range<Int>

  public init(source: Range<Int>, output: Range<Int>) {
    self.source = source
    self.output = output
  }

  public var description: String {
    "[\(source.lowerBound)..<\(source.upperBound)] -> [\(output.lowerBound)..<\(output.upperBound)]"
  }
}
