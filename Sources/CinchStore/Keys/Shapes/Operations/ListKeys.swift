/// `ListKeys`: every key, AWS-managed ones included.
public struct ListKeysRequest: Codable, Sendable, Hashable {
  /// 1 to 1000 (default 100).
  public var limit: Int?
  public var marker: String?

  public init(limit: Int? = nil, marker: String? = nil) {
    self.limit = limit
    self.marker = marker
  }

  enum CodingKeys: String, CodingKey {
    case limit = "Limit"
    case marker = "Marker"
  }
}

/// One key in `ListKeys`.
public struct KeyListEntry: Codable, Sendable, Hashable {
  public var keyID: String
  public var keyARN: String

  public init(keyID: String, keyARN: String) {
    self.keyID = keyID
    self.keyARN = keyARN
  }

  enum CodingKeys: String, CodingKey {
    case keyID = "KeyId"
    case keyARN = "KeyArn"
  }
}

/// One page of `ListKeys`; `Truncated` with a `NextMarker` means there is more.
public struct ListKeysResponse: Codable, Sendable, Hashable {
  public var keys: [KeyListEntry]
  public var nextMarker: String?
  public var truncated: Bool

  public init(keys: [KeyListEntry] = [], nextMarker: String? = nil, truncated: Bool = false) {
    self.keys = keys
    self.nextMarker = nextMarker
    self.truncated = truncated
  }

  enum CodingKeys: String, CodingKey {
    case keys = "Keys"
    case nextMarker = "NextMarker"
    case truncated = "Truncated"
  }
}
