import CinchCompiler
import CinchStore
import CinchTemplate
import Foundation
import Testing

/// A real embedded store in a temporary folder, with the template text the test writes.
final class CompilerFixture: @unchecked Sendable {
  let directory: String
  let store: SQLiteStore

  static let canary = "CANARY-c1nch-5ecret-value-7f3a"

  init() async throws {
    directory = FileManager.default.temporaryDirectory.path + "/cinch-compiler-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    store = try await SQLiteStore.create(
      at: directory + "/store.db", master: .newKeyFile(path: directory + "/master.key"),
      configuration: StoreConfiguration())
  }

  deinit { try? FileManager.default.removeItem(atPath: directory) }

  var reader: StoreReader { StoreReader(parameters: store, secrets: store, fingerprinter: store) }
  var resolver: Resolver { Resolver(store: reader) }

  @discardableResult
  func put(_ name: String, _ value: String, type: ParameterType = .string) async throws -> Int {
    try await store.putParameter(
      PutParameterRequest(name: name, value: value, type: type, overwrite: true)
    ).version
  }

  /// Creates a secret holding `string` (or `binary`); its first version's id.
  @discardableResult
  func createSecret(
    _ name: String, _ string: String? = nil, binary: [UInt8]? = nil, kmsKeyID: String? = nil
  ) async throws -> String {
    try #require(
      try await store.createSecret(
        CreateSecretRequest(
          name: name, kmsKeyID: kmsKeyID, secretBinary: binary.map { Data($0) },
          secretString: string)
      ).versionID)
  }

  /// A new AWSCURRENT version; its id.
  @discardableResult
  func putSecret(_ name: String, _ string: String) async throws -> String {
    try await store.putSecretValue(PutSecretValueRequest(secretID: name, secretString: string))
      .versionID
  }

  /// Analyses a template given as text (named `path`, `stack.yaml` unless given, inside the
  /// fixture's folder). `pinning`: the index as lock, render and plan make it
  /// (`ReferenceIndex.unpinnable`).
  func analyze(
    _ text: String, path: String = "stack.yaml", overrides: [String: String] = [:],
    pinning: Bool = false
  ) -> (ReferenceIndex, Diagnostics) {
    var diagnostics = Diagnostics()
    let file = SourceFile(path: path, text: text)
    var inputs = EvaluationInputs()
    for (key, value) in overrides { inputs.parameters[key] = .init(value: value, origin: "test") }
    let analysis = TemplateAnalyzer.analyze(
      TemplateParser.parse(file, into: &diagnostics), inputs: inputs, into: &diagnostics)
    return (ReferenceIndex([analysis], pinning: pinning), diagnostics)
  }

  var paths: SitePaths { SitePaths(lockPath: "cinch.lock") }

  /// Locks `text` (as `t.yaml`) against the store and renders it (in pin mode unless told;
  /// inline mode writes `values` by parameter name): the rendered text, the lock, and every
  /// diagnostic of the three steps.
  func lockAndRender(
    _ text: String, mode: ArtifactBuilder.Mode = .pin, values: [String: String] = [:]
  ) async throws -> (String, Lockfile, Diagnostics) {
    var diagnostics = Diagnostics()
    let analysis = TemplateAnalyzer.analyze(
      TemplateParser.parse(SourceFile(path: "t.yaml", text: text), into: &diagnostics),
      inputs: EvaluationInputs(), into: &diagnostics)
    let lock = try await Locker(resolver: resolver, paths: paths)
      .lock(
        ReferenceIndex([analysis], pinning: true), previous: nil, update: .none,
        into: &diagnostics
      ).lock
    var pins: [ResolutionKey: Pin] = [:]
    var secrets: [ResolutionKey: SecretBytes] = [:]
    for entry in lock.entries {
      pins[entry.key] = entry.pin
      secrets[entry.key] = values[entry.key.name].map { SecretBytes(utf8: $0) }
    }
    let (artifacts, _) = ArtifactBuilder(mode: mode, paths: paths)
      .build([analysis], pins: pins, values: secrets, into: &diagnostics)
    return (String(decoding: artifacts.first?.bytes ?? [], as: UTF8.self), lock, diagnostics)
  }
}
