/// A failure inside the sealing layer. Messages name the operation, never a key or a value.
package enum CryptoError: Error, Equatable, CustomStringConvertible {
  /// GCM authentication failed: wrong key, edited bytes, or bytes bound to another context.
  case authenticationFailed
  /// A sealed blob too short or with an unknown format version.
  case malformedEnvelope(String)
  /// libcrypto reported an error in `operation`.
  case library(operation: String, detail: String)

  package var description: String {
    switch self {
    case .authenticationFailed: "authentication failed"
    case .malformedEnvelope(let reason): "malformed sealed value: \(reason)"
    case .library(let operation, let detail): "libcrypto \(operation) failed: \(detail)"
    }
  }
}
