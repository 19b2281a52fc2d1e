import Foundation

/// An AWS cron expression, `cron(Minutes Hours Day-of-month Month Day-of-week Year)`, in UTC
/// (the EventBridge syntax Secrets Manager takes): `,` lists, `-` ranges, `*` any, `/` steps,
/// `?` in one of the two day fields, month names `JAN`–`DEC`, day names `SUN`–`SAT` (1 = Sunday),
/// `L` (last day of the month; in day-of-week, Saturday or `5L` the last Thursday), `W`
/// (`15W`, the weekday nearest the 15th; `LW`, the last weekday) and `#` (`6#3`, the third
/// Friday).
struct CronExpression: Sendable, Hashable {
  enum DayRule: Sendable, Hashable {
    /// Any day (`*` in day-of-month with `?` in day-of-week, or the other way round).
    case any
    case daysOfMonth(Set<Int>)
    case lastDayOfMonth
    case lastWeekdayOfMonth
    case nearestWeekday(Int)
    case daysOfWeek(Set<Int>)
    /// `5L`: the last such day of the week in the month.
    case lastDayOfWeek(Int)
    /// `6#3`: the nth such day of the week in the month.
    case nthDayOfWeek(Int, Int)
  }

  var minutes: Set<Int>
  var hours: Set<Int>
  var months: Set<Int>
  var years: Set<Int>
  var day: DayRule
  /// Whether the hours field names a single hour (a once-a-day schedule).
  var singleHour: Bool { hours.count == 1 }

  /// The shortest time between two rotations it names, in whole hours, over the coming year
  /// (every month and weekday, so the answer does not depend on the day it is asked; hourly
  /// steps reset each day: `4/12` is 4:00 and 16:00, then 4:00 the next day); nil when it
  /// names fewer than two times in that span.
  func shortestGapHours(from start: Date = Date()) -> Int? {
    var shortest: TimeInterval?
    var previous = next(after: start)
    let horizon = start.addingTimeInterval(400 * 86_400)
    var count = 0
    while let earlier = previous, earlier < horizon, count < 10_000 {
      guard let later = next(after: earlier) else { break }
      shortest = min(shortest ?? .infinity, later.timeIntervalSince(earlier))
      previous = later
      count += 1
    }
    return shortest.map { Int($0 / 3600) }
  }

  struct ParseError: Error {
    var message: String
  }

  static let monthNames = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
  ]
  static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

  init(_ text: String) throws(ParseError) {
    let fields = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    guard fields.count == 6 else {
      throw ParseError(message: "a cron expression has six fields, not \(fields.count)")
    }
    minutes = try Self.values(fields[0], in: 0...59, names: [], field: "minutes")
    hours = try Self.values(fields[1], in: 0...23, names: [], field: "hours")
    months = try Self.values(fields[3], in: 1...12, names: Self.monthNames, field: "month")
    years = try Self.values(fields[5], in: 1970...2199, names: [], field: "year")
    let dayOfMonth = fields[2].uppercased()
    let dayOfWeek = fields[4].uppercased()
    switch (dayOfMonth == "?", dayOfWeek == "?") {
    case (true, true), (false, false):
      throw ParseError(message: "one of day-of-month and day-of-week must be '?'")
    case (false, true):
      day = try Self.dayOfMonthRule(dayOfMonth)
    case (true, false):
      day = try Self.dayOfWeekRule(dayOfWeek)
    }
  }

  static func dayOfMonthRule(_ field: String) throws(ParseError) -> DayRule {
    if field == "*" { return .any }
    if field == "L" { return .lastDayOfMonth }
    if field == "LW" { return .lastWeekdayOfMonth }
    if field.hasSuffix("W") {
      guard let day = Int(field.dropLast()), (1...31).contains(day) else {
        throw ParseError(message: "invalid day-of-month '\(field)'")
      }
      return .nearestWeekday(day)
    }
    return .daysOfMonth(try values(field, in: 1...31, names: [], field: "day-of-month"))
  }

  static func dayOfWeekRule(_ field: String) throws(ParseError) -> DayRule {
    if field == "*" { return .any }
    if field == "L" { return .daysOfWeek([7]) }
    if field.hasSuffix("L") {
      let day = try single(
        String(field.dropLast()), in: 1...7, names: dayNames, field: "day-of-week")
      return .lastDayOfWeek(day)
    }
    if let hash = field.firstIndex(of: "#") {
      let day = try single(
        String(field[..<hash]), in: 1...7, names: dayNames, field: "day-of-week")
      guard let nth = Int(field[field.index(after: hash)...]), (1...5).contains(nth) else {
        throw ParseError(message: "invalid day-of-week '\(field)'")
      }
      return .nthDayOfWeek(day, nth)
    }
    return .daysOfWeek(try values(field, in: 1...7, names: dayNames, field: "day-of-week"))
  }

  static func single(_ text: String, in range: ClosedRange<Int>, names: [String], field: String)
    throws(ParseError) -> Int
  {
    if let index = names.firstIndex(of: text.uppercased()) { return range.lowerBound + index }
    guard let value = Int(text), range.contains(value) else {
      throw ParseError(message: "invalid \(field) '\(text)'")
    }
    return value
  }

  static func values(_ text: String, in range: ClosedRange<Int>, names: [String], field: String)
    throws(ParseError) -> Set<Int>
  {
    var result: Set<Int> = []
    for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
      guard !item.isEmpty else { throw ParseError(message: "invalid \(field) '\(text)'") }
      var base = item
      var step = 1
      if let slash = item.firstIndex(of: "/") {
        base = String(item[..<slash])
        guard let parsed = Int(item[item.index(after: slash)...]), parsed >= 1 else {
          throw ParseError(message: "invalid step in \(field) '\(item)'")
        }
        step = parsed
      }
      var lower: Int
      var upper: Int
      if base == "*" {
        lower = range.lowerBound
        upper = range.upperBound
      } else if let dash = base.firstIndex(of: "-") {
        lower = try single(String(base[..<dash]), in: range, names: names, field: field)
        upper = try single(
          String(base[base.index(after: dash)...]), in: range, names: names, field: field)
        guard lower <= upper else {
          throw ParseError(message: "invalid range in \(field) '\(item)'")
        }
      } else {
        lower = try single(base, in: range, names: names, field: field)
        upper = item.contains("/") ? range.upperBound : lower
      }
      result.formUnion(stride(from: lower, through: upper, by: step))
    }
    return result
  }

  static var utc: Calendar {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
    return calendar
  }

  /// The first time after `date` the expression names, or nil within the next ten years.
  func next(after date: Date) -> Date? {
    let calendar = Self.utc
    let sortedHours = hours.sorted()
    let sortedMinutes = minutes.sorted()
    var day = calendar.startOfDay(for: date)
    for _ in 0..<(366 * 10) {
      let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
      if let year = parts.year, let month = parts.month, let dayOfMonth = parts.day,
        let weekday = parts.weekday, years.contains(year), months.contains(month),
        matches(year: year, month: month, day: dayOfMonth, weekday: weekday, calendar)
      {
        for hour in sortedHours {
          for minute in sortedMinutes {
            let candidate = day.addingTimeInterval(Double(hour * 3600 + minute * 60))
            if candidate > date { return candidate }
          }
        }
      }
      guard let following = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
      day = following
    }
    return nil
  }

  func matches(year: Int, month: Int, day: Int, weekday: Int, _ calendar: Calendar) -> Bool {
    let daysInMonth =
      calendar.range(
        of: .day, in: .month,
        for: calendar.date(from: DateComponents(year: year, month: month, day: 1)) ?? Date()
      )?.count ?? 31
    func weekdayOf(_ dayOfMonth: Int) -> Int {
      // weekday of the 1st, then offset; 1 = Sunday.
      let first =
        calendar.component(
          .weekday,
          from: calendar.date(from: DateComponents(year: year, month: month, day: 1)) ?? Date())
      return (first - 1 + dayOfMonth - 1) % 7 + 1
    }
    switch self.day {
    case .any:
      return true
    case .daysOfMonth(let days):
      return days.contains(day)
    case .lastDayOfMonth:
      return day == daysInMonth
    case .lastWeekdayOfMonth:
      var last = daysInMonth
      while [1, 7].contains(weekdayOf(last)) { last -= 1 }
      return day == last
    case .nearestWeekday(let wanted):
      let target = min(wanted, daysInMonth)
      var nearest = target
      switch weekdayOf(target) {
      case 7: nearest = target == 1 ? target + 2 : target - 1
      case 1: nearest = target == daysInMonth ? target - 2 : target + 1
      default: break
      }
      return day == nearest
    case .daysOfWeek(let days):
      return days.contains(weekday)
    case .lastDayOfWeek(let wanted):
      return weekday == wanted && day + 7 > daysInMonth
    case .nthDayOfWeek(let wanted, let nth):
      return weekday == wanted && (day - 1) / 7 + 1 == nth
    }
  }
}
