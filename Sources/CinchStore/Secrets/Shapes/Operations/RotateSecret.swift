/// `RotateSecret`: configure rotation (rotator, schedule) and, unless `RotateImmediately` is
/// false, rotate now through the four steps.
public struct RotateSecretRequest: Codable, Sendable, Hashable {
  public var secretID: String
  /// The pending version's `VersionId`; generated when nil. A rotation left unfinished is
  /// resumed with its own token.
  public var clientRequestToken: String?
  /// `arn:aws:lambda:REGION:ACCOUNT:function:NAME` selects the rotator registered as `NAME`.
  public var rotationLambdaARN: String?
  public var rotationRules: RotationRules?
  /// Default true. False runs only `testSecret` against a pending version that is then removed.
  public var rotateImmediately: Bool?
  /// The built-in `password` rotator's policy (cinch's own member).
  public var passwordPolicy: PasswordPolicy?

  public init(
    secretID: String, clientRequestToken: String? = nil, rotationLambdaARN: String? = nil,
    rotationRules: RotationRules? = nil, rotateImmediately: Bool? = nil,
    passwordPolicy: PasswordPolicy? = nil
  ) {
    self.secretID = secretID
    self.clientRequestToken = clientRequestToken
    self.rotationLambdaARN = rotationLambdaARN
    self.rotationRules = rotationRules
    self.rotateImmediately = rotateImmediately
    self.passwordPolicy = passwordPolicy
  }

  enum CodingKeys: String, CodingKey {
    case secretID = "SecretId"
    case clientRequestToken = "ClientRequestToken"
    case rotationLambdaARN = "RotationLambdaARN"
    case rotationRules = "RotationRules"
    case rotateImmediately = "RotateImmediately"
    case passwordPolicy = "CinchPasswordPolicy"
  }
}

public struct RotateSecretResponse: Codable, Sendable, Hashable {
  public var arn: String
  public var name: String
  /// The version the rotation created (absent when `RotateImmediately` was false).
  public var versionID: String?

  public init(arn: String, name: String, versionID: String? = nil) {
    self.arn = arn
    self.name = name
    self.versionID = versionID
  }

  enum CodingKeys: String, CodingKey {
    case arn = "ARN"
    case name = "Name"
    case versionID = "VersionId"
  }
}

/// `CancelRotateSecret`: turn automatic rotation off.
public struct CancelRotateSecretRequest: Codable, Sendable, Hashable {
  public var secretID: String

  public init(secretID: String) { self.secretID = secretID }

  enum CodingKeys: String, CodingKey {
    case secretID = "SecretId"
  }
}

public struct CancelRotateSecretResponse: Codable, Sendable, Hashable {
  public var arn: String
  public var name: String
  /// The version an unfinished rotation left with AWSPENDING, if any: remove the label (with
  /// `UpdateSecretVersionStage`) so the next rotation starts afresh.
  public var versionID: String?

  public init(arn: String, name: String, versionID: String? = nil) {
    self.arn = arn
    self.name = name
    self.versionID = versionID
  }

  enum CodingKeys: String, CodingKey {
    case arn = "ARN"
    case name = "Name"
    case versionID = "VersionId"
  }
}
