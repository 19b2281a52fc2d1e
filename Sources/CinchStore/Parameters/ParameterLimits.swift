/// How many parameters of each tier an account may hold in a Region: 10,000 standard and
/// 100,000 advanced (reference §1.2;
/// https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html).
/// A store configuration value, so that tests reach a limit without writing 10,000 parameters.
public struct ParameterLimits: Sendable, Hashable {
  public var standard: Int
  public var advanced: Int

  public init(standard: Int = 10_000, advanced: Int = 100_000) {
    self.standard = standard
    self.advanced = advanced
  }

  /// The limit of `tier` (`Standard` or `Advanced`).
  func limit(of tier: ParameterTier) -> Int { tier == .advanced ? advanced : standard }
}
