public import CinchStore
import CinchTemplate

/// A resolved reference: the pin a lockfile records and the value the reference stands for
/// (the JSON key's value for a secret reference with a key).
public struct Resolved: Sendable {
  public var pin: Pin
  public var value: SecretBytes

  public init(pin: Pin, value: SecretBytes) {
    self.pin = pin
    self.value = value
  }
}

/// Reads what references name from the store, through the store protocols (never SQLite or
/// HTTP directly): each entry is read once per run, every key gets its own answer, and one
/// missing entry does not hide the others.
public struct Resolver: Sendable {
  public let store: StoreReader

  public init(store: StoreReader) {
    self.store = store
  }

  /// Reads each key at `pins[key]` when given (a lockfile's pin), else at its own selector.
  public func resolve(_ keys: [ResolutionKey], at pins: [ResolutionKey: Pin] = [:]) async throws
    -> [ResolutionKey: Result<Resolved, ResolutionFailure>]
  {
    var results: [ResolutionKey: Result<Resolved, ResolutionFailure>] = [:]
    var parameterKeys: [ResolutionKey] = []
    for key in keys where key.kind != .secretsManager {
      if let failure = key.throughParameterStore {
        results[key] = .failure(failure)
      } else {
        parameterKeys.append(key)
      }
    }
    let secretKeys = keys.filter { $0.kind == .secretsManager }
    for (key, result) in try await resolveParameters(parameterKeys, at: pins) {
      results[key] = result
    }
    for (key, result) in try await resolveSecrets(secretKeys, at: pins) {
      results[key] = result
    }
    return results
  }

  // MARK: Parameter Store

  private func resolveParameters(_ keys: [ResolutionKey], at pins: [ResolutionKey: Pin])
    async throws -> [(ResolutionKey, Result<Resolved, ResolutionFailure>)]
  {
    guard !keys.isEmpty else { return [] }
    // `name:version` is the selector GetParameter(s) takes; each distinct one is read once.
    let requests = keys.map { key -> String in
      if let version = pins[key]?.version { return "\(key.name):\(version)" }
      if case .version(let version) = key.selector { return "\(key.name):\(version)" }
      return key.name
    }
    var unique: [String] = []
    var seen = Set<String>()
    for request in requests where seen.insert(request).inserted { unique.append(request) }
    let answers = try await store.parameters.resolveParameters(unique)
    var byRequest: [String: ParameterResolution] = [:]
    for (request, answer) in zip(unique, answers) { byRequest[request] = answer }

    var results: [(ResolutionKey, Result<Resolved, ResolutionFailure>)] = []
    for (key, request) in zip(keys, requests) {
      guard let answer = byRequest[request] else { continue }
      switch answer {
      case .resolved(let parameter):
        let secure = parameter.type == .secureString
        if secure != (key.kind == .ssmSecure) {
          results.append(
            (
              key,
              .failure(.typeMismatch(kind: key.kind, name: key.name, type: parameter.type.rawValue))
            ))
          continue
        }
        let pin = Pin(
          arn: parameter.arn, version: parameter.version, type: parameter.type.rawValue,
          keyID: parameter.keyID,
          fingerprint: store.fingerprinter.fingerprint(
            of: parameter.value,
            entry: ValueFingerprint.entry(kind: "ssm", name: parameter.name)))
        results.append((key, .success(Resolved(pin: pin, value: parameter.value))))
      case .failed(_, let error):
        results.append((key, .failure(try await failure(for: key, request: request, error))))
      }
    }
    return results
  }

  private func failure(for key: ResolutionKey, request: String, _ error: StoreError) async throws
    -> ResolutionFailure
  {
    guard error.code == "ParameterVersionNotFound" else {
      return .parameterLookup(
        key.name, failedWith: error, store.publicParameters, home: store.secrets.secretHome)
    }
    let version = Int(request.split(separator: ":").last ?? "") ?? 0
    let latest = try? await store.parameters.parameterVersions(key.name).latest?.version
    return .parameterVersionNotFound(name: key.name, version: version, latest: latest)
  }
}
