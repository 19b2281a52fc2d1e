/// `GetRandomPassword`: the request members are those of `PasswordPolicy`.
public typealias GetRandomPasswordRequest = PasswordPolicy

public struct GetRandomPasswordResponse: Codable, Sendable, Hashable {
  public var randomPassword: String

  public init(randomPassword: String) { self.randomPassword = randomPassword }

  enum CodingKeys: String, CodingKey {
    case randomPassword = "RandomPassword"
  }
}
