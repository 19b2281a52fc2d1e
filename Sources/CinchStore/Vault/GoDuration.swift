import Foundation

/// Durations as Vault reads and writes them: go-secure-stdlib's `ParseDurationSecond` on input
/// (a bare number of seconds, an integer number of days with `d` (`"7d"`), or Go's
/// `time.ParseDuration` syntax: `"1h30m"`, `"90s"`, `"-1s"`, `"1.5h"`, `"300ms"`), and Go's
/// `time.Duration.String()` form on output (`"3h25m19s"`, `"0s"`, `"1m0s"`).
package enum GoDuration {
  package static let nanosecond: Int64 = 1
  package static let second: Int64 = 1_000_000_000

  /// Parses a Go duration, an integer number of seconds, or an integer number of days followed
  /// by `d`, into nanoseconds; nil when invalid. As in `ParseDurationSecond`, the `d` form is
  /// an integer alone: `"1.5d"` and `"1d12h"` are refused.
  package static func parse(_ text: String) -> Int64? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if trimmed.isEmpty { return nil }
    if let seconds = Int64(trimmed) {
      let (product, overflow) = seconds.multipliedReportingOverflow(by: second)
      return overflow ? nil : product
    }
    if trimmed.hasSuffix("d"), let days = Int64(String(trimmed.dropLast())) {
      let (product, overflow) = days.multipliedReportingOverflow(by: 86_400 * second)
      return overflow ? nil : product
    }
    var scalars = Substring(trimmed)
    var negative = false
    if scalars.first == "-" || scalars.first == "+" {
      negative = scalars.first == "-"
      scalars = scalars.dropFirst()
    }
    if scalars == "0" { return 0 }
    guard !scalars.isEmpty else { return nil }
    var total: Double = 0
    while !scalars.isEmpty {
      let number = scalars.prefix { $0.isNumber || $0 == "." }
      guard !number.isEmpty, number != ".", let value = Double(number) else { return nil }
      scalars = scalars.dropFirst(number.count)
      let unit = scalars.prefix { !$0.isNumber && $0 != "." }
      scalars = scalars.dropFirst(unit.count)
      let multiplier: Double
      switch unit {
      case "ns": multiplier = 1
      case "us", "µs", "μs": multiplier = 1e3
      case "ms": multiplier = 1e6
      case "s": multiplier = 1e9
      case "m": multiplier = 60e9
      case "h": multiplier = 3600e9
      default: return nil
      }
      total += value * multiplier
    }
    guard total < 9.2e18 else { return nil }
    let nanos = Int64(total.rounded())
    return negative ? -nanos : nanos
  }

  /// Go's `Duration.String()`.
  package static func format(_ nanos: Int64) -> String {
    if nanos == 0 { return "0s" }
    let negative = nanos < 0
    let magnitude = nanos.magnitude
    var text: String
    if magnitude < UInt64(second) {
      // Sub-second: the largest unit that keeps the value at or above 1.
      let (unit, size): (String, UInt64) =
        magnitude < 1_000 ? ("ns", 1) : magnitude < 1_000_000 ? ("µs", 1_000) : ("ms", 1_000_000)
      text = fraction(magnitude, size) + unit
    } else {
      let hours = magnitude / 3_600_000_000_000
      let minutes = (magnitude / 60_000_000_000) % 60
      let seconds = magnitude % 60_000_000_000
      text = fraction(seconds, UInt64(second)) + "s"
      if hours > 0 || minutes > 0 { text = "\(minutes)m" + text }
      if hours > 0 { text = "\(hours)h" + text }
    }
    return negative ? "-" + text : text
  }

  private static func fraction(_ value: UInt64, _ unit: UInt64) -> String {
    let whole = value / unit
    var rest = value % unit
    guard rest > 0 else { return String(whole) }
    var digits = ""
    var scale = unit / 10
    while rest > 0 && scale > 0 {
      digits.append(Character(String(rest / scale)))
      rest %= scale
      scale /= 10
    }
    return "\(whole)." + digits
  }
}
