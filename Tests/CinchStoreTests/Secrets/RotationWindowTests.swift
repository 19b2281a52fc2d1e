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
    #expect(ISO8601DateFormatter().string(from: window.start) == "2026-12-07T18:00:00Z")
    #expect(ISO8601DateFormatter().string(from: window.end) == "2026-12-07T18:59:59Z")
  }

  @Test func rateWindowsEndOnTheirLastSecondToo() throws {
    #expect(try Self.end("rate(5 hours)", duration: "2h") == "2026-12-07T16:59:59Z")
    #expect(try Self.end("rate(10 days)", duration: "3h") == "2026-12-17T02:59:59Z")
    #expect(try Self.end("rate(10 days)", duration: nil) == "2026-12-17T23:59:59Z")
  }

  static func window(_ expression: String, duration: String? = nil, after last: String) throws
    -> String
  {
    let schedule = try RotationSchedule(
      RotationRules(duration: duration, scheduleExpression: expression))
    let date = try #require(ISO8601DateFormatter().date(from: last))
    let window = try #require(schedule.window(after: date))
    let format = ISO8601DateFormatter()
    return format.string(from: window.start) + " " + format.string(from: window.end)
  }

  /// "Secrets Manager rotation windows always start on the hour" and "for a rate in hours, the
  /// default rotation window starts at midnight"
  /// (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html):
  /// the windows of `rate(N hours)` open at midnight and every N hours of the UTC day, and the
  /// next is the one that holds the time N hours after the last rotation. They opened N hours
  /// after it, to the second (23:32 to 4:32 the next day for `rate(10 hours)`, `Duration=5h`).
  @Test(
    arguments: [
      ("rate(6 hours)", nil, "2026-12-07T12:03:20Z", "2026-12-07T18:00:00Z 2026-12-07T18:59:59Z"),
      ("rate(4 hours)", "4h", "2026-12-07T21:10:00Z", "2026-12-08T00:00:00Z 2026-12-08T03:59:59Z"),
      // 0:00, 10:00, 20:00: the grid starts again at midnight, as cron(0 0/10 * * ? *) does.
      ("rate(10 hours)", "4h", "2026-12-07T13:32:00Z", "2026-12-07T20:00:00Z 2026-12-07T23:59:59Z"),
      ("rate(10 hours)", nil, "2026-12-07T20:30:00Z", "2026-12-08T00:00:00Z 2026-12-08T00:59:59Z"),
      // Past a day, the midnight of the day N hours on; whole days are `rate(N days)`.
      ("rate(30 hours)", nil, "2026-12-07T12:03:20Z", "2026-12-08T00:00:00Z 2026-12-08T00:59:59Z"),
      ("rate(48 hours)", nil, "2026-12-07T12:03:20Z", "2026-12-09T00:00:00Z 2026-12-09T23:59:59Z"),
      ("rate(2 days)", "3h", "2026-12-07T12:03:20Z", "2026-12-09T00:00:00Z 2026-12-09T02:59:59Z"),
    ] as [(String, String?, String, String)])
  func rateWindowsInHoursOpenOnTheHourFromMidnight(
    _ expression: String, _ duration: String?, _ last: String, _ window: String
  ) throws {
    #expect(try Self.window(expression, duration: duration, after: last) == window)
  }

  /// Over every hour rate and many last rotations: a window opens on the hour, after the last
  /// rotation, within N hours and a day of it, and ends in its own UTC day.
  @Test func everyHourRateWindowOpensOnTheHourAfterTheLastRotation() throws {
    let calendar = CronExpression.utc
    for hours in 4...50 where hours % 24 != 0 {
      let schedule = try RotationSchedule(RotationRules(scheduleExpression: "rate(\(hours) hours)"))
      for step in 0..<200 {
        let last = Self.last.addingTimeInterval(Double(step) * 1_234.5)
        let window = try #require(schedule.window(after: last))
        #expect(window.start > last, "rate(\(hours) hours) after \(last)")
        #expect(window.start.timeIntervalSince1970.truncatingRemainder(dividingBy: 3600) == 0)
        #expect(window.start <= last.addingTimeInterval(Double(hours) * 3600))
        #expect(
          calendar.startOfDay(for: window.start) == calendar.startOfDay(for: window.end),
          "rate(\(hours) hours) after \(last)")
      }
    }
  }

  /// The window may last as long as the rate: AWS's check is "less than or equal to the number
  /// of hours between rotations", as for `cron(0 0/6 * * ? *)`; never into the next UTC day.
  @Test func aWindowAsLongAsTheRateIsAllowed() throws {
    for (duration, expression, valid) in [
      ("6h", "rate(6 hours)", true), ("7h", "rate(6 hours)", false),
      ("4h", "rate(4 hours)", true), ("8h", "rate(8 hours)", true),
      ("4h", "rate(10 hours)", true), ("5h", "rate(10 hours)", false),
      ("24h", "rate(30 hours)", true), ("24h", "rate(1 day)", true),
    ] {
      let rules = RotationRules(duration: duration, scheduleExpression: expression)
      #expect(((try? RotationSchedule(rules)) != nil) == valid, "\(expression) \(duration)")
    }
  }
}
