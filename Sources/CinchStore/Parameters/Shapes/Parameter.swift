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
