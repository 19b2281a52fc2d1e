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
