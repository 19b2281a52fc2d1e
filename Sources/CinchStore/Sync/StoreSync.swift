/// Copies store contents from one store to another through the store protocols alone, so it
/// works between any two backends (the embedded file, AWS, or two of either). Parameters are
/// replayed with their history: every retained version oldest first, then their labels, so the
/// target's latest value and labels match the source's. What exists in the target is skipped
/// unless `overwrite` is set; values never appear in the report.
package struct StoreSync: Sendable {
  package struct Options: Sendable {
    /// Only parameters under this path (recursive); nil for everything.
    package var path: String?
    /// Update what exists in the target instead of skipping it.
    package var overwrite: Bool
    /// Report what would be done; write nothing.
    package var dryRun: Bool
    /// The KMS key for SecureString parameters in the target; nil keeps each version's own.
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
    /// The target's latest version now holds the source's latest value.
    case updated(labels: [String], refusedLabels: [String])
    /// The target already had the source's latest value.
    case unchanged
    /// The target has the entry and `overwrite` was not set.
    case skipped
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

    package init(entries: [Entry] = []) {
      self.entries = entries
    }

    package var failures: Int {
      entries.filter { if case .failed = $0.outcome { true } else { false } }.count
    }
  }

  package var options: Options

  package init(options: Options) {
    self.options = options
  }

  // MARK: Parameters

  /// Copies every parameter (under `options.path`) from `source` to `target`. Listing the
  /// source may throw; each parameter's failure is reported and the copy goes on.
  package func syncParameters(from source: any ParameterStore, to target: any ParameterStore)
    async throws -> Report
  {
    var report = Report()
    for name in try await parameterNames(source) {
      let outcome: Outcome
      do {
        outcome = try await syncParameter(name, from: source, to: target)
      } catch let error as StoreError {
        outcome = .failed(error, copiedVersions: 0)
      }
      report.entries.append(
        Entry(kind: "parameter", name: name, outcome: outcome, planned: options.dryRun))
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

    let existing: Parameter?
    do {
      existing = try await target.getParameter(
        GetParameterRequest(name: name, withDecryption: true)
      ).parameter
    } catch let error as StoreError where error.code == "ParameterNotFound" {
      existing = nil
    }

    if let existing {
      guard options.overwrite else { return .skipped }
      if existing.value == latest.value && existing.type == latest.type { return .unchanged }
      guard !options.dryRun else { return .updated(labels: latest.labels, refusedLabels: []) }
      let written = try await target.putParameter(
        request(for: latest, name: name, overwrite: true, tags: nil))
      let refused = try await label(name, version: written.version, latest.labels, in: target)
      return .updated(
        labels: latest.labels.filter { !refused.contains($0) }, refusedLabels: refused)
    }

    let labels = history.flatMap(\.labels)
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
    var targetVersions: [Int: Int] = [:]
    for (index, version) in history.enumerated() {
      do {
        let written = try await target.putParameter(
          request(for: version, name: name, overwrite: index > 0, tags: index == 0 ? tags : nil))
        targetVersions[version.version] = written.version
      } catch let error as StoreError {
        return .failed(error, copiedVersions: index)
      }
    }
    var refused: [String] = []
    for version in history where !version.labels.isEmpty {
      guard let written = targetVersions[version.version] else { continue }
      refused += try await label(name, version: written, version.labels, in: target)
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
