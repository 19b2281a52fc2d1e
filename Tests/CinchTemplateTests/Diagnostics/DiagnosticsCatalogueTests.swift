import CinchTemplate
import Foundation
import Testing
import _CinchTestSupport

/// `Docs/Diagnostics.md` is generated from `DiagnosticCode.all`; the committed file must be
/// exactly what the code generates now.
@Suite struct DiagnosticsCatalogueTests {
  static let document = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Docs").appendingPathComponent("Diagnostics.md")

  @Test func committedCatalogueIsCurrent() throws {
    let generated = DiagnosticsCatalogueRenderer().render()
    if Fixtures.recording {
      let existing = try? String(contentsOf: Self.document, encoding: .utf8)
      if existing != generated {
        try FileManager.default.createDirectory(
          at: Self.document.deletingLastPathComponent(), withIntermediateDirectories: true)
        try generated.write(to: Self.document, atomically: true, encoding: .utf8)
        Issue.record("recorded new baseline for Docs/Diagnostics.md")
      }
      return
    }
    let committed = try? String(contentsOf: Self.document, encoding: .utf8)
    #expect(
      committed == generated,
      """
      Docs/Diagnostics.md is stale: it differs from what DiagnosticCode.all generates. \
      Run `RECORD_FIXTURES=1 swift test` to regenerate it, and commit the result.
      \(Fixtures.lineDiff(committed ?? "", generated))
      """)
  }

  @Test func everyCodeIsListedOnce() {
    let generated = DiagnosticsCatalogueRenderer().render()
    for code in DiagnosticCode.all {
      let rows = generated.split(separator: "\n").filter { $0.contains("</a>\(code.id) |") }
      #expect(rows.count == 1, "\(code.id) appears \(rows.count) times")
      #expect(rows.first?.contains("`\(code.name)`") == true)
    }
  }

  /// `--ignore` and a template's `ignore:` take ids and names in any case, as a user types them.
  @Test func codesAreFoundByIdOrNameInAnyCase() {
    for code in DiagnosticCode.all {
      for text in [code.id, code.id.lowercased(), code.name, code.name.uppercased()] {
        #expect(DiagnosticCode.named(text) == code, "\(text)")
      }
    }
    #expect(DiagnosticCode.named("E9999") == nil)
    #expect(DiagnosticCode.named("noecho") == nil)
  }

  @Test func headerSaysGeneratedDoNotEdit() {
    let generated = DiagnosticsCatalogueRenderer().render()
    #expect(generated.hasPrefix("<!-- Generated from DiagnosticCode.all"))
    #expect(generated.contains("Do not edit"))
  }

  @Test func familiesWithoutCodesAreLeftOut() {
    let code = DiagnosticCode("W3001", "cycle", "A cycle | with a pipe.")
    let generated = DiagnosticsCatalogueRenderer(codes: [code]).render()
    #expect(generated.contains("## 3 · Dependency graph"))
    #expect(!generated.contains("## 0 ·"))
    #expect(
      generated.contains(
        "| <a id=\"w3001\"></a>W3001 | `cycle` | warning | A cycle \\| with a pipe. |"))
    #expect(generated.contains("1 code: 0 errors, 1 warning, 0 infos."))
  }

  @Test func catalogueIdentitiesAreUnique() {
    let all = DiagnosticCode.all
    #expect(Set(all.map(\.id)).count == all.count)
    #expect(Set(all.map(\.name)).count == all.count)
    for code in all {
      #expect(code.id.count == 5 && "EWI".contains(code.id.first ?? "?"), "\(code.id)")
      #expect(code.id.dropFirst().allSatisfy { $0.isNumber }, "\(code.id)")
      #expect(code.name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, "\(code.name)")
    }
  }
}
