import CinchAWS

extension AWSClientError {
  /// The aws CLI's exit code: 253 for missing credentials, region or a bad setting, 255 for an
  /// endpoint that cannot be reached or an answer that cannot be read, 252 for a request only
  /// the embedded store can carry out.
  var awsExitCode: Int32 {
    switch self {
    case .noCredentials, .noRegion, .credentials, .configuration: AWSExitCode.configuration
    case .transport, .malformedResponse: AWSExitCode.general
    case .unsupported: AWSExitCode.usage
    }
  }
}
