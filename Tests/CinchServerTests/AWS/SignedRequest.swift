import CinchAWS
import CinchStore
import Foundation

@testable import CinchServer

extension ServerRequest {
  /// An AWS JSON 1.1 request for `target` with `body`, signed with `key` (with `secret` instead
  /// of the key's, when given) at `date` by the AWS backend's signer, for the service the target
  /// names unless `service` says otherwise.
  static func signed(
    _ target: String, _ body: String, key: AccessKey, secret: String? = nil,
    at date: Date = Date(), service: String? = nil, region: String = "us-east-1"
  ) -> ServerRequest {
    signed(
      target, bytes: Array(body.utf8), key: key, secret: secret, at: date, service: service,
      region: region)
  }

  /// A request whose body is `bytes` as they are (text that is not UTF-8, say).
  static func signed(
    _ target: String, bytes body: [UInt8], key: AccessKey, secret: String? = nil,
    at date: Date = Date(), service: String? = nil, region: String = "us-east-1"
  ) -> ServerRequest {
    var signed = SigV4Request(
      method: "POST", path: "/",
      headers: [
        ("Host", "127.0.0.1:4583"), ("Content-Type", AWSWireCodec.contentType),
        ("X-Amz-Target", target),
      ], body: body)
    let signingName =
      service
      ?? (target.hasPrefix("AmazonSSM")
        ? "ssm" : target.hasPrefix("TrentService") ? "kms" : "secretsmanager")
    SigV4Signer(region: region, service: signingName).sign(
      &signed,
      credentials: AWSCredentials(
        accessKeyID: key.accessKeyID,
        secretAccessKey: SecretBytes(utf8: secret ?? key.secretAccessKey), source: "test"),
      at: date)
    return ServerRequest(method: "POST", path: "/", headers: signed.headers, body: body)
  }
}
