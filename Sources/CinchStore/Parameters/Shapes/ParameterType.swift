/// `String`, `StringList` or `SecureString`. Kept as the text the caller sent, so that an unknown
/// type reaches the store and fails with AWS's `ValidationException` rather than a decoding error.
public struct ParameterType: RawRepresentable, Hashable, Sendable, Codable,
  ExpressibleByStringLiteral, CustomStringConvertible
{
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }

  public static let string: ParameterType = "String"
  public static let stringList: ParameterType = "StringList"
  public static let secureString: ParameterType = "SecureString"

  /// The types AWS accepts, in the order its messages list them.
  static let known: [ParameterType] = [.secureString, .stringList, .string]

  public var description: String { rawValue }
}

/// `Standard`, `Advanced` or `Intelligent-Tiering` (a request-only choice: the stored tier is
/// `Standard` or `Advanced`).
public struct ParameterTier: RawRepresentable, Hashable, Sendable, Codable,
  ExpressibleByStringLiteral, CustomStringConvertible
{
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }

  public static let standard: ParameterTier = "Standard"
  public static let advanced: ParameterTier = "Advanced"
  public static let intelligentTiering: ParameterTier = "Intelligent-Tiering"

  static let known: [ParameterTier] = [.standard, .advanced, .intelligentTiering]

  /// The most characters a value may have in this tier, counted as `ParameterValueRules.size`
  /// counts them (UTF-16 code units).
  var valueLimit: Int { self == .advanced ? 8192 : 4096 }

  public var description: String { rawValue }
}

/// `text` (the default), `aws:ec2:image` or `aws:ssm:integration`.
public struct ParameterDataType: RawRepresentable, Hashable, Sendable, Codable,
  ExpressibleByStringLiteral, CustomStringConvertible
{
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }

  public static let text: ParameterDataType = "text"
  public static let ec2Image: ParameterDataType = "aws:ec2:image"
  public static let ssmIntegration: ParameterDataType = "aws:ssm:integration"

  static let known: [ParameterDataType] = [.text, .ec2Image, .ssmIntegration]

  public var description: String { rawValue }
}
