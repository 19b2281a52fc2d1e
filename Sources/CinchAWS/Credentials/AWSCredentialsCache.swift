package import Foundation

/// Credentials loaded once and reused until five minutes before they expire; refreshed after
/// the service says the token has expired.
package actor AWSCredentialsCache {
  private let provider: any AWSCredentialProvider
  private let now: @Sendable () -> Date
  private var cached: AWSCredentials?
  private var loading: Task<AWSCredentials, any Error>?

  package init(
    provider: any AWSCredentialProvider, now: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.provider = provider
    self.now = now
  }

  package func credentials() async throws -> AWSCredentials {
    if let cached, !cached.expires(within: 5 * 60, of: now()) { return cached }
    if let loading { return try await loading.value }
    let provider = self.provider
    let task = Task { () throws -> AWSCredentials in
      guard let credentials = try await provider.load() else { throw AWSClientError.noCredentials }
      return credentials
    }
    loading = task
    defer { loading = nil }
    let credentials = try await task.value
    cached = credentials
    return credentials
  }

  /// Forgets the cached credentials, so the next call loads fresh ones.
  package func invalidate() {
    cached = nil
  }
}
