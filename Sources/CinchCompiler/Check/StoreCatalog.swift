public import CinchStore

/// The store as `cinch check` sees it: metadata only. It holds the catalog protocols and
/// nothing else, so the checker cannot read a value or ask for a decryption even by mistake
/// (`StoreReader`, the resolver's view, is never given to it).
public struct StoreCatalog: Sendable {
  public var parameters: any ParameterCatalog
  public var secrets: any SecretCatalog
  public var publicParameters: PublicParameters

  public init(
    parameters: any ParameterCatalog, secrets: any SecretCatalog,
    publicParameters: PublicParameters = .copiesOnly
  ) {
    self.parameters = parameters
    self.secrets = secrets
    self.publicParameters = publicParameters
  }
}
