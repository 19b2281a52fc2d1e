package import CinchStore
package import Foundation

/// An access key, its secret and an optional session token, with where they came from. The
/// secret is `SecretBytes` and nothing here prints it, the token or the key id's secret half:
/// `description` names only the source and the access key id.
package struct AWSCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
  package var accessKeyID: String
  package var secretAccessKey: SecretBytes
  /// `X-Amz-Security-Token` for temporary credentials.
  package var sessionToken: SecretBytes?
  /// When temporary credentials stop working; nil for long-term keys.
  package var expiration: Date?
  /// Where they were found, for messages: `environment`, `profile 'dev'`, `container`, ….
  package var source: String

  package init(
    accessKeyID: String, secretAccessKey: SecretBytes, sessionToken: SecretBytes? = nil,
    expiration: Date? = nil, source: String
  ) {
    self.accessKeyID = accessKeyID
    self.secretAccessKey = secretAccessKey
    self.sessionToken = sessionToken
    self.expiration = expiration
    self.source = source
  }

  /// Whether they expire within `margin` of `now`.
  package func expires(within margin: TimeInterval, of now: Date) -> Bool {
    guard let expiration else { return false }
    return expiration.timeIntervalSince(now) < margin
  }

  package var description: String { "credentials \(accessKeyID) from \(source)" }
  package var debugDescription: String { description }
}
