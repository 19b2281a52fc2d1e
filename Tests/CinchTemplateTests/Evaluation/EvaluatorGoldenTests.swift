import Foundation
import Testing
import _CinchTestSupport

@testable import CinchTemplate

/// Intrinsic folding, golden: `Tests/Fixtures/evaluate/<case>/input.yaml` with optional
/// `inputs.txt` (`Key=Value` lines; `@region=…`, `@account=…`, `@stack=…` for pseudo-parameters)
/// → `expected/values.txt`: every output's value, every condition, then the diagnostics.
@Suite struct EvaluatorGoldenTests {
  static let stage = "evaluate"

  @Test(arguments: Fixtures.cases(stage))
  func golden(_ name: String) throws {
    let url = try #require(Fixtures.file(Self.stage, name, prefix: "input"))
    let file = SourceFile(path: url.lastPathComponent, bytes: Array(try Data(contentsOf: url)))
    var diagnostics = Diagnostics()
    let template = TemplateReader.read(
      TemplateParser.parse(file, into: &diagnostics), into: &diagnostics)
    var inputs = EvaluationInputs()
    if let inputsURL = Fixtures.file(Self.stage, name, prefix: "inputs") {
      for line in try String(contentsOf: inputsURL, encoding: .utf8).split(separator: "\n") {
        let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { continue }
        switch parts[0] {
        case "@region": inputs.region = parts[1]
        case "@account": inputs.accountID = parts[1]
        case "@stack": inputs.stackName = parts[1]
        default:
          inputs.parameters[parts[0]] = .init(value: parts[1], origin: "--parameter-overrides")
        }
      }
    }
    var evaluator = Evaluator(template: template, inputs: inputs, into: &diagnostics)
    var output = ""
    for condition in template.conditions {
      let value = evaluator.conditionValue(condition.name, into: &diagnostics)
      output +=
        "condition \(condition.name) = \(value.map { $0 ? "true" : "false" } ?? "unknown")\n"
    }
    for item in template.outputs {
      guard let node = item.value else { continue }
      let live = evaluator.isLive(["Outputs", item.name, "Value"], into: &diagnostics)
      output +=
        "\(item.name)\(live ? "" : " (not deployed)") = \(evaluator.evaluate(node, into: &diagnostics))\n"
    }
    output += "--\n" + DiagnosticLines.render(diagnostics)
    Fixtures.assertMatches(output, stage: Self.stage, name: name, expected: "values.txt")
  }
}
