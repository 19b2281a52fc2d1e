public import Foundation

/// A KMS-style key as `CreateKey` and `DescribeKey` report it (AWS KMS shape `KeyMetadata`).
public struct KeyMetadata: Codable, Sendable, Hashable {
  public var awsAccountID: String
  public var keyID: String
  public var arn: String
  public var creationDate: Date
  public var enabled: Bool
  public var description: String
  public var keyUsage: String
  public var keyState: String
  public var origin: String
  /// `AWS` for `aws/ssm` and `aws/secretsmanager`, `CUSTOMER` for keys from `CreateKey`.
  public var keyManager: String
  public var customerMasterKeySpec: String
  public var keySpec: String
  public var encryptionAlgorithms: [String]
  public var multiRegion: Bool

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
