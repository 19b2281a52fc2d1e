public import Foundation

/// One parameter version as `GetParameter`, `GetParameters` and `GetParametersByPath`
/// return it (AWS shape `Parameter`).
public struct Parameter: Codable, Sendable, Hashable {
  /// The name as it was created (`/a/b`, or `a` / `/a` for a one-level name).
  public var name: String
  public var type: ParameterType
  /// The value, or for a `SecureString` read without decryption the sealed value
  /// as opaque base64.
  public var value: String
  public var version: Int
  /// `:3` or `:label` when the request named a version or label.
  public var selector: String?
  /// For `/aws/reference/secretsmanager/…` reads: the raw answer of the service referenced.
  public var sourceResult: String?
  public var lastModifiedDate: Date
  public var arn: String
  public var dataType: ParameterDataType

  public init(
    name: String, type: ParameterType, value: String, version: Int, selector: String? = nil,
    sourceResult: String? = nil, lastModifiedDate: Date, arn: String, dataType: ParameterDataType
  ) {
    self.name = name
    self.type = type
    self.value = value
    self.version = version
    self.selector = selector
    self.sourceResult = sourceResult
    self.lastModifiedDate = lastModifiedDate
    self.arn = arn
    self.dataType = dataType
  }

  /// Members AWS may leave out are read as absent: a `/aws/reference/secretsmanager/` answer
  /// has no `DataType`, and none of a binary secret's `Value`.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    name = try container.decode(String.self, forKey: .name)
    type = try container.decode(ParameterType.self, forKey: .type)
    value = try container.decodeIfPresent(String.self, forKey: .value) ?? ""
    version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 0
    selector = try container.decodeIfPresent(String.self, forKey: .selector)
    sourceResult = try container.decodeIfPresent(String.self, forKey: .sourceResult)
    lastModifiedDate = try container.decode(Date.self, forKey: .lastModifiedDate)
    arn = try container.decode(String.self, forKey: .arn)
    dataType = try container.decodeIfPresent(ParameterDataType.self, forKey: .dataType) ?? .text
  }

  /// As AWS sends it; a Secrets Manager reference (`SourceResult` set) without `DataType`, and
  /// without `Value` for a binary secret (reported: floci-io/floci's test measured on AWS).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    let isSecretReference = sourceResult != nil
    try container.encode(name, forKey: .name)
    try container.encode(type, forKey: .type)
    if !(isSecretReference && value.isEmpty) { try container.encode(value, forKey: .value) }
    try container.encode(version, forKey: .version)
    try container.encodeIfPresent(selector, forKey: .selector)
    try container.encodeIfPresent(sourceResult, forKey: .sourceResult)
    try container.encode(lastModifiedDate, forKey: .lastModifiedDate)
    try container.encode(arn, forKey: .arn)
    if !isSecretReference { try container.encode(dataType, forKey: .dataType) }
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case type = "Type"
    case value = "Value"
    case version = "Version"
    case selector = "Selector"
    case sourceResult = "SourceResult"
    case lastModifiedDate = "LastModifiedDate"
    case arn = "ARN"
    case dataType = "DataType"
  }
}
