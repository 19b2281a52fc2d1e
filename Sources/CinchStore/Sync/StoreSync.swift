import Synchronization

/// Copies store contents from one store to another through the store protocols alone, so it
/// works between any two backends (the embedded file, AWS, or two of either). Parameters are
/// replayed with their history: every retained version oldest first, then their labels, so the
/// target's latest value and labels match the source's. Secrets are copied with every version
/// that carries a staging label (AWSCURRENT, AWSPREVIOUS, custom labels), oldest first, each
/// under its own `VersionId`, and then the labels are set as the source has them; deprecated
/// versions (no label) stay behind. What exists in the target is skipped unless `overwrite` is
/// set; values never appear in the report.
package struct StoreSync: Sendable {
  package struct Options: Sendable {
    /// Only parameters under this path (recursive), and secrets whose name is the path or
    /// starts with it and a '/' (with or without the leading '/'); nil for everything.
    package var path: String?
    /// Update what exists in the target instead of skipping it.
    package var overwrite: Bool
    /// Report what would be done; write nothing.
    package var dryRun: Bool
    /// The KMS key for SecureString parameters and secrets in the target; nil keeps each
    /// one's own.
    package var keyID: String?

    package init(
      path: String? = nil, overwrite: Bool = false, dryRun: Bool = false, keyID: String? = nil
    ) {
      self.path = path
      self.overwrite = overwrite
      self.dryRun = dryRun
      self.keyID = keyID
    }
  }

  /// What happened to one entry.
  package enum Outcome: Sendable, Equatable {
    /// Created in the target with `versions` versions (source versions `from` to `to`).
    case copied(versions: Int, from: Int, to: Int, labels: [String], refusedLabels: [String])
    /// A secret created in the target with `versions` labelled versions; `emptyLabels` were on
    /// a version without a value (an unfinished rotation's AWSPENDING) and were not copied.
    case copiedSecret(
      versions: Int, labels: [String], refusedLabels: [String], emptyLabels: [String])
    /// The target's latest version now holds the source's latest value.
    case updated(labels: [String], refusedLabels: [String])
    /// The target already had the source's latest value.
    case unchanged
    /// The target has the entry and `overwrite` was not set.
    case skipped
    /// One of AWS's public parameters (`/aws/service/…`): AWS provides it in every account, and
    /// only an embedded store takes one (`put-public-parameter`).
    case publicParameter
    /// The store refused; `copiedVersions` were written before it did.
    case failed(StoreError, copiedVersions: Int)
  }

  package struct Entry: Sendable, Equatable {
    package var kind: String
    package var name: String
    package var outcome: Outcome
    /// Whether this is what a dry run would do.
    package var planned: Bool

    package init(kind: String, name: String, outcome: Outcome, planned: Bool) {
      self.kind = kind
      self.name = name
      self.outcome = outcome
      self.planned = planned
    }
  }

  package struct Report: Sendable, Equatable {
    package var entries: [Entry] = []
    /// Why the copy stopped before its end (a target that stopped answering): the entries are
    /// what was done until then, the last of them maybe partly written.
    package var stoppedBy: String?

    package init(entries: [Entry] = []) {
      self.entries = entries
    }

    package var failures: Int {
      entries.filter { if case .failed = $0.outcome { true } else { false } }.count
    }

    /// The copy of `name` stopped on `error`, and the sync with it: the entry is failed, and
    /// said maybe partly written (a request the target took before it stopped answering).
    /// A dry run (`planned`) wrote nothing: it only stopped.
    mutating func stop(_ kind: String, _ name: String, _ error: any Error, planned: Bool) {
      stoppedBy = "\(error)"
      let failure = StoreError(
        code: "SyncStopped",
        message: planned
          ? "the dry run stopped here (\(error)); nothing was written"
          : "the copy stopped here (\(error)); the target may hold part of this \(kind): "
            + "run the sync again with --overwrite")
      entries.append(
        Entry(
          kind: kind, name: name, outcome: .failed(failure, copiedVersions: 0), planned: planned))
    }
  }

  package var options: Options
  /// The target's keys: each KMS key a copy would name is looked up there before anything is
  /// written (and in a dry run), so a missing key fails the entry whole instead of midway.
  package var targetKeys: (any KeyStore)?
  /// Each key looked up once per sync: every SecureString under one customer key would
  /// otherwise ask the target (a KMS call on AWS) once per parameter.
  private let lookedUp = KeyLookups()

  /// Told of each entry as its copy starts (kind, name) and as it ends: a command prints as
  /// it goes, so a sync stopped by a signal has said what it did and what was in flight.
  package var onStart: (@Sendable (_ kind: String, _ name: String) -> Void)?
  package var onEntry: (@Sendable (Entry) -> Void)?

  package init(options: Options, targetKeys: (any KeyStore)? = nil) {
    self.options = options
    self.targetKeys = targetKeys
  }

  /// The first of `keyIDs` (nil and the AWS-managed defaults left out) the target cannot
  /// find, as the error its write would have failed with.
  private func missingKey(_ keyIDs: [String?], default managed: String) async -> StoreError? {
    guard let targetKeys else { return nil }
    var seen = Set<String>()
    for keyID in keyIDs {
      guard let keyID, keyID != managed, seen.insert(keyID).inserted else { continue }
      if let known = lookedUp[keyID] {
        if let failure = known { return failure }
        continue
      }
      var failure: StoreError?
      do {
        _ = try await targetKeys.describeKey(DescribeKeyRequest(keyID: keyID))
      } catch let error as StoreError {
        failure = .invalidKeyID("the target has no KMS key '\(keyID)': \(error.message)")
      } catch {
        failure = .invalidKeyID("the target has no KMS key '\(keyID)': \(error)")
      }
      lookedUp[keyID] = .some(failure)
      if let failure { return failure }
    }
    return nil
  }

  // MARK: Parameters

  /// Copies every parameter (under `options.path`) from `source` to `target`. Listing the
  /// source may throw; each parameter's failure is reported and the copy goes on.
  package func syncParameters(from source: any ParameterStore, to target: any ParameterStore)
    async throws -> Report
  {
    var report = Report()
    for name in try await parameterNames(source) {
      onStart?("parameter", name)
      let outcome: Outcome
      do {
        outcome = try await syncParameter(name, from: source, to: target)
      } catch let error as StoreError {
        outcome = .failed(error, copiedVersions: 0)
      } catch {
        report.stop("parameter", name, error, planned: options.dryRun)
        if let stopped = report.entries.last { onEntry?(stopped) }
        return report
      }
      let entry = Entry(kind: "parameter", name: name, outcome: outcome, planned: options.dryRun)
      report.entries.append(entry)
      onEntry?(entry)
    }
    return report
  }

  /// The names of the source's parameters, sorted, every page of `DescribeParameters`.
  package func parameterNames(_ source: any ParameterStore) async throws -> [String] {
    var filters: [ParameterStringFilter]?
    if var path = options.path, path != "/" {
      while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
      filters = [ParameterStringFilter(key: "Path", option: "Recursive", values: [path])]
    }
    var names: [String] = []
    var token: String?
    repeat {
      let page = try await source.describeParameters(
        DescribeParametersRequest(parameterFilters: filters, maxResults: 50, nextToken: token))
      names += page.parameters.map(\.name)
      token = page.nextToken
    } while token != nil
    return Array(Set(names)).sorted()
  }

  private func syncParameter(
    _ name: String, from source: any ParameterStore, to target: any ParameterStore
  ) async throws -> Outcome {
    var history: [ParameterHistory] = []
    var token: String?
    repeat {
      let page = try await source.getParameterHistory(
        GetParameterHistoryRequest(
          name: name, withDecryption: true, maxResults: 50, nextToken: token))
      history += page.parameters
      token = page.nextToken
    } while token != nil
    history.sort { $0.version < $1.version }
    guard let latest = history.last, let first = history.first else { return .skipped }
    // AWS's public parameters are AWS's: an embedded target takes them as `put-public-
    // parameter` does, any other has them already.
    let embedded = target as? SQLiteStore
    let isPublic = ParameterName.isPublic(name)
    if isPublic, embedded == nil { return .publicParameter }
    let put: @Sendable (PutParameterRequest) async throws -> PutParameterResponse = {
      request in
      if isPublic, let embedded { return try await embedded.putPublicParameter(request) }
      return try await target.putParameter(request)
    }

    let existing: Parameter?
    do {
      existing = try await target.getParameter(
        GetParameterRequest(name: name, withDecryption: true)
      ).parameter
    } catch let error as StoreError where error.code == "ParameterNotFound" {
      existing = nil
    }

    func keys(_ versions: [ParameterHistory]) -> [String?] {
      versions.map { $0.type == .secureString ? (options.keyID ?? $0.keyID) : nil }
    }
    if let existing {
      guard options.overwrite else { return .skipped }
      if existing.value == latest.value && existing.type == latest.type { return .unchanged }
      if let missing = await missingKey(keys([latest]), default: SQLiteStore.defaultKeyAlias) {
        return .failed(missing, copiedVersions: 0)
      }
      guard !options.dryRun else { return .updated(labels: latest.labels, refusedLabels: []) }
      let written = try await put(request(for: latest, name: name, overwrite: true, tags: nil))
      let refused = try await label(name, version: written.version, latest.labels, in: target)
      return .updated(
        labels: latest.labels.filter { !refused.contains($0) }, refusedLabels: refused)
    }

    let labels = history.flatMap(\.labels)
    if let missing = await missingKey(keys(history), default: SQLiteStore.defaultKeyAlias) {
      return .failed(missing, copiedVersions: 0)
    }
    guard !options.dryRun else {
      return .copied(
        versions: history.count, from: first.version, to: latest.version, labels: labels,
        refusedLabels: [])
    }
    var tags: [Tag]?
    let listed = try await source.listTagsForResource(
      ListTagsForResourceRequest(resourceType: "Parameter", resourceID: name)
    ).tagList
    if !listed.isEmpty { tags = listed }
    let requests = history.enumerated().map { index, version in
      request(for: version, name: name, overwrite: index > 0, tags: index == 0 ? tags : nil)
    }
    var refused: [String] = []
    if let embedded {
      // The embedded store takes the whole history in one transaction: all or nothing.
      do {
        refused = try await embedded.putParameterHistory(
          requests, labels: history.map(\.labels), allowPublic: isPublic
        ).refusedLabels
      } catch let error as StoreError {
        return .failed(error, copiedVersions: 0)
      }
    } else {
      var targetVersions: [Int: Int] = [:]
      for (index, version) in history.enumerated() {
        do {
          let written = try await put(requests[index])
          targetVersions[version.version] = written.version
        } catch let error as StoreError {
          return .failed(error, copiedVersions: index)
        }
      }
      for version in history where !version.labels.isEmpty {
        guard let written = targetVersions[version.version] else { continue }
        refused += try await label(name, version: written, version.labels, in: target)
      }
    }
    return .copied(
      versions: history.count, from: first.version, to: latest.version,
      labels: labels.filter { !refused.contains($0) }, refusedLabels: refused)
  }

  private func request(for version: ParameterHistory, name: String, overwrite: Bool, tags: [Tag]?)
    -> PutParameterRequest
  {
    PutParameterRequest(
      name: name, description: version.description, value: version.value, type: version.type,
      keyID: version.type == .secureString ? (options.keyID ?? version.keyID) : nil,
      overwrite: overwrite ? true : nil, allowedPattern: version.allowedPattern, tags: tags,
      tier: version.tier, dataType: version.dataType)
  }

  /// Attaches `labels` to `version` ten at a time; returns the labels the target refused.
  private func label(
    _ name: String, version: Int, _ labels: [String], in target: any ParameterStore
  )
    async throws -> [String]
  {
    var refused: [String] = []
    var start = 0
    while start < labels.count {
      let chunk = Array(labels[start..<min(start + 10, labels.count)])
      start += 10
      refused += try await target.labelParameterVersion(
        LabelParameterVersionRequest(name: name, parameterVersion: version, labels: chunk)
      ).invalidLabels
    }
    return refused
  }
}

// MARK: Secrets

extension StoreSync {
  /// Copies every secret (whose name is under `options.path`) that is not scheduled for
  /// deletion from `source` to `target`. Listing the source may throw; each secret's failure is
  /// reported and the copy goes on.
  package func syncSecrets(from source: any SecretStore, to target: any SecretStore)
    async throws -> Report
  {
    var report = Report()
    for name in try await secretNames(source) {
      onStart?("secret", name)
      let outcome: Outcome
      do {
        outcome = try await syncSecret(name, from: source, to: target)
      } catch let error as StoreError {
        outcome = .failed(error, copiedVersions: 0)
      } catch {
        report.stop("secret", name, error, planned: options.dryRun)
        if let stopped = report.entries.last { onEntry?(stopped) }
        return report
      }
      let entry = Entry(kind: "secret", name: name, outcome: outcome, planned: options.dryRun)
      report.entries.append(entry)
      onEntry?(entry)
    }
    return report
  }

  /// The names of the source's secrets (under `options.path`), sorted, every page of
  /// `ListSecrets`.
  package func secretNames(_ source: any SecretStore) async throws -> [String] {
    var names: [String] = []
    var token: String?
    repeat {
      let page = try await source.listSecrets(ListSecretsRequest(maxResults: 100, nextToken: token))
      names += page.secretList.map(\.name)
      token = page.nextToken
    } while token != nil
    return Array(Set(names)).filter(isUnderPath).sorted()
  }

  private func isUnderPath(_ name: String) -> Bool {
    guard var path = options.path, path != "/" else { return true }
    while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
    let bare = path.hasPrefix("/") ? String(path.dropFirst()) : path
    return [path, bare].contains { name == $0 || name.hasPrefix($0 + "/") }
  }

  /// A version to copy: its id, labels and value.
  private struct SecretVersionCopy {
    var versionID: String
    var stages: [String]
    var value: GetSecretValueResponse
  }

  private func syncSecret(_ name: String, from source: any SecretStore, to target: any SecretStore)
    async throws -> Outcome
  {
    let described = try await source.describeSecret(DescribeSecretRequest(secretID: name))
    // Labelled versions, oldest first, with their creation dates from the version listing.
    var listed: [SecretVersionsListEntry] = []
    var token: String?
    repeat {
      let page = try await source.listSecretVersionIds(
        ListSecretVersionIdsRequest(secretID: name, maxResults: 100, nextToken: token))
      listed += page.versions
      token = page.nextToken
    } while token != nil
    // Both stores list oldest first; the listing's order breaks ties in the creation date.
    let ordered = listed.enumerated()
      .sorted { ($0.element.createdDate, $0.offset) < ($1.element.createdDate, $1.offset) }
      .map(\.element).filter { !($0.versionStages ?? []).isEmpty }
    var versions: [SecretVersionCopy] = []
    var unreadable: [String] = []
    for entry in ordered {
      do {
        let value = try await source.getSecretValue(
          GetSecretValueRequest(secretID: name, versionID: entry.versionID))
        guard value.secretString != nil || value.secretBinary != nil else {
          unreadable += entry.versionStages ?? []
          continue
        }
        versions.append(
          SecretVersionCopy(
            versionID: entry.versionID, stages: entry.versionStages ?? [], value: value))
      } catch let error as StoreError where error.code == "ResourceNotFoundException" {
        // The empty version an unfinished rotation leaves (AWSPENDING without a value).
        unreadable += entry.versionStages ?? []
      }
    }
    let current = versions.first { $0.stages.contains(SecretStage.current) }

    let existing: DescribeSecretResponse?
    do {
      existing = try await target.describeSecret(DescribeSecretRequest(secretID: name))
    } catch let error as StoreError where error.code == "ResourceNotFoundException" {
      existing = nil
    }

    if existing != nil {
      guard options.overwrite else { return .skipped }
      guard let current else { return .unchanged }
      let present: GetSecretValueResponse?
      do {
        present = try await target.getSecretValue(GetSecretValueRequest(secretID: name))
      } catch let error as StoreError where error.code == "ResourceNotFoundException" {
        present = nil
      }
      if let present, present.secretString == current.value.secretString,
        present.secretBinary == current.value.secretBinary
      {
        return .unchanged
      }
      guard !options.dryRun else { return .updated(labels: current.stages, refusedLabels: []) }
      // The source's version id, unless the target already has a version with it.
      let targetVersions = try await versionIDs(name, in: target)
      _ = try await target.putSecretValue(
        PutSecretValueRequest(
          secretID: name,
          clientRequestToken: targetVersions.contains(current.versionID)
            ? nil : current.versionID,
          secretBinary: current.value.secretBinary, secretString: current.value.secretString,
          versionStages: current.stages))
      return .updated(labels: current.stages, refusedLabels: [])
    }

    let labels = versions.flatMap(\.stages)
    if let missing = await missingKey(
      [options.keyID ?? described.kmsKeyID], default: SQLiteStore.defaultSecretKeyAlias)
    {
      return .failed(missing, copiedVersions: 0)
    }
    guard !options.dryRun else {
      return .copiedSecret(
        versions: versions.count, labels: labels, refusedLabels: [], emptyLabels: unreadable)
    }
    guard let first = versions.first else {
      // A secret without a value: created with its metadata alone.
      _ = try await target.createSecret(
        CreateSecretRequest(
          name: name, description: described.description,
          kmsKeyID: options.keyID ?? described.kmsKeyID, tags: described.tags))
      return .copiedSecret(versions: 0, labels: [], refusedLabels: [], emptyLabels: unreadable)
    }
    let create = CreateSecretRequest(
      name: name, clientRequestToken: first.versionID, description: described.description,
      kmsKeyID: options.keyID ?? described.kmsKeyID, secretBinary: first.value.secretBinary,
      secretString: first.value.secretString, tags: described.tags)
    // Each later version becomes AWSCURRENT in turn; the labels are set as the source has them
    // after.
    let puts = versions.dropFirst().map { version in
      PutSecretValueRequest(
        secretID: name, clientRequestToken: version.versionID,
        secretBinary: version.value.secretBinary, secretString: version.value.secretString)
    }
    if let embedded = target as? SQLiteStore {
      // The embedded store takes the whole secret in one transaction: all or nothing.
      let refused: [String]
      do {
        refused = try await embedded.createSecretHistory(
          create, versions: puts, stages: versions.map { ($0.versionID, $0.stages) })
      } catch let error as StoreError {
        return .failed(error, copiedVersions: 0)
      }
      return .copiedSecret(
        versions: versions.count, labels: labels.filter { !refused.contains($0) },
        refusedLabels: refused, emptyLabels: unreadable)
    }
    _ = try await target.createSecret(create)
    for (index, put) in puts.enumerated() {
      do {
        _ = try await target.putSecretValue(put)
      } catch let error as StoreError {
        return .failed(error, copiedVersions: index + 1)
      }
    }
    let refused = try await stage(name, as: versions, in: target)
    return .copiedSecret(
      versions: versions.count, labels: labels.filter { !refused.contains($0) },
      refusedLabels: refused, emptyLabels: unreadable)
  }

  /// The version ids a secret has in `store`, deprecated ones included.
  private func versionIDs(_ name: String, in store: any SecretStore) async throws -> Set<String> {
    var ids: Set<String> = []
    var token: String?
    repeat {
      let page = try await store.listSecretVersionIds(
        ListSecretVersionIdsRequest(
          secretID: name, maxResults: 100, nextToken: token, includeDeprecated: true))
      ids.formUnion(page.versions.map(\.versionID))
      token = page.nextToken
    } while token != nil
    return ids
  }

  /// Moves the target's labels to where `versions` have them: AWSCURRENT first (which drags
  /// AWSPREVIOUS along), then AWSPREVIOUS, then the rest; a label the source does not have is
  /// removed. Returns the labels the target refused.
  private func stage(_ name: String, as versions: [SecretVersionCopy], in target: any SecretStore)
    async throws -> [String]
  {
    var wanted: [(label: String, versionID: String)] = []
    for version in versions {
      for label in version.stages { wanted.append((label, version.versionID)) }
    }
    func rank(_ label: String) -> Int {
      label == SecretStage.current ? 0 : label == SecretStage.previous ? 1 : 2
    }
    wanted.sort { rank($0.label) < rank($1.label) }
    var refused: [String] = []
    for (label, versionID) in wanted {
      let holder = try await target.describeSecret(DescribeSecretRequest(secretID: name))
        .versionIDsToStages?.versionID(staged: label)
      guard holder != versionID else { continue }
      do {
        _ = try await target.updateSecretVersionStage(
          UpdateSecretVersionStageRequest(
            secretID: name, versionStage: label, removeFromVersionID: holder,
            moveToVersionID: versionID))
      } catch let error as StoreError where error.code != "ResourceNotFoundException" {
        refused.append(label)
      }
    }
    // AWSPREVIOUS is set by the replay even when the source has none.
    let sourceLabels = Set(wanted.map(\.label))
    let map = try await target.describeSecret(DescribeSecretRequest(secretID: name))
      .versionIDsToStages
    for (versionID, stages) in map?.entries ?? [] {
      for label in stages where !sourceLabels.contains(label) {
        _ = try await target.updateSecretVersionStage(
          UpdateSecretVersionStageRequest(
            secretID: name, versionStage: label, removeFromVersionID: versionID))
      }
    }
    return refused
  }
}

/// What looking up each key in the target answered: nil inside when it exists.
private final class KeyLookups: Sendable {
  private let answers = Mutex<[String: StoreError?]>([:])

  subscript(keyID: String) -> StoreError?? {
    get { answers.withLock { $0[keyID] } }
    set { answers.withLock { $0[keyID] = newValue } }
  }
}
