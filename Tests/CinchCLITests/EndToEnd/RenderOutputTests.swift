import Foundation
import Testing
import _CinchTestSupport

/// Two templates that would land on the same output file stop the render before anything is
/// written (templates outside the current folder keep only their file name there).
@Suite struct RenderOutputTests {
  @Test func twoTemplatesForOneOutputFileWriteNothing() throws {
    let root = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let template = "Resources:\n  A:\n    Type: AWS::SNS::Topic\n"
    for folder in ["da", "db", "work"] {
      try FileManager.default.createDirectory(
        at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
    }
    for folder in ["da", "db"] {
      try template.write(
        to: root.appendingPathComponent(folder + "/t.yaml"), atomically: true, encoding: .utf8)
    }
    let work = root.appendingPathComponent("work")
    let result = try CinchProcess.run(
      ["render", "../da/t.yaml", "../db/t.yaml", "-o", "out"], in: work)
    #expect(result.status == 1)
    #expect(
      result.stdout.contains(
        "../db/t.yaml: error[E5003]: '../da/t.yaml' and '../db/t.yaml' would both be rendered "
          + "to 't.yaml'"))
    #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("out").path))
  }
}
