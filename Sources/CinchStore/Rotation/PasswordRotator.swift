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
    guard case .object? = try? JSONValueParser.parse(text) else {
      throw RotatorFailure("the current value starts like a JSON object but is not valid JSON")
    }
    // Spliced into the text rather than the document written again, so that every other key
    // keeps its exact text: a number past Int64 or with an exponent, `-0`, the key order and
    // the spacing (a parsed number comes back as a Double, `1e3` as `1000`).
    let encoded = JSONValue.string(password).compact()
    if let value = topLevelValue(of: "password", in: text) {
      var spliced = text
      spliced.replaceSubrange(value, with: encoded)
      return spliced
    }
    guard let close = text.lastIndex(of: "}") else { return text }
    let before = text[..<close]
    let isEmpty = before.drop { $0 != "{" }.dropFirst().allSatisfy(\.isWhitespace)
    return before + (isEmpty ? "" : ",") + "\"password\":" + encoded + text[close...]
  }

  /// Where the value of the top-level member `key` is in `text`, a valid JSON object (the last
  /// such member, as a parser keeps the last of duplicates); nil when it has none.
  static func topLevelValue(of key: String, in text: String) -> Range<String.Index>? {
    let characters = Array(text.unicodeScalars.indices)
    let scalars = text.unicodeScalars
    var position = 0
    func scalar(_ at: Int) -> Unicode.Scalar? {
      at < characters.count ? scalars[characters[at]] : nil
    }
    func skipBlanks() {
      while let next = scalar(position), [" ", "\n", "\r", "\t"].contains(next) { position += 1 }
    }
    /// Past a string that starts at `position`; its text, quotes included.
    func skipString() -> Range<Int> {
      let start = position
      position += 1
      while let next = scalar(position) {
        position += 1
        if next == "\\" { position += 1 } else if next == "\"" { break }
      }
      return start..<position
    }
    func skipValue() {
      guard let first = scalar(position) else { return }
      switch first {
      case "\"":
        _ = skipString()
      case "{", "[":
        var depth = 0
        while let next = scalar(position) {
          if next == "\"" {
            _ = skipString()
            continue
          }
          position += 1
          if next == "{" || next == "[" {
            depth += 1
          } else if next == "}" || next == "]" {
            depth -= 1
            if depth == 0 { return }
          }
        }
      default:
        // A number, `true`, `false` or `null`: up to what ends it.
        while let next = scalar(position), ![",", "}", "]", " ", "\n", "\r", "\t"].contains(next) {
          position += 1
        }
      }
    }
    skipBlanks()
    guard scalar(position) == "{" else { return nil }
    position += 1
    var found: Range<String.Index>?
    while true {
      skipBlanks()
      guard scalar(position) == "\"" else { return found }
      let keyRange = skipString()
      let keyText = String(
        text[characters[keyRange.lowerBound]...characters[keyRange.upperBound - 1]])
      skipBlanks()
      guard scalar(position) == ":" else { return found }
      position += 1
      skipBlanks()
      let start = position
      skipValue()
      if case .string(let name)? = try? JSONValueParser.parse(keyText), name == key,
        position <= characters.count
      {
        let end = position < characters.count ? characters[position] : text.endIndex
        found = characters[start]..<end
      }
      skipBlanks()
      guard scalar(position) == "," else { return found }
      position += 1
    }
  }
}
