import CinchTemplate
import Foundation
import Testing
import _CinchTestSupport

@testable import CinchCompiler

/// Every template in `templates/` and every case in `Tests/Fixtures/render/`, rendered in both
/// modes with made-up pins and obviously fake values: the output is golden
/// (`expected/pin.<ext>`, `expected/inline.<ext>`, `expected/issues.txt`), equals the input
/// outside the spans the renderer changed, changes only text that holds a rendered reference,
/// parses cleanly, and reads as the original with each reference replaced.
@Suite struct TemplateRendererGoldenTests {
  static let templatesFolder = Fixtures.packageRoot.appendingPathComponent("templates")
  static let templates: [String] =
    ((try? FileManager.default.contentsOfDirectory(atPath: templatesFolder.path)) ?? [])
    .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted()

  @Test(arguments: templates)
  func templateFolder(_ fileName: String) throws {
    let name = String(fileName[..<(fileName.lastIndex(of: ".") ?? fileName.endIndex)])
    let bytes = try Self.read(Self.templatesFolder.appendingPathComponent(fileName))
    let file = SourceFile(path: "templates/" + fileName, bytes: bytes)
    try Self.check(file, stage: "render-templates", name: name)
  }

  @Test(arguments: Fixtures.cases("render"))
  func fixture(_ name: String) throws {
    let url = try #require(Fixtures.file("render", name, prefix: "input."))
    let file = SourceFile(path: url.lastPathComponent, bytes: try Self.read(url))
    try Self.check(file, stage: "render", name: name)
  }

  static func read(_ url: URL) throws -> [UInt8] {
    Array(try Data(contentsOf: url))
  }

  static func check(_ file: SourceFile, stage: String, name: String) throws {
    let harness = RenderHarness(file: file)
    #expect(!harness.sites.isEmpty || name == "codebuild" || name == "ecs-service")
    let ext = file.path.hasSuffix(".json") ? "json" : "yaml"
    var issues: [String] = []
    for mode in RenderHarness.Mode.allCases {
      let (rendered, substitutions) = harness.render(mode)
      RenderHarness.verify(
        rendered, of: harness.document, substitutions: substitutions,
        isCloudFormation: harness.isCloudFormation)
      GoldenBytes.assertMatches(
        rendered.bytes, stage: stage, name: name, expected: "\(mode.rawValue).\(ext)")
      for issue in rendered.issues {
        issues.append("\(mode.rawValue): \(issue.kind.rawValue): \(issue)")
        // Issues name references, never values.
        for value in RenderHarness.fakeValues { #expect(!issue.reason.contains(value)) }
      }
      if mode == .pin {
        #expect(rendered.bytes.count >= file.bytes.count)
      }
    }
    Fixtures.assertMatches(
      issues.map { $0 + "\n" }.joined(), stage: stage, name: name, expected: "issues.txt")
  }
}

/// Golden files compared byte for byte: a rendered file's byte-order mark and CRLF line
/// endings are part of what is checked, and reading through `String` could drop the mark.
enum GoldenBytes {
  static func assertMatches(
    _ actual: [UInt8], stage: String, name: String, expected expectedName: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let url = Fixtures.directory(stage, name).appendingPathComponent("expected")
      .appendingPathComponent(expectedName)
    let existing = (try? Data(contentsOf: url)).map { Array($0) }
    if Fixtures.recording {
      if existing != actual {
        try? FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(actual).write(to: url)
        Issue.record(
          "recorded new baseline for \(stage)/\(name)/\(expectedName)",
          sourceLocation: sourceLocation)
      }
      return
    }
    guard let existing else {
      Issue.record(
        "missing golden file \(stage)/\(name)/expected/\(expectedName); run with RECORD_FIXTURES=1",
        sourceLocation: sourceLocation)
      return
    }
    if existing != actual {
      Issue.record(
        Comment(
          rawValue: "output differs from \(stage)/\(name)/expected/\(expectedName):\n"
            + Fixtures.lineDiff(
              String(decoding: existing, as: UTF8.self), String(decoding: actual, as: UTF8.self))),
        sourceLocation: sourceLocation)
    }
  }
}
