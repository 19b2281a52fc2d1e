import Foundation
import Testing
import _CinchTestSupport

/// A template's `Metadata: cinch: ignore` list holds for every command that reads it, not only
/// for `check`: `refs` and `graph` would otherwise print the finding and exit 1 on a template
/// `check` calls clean.
@Suite struct TemplateSuppressionTests {
  static let template: String = {
    var lines = ["Metadata:", "  cinch:", "    ignore: [too-many-references]", "Resources:"]
    for index in 0...60 {
      lines += [
        "  P\(index):", "    Type: AWS::SSM::Parameter", "    Properties:", "      Type: String",
        "      Value: '{{resolve:ssm:/app/p\(index)}}'",
      ]
    }
    return lines.joined(separator: "\n") + "\n"
  }()

  @Test(arguments: [
    ["refs", "stack.yaml"], ["graph", "stack.yaml"], ["consumers", "/app/p1", "stack.yaml"],
    ["check", "stack.yaml"],
  ])
  func theIgnoreListHoldsForEveryCommand(_ command: [String]) async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("stack.yaml")
    try Self.template.write(to: file, atomically: true, encoding: .utf8)
    let result = try await CinchProcess.run(command, in: directory)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!(result.stdout + result.stderr).contains("E2029"), "\(result.stderr)")
    // Without the list, the same template is refused.
    try Self.template.replacingOccurrences(of: "[too-many-references]", with: "[]")
      .write(to: file, atomically: true, encoding: .utf8)
    let refused = try await CinchProcess.run(command, in: directory)
    #expect(refused.status == 1)
    // check prints its findings on stdout, the others on stderr.
    #expect((refused.stdout + refused.stderr).contains("error[E2029]"), "\(refused.stderr)")
  }
}
