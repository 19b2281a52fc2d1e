/// `GetResourcePolicy`: the resource-based policy attached to a secret. Terraform's
/// `aws_secretsmanager_secret` reads it on every refresh.
public typealias GetResourcePolicyRequest = SecretIDRequest

/// `ResourcePolicy` is absent for a secret without a policy, as AWS answers (the embedded store
/// never has one: it does not keep resource policies, Docs/Secrets.md).
public struct GetResourcePolicyResponse: Codable, Sendable, Hashable {
  public var arn: String
  public var name: String
  public var resourcePolicy: String?

  public init(arn: String, name: String, resourcePolicy: String? = nil) {
    self.arn = arn
    self.name = name
    self.resourcePolicy = resourcePolicy
  }

  enum CodingKeys: String, CodingKey {
    case arn = "ARN"
    case name = "Name"
    case resourcePolicy = "ResourcePolicy"
  }
}
