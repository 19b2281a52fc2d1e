public import CinchStore
public import CinchTemplate

/// What a lockfile pins one reference to, as far as a policy cares: the version CloudFormation
/// will be asked for once the rendered template names it.
public struct ReferencePin: Sendable, Hashable {
  /// `ssm` / `ssm-secure`: the parameter version.
  public var version: Int?
  /// `secretsmanager`: the staging label the version was taken from.
  public var versionStage: String?
  /// `secretsmanager`: the version id.
  public var versionID: String?
  /// The KMS key the pinned version is encrypted under, as the store recorded it when the lock
  /// was made (`alias/aws/ssm`, `alias/aws/secretsmanager`, a key id, key ARN or alias): with
  /// no store to ask, the policy's `kms:Decrypt` comes from it.
  public var keyID: String?
  /// False for a reference the lock does not hold: the version the store has now, which
  /// `cinch render` pins it to (`StoreCompletedPins`).
  public var isLocked = true

  public init(
    version: Int? = nil, versionStage: String? = nil, versionID: String? = nil,
    keyID: String? = nil
  ) {
    self.version = version
    self.versionStage = versionStage
    self.versionID = versionID
    self.keyID = keyID
  }
}

/// The pins of a lockfile, looked up per concrete reference. A policy for a rendered template
/// (every reference pinned) allows exactly the pinned versions: `secretsmanager:VersionId` or
/// `secretsmanager:VersionStage` conditions on `GetSecretValue`, and the key of the pinned
/// parameter version.
public protocol LockedPins: Sendable {
  /// The pin of `reference`, as evaluated (`concrete` is what CloudFormation resolves), or nil
  /// when the lock does not hold it.
  func pin(for reference: EvaluatedReference, concrete: Reference) -> ReferencePin?
  /// How findings name the lock: `'cinch.lock'`.
  var lockName: String { get }
}

extension LockedPins {
  public var lockName: String { "the lock" }
}

extension Lockfile: LockedPins {
  /// The entry of the concrete reference: its parameter version, or its secret version id
  /// (what `cinch render` writes into the reference) and the stage it was taken from, and the
  /// key that version is under.
  public func pin(for reference: EvaluatedReference, concrete: Reference) -> ReferencePin? {
    entry(for: ResolutionKey(concrete)).map { entry in
      ReferencePin(
        version: entry.pin.version, versionStage: entry.pin.stage, versionID: entry.pin.versionId,
        keyID: entry.pin.keyID)
    }
  }
}

/// A lock, and for the references it does not hold, what `cinch render --lock` pins them to:
/// the store's current version. A policy for the rendered templates grants a secret's version
/// by the id render writes; without it (no store, or a secret the store does not hold) the
/// version render will pin is not known.
public struct StoreCompletedPins: LockedPins {
  public var lock: Lockfile
  public var lockName: String
  /// By reference: the store's version of each secret reference the lock lacks.
  public var unlocked: [ResolutionKey: ReferencePin]

  public init(lock: Lockfile, name: String, unlocked: [ResolutionKey: ReferencePin] = [:]) {
    self.lock = lock
    self.lockName = "'\(name)'"
    self.unlocked = unlocked
  }

  public func pin(for reference: EvaluatedReference, concrete: Reference) -> ReferencePin? {
    lock.pin(for: reference, concrete: concrete) ?? unlocked[ResolutionKey(concrete)]
  }

  /// The secret references of `analyses` the lock lacks, at the version render pins: the one
  /// that has the stage the reference asks for (`AWSCURRENT` when none), read from `catalog`'s
  /// metadata (never a value). One the catalog does not hold is left out; a reference with its
  /// own version id needs no store.
  public static func completing(
    _ lock: Lockfile, name: String, analyses: [TemplateAnalysis], catalog: any SecretCatalog
  ) async throws -> StoreCompletedPins {
    var missing: [ResolutionKey] = []
    for analysis in analyses {
      for evaluated in analysis.references {
        guard case .concrete(let reference) = evaluated.state,
          reference.kind == .secretsManager, reference.versionId == nil
        else { continue }
        let key = ResolutionKey(reference)
        if lock.entry(for: key) == nil, !missing.contains(key) { missing.append(key) }
      }
    }
    var unlocked: [ResolutionKey: ReferencePin] = [:]
    guard !missing.isEmpty else { return StoreCompletedPins(lock: lock, name: name) }
    let answers = try await catalog.secretVersions(of: missing.map(\.name))
    for (key, answer) in zip(missing, answers) {
      let list: SecretVersionList
      switch answer {
      case .success(let found): list = found
      case .failure(let error)
      where error.code == "ResourceNotFoundException" || RecordedKey.isInvalidName(error):
        continue
      case .failure(let error): throw error
      }
      let stage: String
      if case .stage(let named) = key.selector {
        stage = named
      } else {
        stage = SecretStage.current
      }
      guard let version = list.version(staged: stage) else { continue }
      var pin = ReferencePin(
        versionStage: stage, versionID: version.versionID, keyID: list.keyID(of: version))
      pin.isLocked = false
      unlocked[key] = pin
    }
    return StoreCompletedPins(lock: lock, name: name, unlocked: unlocked)
  }
}
