import CinchCompiler
import CinchStore
import CinchTemplate
import Foundation
import Testing
import _CinchTestSupport

/// One case per rule that trips it and one that passes it, run through the whole of `check`
/// past the parser: `Tests/Fixtures/check/<CODE>-<name>[-detail]-trips|passes/` holds the
/// templates (`*.yaml`, `*.json`) and `case.json`:
///
/// ```json
/// {"mode": "online" | "offline" | "template",   // store metadata, the lock alone, neither
///  "seed": [{"put": "/a", "type": "SecureString", "versions": 3}, {"putPublic": "/aws/service/x"},
///           {"label": "/a", "version": 2, "labels": ["prod"]}, {"delete": "/a"},
///           {"createSecret": "prod/db", "keys": ["password"]}, {"createSecret": "b", "binary": true},
///           {"putSecretValue": "prod/db", "keys": ["password"], "stages": ["BLUE"]},
///           {"removeStage": "prod/db", "stage": "BLUE", "from": "<version id>"},
///           {"deleteSecret": "prod/db"}],
///  "lock": true,                 // make cinch.lock with the store as seeded (default: not "template")
///  "lockTemplates": ["a.yaml"],  // what the lock is made from (default: the checked templates)
///  "lockFrom": {"a.yaml": "before/a.yaml"},  // locked as a.yaml, read from another file: an edit since
///  "afterLock": [ … ],           // store changes between lock and check
///  "files": ["a.yaml"],          // what is checked (default: every template in the case)
///  "parameters": {"Env": "dev"}, "frozen": false, "ignore": ["W3003"], "warningsAsErrors": false}
/// ```
///
/// `expected/human.txt` is the human format with the report's counts after it, and
/// `expected/json.json` the JSON format. A case named after a code must fire it when it
/// `-trips` and must not when it `-passes`.
@Suite struct CheckGoldenTests {
  static let stage = "check"

  @Test(arguments: Fixtures.cases(stage))
  func golden(_ name: String) async throws {
    let run = try await CheckCase(name: name).run()
    let human = run.stable(
      HumanDiagnosticRenderer().render(run.diagnostics.sorted, sources: run.sources))
    let counts =
      "checked \(run.report.referencesChecked) of \(run.report.references) references; "
      + "\(run.report.suppressed) suppressed"
      + (run.report.runtimeReadsChecked > 0
        ? "; \(run.report.runtimeReadsChecked) run-time reads checked" : "")
      + (run.report.runtimeReadsUnchecked > 0
        ? "; \(run.report.runtimeReadsUnchecked) run-time reads not checked" : "") + "\n"
    Fixtures.assertMatches(
      (human.isEmpty ? "" : human + "\n") + counts, stage: Self.stage, name: name,
      expected: "human.txt")
    Fixtures.assertMatches(
      run.stable(JSONDiagnosticRenderer().render(run.diagnostics.sorted, sources: run.sources)),
      stage: Self.stage, name: name, expected: "json.json")

    // Nothing a store holds ever reaches a message (seeded values all carry the canary).
    let text = run.diagnostics.items.map { $0.message + $0.notes.map(\.message).joined() }.joined()
    #expect(!text.contains(CheckCase.canary))

    if let code = DiagnosticCode.named(String(name.prefix(5))) {
      let fired = run.diagnostics.items.contains { $0.code == code }
      #expect(fired == name.hasSuffix("-trips"), "\(code.id) \(fired ? "fired" : "did not fire")")
    }

    // As `cinch check` runs it: the store asked and the graph-free rules run from the started
    // analyses (`Checker.prepare`), the graphs finished after. Nothing may change.
    let prepared = try await CheckCase(name: name).run(prepared: true)
    #expect(prepared.stableDiagnostics == run.stableDiagnostics)
    #expect(prepared.report == run.report)
  }

  @Test func everyCheckRuleHasBothCases() {
    let cases = Fixtures.cases(Self.stage)
    let codes: [DiagnosticCode] = [
      .entryNotFound, .versionNotFound, .typeMismatch, .notInLock, .lockEntryUnused, .pinBehind,
      .noEchoDefault, .credentialInTemplate, .unknownSuppression, .scheduledForDeletion,
      .jsonKeyNotFound, .roleLacksRead, .readGrantedOnAny,
    ]
    for code in codes {
      let prefix = "\(code.id)-\(code.name)"
      #expect(
        cases.contains { $0.hasPrefix(prefix) && $0.hasSuffix("-trips") },
        "\(code.id) has no tripping case")
      #expect(
        cases.contains { $0.hasPrefix(prefix) && $0.hasSuffix("-passes") },
        "\(code.id) has no passing case")
    }
  }
}

/// One fixture case, run: a fresh store seeded as the case says, the lock made from it, the
/// store changed, then `Checker` over the analysed templates.
struct CheckCase {
  static let canary = "CANARY-c1nch-5ecret-value-7f3a"

  let name: String
  let directory: URL
  let spec: [String: Any]

  init(name: String) throws {
    self.name = name
    directory = Fixtures.directory(CheckGoldenTests.stage, name)
    let data = try Data(contentsOf: directory.appendingPathComponent("case.json"))
    spec = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  struct Outcome {
    var diagnostics: Diagnostics
    var report: Checker.Report
    var sources: [String: SourceFile]
    /// The full ARNs of the secrets the store holds.
    var secretARNs: [String] = []

    /// A secret's ARN ends in six random characters: written as `-XXXXXX` in expectations.
    func stable(_ text: String) -> String {
      secretARNs.reduce(text) { text, arn in
        text.replacingOccurrences(of: arn, with: String(arn.dropLast(6)) + "XXXXXX")
      }
    }

    /// The findings in order, their messages `stable`.
    var stableDiagnostics: [Diagnostic] {
      diagnostics.sorted.map { diagnostic in
        var stabilized = diagnostic
        stabilized.message = stable(diagnostic.message)
        return stabilized
      }
    }
  }

  /// `prepared`: the templates analysed in two steps, with `Checker.prepare` between them.
  func run(prepared: Bool = false) async throws -> Outcome {
    let mode = spec["mode"] as? String ?? "online"
    let templates = try FileManager.default.contentsOfDirectory(atPath: directory.path)
      .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".json")) && $0 != "case.json" }.sorted()
    let files = spec["files"] as? [String] ?? templates
    let store = try await TemporaryStore()
    try await store.apply(spec["seed"] as? [[String: Any]] ?? [])

    var inputs = EvaluationInputs()
    // `"assumed": ["AWS::Region"]`: pseudo-parameters read with their defaults, as the CLI reads
    // them when no --region or --account-id was given.
    inputs.assumed = Set(spec["assumed"] as? [String] ?? [])
    for (key, value) in spec["parameters"] as? [String: String] ?? [:] {
      inputs.parameters[key] = .init(value: value, origin: "test")
    }
    var sources: [String: SourceFile] = [:]
    func parse(_ name: String, from contents: [String: String], into diagnostics: inout Diagnostics)
      throws -> ParsedDocument
    {
      let url = directory.appendingPathComponent(contents[name] ?? name)
      let file = SourceFile(
        path: name, bytes: FakeCredentials.expand(Array(try Data(contentsOf: url))))
      if contents[name] == nil { sources[name] = file }
      return TemplateParser.parse(file, into: &diagnostics)
    }
    func analyze(
      _ names: [String], from contents: [String: String] = [:], into diagnostics: inout Diagnostics
    ) throws -> [TemplateAnalysis] {
      try names.map { name in
        TemplateAnalyzer.analyze(
          try parse(name, from: contents, into: &diagnostics), inputs: inputs, into: &diagnostics)
      }
    }
    func start(_ names: [String], into diagnostics: inout Diagnostics) throws
      -> [TemplateAnalyzer.Started]
    {
      try names.map {
        TemplateAnalyzer.start(try parse($0, from: [:], into: &diagnostics), inputs: inputs)
      }
    }

    var lock: CheckedLock?
    if spec["lock"] as? Bool ?? (mode != "template") {
      var lockDiagnostics = Diagnostics()
      let locked = try analyze(
        spec["lockTemplates"] as? [String] ?? files,
        from: spec["lockFrom"] as? [String: String] ?? [:], into: &lockDiagnostics)
      let outcome = try await Locker(
        resolver: Resolver(
          store: StoreReader(
            parameters: store.store, secrets: store.store, fingerprinter: store.store)),
        paths: SitePaths(lockPath: "cinch.lock")
      ).lock(ReferenceIndex(locked), previous: nil, update: .none, into: &lockDiagnostics)
      try #require(
        !lockDiagnostics.hasErrors,
        "the case's lock could not be made: \(lockDiagnostics.items.map(\.message))")
      let file = SourceFile(path: "cinch.lock", text: outcome.lock.serialized())
      sources[file.path] = file
      lock = CheckedLock(
        lockfile: outcome.lock, path: "cinch.lock",
        document: TemplateParser.parse(file, into: &lockDiagnostics))
    }
    try await store.apply(spec["afterLock"] as? [[String: Any]] ?? [])

    var diagnostics = Diagnostics()
    let catalog = StoreCatalog(parameters: store.store, secrets: store.store)
    let source: Checker.Source? =
      switch mode {
      case "online": .store(catalog)
      case "offline": lock == nil ? nil : .lock
      default: nil
      }
    var preparation: Checker.Prepared?
    let analyses: [TemplateAnalysis]
    if prepared {
      let started = try start(files, into: &diagnostics)
      preparation = try await Checker.prepare(
        started, inputs: inputs, catalog: mode == "online" ? catalog : nil)
      analyses = started.map { TemplateAnalyzer.finish($0, into: &diagnostics) }
    } else {
      analyses = try analyze(files, into: &diagnostics)
    }
    let options = Checker.Options(
      frozen: spec["frozen"] as? Bool ?? false,
      ignored: Set((spec["ignore"] as? [String] ?? []).compactMap(DiagnosticCode.named)),
      warningsAsErrors: spec["warningsAsErrors"] as? Bool ?? false)
    let report = try await Checker(source: source, lock: lock, options: options, inputs: inputs)
      .check(analyses, checkedFiles: files, prepared: preparation, into: &diagnostics)
    let secrets = try await store.store.listSecrets(
      ListSecretsRequest(includePlannedDeletion: true))
    return Outcome(
      diagnostics: diagnostics, report: report, sources: sources,
      secretARNs: secrets.secretList.map(\.arn))
  }
}

/// A real embedded store in a temporary folder, removed when released.
final class TemporaryStore: @unchecked Sendable {
  let directory: String
  let store: SQLiteStore

  init() async throws {
    directory = FileManager.default.temporaryDirectory.path + "/cinch-check-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    store = try await SQLiteStore.create(
      at: directory + "/store.db", master: .newKeyFile(path: directory + "/master.key"),
      configuration: StoreConfiguration())
  }

  deinit { try? FileManager.default.removeItem(atPath: directory) }

  /// Secret versions get ids in the order they are made, so findings that name them are stable.
  private var versions = 0
  private func nextVersionID() -> String {
    versions += 1
    let digits = String(versions)
    return "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - digits.count) + digits
  }

  /// A secret operation's value, always with the canary in it: `"keys": ["username"]` makes a
  /// JSON object with those keys, `"binary": true` a SecretBinary, else a plain string.
  private static func secretValue(_ operation: [String: Any]) -> (string: String?, binary: Data?) {
    if operation["binary"] as? Bool == true { return (nil, Data(CheckCase.canary.utf8)) }
    guard let keys = operation["keys"] as? [String] else { return (CheckCase.canary, nil) }
    let members = keys.map { #""\#($0)":"\#(CheckCase.canary)-\#($0)""# }
    return ("{" + members.joined(separator: ",") + "}", nil)
  }

  /// Runs a case's store operations in order.
  func apply(_ operations: [[String: Any]]) async throws {
    for operation in operations {
      if let name = operation["put"] as? String {
        let type = ParameterType(rawValue: operation["type"] as? String ?? "String")
        for index in 1...(operation["versions"] as? Int ?? 1) {
          _ = try await store.putParameter(
            PutParameterRequest(
              name: name, value: "\(CheckCase.canary)-\(index)", type: type, overwrite: true))
        }
      } else if let name = operation["putPublic"] as? String {
        _ = try await store.putPublicParameter(
          PutParameterRequest(name: name, value: "ami-0abcdef1234567890", type: .string))
      } else if let name = operation["label"] as? String {
        _ = try await store.labelParameterVersion(
          LabelParameterVersionRequest(
            name: name, parameterVersion: operation["version"] as? Int,
            labels: operation["labels"] as? [String] ?? []))
      } else if let name = operation["delete"] as? String {
        _ = try await store.deleteParameter(DeleteParameterRequest(name: name))
      } else if let name = operation["createSecret"] as? String {
        let value = Self.secretValue(operation)
        _ = try await store.createSecret(
          CreateSecretRequest(
            name: name, clientRequestToken: nextVersionID(), secretBinary: value.binary,
            secretString: value.string))
      } else if let name = operation["putSecretValue"] as? String {
        let value = Self.secretValue(operation)
        _ = try await store.putSecretValue(
          PutSecretValueRequest(
            secretID: name, clientRequestToken: nextVersionID(), secretBinary: value.binary,
            secretString: value.string, versionStages: operation["stages"] as? [String]))
      } else if let name = operation["removeStage"] as? String {
        _ = try await store.updateSecretVersionStage(
          UpdateSecretVersionStageRequest(
            secretID: name, versionStage: operation["stage"] as? String ?? "",
            removeFromVersionID: operation["from"] as? String))
      } else if let name = operation["deleteSecret"] as? String {
        _ = try await store.deleteSecret(DeleteSecretRequest(secretID: name))
      } else {
        Issue.record("unknown store operation \(operation)")
      }
    }
  }
}
