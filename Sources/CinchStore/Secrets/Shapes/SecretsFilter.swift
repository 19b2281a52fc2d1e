/// A `ListSecrets` / `BatchGetSecretValue` filter (AWS shape `Filter`): `description`, `name`,
/// `tag-key`, `tag-value`, `primary-region`, `owning-service` or `all`; a value that starts with
/// `!` excludes what it matches.
public struct SecretsFilter: Codable, Sendable, Hashable {
  public var key: String
  public var values: [String]?

  public init(key: String, values: [String]? = nil) {
    self.key = key
    self.values = values
  }

  enum CodingKeys: String, CodingKey {
    case key = "Key"
    case values = "Values"
  }
}
