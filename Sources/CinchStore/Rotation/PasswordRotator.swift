import CinchJSON
import Foundation

/// The built-in rotator `password`: a new random password (per the secret's password policy,
/// the options of `GetRandomPassword`) written into the `password` key of a JSON-object secret,
/// every other key kept; a secret that is not a JSON object is replaced by the password alone.
/// Nothing outside the store holds the password, so `setSecret` has nothing to do and
/// `testSecret` checks the pending version. It follows the steps of AWS's rotation template,
/// through ordinary store operations.
public struct PasswordRotator: SecretRotator {
  public static let name = "password"

  public init() {}

  public func run(_ event: RotationEvent, context: RotationContext) async throws {
    let store = context.store
    let arn = event.secretID
    let token = event.clientRequestToken
    switch event.step {
    case .createSecret:
      let current = try await Self.value(
        store, GetSecretValueRequest(secretID: arn, versionStage: SecretStage.current))
      if try await Self.value(
        store,
        GetSecretValueRequest(secretID: arn, versionID: token, versionStage: SecretStage.pending))
        != nil
      {
        return
      }
      let generator = try RandomPasswordGenerator(context.passwordPolicy ?? PasswordPolicy())
      let password = generator.generate()
      let updated = try Self.replacingPassword(in: current, with: password)
      _ = try await store.putSecretValue(
        PutSecretValueRequest(
          secretID: arn, clientRequestToken: token, secretString: updated,
          versionStages: [SecretStage.pending]))
    case .setSecret:
      return
    case .testSecret:
      guard
        let pending = try await Self.value(
          store,
          GetSecretValueRequest(secretID: arn, versionID: token, versionStage: SecretStage.pending))
      else {
        // `RotateImmediately=false`: the pending version is still empty; the configuration
        // (the policy) is what there is to test.
        _ = try RandomPasswordGenerator(context.passwordPolicy ?? PasswordPolicy())
        return
      }
      guard pending.secretString != nil else {
        throw RotatorFailure("the pending version holds no SecretString")
      }
    case .finishSecret:
      let description = try await store.describeSecret(DescribeSecretRequest(secretID: arn))
      let current = description.versionIDsToStages?.versionID(staged: SecretStage.current)
      if current == token { return }
      _ = try await store.updateSecretVersionStage(
        UpdateSecretVersionStageRequest(
          secretID: arn, versionStage: SecretStage.current, removeFromVersionID: current,
          moveToVersionID: token))
    }
  }

  /// The value, or nil when there is no such version (or it is still empty).
  static func value(_ store: any SecretStore, _ request: GetSecretValueRequest) async throws
    -> GetSecretValueResponse?
  {
    do {
      return try await store.getSecretValue(request)
    } catch let error as StoreError where error.code == "ResourceNotFoundException" {
      return nil
    }
  }

  /// The current value with its `password` replaced.
  static func replacingPassword(in current: GetSecretValueResponse?, with password: String) throws
    -> String
  {
    guard let current else { return password }
    if current.secretBinary != nil {
      throw RotatorFailure(
        "the password rotator rotates SecretString values; this secret is binary")
    }
    let text = current.secretString ?? ""
    guard text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") else {
      return password
    }
    guard case .object(var object)? = try? JSONValueParser.parse(text) else {
      throw RotatorFailure("the current value starts like a JSON object but is not valid JSON")
    }
    object["password"] = .string(password)
    return JSONValue.object(object).compact()
  }
}
