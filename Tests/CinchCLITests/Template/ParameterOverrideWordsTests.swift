import Foundation
import Testing

@testable import CinchCLI

/// `--parameter-overrides` reads words up to the next option; a template typed after the pairs,
/// as `aws cloudformation deploy` users type them, is still a template.
@Suite struct ParameterOverrideWordsTests {
  func moved(_ arguments: [String], files: Set<String> = []) -> [String] {
    ParameterOverrideWords.filesMoved(arguments, fileExists: files.contains)
  }

  @Test func wordsThatAreNoPairGoBehindTheEndOfOptions() {
    #expect(
      moved(["lock", "--parameter-overrides", "Env=prod", "db.yaml"])
        == ["lock", "--parameter-overrides", "Env=prod", "--", "db.yaml"])
    #expect(
      moved(["refs", "a.yaml", "--parameter-overrides", "A=1", "b.yaml", "B=", "--region", "r"])
        == [
          "refs", "a.yaml", "--parameter-overrides", "A=1", "B=", "--region", "r", "--", "b.yaml",
        ])
  }

  /// `file://PATH` is a file of pairs, as `aws cloudformation deploy` takes it, and it reads as
  /// those pairs: the lock records the values, not the path.
  @Test func aFileOfPairsIsOneOfThePairs() throws {
    #expect(
      moved(["lock", "--parameter-overrides", "file://o.json", "A=1", "t.yaml"])
        == ["lock", "--parameter-overrides", "file://o.json", "A=1", "--", "t.yaml"])
    let folder =
      FileManager.default.temporaryDirectory.path + "/cinch-overrides-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try #"["Env=dev", "Url=a=b"]"#.write(
      toFile: folder + "/o.json", atomically: true, encoding: .utf8)
    try #"[{"ParameterKey": "Env", "ParameterValue": "prod"}]"#.write(
      toFile: folder + "/cfn.json", atomically: true, encoding: .utf8)
    try #"{"Parameters": {"Env": "qa"}}"#.write(
      toFile: folder + "/pipeline.json", atomically: true, encoding: .utf8)
    #expect(
      try EvaluationOptions.expandingFiles(["A=1", "file://\(folder)/o.json", "B=2"])
        == ["A=1", "Env=dev", "Url=a=b", "B=2"])
    #expect(try EvaluationOptions.expandingFiles(["file://\(folder)/cfn.json"]) == ["Env=prod"])
    #expect(try EvaluationOptions.expandingFiles(["file://\(folder)/pipeline.json"]) == ["Env=qa"])
    #expect(throws: (any Error).self) {
      try EvaluationOptions.expandingFiles(["file://\(folder)/missing.json"])
    }
  }

  /// Every run is read, in either form; before `--` the files join what follows it.
  @Test func everyRunAndBothFormsAreRead() {
    #expect(
      moved(["refs", "--parameter-overrides", "A=1", "--parameter-overrides", "B=2", "v.yaml"])
        == ["refs", "--parameter-overrides", "A=1", "--parameter-overrides", "B=2", "--", "v.yaml"])
    #expect(
      moved(["refs", "--parameter-overrides=A=1", "v.yaml"])
        == ["refs", "--parameter-overrides=A=1", "--", "v.yaml"])
    #expect(
      moved(["check", "--parameter-overrides", "A=1", "x.yaml", "--", "y.yaml"])
        == ["check", "--parameter-overrides", "A=1", "--", "x.yaml", "y.yaml"])
    #expect(moved(["lock", "t.yaml", "--region", "r"]) == ["lock", "t.yaml", "--region", "r"])
  }

  /// A key must be a parameter's name, and a word that names an existing file is that file.
  @Test func filesWithAnEqualsSignAreFiles() {
    #expect(
      moved(["lock", "--parameter-overrides", "Env=prod", "./a=b.yaml"])
        == ["lock", "--parameter-overrides", "Env=prod", "--", "./a=b.yaml"])
    #expect(
      moved(["lock", "--parameter-overrides", "Env=prod", "new=v.yaml"], files: ["new=v.yaml"])
        == ["lock", "--parameter-overrides", "Env=prod", "--", "new=v.yaml"])
    #expect(
      moved(["lock", "--parameter-overrides", "Env=prod", "Size=a=b"])
        == ["lock", "--parameter-overrides", "Env=prod", "Size=a=b"])
  }

  /// Without a single pair the words stay, so the option's own error names them.
  @Test func aRunWithoutPairsStays() {
    #expect(
      moved(["lock", "--parameter-overrides", "db.yaml"])
        == ["lock", "--parameter-overrides", "db.yaml"])
  }
}
