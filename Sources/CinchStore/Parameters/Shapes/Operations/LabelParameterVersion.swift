/// `LabelParameterVersion`: attach labels to a version (the latest when none is given),
/// moving them from other versions.
public struct LabelParameterVersionRequest: Codable, Sendable, Hashable {
  public var name: String
  public var parameterVersion: Int?
  public var labels: [String]

  public init(name: String, parameterVersion: Int? = nil, labels: [String]) {
    self.name = name
    self.parameterVersion = parameterVersion
    self.labels = labels
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case parameterVersion = "ParameterVersion"
    case labels = "Labels"
  }
}

/// Labels that broke the naming rules are returned, not thrown.
public struct LabelParameterVersionResponse: Codable, Sendable, Hashable {
  public var invalidLabels: [String]
  public var parameterVersion: Int

  public init(invalidLabels: [String] = [], parameterVersion: Int) {
    self.invalidLabels = invalidLabels
    self.parameterVersion = parameterVersion
  }

  /// Lists AWS leaves out when they are empty decode as empty.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    invalidLabels = try container.decodeIfPresent([String].self, forKey: .invalidLabels) ?? []
    parameterVersion = try container.decode(Int.self, forKey: .parameterVersion)
  }

  enum CodingKeys: String, CodingKey {
    case invalidLabels = "InvalidLabels"
    case parameterVersion = "ParameterVersion"
  }
}
