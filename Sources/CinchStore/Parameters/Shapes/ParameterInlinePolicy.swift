/// A parameter policy as AWS reports it (AWS shape `ParameterInlinePolicy`).
public struct ParameterInlinePolicy: Codable, Sendable, Hashable {
  public var policyText: String?
  public var policyType: String?
  public var policyStatus: String?

  public init(policyText: String? = nil, policyType: String? = nil, policyStatus: String? = nil) {
    self.policyText = policyText
    self.policyType = policyType
    self.policyStatus = policyStatus
  }

  enum CodingKeys: String, CodingKey {
    case policyText = "PolicyText"
    case policyType = "PolicyType"
    case policyStatus = "PolicyStatus"
  }
}
