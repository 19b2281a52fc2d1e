/// `PutResourcePolicy`: attaches a resource-based policy to a secret. The embedded store refuses
/// it (it would keep a policy it never enforces); the AWS backend sends it to AWS.
public struct PutResourcePolicyRequest: Codable, Sendable, Hashable {
  public var secretID: String
  public var resourcePolicy: String
  public var blockPublicPolicy: Bool?

  public init(secretID: String, resourcePolicy: String, blockPublicPolicy: Bool? = nil) {
    self.secretID = secretID
    self.resourcePolicy = resourcePolicy
    self.blockPublicPolicy = blockPublicPolicy
  }

  enum CodingKeys: String, CodingKey {
    case secretID = "SecretId"
    case resourcePolicy = "ResourcePolicy"
    case blockPublicPolicy = "BlockPublicPolicy"
  }
}

public typealias PutResourcePolicyResponse = SecretIdentity
