import CinchStore
import CinchTemplate

/// Secrets Manager: each secret's metadata is read once (which versions and stages exist, its
/// KMS key, whether it is scheduled for deletion), then every version the keys need is read
/// in one `resolveSecrets` batch, each distinct version once.
extension Resolver {
  /// The AWS-managed key Secrets Manager uses when a secret names none (`DescribeSecret`
  /// then reports no `KmsKeyId`).
  static let defaultSecretKey = "alias/aws/secretsmanager"

  func resolveSecrets(_ keys: [ResolutionKey], at pins: [ResolutionKey: Pin]) async throws
    -> [(ResolutionKey, Result<Resolved, ResolutionFailure>)]
  {
    guard !keys.isEmpty else { return [] }
    let lists = try await SecretVersionList.lookUp(keys.lazy.map(\.name), in: store.secrets)

    // Each key's version, found in the metadata: the value is read only for those that exist.
    var failures: [ResolutionKey: ResolutionFailure] = [:]
    var selectors: [ResolutionKey: SecretSelector] = [:]
    var unique: [SecretSelector] = []
    var seen: Set<SecretSelector> = []
    for key in keys {
      let version = lists[key.name].map { list in
        list.flatMap { $0.version(for: key, pinned: pins[key]?.versionId) }
      }
      switch version {
      case .failure(let failure)?:
        failures[key] = failure
      case .success(let found)?:
        // By version id: the id found is the one read, even if a stage moves meanwhile.
        let selector = SecretSelector(secretID: key.name, versionID: found.versionID)
        selectors[key] = selector
        if seen.insert(selector).inserted { unique.append(selector) }
      case nil:
        break
      }
    }
    var answers: [SecretSelector: SecretResolution] = [:]
    if !unique.isEmpty {
      for answer in try await store.secrets.resolveSecrets(unique) {
        switch answer {
        case .resolved(let secret): answers[secret.selector] = answer
        case .failed(let selector, _): answers[selector] = answer
        }
      }
    }

    var results: [(ResolutionKey, Result<Resolved, ResolutionFailure>)] = []
    for key in keys {
      if let failure = failures[key] {
        results.append((key, .failure(failure)))
        continue
      }
      guard let selector = selectors[key], case .success(let list)? = lists[key.name] else {
        continue
      }
      switch answers[selector] {
      case .resolved(let secret)?:
        results.append((key, resolved(key, secret, list: list, pinned: pins[key])))
      case .failed(_, let error)?:
        let failure: ResolutionFailure =
          error.code == "ResourceNotFoundException"
          ? .secretVersionNotFound(id: key.name, versionId: selector.versionID ?? "")
          : .secret(key.name, error)
        results.append((key, .failure(failure)))
      case nil:
        results.append(
          (key, .failure(.store(code: "InternalError", message: "the store gave no answer"))))
      }
    }
    return results
  }

  /// The pin and value of one key from the version read: the JSON key's value when the
  /// reference names one.
  private func resolved(
    _ key: ResolutionKey, _ secret: ResolvedSecret, list: SecretVersionList, pinned: Pin?
  ) -> Result<Resolved, ResolutionFailure> {
    guard secret.valueType == .string else { return .failure(.secretBinary(id: key.name)) }
    var value = secret.value
    if let jsonKey = key.jsonKey {
      switch SecretJSONKey.value(of: jsonKey, secret: key.name, in: secret.value) {
      case .success(let member): value = member
      case .failure(let failure): return .failure(failure)
      }
    }
    let pin = Pin(
      arn: secret.arn, versionId: secret.versionID,
      // A re-read pin keeps the stage it was taken from, even if the stage has moved on.
      stage: pinned != nil ? pinned?.stage : key.secretStage,
      type: SecretValueType.string.rawValue,
      keyID: list.keyID(of: list.version(id: secret.versionID)),
      fingerprint: store.fingerprinter.fingerprint(
        of: value,
        entry: ValueFingerprint.entry(
          kind: "secretsmanager", name: secret.name, jsonKey: key.jsonKey)),
      jsonKeyVerified: key.jsonKey != nil)
    return .success(Resolved(pin: pin, value: value))
  }
}
