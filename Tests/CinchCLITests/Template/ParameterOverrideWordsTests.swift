import Testing

@testable import CinchCLI

/// `--parameter-overrides` reads words up to the next option; a template typed after the pairs,
/// as `aws cloudformation deploy` users type them, is still a template.
@Suite struct ParameterOverrideWordsTests {
  let moved = ParameterOverrideWords.filesMoved

  @Test func wordsWithoutAnEqualsSignAreFiles() {
    #expect(
      moved(["lock", "--parameter-overrides", "Env=prod", "db.yaml"])
        == ["lock", "db.yaml", "--parameter-overrides", "Env=prod"])
    #expect(
      moved(["refs", "a.yaml", "--parameter-overrides", "A=1", "b.yaml", "B=", "--region", "r"])
        == ["refs", "a.yaml", "b.yaml", "--parameter-overrides", "A=1", "B=", "--region", "r"])
  }

  @Test func everyRunIsReadAndNothingElseMoves() {
    #expect(
      moved(["check", "--parameter-overrides", "A=1", "x.yaml", "--parameter-overrides", "B=2"])
        == ["check", "x.yaml", "--parameter-overrides", "A=1", "--parameter-overrides", "B=2"])
    #expect(moved(["lock", "t.yaml", "--region", "r"]) == ["lock", "t.yaml", "--region", "r"])
  }

  /// Without a single pair the words stay where they are, so the option's own error names them;
  /// after `--` nothing is an option.
  @Test func aRunWithoutPairsAndWordsAfterTheEndOfOptionsStay() {
    #expect(
      moved(["lock", "--parameter-overrides", "db.yaml"])
        == ["lock", "--parameter-overrides", "db.yaml"])
    #expect(
      moved(["lock", "--", "--parameter-overrides", "A=1", "t.yaml"])
        == ["lock", "--", "--parameter-overrides", "A=1", "t.yaml"])
  }
}
