import CinchCompiler
import Testing

@testable import CinchCLI

/// A lockfile records the inputs its templates were evaluated with; flags given later replace
/// only the recorded input of their own kind.
@Suite struct RecordedInputsTests {
  static let paths = SitePaths(lockPath: "/work/project/cinch.lock")
  /// The recorded file as named from the current folder.
  static let prod = paths.fromLock("params/prod.json")
  static let recorded = RecordedInputs(
    parameterFiles: ["params/prod.json"], parameterOverrides: ["Env=prod", "Size=small"],
    region: "us-east-1", accountID: "123456789012", stackName: "app")

  @Test func noFlagsUseTheRecordedInputs() {
    let settings = CompileSession.settings(
      EvaluationSettings(), over: Self.recorded, paths: Self.paths)
    #expect(
      settings
        == EvaluationSettings(
          parameterFiles: [Self.prod], parameterOverrides: ["Env=prod", "Size=small"],
          region: "us-east-1", accountID: "123456789012", stackName: "app"))
  }

  /// `--region` alone used to discard the recorded parameters too, and `lock` then re-pinned
  /// what other parameter values name.
  @Test func aFlagReplacesOnlyItsOwnKind() {
    let region = CompileSession.settings(
      EvaluationSettings(region: "eu-west-1"), over: Self.recorded, paths: Self.paths)
    #expect(region.region == "eu-west-1")
    #expect(region.parameterFiles == [Self.prod])
    #expect(region.parameterOverrides == ["Env=prod", "Size=small"])
    #expect(region.accountID == "123456789012" && region.stackName == "app")

    let files = CompileSession.settings(
      EvaluationSettings(parameterFiles: ["staging.json"]), over: Self.recorded, paths: Self.paths)
    #expect(files.parameterFiles == ["staging.json"])
    #expect(files.parameterOverrides == ["Env=prod", "Size=small"])
  }

  /// Overrides merge by key: the one given wins, the others stay.
  @Test func overridesReplaceTheSameKeysOnly() {
    let settings = CompileSession.settings(
      EvaluationSettings(parameterOverrides: ["Env=staging", "Extra=1"]), over: Self.recorded,
      paths: Self.paths)
    #expect(settings.parameterOverrides == ["Size=small", "Env=staging", "Extra=1"])
  }

  @Test func withoutALockTheFlagsAreAll() {
    let given = EvaluationSettings(parameterOverrides: ["Env=dev"], region: "eu-west-1")
    #expect(CompileSession.settings(given, over: nil, paths: Self.paths) == given)
  }
}
