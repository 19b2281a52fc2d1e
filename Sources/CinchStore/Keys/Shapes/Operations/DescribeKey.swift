/// `DescribeKey`: `KeyId` is a key id, key ARN, alias name or alias ARN.
public struct DescribeKeyRequest: Codable, Sendable, Hashable {
  public var keyID: String

  public init(keyID: String) {
    self.keyID = keyID
  }

  enum CodingKeys: String, CodingKey {
    case keyID = "KeyId"
  }
}

/// `DescribeKey`'s answer.
public struct DescribeKeyResponse: Codable, Sendable, Hashable {
  public var keyMetadata: KeyMetadata

  public init(keyMetadata: KeyMetadata) {
    self.keyMetadata = keyMetadata
  }

  enum CodingKeys: String, CodingKey {
    case keyMetadata = "KeyMetadata"
  }
}
