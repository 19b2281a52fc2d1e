import CinchStore
import CinchTemplate

/// The existence rules answered by the store's metadata: each entry is described once per run
/// (`ParameterCatalog.parameterVersions`: versions, labels and types; `SecretCatalog
/// .secretVersions`: versions, stages, key and deletion date; never a value), then every
/// key that reads it is judged at its pin (from the lock) or at what it asks for.
struct StoreExistence {
  let catalog: StoreCatalog
  let lock: CheckedLock?
  let options: Checker.Options
  private(set) var described: StoreDescriptions

  init(
    catalog: StoreCatalog, lock: CheckedLock?, options: Checker.Options,
    described: StoreDescriptions = StoreDescriptions()
  ) {
    self.catalog = catalog
    self.lock = lock
    self.options = options
    self.described = described
  }

  /// Describes every entry `keys` read that is not described yet.
  mutating func prefetch(_ keys: some Sequence<ResolutionKey>) async throws {
    try await described.describe(keys, in: catalog)
  }

  /// Judges one key: whether what it reads exists and fits (a pin behind the store still
  /// exists) and a lock can pin it; `.failed` keys are left out of the lock rules.
  mutating func check(
    _ key: ResolutionKey, sites: [ReferenceSite], into diagnostics: inout Diagnostics
  )
    async throws -> Checker.Verdict
  {
    switch key.kind {
    case .ssm, .ssmSecure:
      return try await checkParameter(key, sites: sites, into: &diagnostics) ? .exists : .failed
    case .secretsManager:
      return try await checkSecret(key, sites: sites, into: &diagnostics) ? .exists : .failed
    }
  }

  // MARK: Secrets Manager

  /// W4015's message when `id` is a partial ARN of the secret `list` describes that ends as a
  /// complete one does (troubleshoot.html#ARN_secretnamehyphen); nil otherwise.
  static func partialARNLikeComplete(_ id: String, _ list: SecretVersionList) -> String? {
    guard let arn = StoreARN(id), arn.endsWithSecretSuffix, list.arn != id else { return nil }
    return "secret '\(list.name)' is named by the partial ARN '\(id)', which ends as a "
      + "complete ARN does ('-' and six characters): Secrets Manager may take it for one and "
      + "not find the secret; write its name or its full ARN ('\(list.arn)')"
  }

  /// The secret exists and is not scheduled for deletion; the pinned version id (or the id or
  /// stage asked for) exists and holds a `SecretString`; a JSON key is in it, as far as
  /// metadata shows (the lock's record, or the key list a store keeps without decrypting);
  /// the pin is not behind the stage it was taken from.
  private mutating func checkSecret(
    _ key: ResolutionKey, sites: [ReferenceSite], into diagnostics: inout Diagnostics
  ) async throws -> Bool {
    let list: SecretVersionList
    switch try await secretVersions(of: key.name) {
    case .failure(let failure):
      diagnostics.report(failure.code, failure.described(at: sites), at: sites)
      return false
    case .success(let found):
      list = found
    }
    if let warning = Self.partialARNLikeComplete(key.name, list) {
      diagnostics.report(.partialARNLikeComplete, warning, at: sites)
    }
    let entry = lock?.lockfile.entry(for: key)
    let version: SecretVersionList.Version
    switch list.version(for: key, pinned: entry?.pin.versionId) {
    case .failure(let failure):
      if let lock, entry != nil, case .secretVersionNotFound = failure {
        diagnostics.report(
          failure.code,
          "the version '\(lock.name)' pins is gone: \(failure) (\(key.repinAdvice))",
          at: sites)
      } else {
        diagnostics.report(failure.code, failure.described(at: sites), at: sites)
      }
      return false
    case .success(let found):
      version = found
    }
    if let jsonKey = key.jsonKey, entry?.pin.jsonKeyVerified != true {
      // AWS's metadata lists no keys: only `lock` can tell then.
      switch version.jsonKeyAnswer(jsonKey, secret: key.name) {
      case .present:
        break
      case .absent(let failure):
        diagnostics.report(failure.code, failure.described(at: sites), at: sites)
        return false
      case .unknown:
        diagnostics.report(
          .jsonKeyUnverified,
          "JSON key '\(jsonKey)' of secret '\(key.name)' can only be verified by reading the "
            + "value, and no lock records it (run 'cinch lock')", at: sites)
      }
    }
    guard let entry, let lock else { return true }
    for finding in OutdatedChecker.findings(for: entry, secret: list) {
      guard case .stageMoved(let stage, let to) = finding.reason else { continue }
      if to.isEmpty, case .stage = key.selector {
        // The stage the template names is on no version: the pin still reads, but the
        // reference as written does not resolve, and `lock --update` cannot move it.
        let failure = ResolutionFailure.secretStageNotFound(id: key.name, stage: stage)
        diagnostics.report(
          failure.code,
          "\(failure.described(at: sites)) ('\(lock.name)' pins \(entry.pin.versionText), which "
            + "only a rendered template reads; label a version '\(stage)', or reference another "
            + "stage)", at: sites)
        return false
      }
      if let jsonKey = key.jsonKey,
        let now = list.versions.first(where: { $0.versionID == to }),
        now.valueType == .string, let keys = now.jsonKeys,
        !keys.contains(where: { $0.utf8.elementsEqual(jsonKey.utf8) })
      {
        // The stage moved to a value without the key: the pin still reads, but the reference
        // as written does not, and `lock --update` would fail on it.
        let failure = ResolutionFailure.jsonKeyNotFound(id: key.name, jsonKey: jsonKey)
        diagnostics.report(
          failure.code,
          "\(failure.described(at: sites)) in the version \(stage) is on now (\(to)); "
            + "'\(lock.name)' pins \(entry.pin.versionText), which only a rendered template reads",
          at: sites)
        return false
      }
      diagnostics.report(
        .pinBehind, "\(finding.message) (in '\(lock.name)'; run 'cinch lock --update \(key.name)')",
        at: sites, severity: options.frozen ? .error : nil)
    }
    return true
  }

  private mutating func secretVersions(of id: String) async throws
    -> Result<SecretVersionList, ResolutionFailure>
  {
    if let known = described.secrets[id] { return known }
    let result = try await SecretVersionList.lookUp(id, in: catalog.secrets)
    described.secrets[id] = result
    return result
  }

  // MARK: Parameter Store

  private mutating func checkParameter(
    _ key: ResolutionKey, sites: [ReferenceSite], into diagnostics: inout Diagnostics
  ) async throws -> Bool {
    if let behind = StoreEntry.secretBehindParameter(key.name) {
      return try await checkSecretBehind(behind, of: key, sites: sites, into: &diagnostics)
    }
    let list: ParameterVersionList
    switch try await versions(of: key.name) {
    case .failure(let failure):
      diagnostics.report(failure.code, failure.described(at: sites), at: sites)
      return false
    case .success(let found):
      list = found
    }
    let entry = lock?.lockfile.entry(for: key)
    let version: ParameterVersionList.Version
    if let entry, let pinned = entry.pin.version {
      guard let found = list.versions.first(where: { $0.version == pinned }) else {
        let failure = ResolutionFailure.parameterVersionNotFound(
          name: key.name, version: pinned, latest: list.latest?.version)
        diagnostics.report(
          failure.code,
          "the version '\(lock?.name ?? "")' pins is gone: \(failure) (\(key.repinAdvice))",
          at: sites)
        return false
      }
      version = found
    } else {
      switch key.selector {
      case .version(let requested):
        guard let found = list.versions.first(where: { $0.version == requested }) else {
          let failure = ResolutionFailure.parameterVersionNotFound(
            name: key.name, version: requested, latest: list.latest?.version)
          diagnostics.report(failure.code, failure.described(at: sites), at: sites)
          return false
        }
        version = found
      case .latest, .stage, .versionId:
        guard let latest = list.latest else {
          let failure = ResolutionFailure.missingParameter(
            key.name, catalog.publicParameters, home: catalog.secrets.secretHome)
          diagnostics.report(failure.code, failure.described(at: sites), at: sites)
          return false
        }
        version = latest
      }
    }
    if (version.type == .secureString) != (key.kind == .ssmSecure) {
      let failure = ResolutionFailure.typeMismatch(
        kind: key.kind, name: key.name, type: version.type.rawValue)
      diagnostics.report(failure.code, failure.described(at: sites), at: sites)
      return false
    }
    guard let entry, let lock else { return true }
    if key.selector == .latest, let latest = list.latest, latest.version != version.version,
      (latest.type == .secureString) != (key.kind == .ssmSecure)
    {
      // The latest version is of another type: the pin still reads, but the reference as
      // written does not, and `lock --update` would fail on it.
      let failure = ResolutionFailure.typeMismatch(
        kind: key.kind, name: key.name, type: latest.type.rawValue)
      diagnostics.report(
        failure.code,
        "\(failure.described(at: sites)), as of version \(latest.version), its latest; "
          + "'\(lock.name)' pins version \(entry.pin.versionText), which only a rendered "
          + "template reads",
        at: sites)
      return false
    }
    let findings = OutdatedChecker.findings(
      for: entry, versions: list.versions.map(\.version),
      labelled: Set(list.versions.filter { !$0.labels.isEmpty }.map(\.version)))
    for finding in findings {
      let advice: String
      switch finding.reason {
      case .pinGone, .entryGone, .scheduledForDeletion, .notChecked:
        continue
      case .nearRollOff where key.selector != .latest:
        // The template names the version: only a label (or a newer version) keeps it.
        advice = "label the version to keep it, or reference a newer one"
      case .newerVersion, .nearRollOff, .stageMoved:
        advice = "run 'cinch lock --update \(key.name)'"
      }
      diagnostics.report(
        .pinBehind, "\(finding.message) (in '\(lock.name)'; \(advice))", at: sites,
        severity: options.frozen ? .error : nil)
    }
    return true
  }

  /// A read of `/aws/reference/secretsmanager/ID`: AWS keeps no history for that path, so
  /// the secret behind it is described instead. An `ssm` reference cannot read it; an
  /// `ssm-secure` one can, but no lock pins it (a warning with a lock, an error with
  /// `--frozen`, as a reference missing from the lock is).
  private mutating func checkSecretBehind(
    _ behind: (id: String, versionStage: String?, versionID: String?), of key: ResolutionKey,
    sites: [ReferenceSite], into diagnostics: inout Diagnostics
  ) async throws -> Bool {
    let failure: ResolutionFailure?
    switch try await secretVersions(of: behind.id) {
    case .failure(let missing):
      failure = missing
    case .success(let list):
      failure = list.readFailure(
        id: behind.id, versionStage: behind.versionStage, versionID: behind.versionID,
        jsonKey: nil)
    }
    if let failure {
      diagnostics.report(failure.code, failure.described(at: sites), at: sites)
      return false
    }
    guard let unpinnable = key.throughParameterStore else { return true }
    if !unpinnable.deploysAsWritten {
      diagnostics.report(unpinnable.code, unpinnable.description, at: sites)
      return false
    }
    if lock != nil {
      diagnostics.report(
        unpinnable.code, unpinnable.description, at: sites,
        severity: options.frozen ? .error : .warning)
    }
    // It reads, but no lock can pin it: the lock rules have nothing to say of it.
    return false
  }

  private mutating func versions(of name: String) async throws
    -> Result<ParameterVersionList, ResolutionFailure>
  {
    if let known = described.parameters[name] { return known }
    let result: Result<ParameterVersionList, ResolutionFailure>
    do {
      result = .success(try await catalog.parameters.parameterVersions(name))
    } catch let error as StoreError {
      result = .failure(
        .parameterLookup(
          name, failedWith: error, catalog.publicParameters, home: catalog.secrets.secretHome))
    }
    described.parameters[name] = result
    return result
  }

}

/// What the store's metadata says about each entry a run reads (versions, labels and types of
/// a parameter; versions, stages, key and deletion date of a secret), or why it could not be
/// described: asked once per entry.
struct StoreDescriptions: Sendable {
  var parameters: [String: Result<ParameterVersionList, ResolutionFailure>] = [:]
  var secrets: [String: Result<SecretVersionList, ResolutionFailure>] = [:]

  /// Describes every entry `keys` read that is not described yet: the parameters in one
  /// catalog call and the secrets in another (one transaction each on the embedded store,
  /// instead of one per entry).
  mutating func describe(_ keys: some Sequence<ResolutionKey>, in catalog: StoreCatalog)
    async throws
  {
    var names: [String] = []
    var secretIDs: [String] = []
    for key in keys {
      switch key.kind {
      case .ssm, .ssmSecure:
        // AWS keeps no history for `/aws/reference/secretsmanager/ID`: the secret is described.
        if let behind = StoreEntry.secretBehindParameter(key.name) {
          secretIDs.append(behind.id)
        } else {
          names.append(key.name)
        }
      case .secretsManager: secretIDs.append(key.name)
      }
    }
    try await describe(parameters: names, secrets: secretIDs, in: catalog)
  }

  /// Describes the parameters (names or ARNs) and secrets (ids) not described yet.
  mutating func describe(
    parameters names: [String], secrets ids: [String], in catalog: StoreCatalog
  )
    async throws
  {
    let names = names.filter { parameters[$0] == nil }
    let ids = ids.filter { secrets[$0] == nil }
    for (name, answer) in try await catalog.parameters.parameterVersions(byReference: names) {
      parameters[name] = answer.mapError {
        .parameterLookup(
          name, failedWith: $0, catalog.publicParameters, home: catalog.secrets.secretHome)
      }
    }
    secrets.merge(try await SecretVersionList.lookUp(ids, in: catalog.secrets)) { $1 }
  }
}
