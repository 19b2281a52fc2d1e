package import CinchJSON
import Foundation

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

  /// The body a decoder reads, parsed keeping its members' order (`userInfo[keyOrder]`):
  /// Foundation's decoder keeps none, and the map's order is the server's answer.
  package struct KeyOrder: Sendable {
    package var body: JSONValue

    package init(body: JSONValue) { self.body = body }

    /// The keys of the object at `path`, in the body's order.
    func keys(at path: [any CodingKey]) -> [String]? {
      var value = body
      for key in path {
        if let index = key.intValue {
          guard let items = value.arrayValue, items.indices.contains(index) else { return nil }
          value = items[index]
        } else {
          guard let member = value[key.stringValue] else { return nil }
          value = member
        }
      }
      return value.objectValue?.keys
    }
  }

  package static let keyOrder: CodingUserInfoKey = {
    guard let key = CodingUserInfoKey(rawValue: "cinch.VersionStagesMap.keyOrder") else {
      preconditionFailure("a non-empty raw value makes a key")
    }
    return key
  }()

  /// Decoded (an `aws://` store's answer) in the server's order, as the aws CLI prints it, when
  /// the decoder is given it (`keyOrder`); else in the versions' id order, so that output and
  /// `--query keys(…)` do not change from run to run.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Key.self)
    var keys = container.allKeys.sorted { $0.stringValue < $1.stringValue }
    if let order = (decoder.userInfo[Self.keyOrder] as? KeyOrder)?.keys(at: decoder.codingPath),
      Set(order) == Set(keys.map(\.stringValue))
    {
      keys = order.map(Key.init(stringValue:))
    }
    pairs = try keys.map {
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
