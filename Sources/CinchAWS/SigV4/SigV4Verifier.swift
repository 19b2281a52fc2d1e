package import CinchStore
package import Foundation

/// Checks a received request's SigV4 signature, for `cinch serve`: parse the `Authorization`
/// header (`authorization(of:)`), look up the secret of its access key, then `verify`.
package enum SigV4Verifier {
  /// AWS refuses requests signed more than 15 minutes away from its clock.
  package static let maximumSkew: TimeInterval = 15 * 60

  /// The parsed `Authorization` header of `request`.
  package static func authorization(of request: SigV4Request) throws(SigV4Error)
    -> SigV4Authorization
  {
    guard let header = request.header("Authorization") else { throw .missingAuthentication }
    return try SigV4Authorization(parsing: header)
  }

  /// Verifies `request` against `authorization` with the access key's secret: the signed
  /// headers include `host` and `x-amz-date` (and `x-amz-target` and `x-amz-security-token`
  /// when sent), the date is within 15 minutes of `now`, the scope
  /// matches the date (and `region` / `service` when given), and the signature matches,
  /// compared in constant time. With `signingKeys`, the signing key is taken from (and kept in)
  /// that cache instead of being derived for each request.
  package static func verify(
    _ request: SigV4Request, authorization: SigV4Authorization, secretAccessKey: SecretBytes,
    now: Date, region: String? = nil, service: String? = nil,
    signingKeys: SigV4SigningKeyCache? = nil
  ) throws(SigV4Error) {
    for required in ["host", "x-amz-date"] where !authorization.signedHeaders.contains(required) {
      throw .unsignedHeader(required)
    }
    // "If you plan to include any of the x-amz-* headers, these headers must also be included
    // for signature calculation" (create-signed-request.html): the target names the operation,
    // so one left unsigned would let a captured request be sent as another (every SDK signs
    // both). Other x-amz-* headers change nothing a signature vouches for here.
    for bound in ["x-amz-target", "x-amz-security-token"]
    where request.header(bound) != nil && !authorization.signedHeaders.contains(bound) {
      throw .unsignedHeader(bound)
    }
    guard let amzDate = request.header("X-Amz-Date") else { throw .missingDate }
    guard let signedAt = SigV4.parseAmzDate(amzDate) else { throw .malformedDate(amzDate) }
    if signedAt.timeIntervalSince(now) < -maximumSkew {
      throw .expired(
        signed: amzDate, now: SigV4.amzDate(now),
        earliest: SigV4.amzDate(now.addingTimeInterval(-maximumSkew)))
    }
    if signedAt.timeIntervalSince(now) > maximumSkew {
      throw .notYetCurrent(
        signed: amzDate, now: SigV4.amzDate(now),
        latest: SigV4.amzDate(now.addingTimeInterval(maximumSkew)))
    }
    guard authorization.scope.date == String(amzDate.prefix(8)) else {
      throw .wrongScope(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
          + "HTTP: '\(authorization.scope.date)' != '\(amzDate.prefix(8))', from '\(amzDate)'.")
    }
    if let region, authorization.scope.region != region {
      throw .wrongRegion(authorization.scope.region)
    }
    if let service, authorization.scope.service != service {
      throw .wrongScope(
        "Credential should be scoped to correct service: '\(service)'. ")
    }
    let canonical = SigV4.canonicalRequestBytes(
      request, signedHeaders: authorization.signedHeaders
    ).bytes
    let stringToSign = SigV4.stringToSignBytes(
      canonicalRequest: canonical, amzDate: amzDate, scope: authorization.scope)
    let signingKey =
      signingKeys?.signingMAC(
        accessKeyID: authorization.accessKeyID, secretAccessKey: secretAccessKey,
        scope: authorization.scope)
      ?? HMACKey(SigV4.signingKey(secretAccessKey: secretAccessKey, scope: authorization.scope))
    let expected = SigV4.hex(signingKey.mac(stringToSign))
    guard Crypto.constantTimeEquals(Array(expected.utf8), Array(authorization.signature.utf8))
    else { throw .signatureMismatch }
  }
}
