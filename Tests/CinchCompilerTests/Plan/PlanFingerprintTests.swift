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

  static func seededFixture() async throws -> CompilerFixture {
    let fixture = try await CompilerFixture()
    try await fixture.put("/app/host", "db.internal")
    try await fixture.put("/app/port", "5432")
    return fixture
  }

  /// The template's references and a lock of them, made cleanly.
  static func lock(_ fixture: CompilerFixture) async throws -> (ReferenceIndex, Lockfile) {
    let (index, _) = fixture.analyze(template)
    var diagnostics = Diagnostics()
    let lock = try await Locker(resolver: fixture.resolver, paths: fixture.paths)
      .lock(index, previous: nil, update: .none, into: &diagnostics).lock
    #expect(diagnostics.isEmpty)
    return (index, lock)
  }

  /// A secret read through Parameter Store is no entry of a plan, as of a lock; the plan says
  /// why, as `lock` does.
  @Test func aSecretThroughParameterStoreIsNotPlanned() async throws {
    let fixture = try await Self.seededFixture()
    let (index, _) = fixture.analyze(
      Self.template + """

          C: {Type: AWS::RDS::DBInstance, Properties: {MasterUserPassword: '{{resolve:ssm-secure:/aws/reference/secretsmanager/prod/db}}'}}
        """, pinning: true)
    var diagnostics = Diagnostics()
    let plan = try await Planner(resolver: fixture.resolver, paths: fixture.paths).plan(
      index, planned: ["stack.yaml"], against: Lockfile(), named: "cinch.lock",
      into: &diagnostics)
    #expect(plan.changes.map(\.key.name) == ["/app/host", "/app/port"])
    #expect(diagnostics.items.map(\.code) == [.referenceNotLockable])
    #expect(diagnostics.items.first?.severity == .warning)
  }

  @Test func aLockFromAnotherStoreHasNoComparableValues() async throws {
    let first = try await Self.seededFixture()
    let second = try await Self.seededFixture()
    try await second.put("/app/port", "6543")
    let (index, lock) = try await Self.lock(first)
    var diagnostics = Diagnostics()

    // Same store: nothing moved, the same values.
    let same = try await Planner(resolver: first.resolver, paths: first.paths)
      .plan(index, planned: ["stack.yaml"], against: lock, named: "cinch.lock", into: &diagnostics)
    #expect(same.fingerprintsComparable)
    #expect(same.changes.map(\.status) == [.unchanged, .unchanged])
    #expect(same.changes.map(\.valueChanged) == [false, false])
    #expect(diagnostics.isEmpty)

    // The other store: /app/host is at the locked version with the same value, which its key
    // fingerprints differently; /app/port moved. Neither value can be compared.
    let other = try await Planner(resolver: second.resolver, paths: second.paths)
      .plan(index, planned: ["stack.yaml"], against: lock, named: "cinch.lock", into: &diagnostics)
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

  /// A lock from another store whose pins all moved (no pin sits at the store's own version to
  /// give the key away): the key the lock records says the fingerprints are not this store's,
  /// so no value is called changed, however the versions line up.
  @Test func aLockFromAnotherStoreWithEveryPinMovedHasNoComparableValues() async throws {
    let first = try await Self.seededFixture()
    try await first.put("/app/host", "db2.internal")
    try await first.put("/app/port", "5433")
    let (index, lock) = try await Self.lock(first)
    #expect(lock.entries.map(\.pin.version) == [2, 2])
    // The same values in another store, each at version 3 (the pinned version 2 holds another
    // value there, which says nothing under another key).
    let second = try await CompilerFixture()
    for (name, value) in [("/app/host", "db2.internal"), ("/app/port", "5433")] {
      for prefix in ["a-", "b-", ""] { try await second.put(name, prefix + value) }
    }
    var diagnostics = Diagnostics()
    let plan = try await Planner(resolver: second.resolver, paths: second.paths)
      .plan(index, planned: ["stack.yaml"], against: lock, named: "cinch.lock", into: &diagnostics)
    #expect(plan.changes.map(\.status) == [.moved, .moved])
    #expect(plan.changes.map(\.valueChanged) == [nil, nil])
    #expect(!plan.fingerprintsComparable)
    #expect(diagnostics.items.map(\.code) == [.fingerprintKeyMismatch])
    #expect(diagnostics.items.first?.message.contains("another key") == true)
    let human = PlanRenderer(format: .human).render(plan)
    #expect(human.contains("values not comparable (W4012)"))
    #expect(!human.contains("value changed"))

    // A store without the pinned versions: no deploy of the lock reads them there (E4002, as
    // `check` and `outdated` say), and the other key is said beside, as `check` says it.
    let third = try await CompilerFixture()
    try await third.put("/app/host", "db2.internal")
    try await third.put("/app/port", "5433")
    diagnostics = Diagnostics()
    let gone = try await Planner(resolver: third.resolver, paths: third.paths)
      .plan(index, planned: ["stack.yaml"], against: lock, named: "cinch.lock", into: &diagnostics)
    #expect(gone.changes.map(\.status) == [.failed, .failed])
    #expect(
      diagnostics.items.map(\.code) == [
        .versionNotFound, .versionNotFound, .fingerprintKeyMismatch,
      ])
  }

  /// A pin at the store's version with another fingerprint, under the key the lock records (or,
  /// in a lock from before it was recorded, beside a pin that matches): another value at that
  /// version, as when a parameter is deleted and created again. Listed, never hidden.
  @Test func anotherValueAtTheLockedVersionIsListed() async throws {
    let fixture = try await Self.seededFixture()
    let (index, made) = try await Self.lock(fixture)
    #expect(made.fingerprintKey == fixture.reader.fingerprintKeyID)
    var entries = made.entries
    let edited = try #require(entries.firstIndex { $0.key.name == "/app/host" })
    entries[edited].pin.fingerprint = "hmac-sha256:" + String(repeating: "0", count: 64)
    for recordedKey in [made.fingerprintKey, nil] {
      var diagnostics = Diagnostics()
      let lock = Lockfile(
        entries: entries, templates: made.templates, inputs: made.inputs,
        fingerprintKey: recordedKey)
      let plan = try await Planner(resolver: fixture.resolver, paths: fixture.paths)
        .plan(
          index, planned: ["stack.yaml"], against: lock, named: "cinch.lock",
          into: &diagnostics)
      #expect(plan.changes.map(\.key.name) == ["/app/host", "/app/port"])
      #expect(plan.changes.map(\.status) == [.rewritten, .unchanged])
      #expect(plan.changes.map(\.valueChanged) == [true, false])
      #expect(diagnostics.isEmpty)
      let human = PlanRenderer(format: .human).render(plan)
      #expect(human.contains("1 unchanged, 1 with another value at the locked version"))
      #expect(human.contains("*  ssm /app/host"))
    }
    // One pin, under another key than the lock records: not comparable, not "changed".
    var diagnostics = Diagnostics()
    let lone = Lockfile(
      entries: [entries[edited]], templates: made.templates, inputs: made.inputs,
      fingerprintKey: "hmac-sha256:" + String(repeating: "1", count: 64))
    let plan = try await Planner(resolver: fixture.resolver, paths: fixture.paths)
      .plan(index, planned: ["stack.yaml"], against: lone, named: "cinch.lock", into: &diagnostics)
    #expect(plan.changes.first { $0.key.name == "/app/host" }?.valueChanged == .some(nil))
    #expect(diagnostics.items.map(\.code) == [.fingerprintKeyMismatch])
  }
}
