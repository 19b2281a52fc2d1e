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

  public init(
    parameters: any ParameterResolver & ParameterCatalog,
    secrets: any SecretResolver & SecretCatalog, fingerprinter: any ValueFingerprinter
  ) {
    self.parameters = parameters
    self.secrets = secrets
    self.fingerprinter = fingerprinter
  }
}
