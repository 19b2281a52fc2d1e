import CinchCompiler
import CinchStore
import CinchTemplate
import Foundation
import Testing

/// Fingerprints are keyed per store: a lock made against one store says nothing about the
/// values of another, and `plan` says so instead of calling every value changed.
@Suite struct PlanFingerprintTests {
  static let template = """
    Resources:
      A: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: '{{resolve:ssm:/app/host}}'}}
      B: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: '{{resolve:ssm:/app/port}}'}}
    """

  @Test func aLockFromAnotherStoreHasNoComparableValues() async throws {
    let first = try await CompilerFixture()
    let second = try await CompilerFixture()
    for fixture in [first, second] {
      try await fixture.put("/app/host", "db.internal")
      try await fixture.put("/app/port", "5432")
    }
    try await second.put("/app/port", "6543")
    let (index, _) = first.analyze(Self.template)
    var diagnostics = Diagnostics()
    let lock = try await Locker(resolver: first.resolver, paths: first.paths)
      .lock(index, previous: nil, update: .none, into: &diagnostics).lock
    #expect(diagnostics.isEmpty)

    // Same store: nothing moved, the same values.
    let same = try await Planner(resolver: first.resolver, paths: first.paths)
      .plan(index, against: lock, named: "cinch.lock", into: &diagnostics)
    #expect(same.fingerprintsComparable)
    #expect(same.changes.map(\.status) == [.unchanged, .unchanged])
    #expect(same.changes.map(\.valueChanged) == [false, false])
    #expect(diagnostics.isEmpty)

    // The other store: /app/host is at the locked version with the same value, which its key
    // fingerprints differently; /app/port moved. Neither value can be compared.
    let other = try await Planner(resolver: second.resolver, paths: second.paths)
      .plan(index, against: lock, named: "cinch.lock", into: &diagnostics)
    #expect(!other.fingerprintsComparable)
    #expect(other.changes.map(\.status) == [.unchanged, .moved])
    #expect(other.changes.map(\.valueChanged) == [nil, nil])
    #expect(diagnostics.items.map(\.code) == [.fingerprintKeyMismatch])
    #expect(diagnostics.items.first?.severity == .warning)
    let human = PlanRenderer(format: .human).render(other)
    #expect(human.contains("values not comparable (W4012)"))
    #expect(!human.contains("value changed"))
    #expect(PlanRenderer(format: .json).render(other).contains(#""valueChanged": null"#))
  }
}
