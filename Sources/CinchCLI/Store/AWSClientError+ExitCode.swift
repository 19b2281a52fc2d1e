import CinchAWS

extension AWSClientError {
  /// The aws CLI's exit code: 253 for missing credentials, region or a bad setting, 255 for an
  /// endpoint that cannot be reached or an answer that cannot be read.
  var awsExitCode: Int32 {
    switch self {
    case .noCredentials, .noRegion, .credentials, .configuration: AWSExitCode.configuration
    case .transport, .malformedResponse: AWSExitCode.general
    }
  }
}
