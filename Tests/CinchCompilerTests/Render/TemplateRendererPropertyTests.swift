import CinchTemplate
import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchCompiler

/// Render then parse: for arbitrary values in every context (`RenderCase`), the output parses
/// cleanly and reads exactly as the input with each reference replaced by its value (inline)
/// or by its pinned form (pin), no byte outside the reported edits changes, and every line
/// break written is the one the file uses.
@Suite struct TemplateRendererPropertyTests {
  @Test func renderThenParseGivesBackTheValues() {
    var contexts = Set<RenderCase.Context>()
    var inline = 0
    seededCheck(RenderCase.generator, count: 3_000) { renderCase in
      contexts.insert(renderCase.context)
      if renderCase.values != nil { inline += 1 }
      Self.check(renderCase)
    }
    #expect(contexts.count == RenderCase.Context.allCases.count)
    #expect(inline > 1_000)
  }

  static func check(_ renderCase: RenderCase, sourceLocation: SourceLocation = #_sourceLocation) {
    let path = renderCase.context.isJSON ? "t.json" : "t.yaml"
    let file = SourceFile(path: path, text: renderCase.text)
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(file, into: &diagnostics)
    guard document.root != nil, !diagnostics.hasErrors else {
      Issue.record(
        "generated input does not parse: \(diagnostics.items.map(\.message))\n\(renderCase)",
        sourceLocation: sourceLocation)
      return
    }
    let sites = ReferenceFinder.find(in: document, into: &diagnostics)
    guard !sites.isEmpty else {
      Issue.record(
        "generated input holds no reference\n\(renderCase)", sourceLocation: sourceLocation)
      return
    }
    let substitutions = sites.enumerated().map { index, site -> Substitution in
      let slot = min(index % max(1, renderCase.pins.count), renderCase.pins.count - 1)
      if let values = renderCase.values {
        return .value(site, values[min(slot, values.count - 1)])
      }
      return site.reference.kind == .secretsManager
        ? .pin(site, .versionId("EXAMPLE\(renderCase.pins[slot])-90ab-cdef-fedc-ba987EXAMPLE"))
        : .pin(site, .version(renderCase.pins[slot]))
    }
    let rendered = TemplateRenderer(isCloudFormation: renderCase.isCloudFormation).render(
      document, substitutions)
    for issue in rendered.issues {
      // A value that would form a `${` (with its own `$` or `{`, or with the text around it)
      // may not fit into an `Fn::Sub` string; nothing else may fail.
      let allowed: Bool
      if case .value(let value) = substitutions.first(where: { $0.site == issue.site })?.replacement
      {
        allowed =
          renderCase.context.isSub && issue.kind == .notWritable
          && (value.contains("$") || value.contains("{"))
      } else {
        allowed = false
      }
      if !allowed {
        Issue.record("unexpected issue: \(issue)\n\(renderCase)", sourceLocation: sourceLocation)
      }
    }
    if let expected = lineBreaks(in: renderCase.text.utf8).first,
      let other = lineBreaks(in: rendered.bytes).first(where: { $0 != expected })
    {
      Issue.record(
        "the output writes line break \(other) in a file written with \(expected)\n\(renderCase)",
        sourceLocation: sourceLocation)
    }
    RenderHarness.verify(
      rendered, of: document, substitutions: substitutions,
      isCloudFormation: renderCase.isCloudFormation, sourceLocation: sourceLocation)
  }

  /// The line breaks in `bytes`, in order, as escaped text (`\n`, `\r\n`, `\r`).
  static func lineBreaks(in bytes: some Collection<UInt8>) -> [String] {
    let bytes = Array(bytes)
    var breaks: [String] = []
    var index = 0
    while index < bytes.count {
      if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
        breaks.append("\\r\\n")
        index += 1
      } else if bytes[index] == 0x0D {
        breaks.append("\\r")
      } else if bytes[index] == 0x0A {
        breaks.append("\\n")
      }
      index += 1
    }
    return breaks
  }
}
