import Foundation
import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchStore

/// `CivilTime` against Foundation's calendar and ISO 8601 format style, which it replaces on
/// the audit log's and the AWS encoder's paths.
@Suite struct CivilTimeTests {
  /// Seconds from 1583 (Foundation's Gregorian calendar is Julian before October 1582; ISO 8601
  /// and `CivilTime` are proleptic Gregorian) to year 9999, and offsets a time zone can have
  /// (±18 hours, seconds included).
  static let instants = zip(
    Gen<Int64>.int64(in: -12_212_553_600...253_402_300_799),
    Gen<Int>.int(in: -64_800...64_800))

  @Test func fieldsAreTheGregorianCalendarsAtEveryOffset() throws {
    try seededCheck(Self.instants, count: 3_000) { seconds, offset in
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = try #require(TimeZone(secondsFromGMT: offset))
      let parts = calendar.dateComponents(
        [.era, .year, .month, .day, .hour, .minute, .second],
        from: Date(timeIntervalSince1970: Double(seconds)))
      let civil = CivilTime(secondsSince1970: seconds, offset: offset)
      #expect(
        [civil.year, civil.month, civil.day, civil.hour, civil.minute, civil.second]
          == [parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second],
        "\(seconds) at \(offset)")
    }
  }

  @Test func daysAndDatesAreInversesAndMonthsHaveTheirLength() {
    seededCheck(Gen<Int>.int(in: -800_000...3_000_000), count: 3_000) { days in
      let date = CivilTime.civil(fromDays: days)
      #expect(CivilTime.days(year: date.year, month: date.month, day: date.day) == days)
      #expect((1...CivilTime.daysIn(month: date.month, year: date.year)).contains(date.day))
      let next = CivilTime.civil(fromDays: days + 1)
      if next.day == 1 {
        #expect(date.day == CivilTime.daysIn(month: date.month, year: date.year), "\(date)")
      }
    }
  }

  @Test(arguments: [
    (0.0, "1970-01-01T00:00:00.000Z"),
    (-0.5, "1969-12-31T23:59:59.500Z"),
    (951_782_400.0, "2000-02-29T00:00:00.000Z"),
    (1_764_521_644.2129, "2025-11-30T16:54:04.212Z"),
    (4_102_444_799.75, "2099-12-31T23:59:59.750Z"),
    (4_107_542_399.0, "2100-02-28T23:59:59.000Z"),
  ])
  func auditTimesAreUTCToTheMillisecond(seconds: Double, expected: String) {
    let date = Date(timeIntervalSince1970: seconds)
    #expect(CivilTime.utcMilliseconds(date) == expected)
  }

  /// The audit log's format before `CivilTime`: rows written by either read the same.
  static let auditStyle = Date.ISO8601FormatStyle.iso8601
    .year().month().day().dateSeparator(.dash)
    .time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(separator: .omitted)

  @Test func auditTimesMatchFoundationsISO8601Style() {
    let style = Self.auditStyle
    // 1990 to 2100, at microsecond resolution.
    seededCheck(Gen<Int64>.int64(in: 631_152_000_000_000...4_102_444_800_000_000), count: 3_000) {
      microseconds in
      let date = Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
      #expect(CivilTime.utcMilliseconds(date) == date.formatted(style), "\(microseconds)")
    }
  }

  /// The writer behind every timestamp pads a decimal of any length and sign: a fraction of
  /// `width` digits shows it alone after `19700101T000000.`, and the year field carries sign
  /// and padding the same way.
  @Test func digitsArePaddedDecimalsWhateverTheirLength() {
    func digits(_ value: Int, width: Int) -> String {
      String(
        CivilTime(secondsSince1970: 0).text(separators: false, fraction: (value, width))
          .dropFirst("19700101T000000.".count))
    }
    let cases: [(Int, Int, String)] = [
      (0, 2, "00"), (7, 3, "007"), (2026, 4, "2026"), (12345, 4, "12345"), (-5, 4, "-0005"),
      (999, 0, "999"), (Int.max, 1, String(Int.max)), (Int.min, 1, String(Int.min)),
    ]
    for (value, width, expected) in cases {
      #expect(digits(value, width: width) == expected, "\(value) width \(width)")
    }
    for value in stride(from: -1_000, through: 100_000, by: 7) {
      let plain = String(value.magnitude)
      let padded = String(repeating: "0", count: max(0, 6 - plain.count)) + plain
      #expect(digits(value, width: 6) == (value < 0 ? "-" : "") + padded)
    }
    var time = CivilTime(secondsSince1970: 0)
    for (year, text) in [(-5, "-0005"), (Int.min, String(Int.min)), (12345, "12345")] {
      time.year = year
      #expect(
        time.text(separators: true, zone: .offset(seconds: -3_723)) == text
          + "-01-01T00:00:00-01:02:03")
    }
  }
}
