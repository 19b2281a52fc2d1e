public import CinchStore

/// The store as the compiler reads it: decrypted values for `lock`, `render` and `plan`,
/// metadata only for `outdated` and `check`, and the keyed fingerprint a lockfile records.
/// Built at the edge from whichever backend the user named.
public struct StoreReader: Sendable {
  public var parameters: any ParameterResolver & ParameterCatalog
  /// Secrets Manager: values (batched) and each secret's metadata (its versions, stages, key
  /// and deletion date).
  public var secrets: any SecretResolver & SecretCatalog
  public var fingerprinter: any ValueFingerprinter
  public var publicParameters: PublicParameters

  public init(
    parameters: any ParameterResolver & ParameterCatalog,
    secrets: any SecretResolver & SecretCatalog, fingerprinter: any ValueFingerprinter,
    publicParameters: PublicParameters = .copiesOnly
  ) {
    self.parameters = parameters
    self.secrets = secrets
    self.fingerprinter = fingerprinter
    self.publicParameters = publicParameters
  }

  /// Names the fingerprint key without revealing it: the key's fingerprint of an empty value
  /// under an entry name no reference can have (every real entry starts `ssm:` or
  /// `secretsmanager:`). Two stores, or two `CINCH_FINGERPRINT_KEY`s, give two ids.
  public var fingerprintKeyID: String {
    fingerprinter.fingerprint(of: SecretBytes(utf8: ""), entry: "cinch:fingerprint-key")
  }
}

/// Where a store's `/aws/service/…` parameters come from.
public enum PublicParameters: Sendable {
  /// AWS publishes them in every region: one that is missing does not exist there.
  case published
  /// The embedded store holds only the copies it was given (`cinch ssm put-public-parameter`).
  case copiesOnly
}
