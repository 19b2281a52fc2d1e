public import Foundation

/// `ListAliases`: every alias, or those of one key.
public struct ListAliasesRequest: Codable, Sendable, Hashable {
  public var keyID: String?
  /// 1 to 100 (default 50).
  public var limit: Int?
  public var marker: String?

  public init(keyID: String? = nil, limit: Int? = nil, marker: String? = nil) {
    self.keyID = keyID
    self.limit = limit
    self.marker = marker
  }

  enum CodingKeys: String, CodingKey {
    case keyID = "KeyId"
    case limit = "Limit"
    case marker = "Marker"
  }
}

/// One alias in `ListAliases`.
public struct AliasListEntry: Codable, Sendable, Hashable {
  public var aliasName: String
  public var aliasARN: String
  public var targetKeyID: String?
  public var creationDate: Date?
  public var lastUpdatedDate: Date?

  public init(
    aliasName: String, aliasARN: String, targetKeyID: String? = nil, creationDate: Date? = nil,
    lastUpdatedDate: Date? = nil
  ) {
    self.aliasName = aliasName
    self.aliasARN = aliasARN
    self.targetKeyID = targetKeyID
    self.creationDate = creationDate
    self.lastUpdatedDate = lastUpdatedDate
  }

  enum CodingKeys: String, CodingKey {
    case aliasName = "AliasName"
    case aliasARN = "AliasArn"
    case targetKeyID = "TargetKeyId"
    case creationDate = "CreationDate"
    case lastUpdatedDate = "LastUpdatedDate"
  }
}

/// One page of `ListAliases`.
public struct ListAliasesResponse: Codable, Sendable, Hashable {
  public var aliases: [AliasListEntry]
  public var nextMarker: String?
  public var truncated: Bool

  public init(aliases: [AliasListEntry] = [], nextMarker: String? = nil, truncated: Bool = false) {
    self.aliases = aliases
    self.nextMarker = nextMarker
    self.truncated = truncated
  }

  enum CodingKeys: String, CodingKey {
    case aliases = "Aliases"
    case nextMarker = "NextMarker"
    case truncated = "Truncated"
  }
}
