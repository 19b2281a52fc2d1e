/// One HTTP request as a route handler sees it, independent of the HTTP library: method, path
/// (percent-decoded), query, headers in the order received, and the whole body.
public struct ServerRequest: Sendable {
  public var method: String
  public var path: String
  /// The path percent-decoded with its dot segments (`.`, `..`) and empty ones kept, as the
  /// client sent it, for a route that redirects such paths rather than serving `path`.
  public var rawPath: String
  /// The request target's path exactly as sent, percent-encoding and all (no query): what a
  /// SigV4 signature covers, encoded once more, as AWS's SDKs sign it.
  public var targetPath: String
  public var query: [(name: String, value: String)]
  public var headers: [(name: String, value: String)]
  public var body: [UInt8]
  /// The peer's address, for the access log.
  public var remoteAddress: String?

  public init(
    method: String, path: String, rawPath: String? = nil, targetPath: String? = nil,
    query: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = [],
    body: [UInt8] = [], remoteAddress: String? = nil
  ) {
    self.method = method
    self.path = path
    self.rawPath = rawPath ?? path
    self.targetPath = targetPath ?? path
    self.query = query
    self.headers = headers
    self.body = body
    self.remoteAddress = remoteAddress
  }

  /// The first value of a header, by case-insensitive name.
  public func header(_ name: String) -> String? {
    headers.first { $0.name.caseInsensitiveEquals(name) }?.value
  }
}

extension String {
  /// Equal ignoring ASCII case (header names are ASCII), without allocating.
  func caseInsensitiveEquals(_ other: String) -> Bool {
    guard utf8.count == other.utf8.count else { return false }
    return zip(utf8, other.utf8).allSatisfy { a, b in
      let folded = a | 0x20
      return a == b
        || (folded == b | 0x20 && folded >= UInt8(ascii: "a") && folded <= UInt8(ascii: "z"))
    }
  }
}
