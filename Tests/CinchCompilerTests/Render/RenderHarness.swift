import CinchTemplate
import Testing

@testable import CinchCompiler

/// A file to render with made-up pins or values for every reference it holds, and the checks
/// every rendering must pass.
struct RenderHarness {
  enum Mode: String, CaseIterable {
    case pin
    case inline
  }

  let document: ParsedDocument
  let isCloudFormation: Bool
  /// Every site: as written, plus the reads of `AWS::SSM::Parameter::Value<…>` parameters.
  let sites: [ReferenceSite]

  init(file: SourceFile) {
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(file, into: &diagnostics)
    let analysis = TemplateAnalyzer.analyze(
      document, inputs: EvaluationInputs(), options: .init(graph: false), into: &diagnostics)
    self.document = document
    self.isCloudFormation = analysis.template.isCloudFormation
    let parameterTypes = analysis.references.map(\.site).filter {
      if case .parameterType = $0.context { return true }
      return false
    }
    self.sites = analysis.sites + parameterTypes
  }

  /// Obviously fake values, chosen to need every kind of quoting: `: `, quotes, `#`, a
  /// multi-line PEM-shaped block, words YAML reads as other types, edge blanks, `${`.
  static let fakeValues: [String] = [
    "fake-db.example.invalid",
    "FAKE-password: with 'single', \"double\" quotes & #hash",
    "-----BEGIN FAKE PRIVATE KEY-----\nTk9UIEEgUkVBTCBLRVkgLSBKVVNUIEEgVEVTVA==\nZmFrZSBmYWtlIGZha2U=\n-----END FAKE PRIVATE KEY-----\n",
    "true",
    "  fake value with edge spaces  ",
    "1e3",
    "fake ${NotAVariable} costs $100",
    "fake-user",
  ]

  /// The PEM-shaped value for names that say key or certificate, else one picked by the name,
  /// so that the same reference always gets the same value.
  static func fakeValue(for reference: Reference) -> String {
    let name = reference.name.lowercased()
    if ["pem", "key", "cert"].contains(where: name.contains) { return fakeValues[2] }
    let hash = name.utf8.reduce(7) { ($0 &* 31 &+ Int($1)) & 0xFFFF }
    return fakeValues[hash % fakeValues.count]
  }

  func substitutions(_ mode: Mode) -> [Substitution] {
    sites.enumerated().map { index, site in
      switch mode {
      case .pin:
        let pin: PinnedReference =
          site.reference.kind == .secretsManager
          ? .versionId("EXAMPLE\(index + 1)-90ab-cdef-fedc-ba987EXAMPLE")
          : .version((site.reference.version ?? 6) + 1)
        return .pin(site, pin)
      case .inline:
        return .value(site, Self.fakeValue(for: site.reference))
      }
    }
  }

  func render(_ mode: Mode) -> (RenderedTemplate, [Substitution]) {
    let substitutions = substitutions(mode)
    let rendered = TemplateRenderer(isCloudFormation: isCloudFormation).render(
      document, substitutions)
    return (rendered, substitutions)
  }

  /// The output equals the input outside the reported edits, each edit lies inside a rendered
  /// reference's holder, the output parses cleanly, and it reads as the expectation says.
  static func verify(
    _ rendered: RenderedTemplate, of document: ParsedDocument, substitutions: [Substitution],
    isCloudFormation: Bool, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let reported = Set(rendered.issues.map(\.site))
    let applied = substitutions.filter { !reported.contains($0.site) }
    RenderChecks.expectOnlyReferenceTextChanged(
      rendered, document: document, sites: applied.map(\.site), sourceLocation: sourceLocation)
    var diagnostics = Diagnostics()
    let output = TemplateParser.parse(
      SourceFile(path: document.file.path, bytes: rendered.bytes), into: &diagnostics)
    let errors = diagnostics.items.filter { $0.severity == .error }
    guard let outputRoot = output.root, errors.isEmpty, output.format == document.format,
      let root = document.root
    else {
      Issue.record(
        Comment(
          rawValue: "rendered output does not parse: \(errors.map(\.message))\n"
            + String(decoding: rendered.bytes, as: UTF8.self)),
        sourceLocation: sourceLocation)
      return
    }
    // A string written plain must stay a string for YAML 1.1 and 1.2 readers.
    var before: [String] = []
    var after: [String] = []
    ImplicitTypes.plainScalars(root, into: &before)
    ImplicitTypes.plainScalars(outputRoot, into: &after)
    if document.format == .yaml {
      for value in Set(after).subtracting(before) where ImplicitTypes.isNotAString(value) {
        Issue.record(
          "rendered plain scalar \(value.debugDescription) is not read as a string",
          sourceLocation: sourceLocation)
      }
    }
    let expectation = RenderExpectation(
      document: document, substitutions: applied, isCloudFormation: isCloudFormation)
    let expected = expectation.tree.text(root)
    let actual = CanonicalTree().text(outputRoot)
    if expected != actual {
      Issue.record(
        Comment(
          rawValue:
            "rendered output reads differently from the expectation\n  expected: \(expected)\n"
            + "  actual:   \(actual)\n--- output ---\n"
            + String(decoding: rendered.bytes, as: UTF8.self)),
        sourceLocation: sourceLocation)
    }
  }
}
