import Synchronization

/// Copies store contents from one store to another through the store protocols alone, so it
/// works between any two backends (the embedded file, AWS, or two of either). Parameters are
/// replayed with their history: every retained version oldest first, then their labels, so the
/// target's latest value and labels match the source's. Secrets are copied with every version
/// that carries a staging label (AWSCURRENT, AWSPREVIOUS, custom labels), oldest first, each
/// under its own `VersionId`, and then the labels are set as the source has them; deprecated
/// versions (no label) stay behind. An entry whose history in the target is the start of the
/// source's (a copy that stopped partway, or one the source has moved on from) is brought level:
/// the missing versions, then the labels (a secret holding every version, with labels moved in
/// the target since, only with `overwrite`). Any other entry the target has is skipped unless
/// `overwrite` is set; values never appear in the report.
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
    /// The target held the source's first `held` versions and nothing else (a copy that
    /// stopped partway, or one the source has moved on from): the `versions` after them were
    /// added in order, then the labels set as the source has them. `emptyLabels` as for
    /// `copiedSecret`.
    case resumed(
      versions: Int, held: Int, labels: [String], refusedLabels: [String],
      emptyLabels: [String] = [])
    /// The target's history is its own: its latest version now holds the source's latest value,
    /// and the source's earlier versions were not carried.
    case updated(labels: [String], refusedLabels: [String])
    /// The target already had the source's history, or (its history its own) the source's
    /// latest value.
    case unchanged
    /// The target has the entry with a history of its own and `overwrite` was not set.
    case skipped
    /// The target holds every version of the secret, with labels a copy does not leave
    /// (AWSCURRENT moved back to an older version, a label of its own), and `overwrite` was not
    /// set: they were left as they are.
    case labelsMoved
    /// One of AWS's public parameters (`/aws/service/…`): AWS provides it in every account, and
    /// only an embedded store takes one (`put-public-parameter`).
    case publicParameter
    /// The store refused; the target holds the first `copiedVersions` of the source's history
    /// (written before it did, or held before the sync began).
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
            + "run the same sync again to finish it")
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
    let history = try await Self.history(of: name, in: source)
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

    if let existing {
      if let held = try await heldLabels(name, history, latest: existing, in: target) {
        return try await resume(name, history, held: held, put: put, in: target)
      }
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
    if let embedded {
      // The embedded store takes the whole history in one transaction: all or nothing.
      let refused: [String]
      do {
        refused = try await embedded.putParameterHistory(
          requests, labels: history.map(\.labels), allowPublic: isPublic
        ).refusedLabels
      } catch let error as StoreError {
        return .failed(error, copiedVersions: 0)
      }
      return .copied(
        versions: history.count, from: first.version, to: latest.version,
        labels: labels.filter { !refused.contains($0) }, refusedLabels: refused)
    }
    switch try await append(name, history, held: [], requests: requests, put: put, in: target) {
    case .failure(let error, let held):
      return .failed(error, copiedVersions: held)
    case .labelled(let refused):
      return .copied(
        versions: history.count, from: first.version, to: latest.version,
        labels: labels.filter { !refused.contains($0) }, refusedLabels: refused)
    }
  }

  /// The KMS keys the SecureStrings among `versions` are written under in the target.
  private func keys(_ versions: [ParameterHistory]) -> [String?] {
    versions.map { $0.type == .secureString ? (options.keyID ?? $0.keyID) : nil }
  }

  /// Every version `store` retains of `name`, oldest first (values decrypted).
  private static func history(of name: String, in store: any ParameterStore) async throws
    -> [ParameterHistory]
  {
    var history: [ParameterHistory] = []
    var token: String?
    repeat {
      let page = try await store.getParameterHistory(
        GetParameterHistoryRequest(
          name: name, withDecryption: true, maxResults: 50, nextToken: token))
      history += page.parameters
      token = page.nextToken
    } while token != nil
    return history.sorted { $0.version < $1.version }
  }

  /// A version the target holds of `name` that is one of the source's: its number in the
  /// target and its labels there.
  private struct HeldVersion {
    var version: Int
    var labels: Set<String>
  }

  /// The versions the target holds of `name` that are the source's first ones (`history`'s,
  /// oldest first) with the same values and types, when the target's history is a copy of the
  /// source's; nil when it is its own. A copy numbers versions from 1; once the source has
  /// dropped its oldest (Parameter Store keeps 100), the target's oldest may be versions the
  /// source no longer has, so its newest versions are matched against the source's first, the
  /// longest such match first. Values are compared through the target's decrypted reads, never
  /// shown.
  private func heldLabels(
    _ name: String, _ history: [ParameterHistory], latest: Parameter,
    in target: any ParameterStore
  ) async throws -> [HeldVersion]? {
    guard let first = history.first else { return nil }
    let held = try await Self.history(of: name, in: target)
    guard let newest = held.last, newest.version == latest.version,
      zip(held, held.dropFirst()).allSatisfy({ $0.version + 1 == $1.version })
    else { return nil }
    // A copy numbers the source's versions from 1 and both add one at a time, so the target's
    // version number is never above the source's of the same value: the target's versions
    // older than the source's oldest are those the source has dropped since.
    for older in held.indices {
      guard held[older].version <= first.version else { break }
      let matched = held[older...]
      guard matched.count <= history.count,
        zip(matched, history).allSatisfy({ $0.value == $1.value && $0.type == $1.type })
      else { continue }
      return matched.map { HeldVersion(version: $0.version, labels: Set($0.labels)) }
    }
    return nil
  }

  /// Brings a target holding the first `held.count` versions of `history` level: the rest
  /// appended in order, then each label put where the source has it (moved there if the target
  /// has it elsewhere; labels the source lacks are left alone).
  private func resume(
    _ name: String, _ history: [ParameterHistory], held: [HeldVersion],
    put: @Sendable (PutParameterRequest) async throws -> PutParameterResponse,
    in target: any ParameterStore
  ) async throws -> Outcome {
    let missing = Array(history[held.count...])
    let labels = history.flatMap(\.labels)
    let misplaced = history.enumerated().contains { index, version in
      version.labels.contains { index >= held.count || !held[index].labels.contains($0) }
    }
    guard !missing.isEmpty || misplaced else { return .unchanged }
    if let failure = await missingKey(keys(missing), default: SQLiteStore.defaultKeyAlias) {
      return .failed(failure, copiedVersions: held.count)
    }
    guard !options.dryRun else {
      return .resumed(
        versions: missing.count, held: held.count, labels: labels, refusedLabels: [])
    }
    let requests = missing.map { request(for: $0, name: name, overwrite: true, tags: nil) }
    switch try await append(name, history, held: held, requests: requests, put: put, in: target)
    {
    case .failure(let error, let written):
      return .failed(error, copiedVersions: written)
    case .labelled(let refused):
      return .resumed(
        versions: missing.count, held: held.count,
        labels: labels.filter { !refused.contains($0) }, refusedLabels: refused)
    }
  }

  /// How writing the rest of a history ended.
  private enum Appended {
    /// The target refused a version: it holds the first `held` of the history.
    case failure(StoreError, held: Int)
    /// Every version written and labelled; `refused` are the labels the target refused.
    case labelled(refused: [String])
  }

  /// Writes `requests` (the versions of `history` after the `held.count` the target holds) one
  /// PutParameter each, in order (AWS numbers them), then puts each version's labels where the
  /// target does not have them already (`held` has the labels of the versions held).
  private func append(
    _ name: String, _ history: [ParameterHistory], held: [HeldVersion],
    requests: [PutParameterRequest],
    put: @Sendable (PutParameterRequest) async throws -> PutParameterResponse,
    in target: any ParameterStore
  ) async throws -> Appended {
    // The store numbers the versions after those held, one a PutParameter ("Parameter Store
    // automatically creates a new version", the response's Version):
    // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
    var targetVersions = held.map(\.version)
    for (offset, request) in requests.enumerated() {
      do {
        targetVersions.append(try await put(request).version)
      } catch let error as StoreError {
        return .failure(error, held: held.count + offset)
      }
    }
    var refused: [String] = []
    for (index, version) in history.enumerated() {
      let labels = version.labels.filter {
        index >= held.count || !held[index].labels.contains($0)
      }
      guard !labels.isEmpty else { continue }
      refused += try await label(name, version: targetVersions[index], labels, in: target)
    }
    return .labelled(refused: refused)
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

    if let existing {
      // A secret scheduled for deletion takes no value: the overwrite below reports AWS's error.
      if existing.deletedDate == nil,
        let held = try await heldVersions(name, versions, in: target)
      {
        return try await resume(name, versions, held: held, unreadable: unreadable, in: target)
      }
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
    let puts = versions.dropFirst().map { Self.put($0, of: name) }
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
    switch try await append(name, versions, held: 1, in: target) {
    case .failure(let error, let held):
      return .failed(error, copiedVersions: held)
    case .labelled(let refused):
      return .copiedSecret(
        versions: versions.count, labels: labels.filter { !refused.contains($0) },
        refusedLabels: refused, emptyLabels: unreadable)
    }
  }

  /// The PutSecretValue that writes `version` under its own id (its labels are set after).
  private static func put(_ version: SecretVersionCopy, of name: String) -> PutSecretValueRequest {
    PutSecretValueRequest(
      secretID: name, clientRequestToken: version.versionID,
      secretBinary: version.value.secretBinary, secretString: version.value.secretString)
  }

  /// Puts the versions after the first `held` of `versions` in order, each becoming AWSCURRENT
  /// in turn, then moves the labels to where the source has them.
  private func append(
    _ name: String, _ versions: [SecretVersionCopy], held: Int, in target: any SecretStore
  ) async throws -> Appended {
    // Under the source's version ids, as a copy writes them: a version id the target already has
    // with another value is refused, so a resumed secret cannot take one twice (ClientRequestToken,
    // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html).
    for (offset, version) in versions.dropFirst(held).enumerated() {
      do {
        _ = try await target.putSecretValue(Self.put(version, of: name))
      } catch let error as StoreError {
        return .failure(error, held: held + offset)
      }
    }
    return .labelled(refused: try await stage(name, as: versions, in: target))
  }

  /// How many of `versions` (labelled, oldest first) the target holds, when its versions,
  /// deprecated ones included, are the first of them and nothing else (a copy keeps each
  /// version's id) with the same values; nil when its versions are its own. Values are compared
  /// through the target's reads, never shown.
  private func heldVersions(
    _ name: String, _ versions: [SecretVersionCopy], in target: any SecretStore
  ) async throws -> Int? {
    let ids = try await versionIDs(name, in: target)
    let held = versions.prefix(ids.count)
    guard Set(held.map(\.versionID)) == ids else { return nil }
    for version in held {
      let value: GetSecretValueResponse
      do {
        value = try await target.getSecretValue(
          GetSecretValueRequest(secretID: name, versionID: version.versionID))
      } catch let error as StoreError where error.code == "ResourceNotFoundException" {
        return nil
      }
      guard value.secretString == version.value.secretString,
        value.secretBinary == version.value.secretBinary
      else { return nil }
    }
    return held.count
  }

  /// Brings a target holding the first `held` of `versions` level: the rest put in order under
  /// their own ids, then the labels moved to where the source has them.
  private func resume(
    _ name: String, _ versions: [SecretVersionCopy], held: Int, unreadable: [String],
    in target: any SecretStore
  ) async throws -> Outcome {
    let labels = versions.flatMap(\.stages)
    if held == versions.count {
      // Every version there: only the labels may be left to set (a copy that stopped after
      // its last PutSecretValue leaves AWSCURRENT on the newest).
      let wanted = Dictionary(
        versions.map { ($0.versionID, Set($0.stages)) }, uniquingKeysWith: { $0.union($1) })
      let present =
        try await target.describeSecret(DescribeSecretRequest(secretID: name))
        .versionIDsToStages?.entries ?? []
      let have = Dictionary(
        present.filter { !$0.stages.isEmpty }.map { ($0.versionID, Set($0.stages)) },
        uniquingKeysWith: { $0.union($1) })
      if wanted.filter({ !$0.value.isEmpty }) == have { return .unchanged }
      // Labels a copy never leaves (AWSCURRENT moved back to an older version, a label of the
      // target's own) were set in the target since: only --overwrite moves them.
      if !options.overwrite, !Self.leftByCopy(have, versions) { return .labelsMoved }
    }
    guard !options.dryRun else {
      return .resumed(
        versions: versions.count - held, held: held, labels: labels, refusedLabels: [],
        emptyLabels: unreadable)
    }
    switch try await append(name, versions, held: held, in: target) {
    case .failure(let error, let written):
      return .failed(error, copiedVersions: written)
    case .labelled(let refused):
      return .resumed(
        versions: versions.count - held, held: held,
        labels: labels.filter { !refused.contains($0) }, refusedLabels: refused,
        emptyLabels: unreadable)
    }
  }

  /// Whether the target's labels (`have`, by version id) are what a copy of `versions` that
  /// stopped after its last PutSecretValue leaves: AWSCURRENT on the newest version and
  /// AWSPREVIOUS on the one before, as each PutSecretValue moves them
  /// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html),
  /// and nothing else; or, once the labels were being set, every label where the source has it.
  /// A copy stopped between moving AWSCURRENT and AWSPREVIOUS is neither: --overwrite ends it.
  private static func leftByCopy(_ have: [String: Set<String>], _ versions: [SecretVersionCopy])
    -> Bool
  {
    var replayed: [String: Set<String>] = [:]
    if let newest = versions.last {
      replayed[newest.versionID, default: []].insert(SecretStage.current)
    }
    if versions.count > 1 {
      replayed[versions[versions.count - 2].versionID, default: []].insert(SecretStage.previous)
    }
    if have == replayed { return true }
    let placed = Dictionary(
      versions.map { ($0.versionID, Set($0.stages)) }, uniquingKeysWith: { $0.union($1) })
    return have.allSatisfy { versionID, labels in labels.isSubset(of: placed[versionID] ?? []) }
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
