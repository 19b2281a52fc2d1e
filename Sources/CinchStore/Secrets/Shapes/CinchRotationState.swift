public import Foundation

/// cinch's own rotation facts about a secret, returned by `DescribeSecret` under the member
/// `CinchRotation` (not an AWS member: AWS clients ignore it). AWS keeps the equivalent in the
/// rotation Lambda's configuration and its logs.
public struct CinchRotationState: Codable, Sendable, Hashable {
  /// The rotator that runs the four steps: `password` (built in) or a registered command.
  public var rotator: String?
  /// The policy of the built-in `password` rotator.
  public var passwordPolicy: PasswordPolicy?
  /// The last rotation that failed and has not been completed since.
  public var lastFailure: RotationFailure?

  public init(
    rotator: String? = nil, passwordPolicy: PasswordPolicy? = nil,
    lastFailure: RotationFailure? = nil
  ) {
    self.rotator = rotator
    self.passwordPolicy = passwordPolicy
    self.lastFailure = lastFailure
  }

  enum CodingKeys: String, CodingKey {
    case rotator = "Rotator"
    case passwordPolicy = "PasswordPolicy"
    case lastFailure = "LastFailure"
  }
}

/// A failed rotation step: which step, of which pending version, and what the rotator said
/// (with every secret value it could have known replaced by `<redacted>`).
public struct RotationFailure: Codable, Sendable, Hashable {
  public var step: String
  public var versionID: String
  public var message: String
  public var failedDate: Date

  public init(step: String, versionID: String, message: String, failedDate: Date) {
    self.step = step
    self.versionID = versionID
    self.message = message
    self.failedDate = failedDate
  }

  enum CodingKeys: String, CodingKey {
    case step = "Step"
    case versionID = "VersionId"
    case message = "Message"
    case failedDate = "FailedDate"
  }
}
