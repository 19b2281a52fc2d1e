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
public typealias RestoreSecretRequest = SecretIDRequest

public typealias RestoreSecretResponse = SecretIdentity
