/// The largest request body a route takes, and its answer to a larger one, in its protocol's
/// shape. The connection reads the request head first and refuses an oversized body before
/// reading it (by `Content-Length`, or as soon as the chunks pass the limit), so no more than
/// the limit is ever held.
public struct BodyLimit: Sendable {
  public var bytes: Int
  /// Sent with the connection closed: the rest of the body is not read.
  public var refusal: ServerResponse

  public init(bytes: Int, refusal: ServerResponse) {
    self.bytes = bytes
    self.refusal = refusal
  }

  /// 1 MiB with a plain-text 413: AWS's largest request (a secret of 64 KiB, base64-encoded in
  /// a JSON body) fits well within.
  public static let standard = BodyLimit(
    bytes: CinchHTTPServer.maximumBodyBytes,
    refusal: .text(413, HTTPRequestError.contentTooLarge.text))
}
