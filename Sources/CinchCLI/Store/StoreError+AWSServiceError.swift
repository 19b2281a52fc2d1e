import CinchStore

/// Store errors print as the aws CLI prints service errors (exit 254).
extension StoreError: AWSServiceError {
  package var httpStatusCode: Int { httpStatus }
}
