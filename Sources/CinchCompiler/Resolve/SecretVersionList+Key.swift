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
    let found = readVersion(
      id: key.name, versionStage: key.secretStage, versionID: versionID ?? key.requestedVersionID)
    if case .success(let version) = found, version.valueType == .binary {
      return .failure(.secretBinary(id: key.name))
    }
    return found
  }

  /// The version `GetSecretValue` of secret `id` reads: the one `versionID` names, else the one
  /// labelled `versionStage`, else `AWSCURRENT`. Fails when the secret is scheduled for
  /// deletion (nothing can be read) or the version is not there.
  func readVersion(id: String, versionStage: String?, versionID: String?)
    -> Result<Version, ResolutionFailure>
  {
    if deletedDate != nil { return .failure(.secretScheduledForDeletion(id: id)) }
    if let versionID {
      guard let version = version(id: versionID) else {
        return .failure(.secretVersionNotFound(id: id, versionId: versionID))
      }
      return .success(version)
    }
    let stage = versionStage ?? SecretStage.current
    guard let version = version(staged: stage) else {
      return .failure(.secretStageNotFound(id: id, stage: stage))
    }
    return .success(version)
  }
}

extension SecretVersionList.Version {
  /// Whether a JSON key is in this version, as far as metadata shows it.
  enum JSONKeyAnswer {
    case present
    case absent(ResolutionFailure)
    /// The store lists no keys (AWS's metadata never does): only the value can tell.
    case unknown
  }

  /// `jsonKey` in this version of secret `id`: a store that knows the value's type (the
  /// embedded one) lists a JSON object's keys without decrypting it.
  func jsonKeyAnswer(_ jsonKey: String, secret id: String) -> JSONKeyAnswer {
    switch (valueType, jsonKeys) {
    case (.binary?, _), (.string?, nil): .absent(.secretNotJSON(id: id, jsonKey: jsonKey))
    case (.string?, let keys?):
      // By code points, as the JSON key of the value is looked up (`JSONObject`).
      keys.contains { $0.utf8.elementsEqual(jsonKey.utf8) }
        ? .present : .absent(.jsonKeyNotFound(id: id, jsonKey: jsonKey))
    case (nil, _): .unknown
    }
  }
}

extension SecretVersionList {
  /// Why `GetSecretValue` of secret `id` at the version named would fail, as far as metadata
  /// shows (`readVersion`; a JSON key where the store lists a version's keys); nil when it reads.
  func readFailure(id: String, versionStage: String?, versionID: String?, jsonKey: String?)
    -> ResolutionFailure?
  {
    switch readVersion(id: id, versionStage: versionStage, versionID: versionID) {
    case .failure(let failure):
      return failure
    case .success(let version):
      guard let jsonKey, case .absent(let failure) = version.jsonKeyAnswer(jsonKey, secret: id)
      else { return nil }
      return failure
    }
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
