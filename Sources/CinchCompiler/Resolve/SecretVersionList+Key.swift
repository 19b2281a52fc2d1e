import CinchStore

extension ResolutionKey {
  /// `secretsmanager`: the staging label the key reads (`AWSCURRENT` unless it names another),
  /// nil when it names a version id.
  public var secretStage: String? {
    switch selector {
    case .latest: SecretStage.current
    case .stage(let stage): stage
    case .versionId, .version: nil
    }
  }
}

extension ResolutionFailure {
  /// What a Secrets Manager error about secret `id` means for a reference; a secret missing
  /// from a store in `home` because its ARN names another region or account says so.
  static func secret(_ id: String, _ error: StoreError, home: SecretHome? = nil)
    -> ResolutionFailure
  {
    switch error.code {
    case "ResourceNotFoundException":
      .secretNotFound(id: id, elsewhere: home?.elsewhere(id))
    default: .store(code: error.code, message: error.message)
    }
  }
}

extension SecretVersionList {
  /// A secret's metadata from `catalog`, a missing secret (or another store error) as the
  /// failure a reference reports.
  static func lookUp(_ id: String, in catalog: any SecretCatalog) async throws
    -> Result<SecretVersionList, ResolutionFailure>
  {
    do {
      return .success(try await catalog.secretVersions(id))
    } catch let error as StoreError {
      return .failure(.secret(id, error, home: catalog.secretHome))
    }
  }

  /// The metadata of each distinct secret in `ids`, asked of `catalog` together (one
  /// transaction on the embedded store), each missing one as the failure a reference reports.
  static func lookUp(_ ids: some Sequence<String>, in catalog: any SecretCatalog) async throws
    -> [String: Result<SecretVersionList, ResolutionFailure>]
  {
    var lists: [String: Result<SecretVersionList, ResolutionFailure>] = [:]
    let home = catalog.secretHome
    for (id, answer) in try await catalog.secretVersions(byID: ids) {
      lists[id] = answer.mapError { .secret(id, $0, home: home) }
    }
    return lists
  }

  /// The version `key` reads: the pinned version id when a lock gives one, else the version id,
  /// or the staging label, the key asks for. Fails when the secret is scheduled for deletion
  /// (nothing can be read), when that version does not exist, and when it holds a
  /// `SecretBinary` (a reference reads `SecretString` only, as CloudFormation does).
  func version(for key: ResolutionKey, pinned versionID: String? = nil)
    -> Result<Version, ResolutionFailure>
  {
    if deletedDate != nil { return .failure(.secretScheduledForDeletion(id: key.name)) }
    let found: Version
    if let id = versionID ?? key.requestedVersionID {
      guard let version = version(id: id) else {
        return .failure(.secretVersionNotFound(id: key.name, versionId: id))
      }
      found = version
    } else {
      let stage = key.secretStage ?? SecretStage.current
      guard let version = version(staged: stage) else {
        return .failure(.secretStageNotFound(id: key.name, stage: stage))
      }
      found = version
    }
    if found.valueType == .binary { return .failure(.secretBinary(id: key.name)) }
    return .success(found)
  }
}

extension SecretVersionList {
  /// Why `GetSecretValue` of secret `id` at the version named (by `versionID`, else by
  /// `versionStage`, else `AWSCURRENT`) would fail, as far as metadata shows; nil when it
  /// reads. A JSON key is judged where the store lists a version's keys (the embedded one).
  func readFailure(id: String, versionStage: String?, versionID: String?, jsonKey: String?)
    -> ResolutionFailure?
  {
    if deletedDate != nil { return .secretScheduledForDeletion(id: id) }
    let version: Version
    if let versionID {
      guard let found = self.version(id: versionID) else {
        return .secretVersionNotFound(id: id, versionId: versionID)
      }
      version = found
    } else {
      let stage = versionStage ?? SecretStage.current
      guard let found = self.version(staged: stage) else {
        return .secretStageNotFound(id: id, stage: stage)
      }
      version = found
    }
    guard let jsonKey else { return nil }
    if version.valueType == .binary { return .secretNotJSON(id: id, jsonKey: jsonKey) }
    guard version.valueType == .string else { return nil }
    guard let keys = version.jsonKeys else { return .secretNotJSON(id: id, jsonKey: jsonKey) }
    return keys.contains(jsonKey) ? nil : .jsonKeyNotFound(id: id, jsonKey: jsonKey)
  }
}

extension SecretVersionList {
  /// The KMS key `version` is encrypted under: its own where the store reports it (a version
  /// no label held when the secret's key changed keeps the key it was written under), else the
  /// secret's; `alias/aws/secretsmanager` for the default key.
  func keyID(of version: Version?) -> String {
    let own = version?.kmsKeyIDs?.first
    let recorded = own ?? kmsKeyID
    guard let recorded, recorded != "DefaultEncryptionKey" else { return Resolver.defaultSecretKey }
    return recorded
  }
}

extension ResolutionKey {
  /// The version id the reference itself names.
  var requestedVersionID: String? {
    if case .versionId(let id) = selector { return id }
    return nil
  }
}
