package import Foundation

/// Credentials loaded once and reused until five minutes before they expire (or, for ones that
/// arrive with less than ten minutes left, until half of what they had is gone, so that a
/// source handing out short-lived credentials is not run again for every request); refreshed
/// after the service says the token has expired. Credentials that have already expired when
/// they arrive are refused, as botocore refuses them, rather than sent to be rejected.
package actor AWSCredentialsCache {
  private let provider: any AWSCredentialProvider
  private let now: @Sendable () -> Date
  private var cached: AWSCredentials?
  /// When the cached credentials are loaded again.
  private var refreshAt: Date?
  private var loading: Task<AWSCredentials, any Error>?

  /// How long before their expiry credentials are loaded again.
  static let refreshMargin: TimeInterval = 5 * 60

  package init(
    provider: any AWSCredentialProvider, now: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.provider = provider
    self.now = now
  }

  package func credentials() async throws -> AWSCredentials {
    if let cached, refreshAt.map({ now() < $0 }) ?? true { return cached }
    // Every caller waiting on one load gets its outcome, a refusal included.
    if let loading { return try await loading.value }
    let provider = self.provider
    let clock = self.now
    let task = Task { () throws -> AWSCredentials in
      guard let credentials = try await provider.load() else { throw AWSClientError.noCredentials }
      if let expiration = credentials.expiration, expiration <= clock() {
        throw AWSClientError.credentials(
          source: credentials.source,
          reason: "the credentials it gave expired at "
            + ISO8601DateFormatter().string(from: expiration)
            + " (a refresh gave credentials that are still expired)")
      }
      return credentials
    }
    loading = task
    defer { loading = nil }
    let credentials: AWSCredentials
    do {
      credentials = try await task.value
    } catch {
      cached = nil
      throw error
    }
    let loadedAt = now()
    if let expiration = credentials.expiration {
      let left = max(0, expiration.timeIntervalSince(loadedAt))
      refreshAt = loadedAt.addingTimeInterval(
        left > 2 * Self.refreshMargin ? left - Self.refreshMargin : left / 2)
    } else {
      refreshAt = nil
    }
    cached = credentials
    return credentials
  }

  /// Forgets the cached credentials, so the next call loads fresh ones.
  package func invalidate() {
    cached = nil
  }
}
