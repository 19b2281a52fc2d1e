package import CinchStore

/// Why a request's signature was refused, with the error code and text an AWS endpoint answers.
package enum SigV4Error: Error, Sendable, Equatable, CustomStringConvertible {
  /// No `Authorization` header.
  case missingAuthentication
  /// The header lacks a part, or a part is malformed.
  case incompleteSignature(String)
  /// The signature does not match the request.
  case signatureMismatch
  /// No `X-Amz-Date`.
  case missingDate
  /// `X-Amz-Date` is not `YYYYMMDD'T'HHMMSS'Z'`.
  case malformedDate(String)
  /// The request was signed more than the allowed skew before now.
  case expired(signed: String, now: String, earliest: String)
  /// The request was signed more than the allowed skew after now.
  case notYetCurrent(signed: String, now: String, latest: String)
  /// `host`, `x-amz-date`, or a sent `x-amz-target` or `x-amz-security-token` is not among the
  /// signed headers.
  case unsignedHeader(String)
  /// The scope's date does not match `X-Amz-Date`, or it names another service than this
  /// endpoint's.
  case wrongScope(String)
  /// The scope names another region than this endpoint's (the region signed for). AWS's JSON
  /// services answer this with `InvalidSignatureException`, not `IncompleteSignatureException`.
  case wrongRegion(String)

  package var code: String {
    switch self {
    case .missingAuthentication: "MissingAuthenticationTokenException"
    case .incompleteSignature, .missingDate, .malformedDate, .unsignedHeader, .wrongScope:
      "IncompleteSignatureException"
    case .signatureMismatch, .expired, .notYetCurrent, .wrongRegion: "InvalidSignatureException"
    }
  }

  package var message: String {
    switch self {
    case .missingAuthentication: "Missing Authentication Token"
    case .incompleteSignature(let text): text
    case .signatureMismatch:
      "The request signature we calculated does not match the signature you provided. Check your "
        + "AWS Secret Access Key and signing method. Consult the service documentation for details."
    case .missingDate:
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
    // AWS's wording; the header is the client's own, echoed back as AWS echoes it.
    case .malformedDate(let value):
      "Date must be in ISO-8601 'basic format'. Got '\(value.prefix(64))'. See "
        + "http://en.wikipedia.org/wiki/ISO_8601"
    case .expired(let signed, let now, let earliest):
      "Signature expired: \(signed) is now earlier than \(earliest) (\(now) - 15 min.)"
    case .notYetCurrent(let signed, let now, let latest):
      "Signature not yet current: \(signed) is still later than \(latest) (\(now) + 15 min.)"
    case .unsignedHeader(let name):
      "'\(name)' must be a 'SignedHeader' in the AWS Authorization."
    case .wrongScope(let text): text
    // AWS's wording, trailing space included, as its signers join several scope complaints
    // ("… not 'eu-west-1'. Credential should be scoped to correct service: 'ssm'. ").
    case .wrongRegion(let region):
      "Credential should be scoped to a valid region, not '\(region)'. "
    }
  }

  package var httpStatus: Int {
    switch self {
    case .missingAuthentication: 403
    default: 400
    }
  }

  /// The error as the store's error type, for a server to send.
  package var storeError: StoreError {
    StoreError(code: code, message: message, httpStatus: httpStatus)
  }

  package var description: String { "\(code): \(message)" }
}
