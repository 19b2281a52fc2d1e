/// The parts of an HTTP request that Signature Version 4 covers: method, path, query, headers and
/// a hash of the body. The client builds one to sign what it sends; `cinch serve` builds one from
/// the bytes it received to verify them.
package struct SigV4Request: Sendable, Equatable {
  package var method: String
  /// The path, not percent-encoded (`/` for the JSON APIs); the canonical form encodes it.
  package var path: String
  /// Query parameters, not percent-encoded, in any order.
  package var query: [(name: String, value: String)]
  /// Header names in any case; repeated names are allowed and joined in order.
  package var headers: [(name: String, value: String)]
  /// Lower-case hex SHA-256 of the body (`SigV4.emptyBodyHash` for none).
  package var payloadHash: String

  package init(
    method: String, path: String = "/", query: [(name: String, value: String)] = [],
    headers: [(name: String, value: String)] = [], payloadHash: String = SigV4.emptyBodyHash
  ) {
    self.method = method
    self.path = path
    self.query = query
    self.headers = headers
    self.payloadHash = payloadHash
  }

  /// A request carrying `body`, with its hash computed.
  package init(
    method: String, path: String = "/", query: [(name: String, value: String)] = [],
    headers: [(name: String, value: String)] = [], body: [UInt8]
  ) {
    self.init(
      method: method, path: path, query: query, headers: headers,
      payloadHash: SigV4.hex(SigV4.sha256(body)))
  }

  /// The first value of a header, by case-insensitive name.
  package func header(_ name: String) -> String? {
    let wanted = name.lowercased()
    return headers.first { SigV4.asciiCaseInsensitiveEquals($0.name, wanted) }?.value
  }

  package static func == (lhs: SigV4Request, rhs: SigV4Request) -> Bool {
    lhs.method == rhs.method && lhs.path == rhs.path && lhs.payloadHash == rhs.payloadHash
      && lhs.query.elementsEqual(rhs.query) { $0 == $1 }
      && lhs.headers.elementsEqual(rhs.headers) { $0 == $1 }
  }
}
