public import Foundation

/// A KMS-style key as `CreateKey` and `DescribeKey` report it (AWS KMS shape `KeyMetadata`).
/// The descriptive fields are optional, as in KMS's model: the embedded store fills every one,
/// another KMS (moto's) may leave some out.
public struct KeyMetadata: Codable, Sendable, Hashable {
  public var awsAccountID: String
  public var keyID: String
  public var arn: String
  public var creationDate: Date
  public var enabled: Bool
  public var description: String?
  public var keyUsage: String?
  public var keyState: String?
  public var origin: String?
  /// `AWS` for `aws/ssm` and `aws/secretsmanager`, `CUSTOMER` for keys from `CreateKey`.
  public var keyManager: String?
  public var customerMasterKeySpec: String?
  public var keySpec: String?
  public var encryptionAlgorithms: [String]?
  public var multiRegion: Bool?

  public init(
    awsAccountID: String, keyID: String, arn: String, creationDate: Date, enabled: Bool,
    description: String, keyUsage: String, keyState: String, origin: String, keyManager: String,
    customerMasterKeySpec: String, keySpec: String, encryptionAlgorithms: [String],
    multiRegion: Bool
  ) {
    self.awsAccountID = awsAccountID
    self.keyID = keyID
    self.arn = arn
    self.creationDate = creationDate
    self.enabled = enabled
    self.description = description
    self.keyUsage = keyUsage
    self.keyState = keyState
    self.origin = origin
    self.keyManager = keyManager
    self.customerMasterKeySpec = customerMasterKeySpec
    self.keySpec = keySpec
    self.encryptionAlgorithms = encryptionAlgorithms
    self.multiRegion = multiRegion
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    awsAccountID = try container.decode(String.self, forKey: .awsAccountID)
    keyID = try container.decode(String.self, forKey: .keyID)
    arn = try container.decode(String.self, forKey: .arn)
    creationDate = try container.decode(Date.self, forKey: .creationDate)
    enabled = try Self.flag(container, .enabled) ?? true
    description = try container.decodeIfPresent(String.self, forKey: .description)
    keyUsage = try container.decodeIfPresent(String.self, forKey: .keyUsage)
    keyState = try container.decodeIfPresent(String.self, forKey: .keyState)
    origin = try container.decodeIfPresent(String.self, forKey: .origin)
    keyManager = try container.decodeIfPresent(String.self, forKey: .keyManager)
    customerMasterKeySpec = try container.decodeIfPresent(
      String.self, forKey: .customerMasterKeySpec)
    keySpec = try container.decodeIfPresent(String.self, forKey: .keySpec)
    encryptionAlgorithms = try container.decodeIfPresent(
      [String].self, forKey: .encryptionAlgorithms)
    multiRegion = try Self.flag(container, .multiRegion)
  }

  /// A boolean, also when sent as the text `true` / `false` (moto sends some that way).
  private static func flag(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys)
    throws -> Bool?
  {
    if let value = try? container.decodeIfPresent(Bool.self, forKey: key) { return value }
    return try container.decodeIfPresent(String.self, forKey: key).map { $0.lowercased() == "true" }
  }

  enum CodingKeys: String, CodingKey {
    case awsAccountID = "AWSAccountId"
    case keyID = "KeyId"
    case arn = "Arn"
    case creationDate = "CreationDate"
    case enabled = "Enabled"
    case description = "Description"
    case keyUsage = "KeyUsage"
    case keyState = "KeyState"
    case origin = "Origin"
    case keyManager = "KeyManager"
    case customerMasterKeySpec = "CustomerMasterKeySpec"
    case keySpec = "KeySpec"
    case encryptionAlgorithms = "EncryptionAlgorithms"
    case multiRegion = "MultiRegion"
  }
}
