/// Failures of the AWS client that are not service errors: no answer, an answer that is not the
/// operation's shape, no credentials or region. Messages name endpoints, profiles and files,
/// never a credential or a request body.
package enum AWSClientError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The endpoint could not be reached or did not answer in time.
  case transport(endpoint: String, reason: String)
  /// The response body did not decode.
  case malformedResponse(String)
  /// No credential source in the chain had credentials.
  case noCredentials
  /// A credential source was configured but failed.
  case credentials(source: String, reason: String)
  /// No region in the store URL, the options, the environment or the profile.
  case noRegion
  /// A store URL, endpoint URL or setting that cannot be used.
  case configuration(String)
  /// A request AWS has no equivalent for (a feature of the embedded store only).
  case unsupported(String)

  package var description: String {
    switch self {
    // botocore's wording for its ReadTimeoutError and ConnectTimeoutError.
    case .transport(let endpoint, HTTPTransportError.readTimeout.reason):
      "Read timeout on endpoint URL: \"\(endpoint)\""
    case .transport(let endpoint, HTTPTransportError.connectTimeout.reason):
      "Connect timeout on endpoint URL: \"\(endpoint)\""
    case .transport(let endpoint, let reason):
      "Could not connect to the endpoint URL: \"\(endpoint)\" (\(reason))"
    case .malformedResponse(let detail):
      "the response did not match the operation's shape: \(detail)"
    case .noCredentials:
      "Unable to locate credentials. You can configure credentials by running \"aws configure\"."
    case .credentials(let source, let reason):
      "cannot read credentials from \(source): \(reason)"
    case .noRegion:
      "You must specify a region. You can also configure your region by running \"aws configure\"."
    case .configuration(let text):
      text
    case .unsupported(let text):
      "not available on aws://: \(text)"
    }
  }
}
