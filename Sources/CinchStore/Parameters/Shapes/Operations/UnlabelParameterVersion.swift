/// `UnlabelParameterVersion`: remove labels from one version.
public struct UnlabelParameterVersionRequest: Codable, Sendable, Hashable {
  public var name: String
  public var parameterVersion: Int
  public var labels: [String]

  public init(name: String, parameterVersion: Int, labels: [String]) {
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

/// The labels removed, and those that were not on the version.
public struct UnlabelParameterVersionResponse: Codable, Sendable, Hashable {
  public var removedLabels: [String]
  public var invalidLabels: [String]

  public init(removedLabels: [String] = [], invalidLabels: [String] = []) {
    self.removedLabels = removedLabels
    self.invalidLabels = invalidLabels
  }

  /// Lists AWS leaves out when they are empty decode as empty.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    removedLabels = try container.decodeIfPresent([String].self, forKey: .removedLabels) ?? []
    invalidLabels = try container.decodeIfPresent([String].self, forKey: .invalidLabels) ?? []
  }

  enum CodingKeys: String, CodingKey {
    case removedLabels = "RemovedLabels"
    case invalidLabels = "InvalidLabels"
  }
}
