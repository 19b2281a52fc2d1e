public import CinchTemplate

/// What a deploy of the templates as they are would read, compared with a lockfile: per
/// reference the locked and the current version, whether the value changed (by fingerprint)
/// and the new value's length. Never a value.
public struct Plan: Sendable {
  public enum Status: String, Sendable, Hashable {
    /// The store's current version is the locked one.
    case unchanged
    /// The locked version holds another value than the one locked: the parameter was deleted
    /// and created again (its versions start at 1 again), or a hand-merged entry took its
    /// fingerprint from one side and its version from the other. The lock no longer vouches
    /// for what it pins, whatever else changed: the store's current version may be the locked
    /// one or another (`valueChanged` compares that one with the lock's fingerprint).
    case rewritten
    /// The store has moved on: a deploy would read another version.
    case moved
    /// Not in the lock yet.
    case added
    /// In the lock, but no template reads it any more (every template that read it was
    /// planned, and loaded).
    case dropped
    /// The store cannot answer for it, or no longer holds the version the lock pins (deleted,
    /// or a secret deleted and created again: `current` is then what a deploy reads now); the
    /// diagnostics say why.
    case failed
    /// In the lock, read from a template that could not be read or parsed: what a deploy
    /// would read of it is unknown (the diagnostics say why).
    case notPlanned
  }

  public struct Change: Sendable {
    public var key: ResolutionKey
    public var status: Status
    public var locked: Pin?
    public var current: Pin?
    /// Whether the value differs from the locked one (fingerprints compared); true for an
    /// added reference; nil when there is nothing to compare (a dropped or unreadable one) or
    /// the lock's fingerprints were made under another key.
    public var valueChanged: Bool?
    /// The current value's length in bytes: for plain `ssm` parameters only. A secret's length
    /// narrows a guess at it, so `ssm-secure` and `secretsmanager` values have none.
    public var length: Int?
    public var sites: [String]
    /// Why the row is `failed`: the current read's failure, or the locked version's.
    public var failure: ResolutionFailure? = nil
  }

  /// The lockfile compared against.
  public var against: String
  public var changes: [Change]
  /// False when the lock was fingerprinted under another key (made against another store, or
  /// with another `CINCH_FINGERPRINT_KEY`): no fingerprint in it says anything about this
  /// store's values, and the planner leaves every comparison out.
  public var fingerprintsComparable: Bool { notComparable == 0 }

  /// How many pins have no comparison (`valueChanged` nil): all of them when the lock was
  /// fingerprinted under another key, none otherwise.
  public var notComparable: Int {
    changes.filter { [.unchanged, .moved].contains($0.status) && $0.valueChanged == nil }.count
  }

  public func count(_ status: Status) -> Int { changes.filter { $0.status == status }.count }
}

/// Builds a `Plan`: resolves every key at what it asks for (as `lock --update` would), without
/// writing anything.
public struct Planner: Sendable {
  public let resolver: Resolver
  public let paths: SitePaths

  public init(resolver: Resolver, paths: SitePaths) {
    self.resolver = resolver
    self.paths = paths
  }

  /// `planned`: the templates `index` was made from that loaded (a path as named, or relative
  /// to the lock's folder). A lock entry is dropped only when every template that read it is
  /// among them: a plan of some of the lock's templates, or one where a template failed to
  /// parse, says nothing of the entries read from the others (as `check`, Docs/Check.md).
  /// Entries read from an `unloaded` template (named, but not read or parsed) are listed as
  /// not planned; those of templates not named are left out.
  public func plan(
    _ index: ReferenceIndex, planned: [String], unloaded: [String] = [], against lock: Lockfile,
    named path: String, into diagnostics: inout Diagnostics
  ) async throws -> Plan {
    index.reportUnresolvable(into: &diagnostics)
    // What `lock` would leave out and say so about.
    index.reportUnpinnable(into: &diagnostics)
    let results = try await resolver.resolve(index.keys)
    // A pin that moved is read at its locked version too: one that is gone, or holds another
    // value than the one locked, is what `render --frozen` refuses and `outdated` calls gone,
    // whatever the reference reads now.
    var movedPins: [ResolutionKey: Pin] = [:]
    for key in index.keys {
      guard let locked = lock.entry(for: key)?.pin, case .success(let resolved)? = results[key],
        !locked.isAtVersion(of: resolved.pin)
      else { continue }
      movedPins[key] = locked
    }
    let atLock =
      movedPins.isEmpty
      ? [:] : try await resolver.resolve(index.keys.filter { movedPins[$0] != nil }, at: movedPins)
    // The fingerprint of each locked version as the store holds it now.
    var lockedNow: [ResolutionKey: String] = [:]
    var changes: [Plan.Change] = []
    var relativeFiles: [String: String] = [:]
    for (key, sites) in index.sites {
      let siteTexts = paths.sites(sites, files: &relativeFiles)
      let locked = lock.entry(for: key)?.pin
      switch results[key] {
      case .success(let resolved)?:
        let current = resolved.pin
        var status = Plan.Status.added
        var failure: ResolutionFailure?
        if let locked {
          if locked.isAtVersion(of: current) {
            status = .unchanged
            lockedNow[key] = current.fingerprint
          } else {
            switch atLock[key] {
            case .success(let pinned)?:
              status = .moved
              lockedNow[key] = pinned.pin.fingerprint
            case .failure(let pinnedFailure)?:
              // Not "moved": no deploy of the lock reads it, as `outdated` says.
              status = .failed
              failure = pinnedFailure
              index.report(pinnedFailure, for: key, into: &diagnostics, pinned: true)
            case nil:
              status = .moved
            }
          }
        }
        changes.append(
          Plan.Change(
            key: key, status: status, locked: locked, current: current,
            valueChanged: status == .failed
              ? nil : locked.map { $0.fingerprint != current.fingerprint } ?? true,
            length: key.kind == .ssm ? resolved.value.count : nil,
            sites: LockEntry.sorted(siteTexts), failure: failure))
      case .failure(let failure)?:
        index.report(failure, for: key, into: &diagnostics)
        changes.append(
          Plan.Change(
            key: key, status: .failed, locked: locked, current: nil, valueChanged: nil,
            length: nil, sites: LockEntry.sorted(siteTexts), failure: failure))
      case nil:
        break
      }
    }
    let used = Set(index.keys)
    let plannedFiles = Set(planned.map(paths.relative))
    let unloadedFiles = Set(unloaded.map(paths.relative))
    for entry in lock.entries where !used.contains(entry.key) {
      let status: Plan.Status
      if entry.isReadOnly(from: plannedFiles) {
        status = .dropped
      } else if entry.sites.contains(where: {
        unloadedFiles.contains(LockEntry.siteParts($0)?.file ?? $0)
      }) {
        status = .notPlanned
      } else {
        continue
      }
      changes.append(
        Plan.Change(
          key: entry.key, status: status, locked: entry.pin, current: nil, valueChanged: nil,
          length: nil, sites: entry.sites))
    }
    var plan = Plan(against: path, changes: changes.sorted { $0.key < $1.key })
    // Pins whose locked version holds another fingerprint than the lock's: at the store's
    // current version, or at the version they pin, read on purpose.
    func holdsLockedValue(_ change: Plan.Change) -> Bool? {
      guard let locked = change.locked, let now = lockedNow[change.key] else { return nil }
      return locked.fingerprint == now
    }
    let foreign = plan.changes.filter { holdsLockedValue($0) == false }
    // Whether the lock's fingerprints were made under this store's key: the key it records
    // says; a lock from before it did is vouched for by any pin whose locked version's
    // fingerprint matches.
    let vouched = plan.changes.filter { holdsLockedValue($0) == true }
    let sameKey = lock.isFingerprinted(
      by: resolver.store.fingerprintKeyID, vouched: !vouched.isEmpty)
    // A lock that names another key says so even when no pin sits at the store's version
    // (every pin moved): its fingerprints compare with nothing here.
    // A pinned version this store lacks counts too: in a lock made against another store, it
    // may be fine there (as `check` says beside E4002).
    let namesAnotherKey =
      lock.fingerprintKey != nil && !sameKey
      && plan.changes.contains {
        [.unchanged, .moved].contains($0.status) || ($0.status == .failed && $0.current != nil)
      }
    if !foreign.isEmpty, sameKey {
      // Same key, the locked version, another fingerprint: another value at that version,
      // said whether or not the reference now reads another version.
      for index in plan.changes.indices where holdsLockedValue(plan.changes[index]) == false {
        plan.changes[index].status = .rewritten
      }
    } else if !foreign.isEmpty || namesAnotherKey {
      for index in plan.changes.indices
      where [.unchanged, .moved].contains(plan.changes[index].status) {
        plan.changes[index].valueChanged = nil
      }
      let evidence =
        switch foreign.count {
        case 0: "'\(path)' was fingerprinted under another key than this store's"
        case 1:
          "a pin in '\(path)' carries another fingerprint than the version it pins: "
            + "the lock was fingerprinted under another key"
        default:
          "\(foreign.count) pins in '\(path)' carry another fingerprint than the versions they "
            + "pin: the lock was fingerprinted under another key"
        }
      diagnostics.report(
        Diagnostic(
          .fingerprintKeyMismatch,
          evidence + " (made against "
            + "another store, with another CINCH_FINGERPRINT_KEY, or by a cinch before entries "
            + "were bound into fingerprints), so no value can "
            + "be compared (run 'cinch lock' to fingerprint the same pins again with this store's key)",
          file: path, range: nil, severity: .warning))
    }
    return plan
  }
}
