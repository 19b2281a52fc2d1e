/// One HTTP request as a route handler sees it, independent of the HTTP library: method, path
/// (percent-decoded), query, headers in the order received, and the whole body.
public struct ServerRequest: Sendable {
  public var method: String
  public var path: String
  public var query: [(name: String, value: String)]
  public var headers: [(name: String, value: String)]
  public var body: [UInt8]
  /// The peer's address, for the access log.
  public var remoteAddress: String?

  public init(
    method: String, path: String, query: [(name: String, value: String)] = [],
    headers: [(name: String, value: String)] = [], body: [UInt8] = [], remoteAddress: String? = nil
  ) {
    self.method = method
    self.path = path
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
  func caseInsensitiveEquals(_ other: String) -> Bool {
    utf8.count == other.utf8.count && lowercased() == other.lowercased()
  }
}
