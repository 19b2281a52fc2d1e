/// One HTTP exchange in transport-independent form: `cinch serve` turns its requests into these
/// and back, the CLI builds them in process.
public struct VaultHTTPRequest: Sendable {
  /// `GET`, `PUT`, `POST`, `DELETE`, `LIST`, `PATCH`, `HEAD`.
  public var method: String
  /// The request target: `/v1/secret/data/app?version=2`.
  public var target: String
  /// Header names compare case-insensitively.
  public var headers: [String: String]
  public var body: [UInt8]
  /// The peer's address (`127.0.0.1`), for the audit log; nil for the command line's calls.
  public var remoteAddress: String?

  public init(
    method: String, target: String, headers: [String: String] = [:], body: [UInt8] = [],
    remoteAddress: String? = nil
  ) {
    self.method = method
    self.target = target
    self.headers = headers
    self.body = body
    self.remoteAddress = remoteAddress
  }

  func header(_ name: String) -> String? {
    let lowered = name.lowercased()
    return headers.first { $0.key.lowercased() == lowered }?.value
  }
}

/// The reply: status, headers (`Content-Type: application/json` exactly, as hvac requires, and
/// `Cache-Control: no-store`), body.
public struct VaultHTTPResponse: Sendable {
  public var status: Int
  public var headers: [(String, String)]
  public var body: [UInt8]

  public init(status: Int, headers: [(String, String)], body: [UInt8]) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
