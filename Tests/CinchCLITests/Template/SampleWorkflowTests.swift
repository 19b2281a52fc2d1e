import CinchTemplate
import Foundation
import Testing
import _CinchTestSupport

/// The GitHub Actions samples stay in step with the command: each workflow is valid YAML, and
/// every option its `cinch check` lines pass is one `cinch check` takes.
@Suite struct SampleWorkflowTests {
  static let folder = Fixtures.packageRoot.appendingPathComponent("Samples/github-actions")

  static var workflows: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
      .filter { $0.hasSuffix(".yml") }.sorted()
  }

  @Test func bothWorkflowsExist() {
    #expect(Self.workflows == ["cinch-check-offline.yml", "cinch-check-online.yml"])
  }

  @Test(arguments: workflows)
  func cinchLinesUseOptionsCheckTakes(_ name: String) async throws {
    let file = try SourceFile(path: Self.folder.appendingPathComponent(name).path)
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(file, into: &diagnostics)
    #expect(diagnostics.isEmpty, "\(diagnostics.items.map(\.message))")
    let steps = try #require(document.root?["jobs"]?["check"]?["steps"]?.sequence)
    let lines = steps.compactMap { $0["run"]?.scalar }
      .flatMap { $0.split(separator: "\n") }
      .map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { $0.hasPrefix("cinch check") }
    try #require(!lines.isEmpty)
    let help = try await CinchProcess.run(["check", "--help"]).stdout
    for line in lines {
      let words = line.split(separator: " ").map(String.init)
      for (index, word) in words.enumerated() where word.hasPrefix("--") {
        #expect(help.contains(word), "\(name): cinch check has no \(word)")
        if word == "--format" {
          #expect(["human", "json", "sarif", "github"].contains(words[index + 1]))
        }
      }
    }
    // Code scanning needs SARIF, uploaded even when the check fails.
    let uploads = steps.filter {
      $0["uses"]?.scalar?.hasPrefix("github/codeql-action/upload-sarif@") == true
    }
    #expect(uploads.count == 1 && uploads.first?["if"]?.scalar == "always()")
    #expect(lines.contains { $0.contains("--format sarif") })
  }
}
