import Foundation

/// The calendar date and time of day of a whole number of seconds since 1970 at a fixed UTC
/// offset, in the proleptic Gregorian calendar, by arithmetic.
///
/// Foundation's `Calendar` and `Date.ISO8601FormatStyle` give the same fields, but setting them up
/// costs each process ~1.5 M instructions (a calendar cache, ICU-style locale and time-zone
/// state) before the first audit row or JSON date of a command; this costs a few dozen.
/// Both conversions are Howard Hinnant's, `civil_from_days` and `days_from_civil`
/// (https://howardhinnant.github.io/date_algorithms.html); the one place the project turns
/// seconds into dates and back (audit rows, wire dates, SigV4's `X-Amz-Date`).
package struct CivilTime: Sendable {
  package var year: Int
  /// 1…12.
  package var month: Int
  /// 1…31.
  package var day: Int
  package var hour: Int
  package var minute: Int
  package var second: Int

  /// `seconds` since 1970-01-01T00:00:00Z, read at `offset` seconds east of UTC.
  package init(secondsSince1970 seconds: Int64, offset: Int = 0) {
    let local = seconds + Int64(offset)
    let (days, secondOfDay) = Self.floorDivision(local, 86_400)
    (year, month, day) = Self.civil(fromDays: Int(days))
    hour = Int(secondOfDay / 3_600)
    minute = Int(secondOfDay % 3_600 / 60)
    second = Int(secondOfDay % 60)
  }

  /// The date `days` after 1970-01-01.
  static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153  // March is 0
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  /// Days from 1970-01-01 to `year`-`month`-`day`: the inverse of `civil(fromDays:)`.
  package static func days(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The number of days in `month` (1…12) of `year`.
  package static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
    let quotient = value / divisor
    let remainder = value % divisor
    return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
  }

  /// `YYYY-MM-DDTHH:MM:SS` (ISO 8601's extended form), each field zero-padded (the year to
  /// four digits).
  package var isoDateTime: String { text(dateSeparator: "-", timeSeparator: ":") }

  /// `YYYYMMDDTHHMMSS` (ISO 8601's basic form, as in SigV4's `X-Amz-Date`).
  package var isoBasicDateTime: String { text(dateSeparator: "", timeSeparator: "") }

  private func text(dateSeparator: String, timeSeparator: String) -> String {
    var text = ""
    text.reserveCapacity(32)
    Self.append(year, width: 4, to: &text)
    text += dateSeparator
    Self.append(month, width: 2, to: &text)
    text += dateSeparator
    Self.append(day, width: 2, to: &text)
    text += "T"
    Self.append(hour, width: 2, to: &text)
    text += timeSeparator
    Self.append(minute, width: 2, to: &text)
    text += timeSeparator
    Self.append(second, width: 2, to: &text)
    return text
  }

  /// `value` in decimal, zero-padded on the left to `width` digits (a minus sign first when
  /// negative).
  package static func append(_ value: Int, width: Int, to text: inout String) {
    if value < 0 { text += "-" }
    let digits = String(value.magnitude)
    if digits.utf8.count < width {
      text += String(repeating: "0", count: width - digits.utf8.count)
    }
    text += digits
  }
}

extension CivilTime {
  /// `date` in UTC to the millisecond, as the audit log writes it: `2026-11-30T16:54:04.212Z`.
  /// The fraction is truncated to milliseconds from the date's own representation (seconds
  /// since 2001 as a `Double`), as `Date.ISO8601FormatStyle` does.
  static func utcMilliseconds(_ date: Date) -> String {
    let sinceReference = date.timeIntervalSinceReferenceDate
    let whole = sinceReference.rounded(.down)
    let nanoseconds = Int((sinceReference - whole) * 1_000_000_000)
    let seconds = Int64(whole) + Int64(Date.timeIntervalBetween1970AndReferenceDate)
    var text = CivilTime(secondsSince1970: seconds).isoDateTime
    text += "."
    append(nanoseconds / 1_000_000, width: 3, to: &text)
    text += "Z"
    return text
  }
}
