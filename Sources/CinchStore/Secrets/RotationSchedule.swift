import Foundation

/// A secret's rotation rules, checked and made computable: when the next rotation window opens
/// and closes after a rotation (`reference: aws-store-semantics §2.7`).
///
/// - `AutomaticallyAfterDays = N` and `rate(N days)`: the window is the UTC day N days after the
///   day of the last rotation, from midnight, for `Duration` hours or to the end of that day.
/// - `rate(N hours)` (N ≥ 4): windows open on the hour, from midnight every N hours of each UTC
///   day (`rate(10 hours)`: 0:00, 10:00, 20:00, as `cron(0 0/10 * * ? *)`); the next is the one
///   that holds the time N hours after the last rotation (past 24 hours, that day's midnight),
///   and it lasts `Duration` (default 1 hour), never into the next UTC day.
/// - `cron(…)`: the window opens at the next time the expression names after the last rotation
///   and lasts `Duration`, by default 1 hour when the expression names several hours of a day,
///   else to the end of that UTC day.
struct RotationSchedule: Sendable, Hashable {
  enum Interval: Sendable, Hashable {
    case days(Int)
    case hours(Int)
    case cron(CronExpression)
  }

  var interval: Interval
  /// Window length in hours, when given.
  var durationHours: Int?

  static let expressionCharacters = Set(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz()#?*-/, ")

  /// `strict`: hold the rules to everything Secrets Manager checks when they are set (`cron`
  /// minutes `0`, year `*`, at most every four hours, a window inside its day and before the
  /// next); off for rules already stored, which keep rotating on the schedule they name even
  /// when a later cinch checks more than the one that took them.
  init(_ rules: RotationRules, strict: Bool = true) throws(StoreError) {
    if let days = rules.automaticallyAfterDays {
      guard days >= 1 else {
        throw .constraint(
          value: String(days), at: "rotationRules.automaticallyAfterDays",
          "Member must have value greater than or equal to 1")
      }
      guard days <= 1000 else {
        throw .constraint(
          value: String(days), at: "rotationRules.automaticallyAfterDays",
          "Member must have value less than or equal to 1000")
      }
    }
    if let duration = rules.duration {
      guard duration.count >= 2, duration.count <= 3, duration.hasSuffix("h"),
        let hours = Int(duration.dropLast()), duration.dropLast().allSatisfy(\.isNumber)
      else {
        throw .constraint(
          value: duration, at: "rotationRules.duration",
          "Member must satisfy regular expression pattern: [0-9]+h")
      }
      guard (1...24).contains(hours) else {
        throw .invalidParameter("The rotation window duration must be between 1h and 24h.")
      }
      durationHours = hours
    }
    switch (rules.automaticallyAfterDays, rules.scheduleExpression) {
    case (.some, .some):
      throw .invalidParameter(
        "You can't specify both AutomaticallyAfterDays and ScheduleExpression in RotationRules.")
    case (nil, nil):
      throw .invalidParameter(
        "RotationRules must include either AutomaticallyAfterDays or ScheduleExpression.")
    case (let days?, nil):
      interval = .days(days)
    case (nil, let expression?):
      interval = try Self.parse(expression, strict: strict)
    }
    guard strict else { return }
    // https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html:
    // for a rate in hours, "confirm that the rotation window is less than or equal to the
    // number of hours between rotations" (a window may end as the next one opens).
    if case .hours(let hours) = interval, let durationHours {
      if durationHours > hours {
        throw .invalidParameter(
          "The rotation window (Duration \(durationHours)h) can't extend into the next rotation "
            + "window (every \(hours) hours).")
      }
      if let late = Self.startHours(every: hours).last, late + durationHours > 24 {
        throw .invalidParameter(
          "The rotation window (Duration \(durationHours)h from \(late):00) can't extend into "
            + "the next UTC day.")
      }
    }
    // https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html:
    // "The rotation window must not extend into the next rotation window", nor, for a
    // schedule in days, "into the next UTC day" (the start hour plus the window at most 24).
    if case .cron(let cron) = interval, let durationHours {
      if let late = cron.hours.max(), late + durationHours > 24 {
        throw .invalidParameter(
          "The rotation window (Duration \(durationHours)h from \(late):00) can't extend into "
            + "the next UTC day.")
      }
      if let gap = cron.shortestGapHours(), durationHours > gap {
        throw .invalidParameter(
          "The rotation window (Duration \(durationHours)h) can't extend into the next rotation "
            + "window (\(gap) hours later).")
      }
    }
  }

  static func parse(_ expression: String, strict: Bool = true) throws(StoreError) -> Interval {
    guard !expression.isEmpty, expression.count <= 256,
      expression.allSatisfy({ expressionCharacters.contains($0) })
    else {
      throw .constraint(
        value: expression, at: "rotationRules.scheduleExpression",
        "Member must satisfy regular expression pattern: [0-9A-Za-z\\(\\)#\\?\\*\\-\\/, ]+")
    }
    func invalid(_ detail: String) -> StoreError {
      .invalidParameter("Invalid ScheduleExpression '\(expression)': \(detail).")
    }
    if expression.hasPrefix("rate(") && expression.hasSuffix(")") {
      let body = expression.dropFirst(5).dropLast().split(separator: " ")
      guard body.count == 2, let count = Int(body[0]), count >= 1 else {
        throw invalid("expected rate(N hours) or rate(N days)")
      }
      // "The maximum rotation period is 999 days."
      switch body[1] {
      case "hour", "hours":
        guard count >= 4 else { throw invalid("a secret can rotate at most every four hours") }
        guard count <= 999 * 24 else { throw invalid("the rate is longer than 999 days") }
        return count % 24 == 0 ? .days(count / 24) : .hours(count)
      case "day", "days":
        guard count <= 999 else { throw invalid("the rate is longer than 999 days") }
        return .days(count)
      default:
        throw invalid("the unit of a rate is hours or days")
      }
    }
    if expression.hasPrefix("cron(") && expression.hasSuffix(")") {
      do {
        let body = String(expression.dropFirst(5).dropLast())
        let cron = try CronExpression(body)
        guard strict else { return .cron(cron) }
        // Secrets Manager's cron: "must have 0 in the minutes field because Secrets Manager
        // rotation windows open on the hour. It must have * in the year field", and "you can
        // rotate a secret as often as every four hours".
        guard cron.minutes == [0] else {
          throw invalid("the minutes field must be 0: rotation windows open on the hour")
        }
        guard body.split(separator: " ").last == "*" else {
          throw invalid("the year field must be '*'")
        }
        guard cron.next(after: Date()) != nil else {
          throw invalid("the expression names no time in the next ten years")
        }
        if let gap = cron.shortestGapHours(), gap < 4 {
          throw invalid("a secret can rotate at most every four hours, not every \(gap)")
        }
        return .cron(cron)
      } catch let error as CronExpression.ParseError {
        throw invalid(error.message)
      } catch let error as StoreError {
        throw error
      } catch {
        throw invalid("\(error)")
      }
    }
    throw invalid("expected rate(…) or cron(…)")
  }

  /// The window that follows a rotation at `last`: its last second is its end, as
  /// `NextRotationDate` says it ("on or before"), whatever the schedule (a window of two hours
  /// from 16:00 ends at 17:59:59).
  func window(after last: Date) -> (start: Date, end: Date)? {
    let calendar = CronExpression.utc
    switch interval {
    case .days(let days):
      guard
        let start = calendar.date(
          byAdding: .day, value: days, to: calendar.startOfDay(for: last))
      else { return nil }
      return (start, end(of: start, defaultHours: 24))
    case .hours(let hours):
      // "Secrets Manager rotation windows always start on the hour", and "for a rate in hours,
      // the default rotation window starts at midnight" (rotate-secrets_schedule.html): the
      // window of the day's grid that holds the time N hours on. It opens after `last`: the
      // grid's step is N, and every midnight is on it.
      let target = last.addingTimeInterval(Double(hours) * 3600)
      let day = calendar.startOfDay(for: target)
      let hour = Int(target.timeIntervalSince(day) / 3600)
      let opening = Self.startHours(every: hours).last { $0 <= hour } ?? 0
      let start = day.addingTimeInterval(Double(opening) * 3600)
      return (start, end(of: start, defaultHours: 1))
    case .cron(let cron):
      guard let start = cron.next(after: last) else { return nil }
      if !cron.singleHour {
        return (start, start.addingTimeInterval(Double(durationHours ?? 1) * 3600 - 1))
      }
      return (start, end(of: start, defaultHours: nil))
    }
  }

  /// The hours of a UTC day at which the windows of `rate(N hours)` open: midnight and every N
  /// hours after it in that day (the grid starts again at each midnight, as a cron step does).
  static func startHours(every hours: Int) -> [Int] {
    Array(stride(from: 0, to: 24, by: max(hours, 1)))
  }

  /// `start` plus the duration, never past the end of its UTC day.
  private func end(of start: Date, defaultHours: Int?) -> Date {
    let calendar = CronExpression.utc
    let dayEnd =
      (calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: start)) ?? start)
      .addingTimeInterval(-1)
    guard let hours = durationHours ?? defaultHours else { return dayEnd }
    return min(start.addingTimeInterval(Double(hours) * 3600 - 1), dayEnd)
  }
}
