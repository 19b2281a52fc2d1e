package import CinchStore
import Foundation

/// When and how long to wait before trying a call again: throttling (`ThrottlingException`,
/// `TooManyRequestsException`, HTTP 429, …), transient server faults (500, 502, 503, 504) and
/// lost connections are retried up to `maxAttempts` calls in all, each wait drawn at random
/// between zero and an exponentially growing cap ("full jitter"). Everything else fails at once.
package struct AWSRetryPolicy: Sendable {
  /// Calls in all, the first included (the aws CLI's standard mode: 3; `AWS_MAX_ATTEMPTS`).
  package var maxAttempts: Int
  /// The cap of the first wait, in seconds; it doubles with each retry.
  package var baseDelay: Double
  /// The largest cap, in seconds.
  package var maxDelay: Double
  /// Waits; tests replace it to record the waits instead.
  package var sleep: @Sendable (Double) async throws -> Void
  /// A number in [0, 1).
  package var random: @Sendable () -> Double

  package init(
    maxAttempts: Int = 3, baseDelay: Double = 0.5, maxDelay: Double = 20,
    sleep: @escaping @Sendable (Double) async throws -> Void = { seconds in
      try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
    },
    random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
  ) {
    self.maxAttempts = max(1, maxAttempts)
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
    self.sleep = sleep
    self.random = random
  }

  /// Error codes that mean "slow down" (botocore's standard retry mode's list).
  package static let throttlingCodes: Set<String> = [
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException",
    "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
    "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
    "EC2ThrottledException",
  ]

  /// Error codes of transient faults.
  package static let transientCodes: Set<String> = [
    "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
    "ServiceUnavailable",
  ]

  /// HTTP statuses of transient faults: botocore's standard mode retries these and no other 5xx
  /// (`_TRANSIENT_STATUS_CODES` in botocore/retries/standard.py; a 501 will not be implemented
  /// next time either).
  package static let transientStatuses: Set<Int> = [500, 502, 503, 504]

  /// Whether a service error is worth another try.
  package static func isRetryable(_ error: StoreError) -> Bool {
    throttlingCodes.contains(error.code) || transientCodes.contains(error.code)
      || error.httpStatus == 429 || transientStatuses.contains(error.httpStatus)
  }

  /// The wait before retry number `retry` (1 for the first retry).
  package func delay(beforeRetry retry: Int) -> Double {
    let cap = min(maxDelay, baseDelay * pow(2, Double(max(0, retry - 1))))
    return random() * cap
  }

  /// The policy the aws CLI would use here: `AWS_MAX_ATTEMPTS` calls in all (default 3). A
  /// value that is not a whole number of at least 1 is refused, as botocore refuses it
  /// ("Value provided to "max_attempts": 0 must be an integer greater than or equal to 1.").
  package static func fromEnvironment(_ environment: [String: String], profileMaxAttempts: String?)
    throws -> AWSRetryPolicy
  {
    let text =
      environment["AWS_MAX_ATTEMPTS"].flatMap { $0.isEmpty ? nil : $0 } ?? profileMaxAttempts
    guard let text else { return AWSRetryPolicy(maxAttempts: 3) }
    guard let attempts = Int(text.trimmingCharacters(in: .whitespaces)) else {
      throw AWSClientError.configuration("invalid literal for int() with base 10: '\(text)'")
    }
    guard attempts >= 1 else {
      throw AWSClientError.configuration(
        "Value provided to \"max_attempts\": \(attempts) must be an integer greater than or "
          + "equal to 1.")
    }
    return AWSRetryPolicy(maxAttempts: attempts)
  }
}
