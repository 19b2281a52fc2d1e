/// KMS errors for the KMS-style keys, worded as KMS words them.
extension StoreError {
  static func kmsNotFound(_ message: String) -> StoreError {
    StoreError(code: "NotFoundException", message: message)
  }

  static func kmsAlreadyExists(_ message: String) -> StoreError {
    StoreError(code: "AlreadyExistsException", message: message)
  }

  /// KMS sends no message with this code.
  static let kmsNotAuthorized = StoreError(code: "NotAuthorizedException", message: "")

  static let kmsInvalidMarker = StoreError(
    code: "InvalidMarkerException",
    message: "The request was rejected because the marker that specifies where pagination should "
      + "next begin is not valid.")

  static func kmsUnsupported(_ message: String) -> StoreError {
    StoreError(code: "UnsupportedOperationException", message: message)
  }

  static func kmsDisabled(_ keyARN: String) -> StoreError {
    StoreError(code: "DisabledException", message: "\(keyARN) is disabled.")
  }
}
