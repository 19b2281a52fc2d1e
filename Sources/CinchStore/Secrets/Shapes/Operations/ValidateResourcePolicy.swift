/// `ValidateResourcePolicy`: checks a resource-based policy (with IAM Access Analyzer) before it
/// is attached. The embedded store refuses it, as it refuses `PutResourcePolicy`; the AWS
/// backend sends it to AWS.
public struct ValidateResourcePolicyRequest: Codable, Sendable, Hashable {
  public var secretID: String?
  public var resourcePolicy: String

  public init(secretID: String? = nil, resourcePolicy: String) {
    self.secretID = secretID
    self.resourcePolicy = resourcePolicy
  }

  enum CodingKeys: String, CodingKey {
    case secretID = "SecretId"
    case resourcePolicy = "ResourcePolicy"
  }
}

public struct ValidateResourcePolicyResponse: Codable, Sendable, Hashable {
  /// One finding of the validation.
  public struct ValidationError: Codable, Sendable, Hashable {
    public var checkName: String?
    public var errorMessage: String?

    public init(checkName: String? = nil, errorMessage: String? = nil) {
      self.checkName = checkName
      self.errorMessage = errorMessage
    }

    enum CodingKeys: String, CodingKey {
      case checkName = "CheckName"
      case errorMessage = "ErrorMessage"
    }
  }

  public var policyValidationPassed: Bool?
  public var validationErrors: [ValidationError]?

  public init(policyValidationPassed: Bool? = nil, validationErrors: [ValidationError]? = nil) {
    self.policyValidationPassed = policyValidationPassed
    self.validationErrors = validationErrors
  }

  enum CodingKeys: String, CodingKey {
    case policyValidationPassed = "PolicyValidationPassed"
    case validationErrors = "ValidationErrors"
  }
}
