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
