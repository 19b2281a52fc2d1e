import CinchTemplate
import Foundation
import Synchronization
import Testing
import _CinchTestSupport

@testable import CinchCLI

/// Files of a run are parsed and analysed on several threads; what comes out must not show it.
@Suite struct TemplateAnalysisRunTests {
  /// Each half waits for the other to have started: only halves that run at the same time
  /// both see the other's flag (a deadline keeps a failure from hanging the suite).
  @Test func inParallelRunsBothHalvesAtOnce() {
    final class Started: Sendable {
      let flags = Mutex<[Bool]>([false, false])

      func meet(_ mine: Int) -> Bool {
        flags.withLock { $0[mine] = true }
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
          if flags.withLock({ $0[1 - mine] }) { return true }
          usleep(100)
        }
        return false
      }
    }
    let started = Started()
    let (first, second) = inParallel({ started.meet(0) }, { started.meet(1) })
    #expect(first && second)
  }

  @Test func parallelMapKeepsTheElementsOrder() {
    let numbers = Array(0..<500)
    // Uneven work, so that iterations finish out of order.
    let mapped = numbers.parallelMap { number -> Int in
      var spin = 0
      for step in 0..<((number % 7) * 2_000) { spin &+= step }
      return spin < 0 ? -1 : number
    }
    #expect(mapped == numbers)
    #expect([3].parallelMap { $0 + 1 } == [4])
    #expect([Int]().parallelMap { $0 } == [])
  }

  /// Many files, one of them missing and one not a template: documents and analyses come in
  /// the files' order, and the findings in the order one thread makes them (every file's
  /// reading, then every file's analysis), file by file.
  @Test func filesAnalysedSideBySideReportInOrder() throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var paths: [String] = []
    for index in 0..<12 {
      let path = directory.appendingPathComponent("t\(index).yaml").path
      // A reference with a bad version (E1xxx from the reference finder) on line index + 3,
      // after a mapping that grows with the index so the files take different times.
      let padding = (0..<(index * 40)).map { "  P\($0): {Type: AWS::SNS::Topic}" }
        .joined(separator: "\n")
      var text = "Resources:\n  Q:\n    Type: AWS::SSM::Parameter\n"
      text += "    Properties: {Type: String, Value: '{{resolve:ssm:/a/b\(index):x}}'}\n"
      text += padding + "\n"
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      paths.append(path)
    }
    paths.insert(directory.appendingPathComponent("missing.yaml").path, at: 5)
    let notYAML = directory.appendingPathComponent("broken.yaml").path
    try "Resources: [\n".write(toFile: notYAML, atomically: true, encoding: .utf8)
    paths.insert(notYAML, at: 9)

    let run = try TemplateAnalysisRun(files: paths, limits: ParseLimits(), settings: .init())
    let readable = paths.filter { !$0.hasSuffix("missing.yaml") }
    #expect(run.documents.map(\.file.path) == readable)
    let analysed = readable.filter { !$0.hasSuffix("broken.yaml") }
    #expect(run.analyses.map(\.template.file.path) == analysed)

    // The same findings, in the same order, as the files read and analysed one at a time.
    var expected = Diagnostics()
    var analysing = Diagnostics()
    let loader = SourceLoader(limits: ParseLimits())
    for path in paths {
      guard let document = loader.load(path, into: &expected), document.root != nil else {
        continue
      }
      _ = TemplateAnalyzer.analyze(document, inputs: run.inputs, into: &analysing)
    }
    expected.append(contentsOf: analysing)
    #expect(run.diagnostics.items == expected.items)
    #expect(run.diagnostics.items.contains { $0.code == .fileUnreadable })
    #expect(Set(run.diagnostics.items.compactMap(\.file)).count >= 12)
  }
}
