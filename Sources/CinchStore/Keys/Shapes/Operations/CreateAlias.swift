/// `CreateAlias`: `alias/NAME` for a customer-managed key.
public struct CreateAliasRequest: Codable, Sendable, Hashable {
  public var aliasName: String
  public var targetKeyID: String

  public init(aliasName: String, targetKeyID: String) {
    self.aliasName = aliasName
    self.targetKeyID = targetKeyID
  }

  enum CodingKeys: String, CodingKey {
    case aliasName = "AliasName"
    case targetKeyID = "TargetKeyId"
  }
}

/// `CreateAlias` answers with an empty object.
public struct CreateAliasResponse: Codable, Sendable, Hashable {
  public init() {}
}
