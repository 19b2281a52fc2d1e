/// `GetRandomPassword` (`reference: aws-store-semantics §2.9`): a password drawn uniformly from
/// the characters the policy allows (letters, digits, the 32 ASCII punctuation characters,
/// optionally a space, less `ExcludeCharacters`), with at least one character of each included
/// class when `RequireEachIncludedType` (the default) holds. The space is not such a class: "the
/// password can contain space characters" with `IncludeSpace`, and the required types are "one
/// upper and lowercase letter, one number, and one punctuation"
/// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetRandomPassword.html).
public struct RandomPasswordGenerator: Sendable {
  public static let defaultLength = 32
  public static let maximumLength = 4096
  public static let lowercase = Array("abcdefghijklmnopqrstuvwxyz")
  public static let uppercase = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
  public static let digits = Array("0123456789")
  public static let punctuation = Array("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

  /// The character classes the policy includes, each less the excluded characters; classes left
  /// empty by `ExcludeCharacters` are not required.
  public let classes: [[Character]]
  /// Characters allowed but never required (the space).
  public let optional: [Character]
  public let length: Int
  public let requireEachIncludedType: Bool

  /// Checks the policy the way `GetRandomPassword` does.
  public init(_ policy: PasswordPolicy) throws(StoreError) {
    let length = policy.passwordLength ?? Self.defaultLength
    guard length >= 1 else {
      throw .constraint(
        value: String(length), at: "passwordLength",
        "Member must have value greater than or equal to 1")
    }
    guard length <= Self.maximumLength else {
      throw .constraint(
        value: String(length), at: "passwordLength",
        "Member must have value less than or equal to \(Self.maximumLength)")
    }
    let excluded = Set(policy.excludeCharacters ?? "")
    guard (policy.excludeCharacters ?? "").count <= 4096 else {
      throw .constraint(
        value: "…", at: "excludeCharacters", "Member must have length less than or equal to 4096")
    }
    var classes: [[Character]] = []
    func include(_ characters: [Character], unless skipped: Bool?) {
      guard skipped != true else { return }
      let kept = characters.filter { !excluded.contains($0) }
      if !kept.isEmpty { classes.append(kept) }
    }
    include(Self.lowercase, unless: policy.excludeLowercase)
    include(Self.uppercase, unless: policy.excludeUppercase)
    include(Self.digits, unless: policy.excludeNumbers)
    include(Self.punctuation, unless: policy.excludePunctuation)
    let optional: [Character] = policy.includeSpace == true && !excluded.contains(" ") ? [" "] : []
    guard !classes.isEmpty || !optional.isEmpty else {
      throw .invalidParameter(
        "The password policy excludes every character: include at least one character type.")
    }
    let requireEach = policy.requireEachIncludedType ?? true
    if requireEach && length < classes.count {
      throw .invalidParameter(
        "PasswordLength \(length) is too short to include a character from each of the "
          + "\(classes.count) included character types.")
    }
    self.classes = classes
    self.optional = optional
    self.length = length
    self.requireEachIncludedType = requireEach
  }

  /// A password from `generator` (the system's secure generator unless a test gives a seeded one).
  public func generate(using generator: inout some RandomNumberGenerator) -> String {
    let all = classes.flatMap { $0 } + optional
    var characters: [Character] = []
    characters.reserveCapacity(length)
    if requireEachIncludedType {
      for characterClass in classes {
        characters.append(characterClass[generator.uniform(below: characterClass.count)])
      }
    }
    while characters.count < length {
      characters.append(all[generator.uniform(below: all.count)])
    }
    // Fisher–Yates, so the required characters are not always first.
    var index = characters.count - 1
    while index > 0 {
      let other = generator.uniform(below: index + 1)
      characters.swapAt(index, other)
      index -= 1
    }
    return String(characters)
  }

  public func generate() -> String {
    var generator = SecureRandomGenerator()
    return generate(using: &generator)
  }
}
