/// The options of `GetRandomPassword`, also kept with a secret as the policy of the built-in
/// `password` rotator. Every member is optional, with AWS's defaults: 32 characters, every
/// character class, a space excluded, at least one character of each included class.
public struct PasswordPolicy: Codable, Sendable, Hashable {
  public var passwordLength: Int?
  public var excludeCharacters: String?
  public var excludeNumbers: Bool?
  public var excludePunctuation: Bool?
  public var excludeUppercase: Bool?
  public var excludeLowercase: Bool?
  public var includeSpace: Bool?
  public var requireEachIncludedType: Bool?

  public init(
    passwordLength: Int? = nil, excludeCharacters: String? = nil, excludeNumbers: Bool? = nil,
    excludePunctuation: Bool? = nil, excludeUppercase: Bool? = nil, excludeLowercase: Bool? = nil,
    includeSpace: Bool? = nil, requireEachIncludedType: Bool? = nil
  ) {
    self.passwordLength = passwordLength
    self.excludeCharacters = excludeCharacters
    self.excludeNumbers = excludeNumbers
    self.excludePunctuation = excludePunctuation
    self.excludeUppercase = excludeUppercase
    self.excludeLowercase = excludeLowercase
    self.includeSpace = includeSpace
    self.requireEachIncludedType = requireEachIncludedType
  }

  enum CodingKeys: String, CodingKey {
    case passwordLength = "PasswordLength"
    case excludeCharacters = "ExcludeCharacters"
    case excludeNumbers = "ExcludeNumbers"
    case excludePunctuation = "ExcludePunctuation"
    case excludeUppercase = "ExcludeUppercase"
    case excludeLowercase = "ExcludeLowercase"
    case includeSpace = "IncludeSpace"
    case requireEachIncludedType = "RequireEachIncludedType"
  }
}
