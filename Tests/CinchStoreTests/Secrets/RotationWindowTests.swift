import Foundation
import Testing

@testable import CinchStore

/// `NextRotationDate` is the last second of the next window ("on or before this date"), the
/// same whichever way the schedule is written: a window of two hours from 16:00 ends at
/// 17:59:59 for `cron(0 16 …)`, `cron(0 4,16 …)` and `cron(0 4/12 …)` alike (the last two
/// ended at 18:00:00), and so do windows of `rate(N hours)`.
@Suite struct RotationWindowTests {
  static let last = Date(timeIntervalSince1970: 1_796_645_000)  // 2026-12-07 12:03:20 UTC

  static func end(_ expression: String, duration: String?) throws -> String {
    let schedule = try RotationSchedule(
      RotationRules(duration: duration, scheduleExpression: expression))
    let window = try #require(schedule.window(after: last))
    return ISO8601DateFormatter().string(from: window.end)
  }

  @Test(arguments: ["cron(0 16 * * ? *)", "cron(0 4,16 * * ? *)", "cron(0 4/12 * * ? *)"])
  func aCronWindowEndsOnItsLastSecond(_ expression: String) throws {
    #expect(try Self.end(expression, duration: "2h") == "2026-12-07T17:59:59Z")
  }

  @Test func aWindowInHoursIsInWholeSeconds() throws {
    let schedule = try RotationSchedule(RotationRules(scheduleExpression: "rate(6 hours)"))
    let window = try #require(schedule.window(after: Self.last.addingTimeInterval(0.234)))
    #expect(window.end.timeIntervalSince1970 == Self.last.timeIntervalSince1970 + 7 * 3600 - 1)
  }

  @Test func rateWindowsEndOnTheirLastSecondToo() throws {
    #expect(try Self.end("rate(5 hours)", duration: "2h") == "2026-12-07T19:03:19Z")
    #expect(try Self.end("rate(10 days)", duration: "3h") == "2026-12-17T02:59:59Z")
    #expect(try Self.end("rate(10 days)", duration: nil) == "2026-12-17T23:59:59Z")
  }
}
