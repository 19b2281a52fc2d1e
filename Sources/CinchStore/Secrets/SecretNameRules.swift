import Foundation

/// Secret names and ARNs (`reference: aws-store-semantics §2.1`): names of 1–512 ASCII letters,
/// digits and `/_+=.@-`; the ARN is `arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME-xxxxxx`
/// with six random letters and digits; a `SecretId` is a name, the full ARN or the ARN without
/// its suffix (a partial ARN).
enum SecretNameRules {
  static let maximumLength = 512
  static let suffixLength = 6

  static func isNameCharacter(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      true
    default:
      "/_+=.@-".utf8.contains(byte)
    }
  }

  /// Checks a name given to `CreateSecret`.
  static func validate(_ name: String) throws(StoreError) {
    guard !name.isEmpty else {
      throw .constraint(
        value: name, at: "name", "Member must have length greater than or equal to 1")
    }
    guard name.utf8.count <= maximumLength else {
      throw .constraint(
        value: name, at: "name", "Member must have length less than or equal to \(maximumLength)")
    }
    guard name.utf8.allSatisfy(isNameCharacter) else { throw .invalidSecretName }
  }

  /// Checks a `SecretId`: 1 to 2048 characters, and those of a name (an ARN's colons aside);
  /// AWS refuses any other with the name's own `ValidationException` before it looks the secret
  /// up (LocalStack's `test_invalid_secret_name`, validated against AWS), so `#` or a space is
  /// never "not found".
  static func validateID(_ id: String, field: String = "secretId") throws(StoreError) {
    guard !id.isEmpty else {
      throw .constraint(value: id, at: field, "Member must have length greater than or equal to 1")
    }
    guard id.utf8.count <= 2048 else {
      throw .constraint(
        value: String(id.prefix(64)) + "…", at: field,
        "Member must have length less than or equal to 2048")
    }
    let isARN = id.hasPrefix("arn:")
    guard id.utf8.allSatisfy({ isNameCharacter($0) || (isARN && $0 == UInt8(ascii: ":")) }) else {
      throw .invalidSecretName
    }
  }

  /// Six random ASCII letters and digits.
  static func randomSuffix() throws -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    var generator = SecureRandomGenerator()
    return String(
      (0..<suffixLength).map { _ in alphabet[generator.uniform(below: alphabet.count)] })
  }

  static func arn(name: String, suffix: String, _ configuration: StoreConfiguration) -> String {
    configuration.secretARNPrefix + name + "-" + suffix
  }

  /// What a `SecretId` can name.
  enum Reference: Equatable {
    case name(String)
    /// The part of an ARN after `secret:`: a name with its suffix (full ARN) or without it
    /// (partial ARN).
    case arn(String)
    /// An ARN of another region, account or service: it names nothing in this store.
    case foreign
  }

  static func reference(_ id: String, _ configuration: StoreConfiguration) -> Reference {
    guard id.hasPrefix("arn:") else { return .name(id) }
    let prefix = configuration.secretARNPrefix
    guard id.hasPrefix(prefix), id.utf8.count > prefix.utf8.count else { return .foreign }
    // The prefix is ASCII, so what follows it starts on a character boundary.
    return .arn(String(decoding: id.utf8.dropFirst(prefix.utf8.count), as: UTF8.self))
  }

  /// `arn:aws:lambda:REGION:ACCOUNT:function:NAME` (optionally `:QUALIFIER`) → `NAME`.
  static func rotatorName(fromLambdaARN arn: String) -> String? {
    let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count >= 7, parts[0] == "arn", parts[2] == "lambda", parts[5] == "function",
      !parts[6].isEmpty
    else { return nil }
    return String(parts[6])
  }

  /// The Lambda ARN that stands for a rotator named `name` in this store's region and account.
  static func lambdaARN(rotator name: String, _ configuration: StoreConfiguration) -> String {
    "arn:\(configuration.partition):lambda:\(configuration.region):\(configuration.accountID):"
      + "function:\(name)"
  }
}

/// A cryptographically secure `RandomNumberGenerator` over OpenSSL's `RAND_bytes`.
struct SecureRandomGenerator: RandomNumberGenerator {
  mutating func next() -> UInt64 {
    guard let bytes = try? Crypto.randomBytes(8) else {
      fatalError("the system random number generator failed")
    }
    return bytes.reduce(0) { $0 << 8 | UInt64($1) }
  }
}

extension RandomNumberGenerator {
  /// A uniform integer in `0..<bound`, without modulo bias.
  mutating func uniform(below bound: Int) -> Int {
    precondition(bound > 0)
    let limit = UInt64(bound)
    let threshold = (0 &- limit) % limit
    while true {
      let value = next()
      if value >= threshold { return Int(value % limit) }
    }
  }
}
