import Foundation
import Testing
import _CinchTestSupport

/// Seeds a project and serves it once around the suite it marks (`@Suite(.servedSeed)`), for
/// its tests to read as `ServedSeed.current`; the server is stopped and the project removed
/// after the suite's last test.
struct ServedSeedTrait: SuiteTrait, TestScoping {
  /// Once for the suite, not again around each of its tests.
  func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
    test.isSuite ? self : nil
  }

  func provideScope(
    for test: Test, testCase: Test.Case?,
    performing function: @Sendable () async throws -> Void
  ) async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try await ServedSeed.seed(directory)
    let serve = try ServeWithLog(
      in: directory,
      environment: [
        "CINCH_STORE": directory.appendingPathComponent(".cinch/store.db").path,
        "AWS_REGION": ServedSeed.region, "CINCH_ACCOUNT_ID": ServedSeed.accountID,
      ])
    defer { serve.stop() }
    try await serve.waitForBanner("listening on")
    guard
      let range = serve.banner.range(
        of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression)
    else {
      throw ServedSeed.Failure("cinch serve did not say where it listens: \(serve.printed)")
    }
    let seed = try await ServedSeed(directory: directory, endpoint: String(serve.banner[range]))
    try await ServedSeed.$current.withValue(seed) { try await function() }
  }
}

extension Trait where Self == ServedSeedTrait {
  /// `Samples/seed` served by one `cinch serve` for the whole suite.
  static var servedSeed: Self { Self() }
}
