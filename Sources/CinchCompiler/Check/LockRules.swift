import CinchTemplate

/// Whether the lockfile still matches the templates: every concrete reference has an entry
/// (E4007; offline the existence rules already reported it), and every entry is still read by
/// some template (W4008). Both are warnings unless `--frozen` makes them errors. (A pin behind
/// the store, W4009, needs the store: `StoreExistence` reports it.)
struct LockRules {
  let lock: CheckedLock
  let options: Checker.Options
  let online: Bool

  /// `failed` keys were found missing or unfit in the store; their absence from the lock is
  /// not news.
  func check(
    _ index: ReferenceIndex, checkedFiles: [String], skipping failed: Set<ResolutionKey> = [],
    into diagnostics: inout Diagnostics
  ) {
    let severity: Severity = options.frozen ? .error : .warning
    if online {
      for (key, sites) in index.sites
      where lock.lockfile.entry(for: key) == nil && !failed.contains(key) {
        diagnostics.report(
          .notInLock, "\(Self.describe(key)) is not in '\(lock.name)' (run 'cinch lock')",
          at: sites, severity: severity)
      }
    }
    // An entry is unused when no checked template reads it and every template that read it
    // when the lock was made was checked: `check changed.yaml` says nothing of the others.
    let used = Set(index.keys)
    let checked = Set(checkedFiles.map(lock.paths.relative))
    for entry in lock.lockfile.entries
    where !used.contains(entry.key) && entry.isReadOnly(from: checked) {
      let range = lock.ranges[entry.key]
      diagnostics.report(
        Diagnostic(
          .lockEntryUnused,
          "\(Self.describe(entry.key)) is pinned in '\(lock.name)' but no template reads it "
            + "(run 'cinch lock' to drop it)",
          file: lock.path, range: range, severity: severity))
    }
  }

  /// `parameter '/a/b'`, `parameter '/a/b' version 3`, `secret 'prod/db' key 'password'`.
  static func describe(_ key: ResolutionKey) -> String {
    var text = key.kind == .secretsManager ? "secret '\(key.name)'" : "parameter '\(key.name)'"
    if let jsonKey = key.jsonKey { text += " key '\(jsonKey)'" }
    switch key.selector {
    case .latest: break
    case .version(let version): text += " version \(version)"
    case .stage(let stage): text += " stage '\(stage)'"
    case .versionId(let id): text += " version id '\(id)'"
    }
    if key.kind == .ssmSecure { text = "secure " + text }
    return text
  }
}
