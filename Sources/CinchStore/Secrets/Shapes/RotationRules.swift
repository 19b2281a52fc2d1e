/// A secret's rotation schedule (AWS shape `RotationRulesType`): `AutomaticallyAfterDays` or
/// `ScheduleExpression` (`rate(…)` / `cron(…)`, UTC), and the length of the rotation window.
public struct RotationRules: Codable, Sendable, Hashable {
  /// 1 to 1000 days after the last rotation.
  public var automaticallyAfterDays: Int?
  /// `Nh`, 1 to 24 hours.
  public var duration: String?
  /// `rate(12 hours)`, `rate(10 days)` or `cron(0 16 1,15 * ? *)`.
  public var scheduleExpression: String?

  public init(
    automaticallyAfterDays: Int? = nil, duration: String? = nil, scheduleExpression: String? = nil
  ) {
    self.automaticallyAfterDays = automaticallyAfterDays
    self.duration = duration
    self.scheduleExpression = scheduleExpression
  }

  enum CodingKeys: String, CodingKey {
    case automaticallyAfterDays = "AutomaticallyAfterDays"
    case duration = "Duration"
    case scheduleExpression = "ScheduleExpression"
  }
}
