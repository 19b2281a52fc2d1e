import CinchTemplate

/// The existence rules answered by the lockfile alone (`--offline`, or no store configured): a
/// key the lock pins existed, at that version and with that type, when the lock was made, and a
/// JSON key it records as verified was in the pinned value. A key the lock does not pin cannot
/// be vouched for, which is an error here (E4007): a pull request from a fork, with no access to
/// the store, is still checked, and passes only if the lock covers what it reads.
struct LockExistence {
  let lock: CheckedLock

  /// Judges one key: a lock entry vouches for it; without one it fails.
  func check(_ key: ResolutionKey, sites: [ReferenceSite], into diagnostics: inout Diagnostics)
    -> Checker.Verdict
  {
    if let unpinnable = key.throughParameterStore {
      // No lock holds it, and why is what matters (`cinch lock` says the same).
      diagnostics.report(unpinnable.code, unpinnable.description, at: sites)
      return .failed
    }
    guard let entry = lock.lockfile.entry(for: key) else {
      // Another entry of the same name may still show that the kind cannot fit its type.
      if let other = lock.lockfile.entries.first(where: {
        $0.key.name == key.name && $0.key.kind != .secretsManager && key.kind != .secretsManager
      }), let mismatch = Self.typeMismatch(key, type: other.pin.type) {
        diagnostics.report(
          mismatch.code, "as '\(lock.name)' records it, \(mismatch.described(at: sites))", at: sites
        )
        return .failed
      }
      diagnostics.report(
        .notInLock,
        "\(LockRules.describe(key)) is not in '\(lock.name)', and offline nothing else shows "
          + "that it exists (run 'cinch lock')", at: sites)
      return .failed
    }
    if let mismatch = Self.typeMismatch(key, type: entry.pin.type) {
      diagnostics.report(
        mismatch.code, "as '\(lock.name)' records it, \(mismatch.described(at: sites))", at: sites)
      return .failed
    }
    if let jsonKey = key.jsonKey, !entry.pin.jsonKeyVerified {
      diagnostics.report(
        .jsonKeyUnverified,
        "'\(lock.name)' does not record JSON key '\(jsonKey)' of secret '\(key.name)' as "
          + "verified (run 'cinch lock --update \(key.name)')", at: sites)
    }
    return .exists
  }

  /// Whether a reference of `key`'s kind can read an entry of `type` (as a lock records it).
  static func typeMismatch(_ key: ResolutionKey, type: String) -> ResolutionFailure? {
    switch key.kind {
    case .ssm where type == "SecureString", .ssmSecure where type != "SecureString":
      return .typeMismatch(kind: key.kind, name: key.name, type: type)
    case .ssm, .ssmSecure, .secretsManager:
      return nil
    }
  }
}
