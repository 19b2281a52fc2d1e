/// What one pass over the expired leases did.
public struct LeaseSweep: Sendable, Equatable {
  public struct Failure: Sendable, Equatable {
    public var leaseID: String
    public var reason: String
  }

  public var revoked = 0
  /// The leases that could not be revoked, and why.
  public var failures: [Failure] = []

  public var failed: Int { failures.count }
}
