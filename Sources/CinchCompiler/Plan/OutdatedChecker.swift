public import CinchTemplate
import CinchStore

/// `cinch outdated`: which pins are behind the store, from metadata only (never a value).
public struct OutdatedChecker: Sendable {
  /// Parameter Store keeps 100 versions; a pin this close to the oldest kept one rolls off
  /// after this many more writes (unless labelled).
  public static let rollOffWarning = 10
  /// Parameter Store's history limit.
  /// https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-versions.html
  public static let historyLimit = 100

  public struct Finding: Sendable, Hashable {
    public enum Reason: Sendable, Hashable {
      /// A newer version exists (the reference asks for the latest).
      case newerVersion(latest: String)
      /// `AWSCURRENT` (or the staging label asked for) is on another version now.
      case stageMoved(stage: String, to: String)
      /// The pinned version is among the oldest kept; this many more writes remove it.
      case nearRollOff(remaining: Int)
      /// The pinned version is gone from the store.
      case pinGone
    }

    public var entry: LockEntry
    public var reason: Reason

    public var message: String {
      switch reason {
      case .newerVersion(let latest):
        "pinned at \(entry.pin.versionText); the store's latest is \(latest)"
      case .stageMoved(let stage, let to):
        "pinned at \(entry.pin.versionText); \(stage) is now on \(to)"
      case .nearRollOff(let remaining):
        "pinned version \(entry.pin.versionText) rolls off Parameter Store's 100-version history after \(remaining) more write\(remaining == 1 ? "" : "s")"
      case .pinGone:
        "pinned version \(entry.pin.versionText) no longer exists in the store"
      }
    }
  }

  public let store: StoreReader

  public init(store: StoreReader) {
    self.store = store
  }

  public func check(_ lock: Lockfile, into diagnostics: inout Diagnostics) async throws -> [Finding] {
    var findings: [Finding] = []
    var versionsByName: [String: Result<ParameterVersionsSummary, ResolutionFailure>] = [:]
    for entry in lock.entries {
      switch entry.key.kind {
      case .ssm, .ssmSecure:
        guard let pinned = entry.pin.version else { continue }
        let name = entry.key.name
        if versionsByName[name] == nil {
          versionsByName[name] = try await summary(of: name)
        }
        switch versionsByName[name] {
        case .success(let summary)?:
          if !summary.versions.contains(pinned) {
            findings.append(Finding(entry: entry, reason: .pinGone))
            continue
          }
          if entry.key.selector == .latest, let latest = summary.versions.last, latest > pinned {
            findings.append(Finding(entry: entry, reason: .newerVersion(latest: String(latest))))
          }
          if !summary.labelled.contains(pinned), summary.versions.count >= Self.historyLimit - Self.rollOffWarning,
            let position = summary.versions.firstIndex(of: pinned)
          {
            let remaining = position + 1 + (Self.historyLimit - summary.versions.count)
            if remaining <= Self.rollOffWarning {
              findings.append(Finding(entry: entry, reason: .nearRollOff(remaining: remaining)))
            }
          }
        case .failure(let failure)?:
          diagnostics.report(Diagnostic(failure.code, "\(entry.key): \(failure)"))
          findings.append(Finding(entry: entry, reason: .pinGone))
        case nil:
          break
        }
      case .secretsManager:
        diagnostics.report(
          Diagnostic(
            .storeFailure, "\(entry.key): this store does not hold Secrets Manager secrets",
            severity: .warning))
      }
    }
    return findings
  }

  struct ParameterVersionsSummary: Sendable {
    var versions: [Int]
    var labelled: Set<Int>
  }

  private func summary(of name: String) async throws -> Result<ParameterVersionsSummary, ResolutionFailure> {
    do {
      let list = try await store.parameters.parameterVersions(name)
      return .success(
        ParameterVersionsSummary(
          versions: list.versions.map(\.version),
          labelled: Set(list.versions.filter { !$0.labels.isEmpty }.map(\.version))))
    } catch let error as StoreError {
      if error.code == "ParameterNotFound" { return .failure(.parameterNotFound(name: name)) }
      return .failure(.store(code: error.code, message: error.message))
    }
  }
}
