package import Foundation

#if canImport(Glibc)
  import Glibc
#endif

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

  /// What follows the time of day in a timestamp.
  package enum Zone {
    case none
    /// `Z`.
    case utc
    /// `+HH:MM`, or `+HH:MM:SS` when the offset has seconds (Python's `isoformat()`).
    case offset(seconds: Int)
  }

  /// The fields, an optional fraction of a second (`value` printed as `digits` digits after a
  /// `.`) and the zone, written byte by byte into the string's own storage: the one writer
  /// behind the audit log's times, the wire's dates and SigV4's `X-Amz-Date`. Built from
  /// `String` appends, an audit timestamp cost ~7k instructions (~300 an append), once per
  /// audited transaction; this ~1.4k (fields are measured, then written).
  package func text(
    separators: Bool, fraction: (value: Int, digits: Int)? = nil, zone: Zone = .none
  ) -> String {
    // Measured first, so that no field of any size can outgrow the buffer.
    var counter = ByteCounter()
    write(to: &counter, separators: separators, fraction: fraction, zone: zone)
    return String(unsafeUninitializedCapacity: counter.count) { buffer in
      var writer = ASCIIWriter(buffer: buffer)
      write(to: &writer, separators: separators, fraction: fraction, zone: zone)
      return writer.count
    }
  }

  private func write<Sink: ASCIISink>(
    to sink: inout Sink, separators: Bool, fraction: (value: Int, digits: Int)?, zone: Zone
  ) {
    sink.write(year, width: 4)
    if separators { sink.write(UInt8(ascii: "-")) }
    sink.write(month, width: 2)
    if separators { sink.write(UInt8(ascii: "-")) }
    sink.write(day, width: 2)
    sink.write(UInt8(ascii: "T"))
    sink.write(hour, width: 2)
    if separators { sink.write(UInt8(ascii: ":")) }
    sink.write(minute, width: 2)
    if separators { sink.write(UInt8(ascii: ":")) }
    sink.write(second, width: 2)
    if let fraction {
      sink.write(UInt8(ascii: "."))
      sink.write(fraction.value, width: fraction.digits)
    }
    switch zone {
    case .none: break
    case .utc: sink.write(UInt8(ascii: "Z"))
    case .offset(let seconds):
      let magnitude = abs(seconds)
      sink.write(UInt8(ascii: seconds < 0 ? "-" : "+"))
      sink.write(magnitude / 3600, width: 2)
      sink.write(UInt8(ascii: ":"))
      sink.write(magnitude % 3600 / 60, width: 2)
      if magnitude % 60 != 0 {
        sink.write(UInt8(ascii: ":"))
        sink.write(magnitude % 60, width: 2)
      }
    }
  }
}

/// Where `CivilTime.write` puts its bytes: counted, then written.
private protocol ASCIISink {
  mutating func write(_ byte: UInt8)
  mutating func write(_ value: Int, width: Int)
}

private func decimalDigits(_ magnitude: UInt) -> Int {
  var digits = 1
  var probe = magnitude
  while probe >= 10 {
    probe /= 10
    digits += 1
  }
  return digits
}

private struct ByteCounter: ASCIISink {
  var count = 0
  mutating func write(_ byte: UInt8) { count += 1 }
  mutating func write(_ value: Int, width: Int) {
    count += Swift.max(decimalDigits(value.magnitude), width) + (value < 0 ? 1 : 0)
  }
}

/// Decimal fields and single bytes written in order into a buffer `ByteCounter` measured.
private struct ASCIIWriter: ASCIISink {
  let buffer: UnsafeMutableBufferPointer<UInt8>
  var count = 0

  mutating func write(_ byte: UInt8) {
    buffer[count] = byte
    count += 1
  }

  /// `value` zero-padded to `width` digits, a minus sign first when negative.
  mutating func write(_ value: Int, width: Int) {
    if value < 0 { write(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    let padded = Swift.max(decimalDigits(magnitude), width)
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
      separators: true, fraction: (nanoseconds / 1_000_000, 3), zone: .utc)
  }
}

extension CivilTime {
  /// `date` in UTC through a `DateFormatter` pattern with the POSIX locale, for the few formats
  /// other programs fix (PostgreSQL's `VALID UNTIL`, the Java SDK's dates in `SourceResult`).
  package static func formatted(_ date: Date, _ pattern: String) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = pattern
    return formatter.string(from: date)
  }
}

extension CivilTime {
  /// Seconds east of UTC of the process's local time zone at `seconds` since 1970, as the C
  /// library has it: `TZ` when set, else /etc/localtime. It is where the aws CLI's dates come
  /// from too (Python's `dateutil.tz.tzlocal()` reads `time.localtime()`), and it costs a few
  /// microseconds, where Foundation's `TimeZone.current` sets up ICU and reads its zone data
  /// (~1 ms of CPU in a `cinch ssm get-parameter`, Docs/Performance.md).
  package static func localOffset(atSecondsSince1970 seconds: Int64) -> Int {
    #if canImport(Glibc)
      var time = time_t(seconds)
      var fields = tm()
      guard localtime_r(&time, &fields) != nil else { return 0 }
      return Int(fields.tm_gmtoff)
    #else
      return TimeZone.current.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
    #endif
  }
}
