public import CinchTemplate

/// `cinch lock`: resolves every concrete reference and pins it. Pins already in the lockfile
/// stay (re-read at the pinned version, so a version that vanished is caught) unless the update
/// scope names them; entries no template uses any more are dropped and reported.
public struct Locker: Sendable {
  public enum UpdateScope: Sendable, Hashable {
    case none
    case all
    /// Names, ARNs or `kind:name` keys, as `cinch lock --update NAME…` takes them.
    case named([String])
    /// The pins some templates read (`cinch lock --update TEMPLATE…`): those keys alone, not
    /// another template's pin of the same name at another version.
    case keys(Set<ResolutionKey>)

    func includes(_ key: ResolutionKey) -> Bool {
      switch self {
      case .none: false
      case .all: true
      case .named(let names): names.contains { key.isNamed(by: $0) }
      case .keys(let keys): keys.contains(key)
      }
    }
  }

  /// What changed, for the command's report.
  public struct Outcome: Sendable {
    public var lock: Lockfile
    public var added: [LockEntry] = []
    public var moved: [(from: LockEntry, to: LockEntry)] = []
    public var dropped: [LockEntry] = []
    /// Pins at the version they had whose value is another now (a parameter deleted and
    /// created again: its versions start at 1 again), fingerprinted under the same key.
    public var rewritten: [(from: LockEntry, to: LockEntry)] = []
    /// The previous lock's fingerprints were made under another key: made again under this
    /// store's (no value can be compared across).
    public var fingerprintKeyChanged = false
    /// Entries kept whose sites changed (a template edited around a reference, or another
    /// reading it): the pin stays, the file not.
    public var sitesChanged = 0
    /// Pins kept at their version whose details (ARN, key, type, stage, JSON key verified)
    /// were read back different: the lock was edited, or the entry changed at its version.
    public var detailsChanged = 0
    /// Values by key, for `render --mode inline` (never written anywhere else).
    public var values: [ResolutionKey: Resolved] = [:]
  }

  public let resolver: Resolver
  public let paths: SitePaths

  public init(resolver: Resolver, paths: SitePaths) {
    self.resolver = resolver
    self.paths = paths
  }

  public func lock(
    _ index: ReferenceIndex, previous: Lockfile?, update: UpdateScope,
    into diagnostics: inout Diagnostics
  ) async throws -> Outcome {
    index.reportUnresolvable(into: &diagnostics)
    index.reportUnpinnable(into: &diagnostics)
    var pins: [ResolutionKey: Pin] = [:]
    for key in index.keys where !update.includes(key) {
      if let entry = previous?.entry(for: key) { pins[key] = entry.pin }
    }
    if case .named(let names) = update {
      for name in names where !index.keys.contains(where: { $0.isNamed(by: name) }) {
        diagnostics.report(
          Diagnostic(.entryNotFound, "--update names '\(name)', which no template references"))
      }
    }
    let results = try await resolver.resolve(index.keys, at: pins)
    var outcome = Outcome(lock: Lockfile())
    var entries: [LockEntry] = []
    var relativeFiles: [String: String] = [:]
    for (key, sites) in index.sites {
      guard let result = results[key] else { continue }
      switch result {
      case .failure(let failure):
        index.report(failure, for: key, into: &diagnostics, pinned: pins[key] != nil)
      case .success(let resolved):
        let entry = LockEntry(
          key: key, pin: resolved.pin,
          sites: paths.sites(sites, files: &relativeFiles))
        entries.append(entry)
        outcome.values[key] = resolved
        if let old = previous?.entry(for: key) {
          if old.pin.version != entry.pin.version || old.pin.versionId != entry.pin.versionId {
            outcome.moved.append((old, entry))
          }
        } else {
          outcome.added.append(entry)
        }
      }
    }
    let used = Set(index.keys)
    outcome.dropped = previous?.entries.filter { !used.contains($0.key) } ?? []
    let keyID = resolver.store.fingerprintKeyID
    if let previous {
      let carried = entries.compactMap { entry in
        previous.entry(for: entry.key).map { (from: $0, to: entry) }
      }
      outcome.sitesChanged = carried.filter { $0.from.sites != $0.to.sites }.count
      let kept = carried.filter {
        $0.from.pin.version == $0.to.pin.version && $0.from.pin.versionId == $0.to.pin.versionId
      }
      // The same version with another fingerprint: another value, when the key is the same.
      let differing = kept.filter { $0.from.pin.fingerprint != $0.to.pin.fingerprint }
      if previous.isFingerprinted(by: keyID, vouched: differing.count < kept.count) {
        outcome.rewritten = differing
      } else {
        outcome.fingerprintKeyChanged = !kept.isEmpty || previous.fingerprintKey != nil
      }
      outcome.detailsChanged =
        kept.filter { pair in
          var pin = pair.from.pin
          pin.fingerprint = pair.to.pin.fingerprint
          return pin != pair.to.pin
        }.count
    }
    outcome.lock = Lockfile(
      entries: entries, templates: previous?.templates ?? [],
      inputs: previous?.inputs ?? RecordedInputs(), fingerprintKey: keyID)
    return outcome
  }
}
