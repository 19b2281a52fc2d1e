public import CinchStore
public import CinchTemplate

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
      /// `AWSCURRENT` (or the staging label asked for) is on another version now: `to` is its
      /// version id, empty when no version carries the label.
      case stageMoved(stage: String, to: String)
      /// The pinned version is among the oldest kept; this many more writes remove it.
      case nearRollOff(remaining: Int)
      /// The pinned version is gone from the store.
      case pinGone
      /// The parameter or secret itself is gone (the failure says which).
      case entryGone(ResolutionFailure)
      /// The secret is scheduled for deletion: Secrets Manager refuses to read it until it is
      /// restored, so a deploy fails now, not at the end of the recovery window.
      /// https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_delete-restore-secret.html
      case scheduledForDeletion
      /// The store did not answer for the entry (access denied, throttling, a fault): nothing
      /// is known of the pin, which is said rather than passed over as current.
      case notChecked(ResolutionFailure)
    }

    public var entry: LockEntry
    public var reason: Reason

    public var message: String {
      switch reason {
      case .newerVersion(let latest):
        "pinned at \(entry.pin.versionText); the store's latest is \(latest)"
      case .stageMoved(let stage, let to) where to.isEmpty:
        "pinned at \(entry.pin.versionText); no version carries \(stage) now"
      case .stageMoved(let stage, let to):
        "pinned at \(entry.pin.versionText); \(stage) is now on \(to)"
      case .nearRollOff(let remaining):
        "pinned version \(entry.pin.versionText) rolls off Parameter Store's 100-version history after \(remaining) more write\(remaining == 1 ? "" : "s")"
      case .pinGone:
        "pinned version \(entry.pin.versionText) no longer exists in the store"
      case .entryGone(let failure):
        "\(failure)"
      case .scheduledForDeletion:
        "scheduled for deletion: no deploy can read it unless it is restored"
      case .notChecked(let failure):
        "not checked: \(failure)"
      }
    }

    /// A pin no deploy can read: an error whatever `--exit-code` says, not only a pin behind.
    public var breaksDeploy: Bool {
      switch reason {
      case .pinGone, .entryGone, .scheduledForDeletion: true
      case .newerVersion, .stageMoved, .nearRollOff, .notChecked: false
      }
    }
  }

  public let store: StoreReader

  public init(store: StoreReader) {
    self.store = store
  }

  /// The findings per pin; what the store could not answer (other than "not found": access
  /// denied, throttling) is reported into `diagnostics`, located at the lockfile `lockPath`.
  public func check(_ lock: Lockfile, named lockPath: String, into diagnostics: inout Diagnostics)
    async throws -> [Finding]
  {
    var findings: [Finding] = []
    // Every entry's metadata asked for at once (one transaction each on the embedded store).
    let names = lock.entries.filter { $0.key.kind != .secretsManager && $0.pin.version != nil }
      .map(\.key.name)
    var versionsByName: [String: Result<ParameterVersionsSummary, ResolutionFailure>] = [:]
    for (name, answer) in try await store.parameters.parameterVersions(byReference: names) {
      versionsByName[name] = Self.summary(of: name, answer, store.publicParameters)
    }
    let secretsByName = try await SecretVersionList.lookUp(
      lock.entries.filter { $0.key.kind == .secretsManager && $0.pin.versionId != nil }
        .map(\.key.name),
      in: store.secrets)
    for entry in lock.entries {
      switch entry.key.kind {
      case .ssm, .ssmSecure:
        guard entry.pin.version != nil else { continue }
        let name = entry.key.name
        switch versionsByName[name] {
        case .success(let summary)?:
          findings += Self.findings(
            for: entry, versions: summary.versions, labelled: summary.labelled)
        case .failure(let failure)?:
          findings += Self.unanswered(entry, failure, lockPath, into: &diagnostics)
        case nil:
          break
        }
      case .secretsManager:
        guard entry.pin.versionId != nil else { continue }
        let name = entry.key.name
        switch secretsByName[name] {
        case .success(let list)?:
          if list.deletedDate != nil {
            findings.append(Finding(entry: entry, reason: .scheduledForDeletion))
          }
          findings += Self.findings(for: entry, secret: list)
        case .failure(let failure)?:
          findings += Self.unanswered(entry, failure, lockPath, into: &diagnostics)
        case nil:
          break
        }
      }
    }
    return findings
  }

  /// A store that has no such entry: a finding. Any other refusal says nothing of the pin: a
  /// diagnostic naming the entry and the lockfile, and a finding that it was not checked.
  private static func unanswered(
    _ entry: LockEntry, _ failure: ResolutionFailure, _ lockPath: String,
    into diagnostics: inout Diagnostics
  ) -> [Finding] {
    switch failure {
    case .parameterNotFound, .parameterElsewhere, .publicParameterNotCopied, .secretNotFound:
      return [Finding(entry: entry, reason: .entryGone(failure))]
    default:
      diagnostics.report(
        Diagnostic(
          failure.code, "\(LockRules.describe(entry.key)): \(failure)", file: lockPath, range: nil))
      return [Finding(entry: entry, reason: .notChecked(failure))]
    }
  }

  /// How a parameter pin stands against the versions the store keeps (oldest first) and those
  /// that carry a label (which never roll off): gone, behind the latest, or near the roll-off.
  public static func findings(for entry: LockEntry, versions: [Int], labelled: Set<Int>)
    -> [Finding]
  {
    guard let pinned = entry.pin.version else { return [] }
    guard versions.contains(pinned) else { return [Finding(entry: entry, reason: .pinGone)] }
    var findings: [Finding] = []
    if entry.key.selector == .latest, let latest = versions.last, latest > pinned {
      findings.append(Finding(entry: entry, reason: .newerVersion(latest: String(latest))))
    }
    if !labelled.contains(pinned), versions.count >= historyLimit - rollOffWarning,
      let position = versions.firstIndex(of: pinned)
    {
      let remaining = position + 1 + (historyLimit - versions.count)
      if remaining <= rollOffWarning {
        findings.append(Finding(entry: entry, reason: .nearRollOff(remaining: remaining)))
      }
    }
    return findings
  }

  /// How a secret pin stands against the secret's versions: gone, or behind the staging label
  /// it was taken from (`AWSCURRENT` moved by a `put-secret-value` or a rotation). A pin the
  /// reference names by version id moves only with the template.
  public static func findings(for entry: LockEntry, secret list: SecretVersionList) -> [Finding] {
    guard let pinned = entry.pin.versionId else { return [] }
    guard list.version(id: pinned) != nil else { return [Finding(entry: entry, reason: .pinGone)] }
    guard entry.key.requestedVersionID == nil,
      let stage = entry.pin.stage ?? entry.key.secretStage
    else { return [] }
    let now = list.version(staged: stage)?.versionID
    guard now != pinned else { return [] }
    return [Finding(entry: entry, reason: .stageMoved(stage: stage, to: now ?? ""))]
  }

  struct ParameterVersionsSummary: Sendable {
    var versions: [Int]
    var labelled: Set<Int>
  }

  private static func summary(
    of name: String, _ answer: Result<ParameterVersionList, StoreError>,
    _ publicParameters: PublicParameters
  ) -> Result<ParameterVersionsSummary, ResolutionFailure> {
    switch answer {
    case .success(let list):
      return .success(
        ParameterVersionsSummary(
          versions: list.versions.map(\.version),
          labelled: Set(list.versions.filter { !$0.labels.isEmpty }.map(\.version))))
    case .failure(let error):
      return .failure(.parameterLookup(name, failedWith: error, publicParameters))
    }
  }
}
