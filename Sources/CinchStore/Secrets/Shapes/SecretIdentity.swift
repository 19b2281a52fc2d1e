/// A request that names one secret and nothing else (`SecretId`: a name, full ARN or partial
/// ARN), for operations whose shape is only that.
public struct SecretIDRequest: Codable, Sendable, Hashable {
  public var secretID: String

  public init(secretID: String) { self.secretID = secretID }

  enum CodingKeys: String, CodingKey {
    case secretID = "SecretId"
  }
}

/// An answer that names the secret acted on and nothing else: its `ARN` and `Name`.
public struct SecretIdentity: Codable, Sendable, Hashable {
  public var arn: String
  public var name: String

  public init(arn: String, name: String) {
    self.arn = arn
    self.name = name
  }

  enum CodingKeys: String, CodingKey {
    case arn = "ARN"
    case name = "Name"
  }
}
