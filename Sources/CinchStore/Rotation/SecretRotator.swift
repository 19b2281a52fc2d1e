/// One of the four steps of a rotation, in the order they run.
public enum RotationStep: String, Codable, CaseIterable, Sendable {
  case createSecret
  case setSecret
  case testSecret
  case finishSecret
}

/// What a rotator is told for each step: the JSON a rotation Lambda receives,
/// `{"SecretId": ARN, "ClientRequestToken": VERSION-ID, "Step": STEP}`.
public struct RotationEvent: Codable, Sendable, Hashable {
  /// The secret's full ARN.
  public var secretID: String
  /// The `VersionId` of the pending version.
  public var clientRequestToken: String
  public var step: RotationStep

  public init(secretID: String, clientRequestToken: String, step: RotationStep) {
    self.secretID = secretID
    self.clientRequestToken = clientRequestToken
    self.step = step
  }

  enum CodingKeys: String, CodingKey {
    case secretID = "SecretId"
    case clientRequestToken = "ClientRequestToken"
    case step = "Step"
  }
}

/// A rotator runs each step the way a rotation Lambda does: through ordinary `SecretStore`
/// operations on the pending version (createSecret puts it with `AWSPENDING`, finishSecret moves
/// `AWSCURRENT` to it). Throwing fails the step; the rotation stops there and AWSCURRENT stays
/// where it was.
public protocol SecretRotator: Sendable {
  func run(_ event: RotationEvent, context: RotationContext) async throws
}

/// What a rotator works with.
public struct RotationContext: Sendable {
  /// The store, for the rotator's reads and writes (audited like any caller's).
  public var store: any SecretStore
  /// The policy kept with the secret for the built-in `password` rotator.
  public var passwordPolicy: PasswordPolicy?

  public init(store: any SecretStore, passwordPolicy: PasswordPolicy?) {
    self.store = store
    self.passwordPolicy = passwordPolicy
  }
}

/// A step that failed with the rotator's own words (a command's standard error). The store
/// removes every secret value the rotator could have known before it keeps or shows them.
public struct RotatorFailure: Error, Sendable, CustomStringConvertible {
  /// What went wrong, in cinch's words (or a built-in rotator's): recorded in the secret's
  /// `CinchRotation.LastFailure` and returned by `RotateSecret`, so it never quotes the rotator.
  public var message: String
  /// What a command rotator wrote to standard error: its own words, which may hold any value it
  /// read. Shown only to whoever ran the rotation (scrubbed), never stored or served.
  public var output: String?

  public init(_ message: String, output: String? = nil) {
    self.message = message
    self.output = output
  }

  public var description: String { message }
}

/// What runs rotations for a store: the rotators that run in this process (the built-in
/// `password`; tests add their own) and the environment given to command rotators.
public struct RotationHost: Sendable {
  public var builtIns: [String: any SecretRotator]
  /// Added to a command rotator's environment, over the inherited one: where the store is and
  /// how to unlock it (paths and names, never key material or a secret value).
  public var environment: [String: String]
  /// Whether command rotators inherit this process's environment (default true).
  public var inheritsEnvironment: Bool

  public init(
    builtIns: [String: any SecretRotator], environment: [String: String] = [:],
    inheritsEnvironment: Bool = true
  ) {
    self.builtIns = builtIns
    self.environment = environment
    self.inheritsEnvironment = inheritsEnvironment
  }

  /// The built-in `password` rotator and nothing added to the environment.
  public static var standard: RotationHost {
    RotationHost(builtIns: [PasswordRotator.name: PasswordRotator()])
  }
}
