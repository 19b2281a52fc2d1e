public import Foundation

/// `DeleteSecret`: schedule deletion after a 7–30 day recovery window (30 by default), or with
/// `ForceDeleteWithoutRecovery` delete now.
public struct DeleteSecretRequest: Codable, Sendable, Hashable {
  public var secretID: String
  public var recoveryWindowInDays: Int?
  public var forceDeleteWithoutRecovery: Bool?

  public init(
    secretID: String, recoveryWindowInDays: Int? = nil, forceDeleteWithoutRecovery: Bool? = nil
  ) {
    self.secretID = secretID
    self.recoveryWindowInDays = recoveryWindowInDays
    self.forceDeleteWithoutRecovery = forceDeleteWithoutRecovery
  }

  enum CodingKeys: String, CodingKey {
    case secretID = "SecretId"
    case recoveryWindowInDays = "RecoveryWindowInDays"
    case forceDeleteWithoutRecovery = "ForceDeleteWithoutRecovery"
  }
}

public struct DeleteSecretResponse: Codable, Sendable, Hashable {
  public var arn: String
  public var name: String
  /// When the secret is (or was) deleted for good.
  public var deletionDate: Date

  public init(arn: String, name: String, deletionDate: Date) {
    self.arn = arn
    self.name = name
    self.deletionDate = deletionDate
  }

  enum CodingKeys: String, CodingKey {
    case arn = "ARN"
    case name = "Name"
    case deletionDate = "DeletionDate"
  }
}

/// `RestoreSecret`: cancel a scheduled deletion.
public struct RestoreSecretRequest: Codable, Sendable, Hashable {
  public var secretID: String

  public init(secretID: String) { self.secretID = secretID }

  enum CodingKeys: String, CodingKey {
    case secretID = "SecretId"
  }
}

public struct RestoreSecretResponse: Codable, Sendable, Hashable {
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
