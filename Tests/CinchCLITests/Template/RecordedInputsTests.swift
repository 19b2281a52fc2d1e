import CinchCompiler
import CinchTemplate
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
      EvaluationSettings(parameterFiles: ["staging.json"]), over: Self.recorded, paths: Self.paths,
      keysIn: { _ in [] })
    #expect(files.parameterFiles == ["staging.json"])
    #expect(files.parameterOverrides == ["Env=prod", "Size=small"])
  }

  /// A value given now beats a recorded one: a recorded override of a key the given file
  /// sets would otherwise still win over it (overrides win over files).
  @Test func aGivenFileBeatsRecordedOverridesOfItsKeys() {
    let settings = CompileSession.settings(
      EvaluationSettings(parameterFiles: ["staging.json"]), over: Self.recorded, paths: Self.paths,
      keysIn: { $0 == "staging.json" ? ["Env", "Stage"] : [] })
    #expect(settings.parameterFiles == ["staging.json"])
    #expect(settings.parameterOverrides == ["Size=small"])
  }

  /// Overrides merge by key, in place: the one given wins, the others stay, and the list keeps
  /// its order (the lockfile does not churn for a value given again).
  @Test func overridesReplaceTheSameKeysInPlace() {
    let settings = CompileSession.settings(
      EvaluationSettings(parameterOverrides: ["Env=staging", "Extra=1"]), over: Self.recorded,
      paths: Self.paths)
    #expect(settings.parameterOverrides == ["Env=staging", "Size=small", "Extra=1"])
    let same = CompileSession.settings(
      EvaluationSettings(parameterOverrides: ["Env=prod"]), over: Self.recorded, paths: Self.paths)
    #expect(same.parameterOverrides == Self.recorded.parameterOverrides)
  }

  /// What the lock records is named as such: in findings about it, and when it is malformed
  /// (the user typed no such flag).
  @Test func recordedOverridesAreNamedAsTheLocks() throws {
    var settings = EvaluationSettings(parameterOverrides: ["Env=prod", "Size=small"])
    settings.recordedIn = "locks/cinch.lock"
    settings.recordedOverrides = ["Env=prod"]
    var diagnostics = Diagnostics()
    let inputs = try settings.inputs(into: &diagnostics)
    #expect(inputs.parameters["Env"]?.origin == "the inputs 'locks/cinch.lock' records")
    #expect(inputs.parameters["Size"]?.origin == "--parameter-overrides")

    settings.parameterOverrides = ["NoEquals"]
    settings.recordedOverrides = ["NoEquals"]
    #expect {
      _ = try settings.inputs(into: &diagnostics)
    } throws: {
      "\($0)" == "locks/cinch.lock: a recorded parameter override is not Key=Value: 'NoEquals'"
    }
  }

  @Test func withoutALockTheFlagsAreAll() {
    let given = EvaluationSettings(parameterOverrides: ["Env=dev"], region: "eu-west-1")
    #expect(CompileSession.settings(given, over: nil, paths: Self.paths) == given)
  }
}
