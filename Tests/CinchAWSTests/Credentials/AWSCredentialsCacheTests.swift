import CinchStore
import Foundation
import Synchronization
import Testing

@testable import CinchAWS

/// When cached credentials are loaded again: five minutes before they expire, halfway through
/// what short-lived ones had left, never for ones without an expiry; already-expired ones are
/// refused.
@Suite struct AWSCredentialsCacheTests {
  /// A source that hands out credentials expiring `lifetime` seconds after each load, and
  /// counts the loads; the clock is the test's.
  final class Source: AWSCredentialProvider, Sendable {
    let lifetime: TimeInterval?
    let clock: Mutex<Date>
    let loads = Mutex(0)

    init(lifetime: TimeInterval?, at start: Date) {
      self.lifetime = lifetime
      self.clock = Mutex(start)
    }

    var name: String { "credential_process" }
    var now: Date { clock.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { clock.withLock { $0 += seconds } }

    func load() async throws -> AWSCredentials? {
      loads.withLock { $0 += 1 }
      return AWSCredentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: SecretBytes(utf8: "secret"),
        expiration: lifetime.map { now.addingTimeInterval($0) }, source: name)
    }
  }

  func cache(_ source: Source) -> AWSCredentialsCache {
    AWSCredentialsCache(provider: source, now: { source.now })
  }

  @Test func longLivedCredentialsAreReusedUntilFiveMinutesBeforeTheyExpire() async throws {
    let source = Source(lifetime: 3600, at: Date(timeIntervalSince1970: 1_800_000_000))
    let cache = cache(source)
    for _ in 0..<50 { _ = try await cache.credentials() }
    source.advance(3600 - 301)
    _ = try await cache.credentials()
    #expect(source.loads.withLock { $0 } == 1)
    source.advance(2)
    _ = try await cache.credentials()
    #expect(source.loads.withLock { $0 } == 2)
  }

  @Test func shortLivedCredentialsAreReusedForHalfTheirTime() async throws {
    let source = Source(lifetime: 120, at: Date(timeIntervalSince1970: 1_800_000_000))
    let cache = cache(source)
    for _ in 0..<50 { _ = try await cache.credentials() }
    #expect(source.loads.withLock { $0 } == 1)
    source.advance(61)
    _ = try await cache.credentials()
    #expect(source.loads.withLock { $0 } == 2)
  }

  @Test func credentialsWithoutAnExpiryAreLoadedOnce() async throws {
    let source = Source(lifetime: nil, at: Date(timeIntervalSince1970: 1_800_000_000))
    let cache = cache(source)
    source.advance(1_000_000)
    for _ in 0..<3 { _ = try await cache.credentials() }
    #expect(source.loads.withLock { $0 } == 1)
  }

  @Test func expiredCredentialsAreRefused() async throws {
    let source = Source(lifetime: -60, at: Date(timeIntervalSince1970: 1_800_000_000))
    let cache = cache(source)
    do {
      _ = try await cache.credentials()
      Issue.record("expired credentials were accepted")
    } catch let error as AWSClientError {
      #expect(
        "\(error)".contains("expired at 2027-01-15T07:59:00Z"),
        "\(error)")
    }
    _ = try? await cache.credentials()
    #expect(source.loads.withLock { $0 } == 2)
  }

  /// Callers that wait on one load share its outcome: none gets credentials another refused.
  @Test func everyCallerWaitingOnALoadIsRefusedExpiredCredentials() async throws {
    let source = Source(lifetime: -60, at: Date(timeIntervalSince1970: 1_800_000_000))
    let cache = cache(source)
    let outcomes = await withTaskGroup(of: Bool.self) { group in
      for _ in 0..<8 {
        group.addTask { (try? await cache.credentials()) == nil }
      }
      return await group.reduce(into: [Bool]()) { $0.append($1) }
    }
    #expect(outcomes.allSatisfy { $0 }, "\(outcomes)")
  }
}

@Suite struct CredentialTimestampTests {
  @Test(arguments: [
    "2027-01-15T08:00:00Z", "2027-01-15 08:00:00Z", "2027-01-15T08:00:00.000Z",
    "2027-01-15T09:00:00+01:00",
  ])
  func expirationsAreRead(_ text: String) {
    #expect(
      CredentialDocument.parseTimestamp(text) == Date(timeIntervalSince1970: 1_800_000_000))
  }

  @Test(arguments: ["", "tomorrow", "2027-01-15", "2027-01-15X08:00:00Z"])
  func otherTextIsNot(_ text: String) {
    #expect(CredentialDocument.parseTimestamp(text) == nil)
  }
}
