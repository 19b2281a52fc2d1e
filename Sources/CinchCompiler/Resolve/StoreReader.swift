public import CinchStore

/// The store as the compiler reads it: decrypted values for `lock`, `render` and `plan`,
/// metadata only for `outdated` and `check`, and the keyed fingerprint a lockfile records.
/// Built at the edge from whichever backend the user named.
public struct StoreReader: Sendable {
  public var parameters: any ParameterResolver & ParameterCatalog
  public var fingerprinter: any ValueFingerprinter

  public init(
    parameters: any ParameterResolver & ParameterCatalog, fingerprinter: any ValueFingerprinter
  ) {
    self.parameters = parameters
    self.fingerprinter = fingerprinter
  }
}
