package import Foundation

/// Times as Vault writes them: RFC 3339 in UTC with the fraction's trailing zeros trimmed
/// (`2018-03-22T02:24:06.945319Z`, Go's `RFC3339Nano`). cinch keeps microseconds.
package enum VaultTime {
  package static func format(_ date: Date) -> String {
    let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
    let fraction = micros - seconds * 1_000_000
    var time = time_t(seconds)
    var parts = tm()
    gmtime_r(&time, &parts)
    var text = String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    if fraction > 0 {
      var digits = String(format: "%06d", Int(fraction))
      while digits.hasSuffix("0") { digits.removeLast() }
      text += "." + digits
    }
    return text + "Z"
  }

  /// Now on a clock moved by `offset` seconds, to the microsecond.
  package static func now(offset: TimeInterval = 0) -> Date {
    let seconds = Date().timeIntervalSince1970 + offset
    return Date(timeIntervalSince1970: (seconds * 1_000_000).rounded() / 1_000_000)
  }
}
