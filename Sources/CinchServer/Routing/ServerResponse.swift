/// The answer of a route handler: status, headers and body.
public struct ServerResponse: Sendable {
  public var status: Int
  public var headers: [(name: String, value: String)]
  public var body: [UInt8]
  /// What the access log says about the request beyond method, path and status (an operation
  /// name, an access key id, an error code). Never sent; never a value or a secret.
  public var logDetail: String?

  public init(
    status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
    logDetail: String? = nil
  ) {
    self.status = status
    self.headers = headers
    self.body = body
    self.logDetail = logDetail
  }

  /// A JSON body with its content type.
  public static func json(
    _ status: Int, _ body: [UInt8], contentType: String = "application/json"
  ) -> ServerResponse {
    ServerResponse(status: status, headers: [("Content-Type", contentType)], body: body)
  }

  /// A plain-text body (404s and other answers outside the mounted APIs).
  public static func text(_ status: Int, _ text: String) -> ServerResponse {
    ServerResponse(
      status: status, headers: [("Content-Type", "text/plain; charset=utf-8")],
      body: Array((text + "\n").utf8))
  }
}
