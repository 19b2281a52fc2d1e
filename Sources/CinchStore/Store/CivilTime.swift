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
  package var isoDateTime: String { text(separators: true) }

  /// `YYYYMMDDTHHMMSS` (ISO 8601's basic form, as in SigV4's `X-Amz-Date`).
  package var isoBasicDateTime: String { text(separators: false) }

  /// The fields written byte by byte into the string's own storage: built from `String`
  /// appends, a timestamp cost ~5k instructions (~300 an append), once per audited transaction.
  /// With `milliseconds`, `.mmmZ` follows (the audit log's form).
  fileprivate func text(separators: Bool, milliseconds: Int? = nil) -> String {
    // A year of up to 20 characters (Int.min), five 2-digit fields, 6 separators, `.mmmZ`.
    String(unsafeUninitializedCapacity: 48) { buffer in
      var writer = ASCIIWriter(buffer: buffer)
      writer.write(year, width: 4)
      if separators { writer.write(UInt8(ascii: "-")) }
      writer.write(month, width: 2)
      if separators { writer.write(UInt8(ascii: "-")) }
      writer.write(day, width: 2)
      writer.write(UInt8(ascii: "T"))
      writer.write(hour, width: 2)
      if separators { writer.write(UInt8(ascii: ":")) }
      writer.write(minute, width: 2)
      if separators { writer.write(UInt8(ascii: ":")) }
      writer.write(second, width: 2)
      if let milliseconds {
        writer.write(UInt8(ascii: "."))
        writer.write(milliseconds, width: 3)
        writer.write(UInt8(ascii: "Z"))
      }
      return writer.count
    }
  }

  /// `value` in decimal, zero-padded on the left to `width` digits (a minus sign first when
  /// negative).
  package static func append(_ value: Int, width: Int, to text: inout String) {
    text += digits(value, width: width)
  }

  /// `value` in decimal, zero-padded to `width` digits. Written into the string's own storage,
  /// which up to 15 bytes is the string value itself: no allocation, where `String(value)` and
  /// a padding string allocated one each.
  static func digits(_ value: Int, width: Int) -> String {
    String(unsafeUninitializedCapacity: ASCIIWriter.length(of: value, width: width)) { buffer in
      var writer = ASCIIWriter(buffer: buffer)
      writer.write(value, width: width)
      return writer.count
    }
  }
}

/// Decimal fields and single bytes written in order into a buffer large enough for them.
private struct ASCIIWriter {
  let buffer: UnsafeMutableBufferPointer<UInt8>
  var count = 0

  mutating func write(_ byte: UInt8) {
    buffer[count] = byte
    count += 1
  }

  static func digitCount(_ magnitude: UInt) -> Int {
    var digits = 1
    var probe = magnitude
    while probe >= 10 {
      probe /= 10
      digits += 1
    }
    return digits
  }

  /// How many bytes `write(value, width: width)` writes.
  static func length(of value: Int, width: Int) -> Int {
    Swift.max(digitCount(value.magnitude), width) + (value < 0 ? 1 : 0)
  }

  /// `value` zero-padded to `width` digits, a minus sign first when negative.
  mutating func write(_ value: Int, width: Int) {
    if value < 0 { write(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    let padded = Swift.max(Self.digitCount(magnitude), width)
    var index = count + padded
    count = index
    for _ in 0..<padded {
      index -= 1
      buffer[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
      magnitude /= 10
    }
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
    return CivilTime(secondsSince1970: seconds).text(
      separators: true, milliseconds: nanoseconds / 1_000_000)
  }
}
