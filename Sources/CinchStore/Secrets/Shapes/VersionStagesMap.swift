/// `VersionIdsToStages` / `SecretVersionsToStages`: version id → staging labels, a JSON object
/// written in a stable order (the versions' creation order) rather than a dictionary's.
public struct VersionStagesMap: Codable, Sendable, Hashable {
  public var entries: [(versionID: String, stages: [String])] {
    get { pairs.map { ($0.versionID, $0.stages) } }
    set { pairs = newValue.map { Pair(versionID: $0.versionID, stages: $0.stages) } }
  }

  struct Pair: Sendable, Hashable {
    var versionID: String
    var stages: [String]
  }

  private var pairs: [Pair]

  public init(_ entries: [(versionID: String, stages: [String])]) {
    pairs = entries.map { Pair(versionID: $0.versionID, stages: $0.stages) }
  }

  /// The labels of one version, or nil when it has none.
  public subscript(versionID: String) -> [String]? {
    pairs.first { $0.versionID == versionID }?.stages
  }

  public var versionIDs: [String] { pairs.map(\.versionID) }

  /// The version carrying `stage`.
  public func versionID(staged stage: String) -> String? {
    pairs.first { $0.stages.contains(stage) }?.versionID
  }

  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// Decoded (an `aws://` store's answer) in the versions' id order: the decoder keeps no
  /// order of its own, so output and `--query keys(…)` would change from run to run.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Key.self)
    pairs = try container.allKeys.sorted { $0.stringValue < $1.stringValue }.map {
      Pair(versionID: $0.stringValue, stages: try container.decode([String].self, forKey: $0))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    for pair in pairs {
      try container.encode(pair.stages, forKey: Key(stringValue: pair.versionID))
    }
  }
}
