import CinchCompiler
import CinchJSON
import CinchStore
import CinchTemplate
import Foundation
import _CinchTestSupport

/// One case of `Tests/Fixtures/policy/<case>/`: `case.json` says which templates, with which
/// inputs, against which store; the case runs every profile and renders every format.
///
/// ```json
/// {"templates": ["templates/ecs-service.yaml", "input.yaml"], "region": "eu-west-1",
///  "account": "123456789012", "partition": "aws", "parameters": {"Env": "dev"},
///  "runtimePaths": ["AppRole=/myapp/prod/"], "collapsePrefixes": true,
///  "pins": {"prod/db": {"versionId": "…", "versionStage": "…", "version": 3, "keyId": "…"}},
///  "store": {"keys": ["alias/app"], "parameters": [{"name": "/a", "type": "SecureString",
///            "keyId": "alias/app"}], "secrets": {"prod/db": "alias/app"}}}
/// ```
/// `templates/…` paths are the package's templates; others are files of the case folder.
struct PolicyFixture {
  struct Output {
    var json: String
    var cloudFormation: String
    var explanation: String
    var diagnostics: String
    /// Each document alone, as `--profile deploy` prints it.
    var documents: [String: String]
  }

  let name: String
  let settings: JSONValue

  init(_ name: String) throws {
    self.name = name
    let url = Fixtures.directory("policy", name).appendingPathComponent("case.json")
    settings = try JSONValueParser.parse(String(contentsOf: url, encoding: .utf8))
  }

  private func string(_ key: String) -> String? { settings[key]?.stringValue }

  /// The case's template files.
  var templatePaths: [URL] {
    (settings["templates"]?.arrayValue ?? []).compactMap(\.stringValue).map { path in
      path.hasPrefix("templates/")
        ? Fixtures.packageRoot.appendingPathComponent(path)
        : Fixtures.directory("policy", name).appendingPathComponent(path)
    }
  }

  func run() async throws -> Output {
    let region = string("region") ?? "us-east-1"
    let account = string("account") ?? "123456789012"
    var parameters: [String: EvaluationInputs.ParameterInput] = [:]
    for member in settings["parameters"]?.objectValue ?? JSONObject() {
      parameters[member.key] = .init(value: member.value.stringValue ?? "", origin: "case.json")
    }
    let inputs = EvaluationInputs(parameters: parameters, region: region, accountID: account)
    let target = PolicyTarget(region: region, accountID: account, partition: string("partition"))

    var diagnostics = Diagnostics()
    var analyses: [TemplateAnalysis] = []
    var sources: [String: SourceFile] = [:]
    for entry in settings["templates"]?.arrayValue ?? [] {
      guard let path = entry.stringValue else { continue }
      let url =
        path.hasPrefix("templates/")
        ? Fixtures.packageRoot.appendingPathComponent(path)
        : Fixtures.directory("policy", name).appendingPathComponent(path)
      let bytes = try [UInt8](Data(contentsOf: url))
      let file = SourceFile(path: path, bytes: bytes)
      sources[path] = file
      let document = TemplateParser.parse(file, into: &diagnostics)
      analyses.append(TemplateAnalyzer.analyze(document, inputs: inputs, into: &diagnostics))
    }

    let options = PolicyGenerator.Options(
      collapsePrefixes: settings["collapsePrefixes"] == .bool(true),
      runtimePaths: (settings["runtimePaths"]?.arrayValue ?? []).compactMap {
        $0.stringValue.flatMap(PolicyGenerator.RuntimePath.init(argument:))
      }, portableNames: true)
    // A case with `pins` is a policy for the templates as rendered from a lock: what it lacks
    // is said (E4007), and no case without them has a lock.
    let pins = settings["pins"]?.objectValue.map(FixturePins.init)

    var keys = EncryptionKeys.none
    var keyNames: [String: String] = [:]
    var store: SeededStore?
    defer { store?.remove() }
    if let seed = settings["store"]?.objectValue {
      let seeded = try await SeededStore(seed, region: region, account: account)
      store = seeded
      keyNames = seeded.keyNames
      let resolver = EncryptionKeyResolver(
        sources: [
          ParameterKeySource(catalog: seeded.store, store: seeded.store),
          FixedSecretKeySource(seed["secrets"]?.objectValue ?? JSONObject()),
        ], keys: seeded.store, target: target)
      keys = try await resolver.resolve(
        PolicyGenerator.keyQueries(for: analyses, target: target, options: options, pins: pins))
    }

    let set = PolicyGenerator.generate(
      analyses, target: target, inputs: inputs, options: options, keys: keys, pins: pins,
      into: &diagnostics)
    // `--format cloudformation` generates its own set: the consumers' policies are managed
    // policies there, under their readers' conditions. Its findings join the others.
    var managed = options
    managed.consumersAreManaged = true
    let cloudFormationSet = PolicyGenerator.generate(
      analyses, target: target, inputs: inputs, options: managed, keys: keys, pins: pins,
      into: &diagnostics)
    diagnostics.removeDuplicates()

    // Key ids are random: name them by the order the case created them.
    func stable(_ text: String) -> String {
      keyNames.reduce(text) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
    }
    var documents: [String: String] = [:]
    for document in set.documents {
      documents[document.name] = stable(PolicyJSONRenderer().render(document))
    }
    return Output(
      json: stable(PolicyJSONRenderer().render(set)),
      cloudFormation: stable(
        PolicyCloudFormationRenderer(
          target: target, files: analyses.map(\.template.path),
          usedNames: PolicyCloudFormationRenderer.logicalNames(of: analyses.map(\.template))
        ).render(cloudFormationSet)),
      explanation: stable(PolicyExplanationRenderer(of: .json).render(set)),
      diagnostics: stable(
        HumanDiagnosticRenderer(colored: false).render(diagnostics.sorted, sources: sources) + "\n"),
      documents: documents)
  }
}

/// Lock pins by the concrete reference's name (or ARN).
struct FixturePins: LockedPins {
  let pins: [String: ReferencePin]

  init(_ object: JSONObject) {
    var pins: [String: ReferencePin] = [:]
    for member in object {
      pins[member.key] = ReferencePin(
        version: member.value["version"].flatMap {
          if case .integer(let value) = $0 { Int(value) } else { nil }
        },
        versionStage: member.value["versionStage"]?.stringValue,
        versionID: member.value["versionId"]?.stringValue,
        keyID: member.value["keyId"]?.stringValue)
    }
    self.pins = pins
  }

  func pin(for reference: EvaluatedReference, concrete: Reference) -> ReferencePin? {
    pins[concrete.name]
  }
}

/// Secrets' keys as a secrets catalog would report them, fixed by the case (`SecretKeySource`
/// over a real store is tested in `SecretKeySourceTests`):
/// `{"name": "alias/app"}`, `{"name": null}` for a secret it does not hold.
struct FixedSecretKeySource: EncryptionKeySource {
  let keys: [String: RecordedKey]

  init(_ object: JSONObject) {
    var keys: [String: RecordedKey] = [:]
    for member in object {
      keys[member.key] = member.value.stringValue.map(RecordedKey.keyID) ?? .notFound
    }
    self.keys = keys
  }

  var kinds: Set<StoreEntry.Kind> { [.secret] }

  func recordedKey(for query: EncryptionKeyQuery) async throws -> RecordedKey {
    keys[query.entry.name] ?? .notFound
  }
}

/// A fresh embedded store with the case's customer-managed keys and parameters.
struct SeededStore {
  let directory: URL
  let store: SQLiteStore
  /// Random key id → `key-N`.
  var keyNames: [String: String] = [:]

  init(_ seed: JSONObject, region: String, account: String) async throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("cinch-policy-tests-" + UUID().uuidString)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    store = try await SQLiteStore.create(
      at: directory.appendingPathComponent("store.db").path,
      master: .newKeyFile(path: directory.appendingPathComponent("master.key").path),
      configuration: StoreConfiguration(region: region, accountID: account))
    for (index, alias) in (seed["keys"]?.arrayValue ?? []).compactMap(\.stringValue).enumerated() {
      let key = try await store.createKey(CreateKeyRequest(description: alias)).keyMetadata
      keyNames[key.keyID] = "00000000-0000-4000-8000-00000000000\(index + 1)"
      _ = try await store.createAlias(CreateAliasRequest(aliasName: alias, targetKeyID: key.keyID))
    }
    for parameter in seed["parameters"]?.arrayValue ?? [] {
      guard let name = parameter["name"]?.stringValue else { continue }
      let type = ParameterType(rawValue: parameter["type"]?.stringValue ?? "String")
      // Several versions when asked, each with its own key (`keyIds`), to test pinned versions.
      let keyIDs =
        parameter["keyIds"]?.arrayValue?.map(\.stringValue) ?? [parameter["keyId"]?.stringValue]
      for keyID in keyIDs {
        _ = try await store.putParameter(
          PutParameterRequest(name: name, value: "value", type: type, keyID: keyID, overwrite: true)
        )
      }
      // `"labels": {"blue": 1}`: a label on a version.
      for label in parameter["labels"]?.objectValue ?? JSONObject() {
        guard case .integer(let version) = label.value else { continue }
        _ = try await store.labelParameterVersion(
          LabelParameterVersionRequest(
            name: name, parameterVersion: Int(version), labels: [label.key]))
      }
    }
  }

  /// Closes the store and deletes its folder: every case seeds its own, thousands a day.
  func remove() {
    try? store.close()
    try? FileManager.default.removeItem(at: directory)
  }
}
