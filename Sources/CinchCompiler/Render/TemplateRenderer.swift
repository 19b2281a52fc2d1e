public import CinchTemplate

/// The last stage of the compiler: turns a parsed file and what each of its references becomes
/// (a pin, or a value) into the bytes of the rendered file.
///
/// Only reference text changes. Every byte outside the changed spans is copied as it is:
/// comments, key order, quoting, anchors, block scalars, flow style, JSON spacing, CRLF line
/// endings, a byte-order mark. A scalar is quoted or written again only when the new text would
/// otherwise read differently (a plain scalar that would start with `{`, a value with `: `, a
/// multi-line value in a single-quoted scalar), and the output is reported as a list of edits
/// so that callers and tests can check exactly that.
///
/// Pure: reads no file, prints nothing. A site that cannot be rendered is left as written and
/// reported as a `RenderIssue`, whose reason never holds a value.
public struct TemplateRenderer: Sendable {
  /// Whether the file is a CloudFormation template: `<<resolve:…>>` references compile to the
  /// `{{resolve:…}}` form CloudFormation understands; in any other file they keep `<<…>>`.
  public var isCloudFormation: Bool

  public init(isCloudFormation: Bool) {
    self.isCloudFormation = isCloudFormation
  }

  /// Renders `document` with one substitution per site to change. Sites not listed stay as
  /// written; a site listed twice must be given the same replacement.
  public func render(_ document: ParsedDocument, _ substitutions: [Substitution])
    -> RenderedTemplate
  {
    var session = RenderSession(
      document: document, substitutions: substitutions, isCloudFormation: isCloudFormation)
    return session.run()
  }
}
