import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The `Date` header of an answer, in RFC 9110's IMF-fixdate (`Sun, 06 Nov 1994 08:49:37
/// GMT`). A server with a clock sends it on every answer (§6.6.1), and AWS does: the SDKs read
/// it to correct a client's skewed clock and sign again (JS v3, Go v2, Java v2), so a client
/// off by more than the allowed skew recovers rather than failing every call. Formatted once a
/// second, not per request.
enum HTTPDate {
  private static let cached = Mutex<(second: Int, text: [UInt8])>((-1, []))

  /// `Date: …\r\n` for now.
  static func headerLine(now: time_t = time(nil)) -> [UInt8] {
    let second = Int(now)
    if let hit = cached.withLock({ $0.second == second ? $0.text : nil }) { return hit }
    let line = Array("Date: \(format(now))\r\n".utf8)
    cached.withLock { $0 = (second, line) }
    return line
  }

  static func format(_ time: time_t) -> String {
    var seconds = time
    var parts = tm()
    gmtime_r(&seconds, &parts)
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = [
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) "
      + "\(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
  }
}
