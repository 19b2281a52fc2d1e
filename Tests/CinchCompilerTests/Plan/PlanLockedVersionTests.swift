import CinchCompiler
import CinchStore
import CinchTemplate
import Foundation
import Testing

/// A plan reads a pin that moved at its locked version too: the version the lock pins may be
/// gone, or hold another value than the one locked, whatever the reference reads now. Said as
/// `render --frozen` (E4014, E4002) and `outdated` say it, never as an ordinary move.
@Suite struct PlanLockedVersionTests {
  static let template = """
    Resources:
      Db:
        Type: AWS::RDS::DBInstance
        Properties:
          MasterUserPassword: '{{resolve:ssm-secure:/m/p}}'
          MasterUsername: '{{resolve:secretsmanager:m/s:SecretString:user}}'
      Topic: {Type: AWS::SNS::Topic, Properties: {TopicName: '{{resolve:ssm:/m/host}}'}}
    """

  /// A fixture with `/m/p` (a SecureString holding the canary), `/m/host` and `m/s`, and a lock
  /// of the template made against it.
  static func locked() async throws -> (CompilerFixture, ReferenceIndex, Lockfile) {
    let fixture = try await CompilerFixture()
    try await fixture.put("/m/p", CompilerFixture.canary, type: .secureString)
    try await fixture.put("/m/host", "db.internal")
    try await fixture.createSecret("m/s", #"{"user":"admin"}"#)
    let (index, _) = fixture.analyze(template, pinning: true)
    var diagnostics = Diagnostics()
    let lock = try await Locker(resolver: fixture.resolver, paths: fixture.paths)
      .lock(index, previous: nil, update: .none, into: &diagnostics).lock
    #expect(diagnostics.isEmpty)
    return (fixture, index, lock)
  }

  static func plan(
    _ fixture: CompilerFixture, _ index: ReferenceIndex, against lock: Lockfile,
    into diagnostics: inout Diagnostics
  ) async throws -> Plan {
    try await Planner(resolver: fixture.resolver, paths: fixture.paths).plan(
      index, planned: ["stack.yaml"], against: lock, named: "cinch.lock", into: &diagnostics)
  }

  /// Deleted, written again (a new version 1 with another value), then the locked value put
  /// back as version 2: the reference reads the locked value at another version, and the
  /// version the lock pins holds another one. Both are said: `*`, and "same value as locked".
  @Test func aMovedPinWhoseVersionHoldsAnotherValueIsListed() async throws {
    let (fixture, index, lock) = try await Self.locked()
    _ = try await fixture.store.deleteParameter(DeleteParameterRequest(name: "/m/p"))
    try await fixture.put("/m/p", "another-" + CompilerFixture.canary, type: .secureString)
    #expect(try await fixture.put("/m/p", CompilerFixture.canary, type: .secureString) == 2)

    var diagnostics = Diagnostics()
    let plan = try await Self.plan(fixture, index, against: lock, into: &diagnostics)
    let change = try #require(plan.changes.first { $0.key.name == "/m/p" })
    #expect(change.status == .rewritten)
    #expect(change.locked?.version == 1)
    #expect(change.current?.version == 2)
    #expect(change.valueChanged == false)
    #expect(diagnostics.isEmpty)
    let human = PlanRenderer(format: .human).render(plan)
    #expect(
      human.contains(
        "0 to move, 0 to add, 0 to drop, 2 unchanged, 1 with another value at the locked version"),
      "\(human)")
    let row = try #require(human.split(separator: "\n").first { $0.contains("/m/p") })
    #expect(row.hasPrefix("*  ssm-secure /m/p"), "\(row)")
    #expect(
      row.hasSuffix("another value at the locked version; now: same value as locked (secret)"),
      "\(row)")
    for format in PlanRenderer.Format.allCases {
      #expect(!PlanRenderer(format: format).render(plan).contains(CompilerFixture.canary))
    }
  }

  /// A hand-resolved merge that took the fingerprint from one side (version 3's) and the version
  /// from the other (2): the lock vouches for neither. The plan says version 2 does not hold the
  /// locked value, rather than "2 → 3 same value" as if the lock were sound.
  @Test func aMergedEntryWithOneSidesFingerprintIsNotAnOrdinaryMove() async throws {
    let fixture = try await CompilerFixture()
    for value in ["one.internal", "two.internal", "three.internal"] {
      try await fixture.put("/m/host", value)
    }
    let (index, _) = fixture.analyze(
      "Resources:\n  Topic: {Type: AWS::SNS::Topic, Properties: {TopicName: '{{resolve:ssm:/m/host}}'}}\n",
      pinning: true)
    var diagnostics = Diagnostics()
    let made = try await Locker(resolver: fixture.resolver, paths: fixture.paths)
      .lock(index, previous: nil, update: .none, into: &diagnostics).lock
    var entries = made.entries
    #expect(entries.map(\.pin.version) == [3])
    entries[0].pin.version = 2
    let merged = Lockfile(
      entries: entries, templates: made.templates, inputs: made.inputs,
      fingerprintKey: made.fingerprintKey)

    let plan = try await Self.plan(fixture, index, against: merged, into: &diagnostics)
    #expect(plan.changes.map(\.status) == [.rewritten])
    #expect(plan.changes.map(\.valueChanged) == [false])
    #expect(diagnostics.isEmpty)
    let human = PlanRenderer(format: .human).render(plan)
    #expect(human.contains("*  ssm /m/host"), "\(human)")
    #expect(!human.contains("~  ssm /m/host"), "\(human)")
    #expect(human.contains("another value at the locked version; now: same value as locked"))
  }

  /// A pin whose version is gone (a secret deleted and created again, a hand-edited version
  /// 99) is no move: `!`, the pin's failure reported at the reference, as `outdated` calls it
  /// gone and `check` E4002.
  @Test func aPinWhoseVersionIsGoneIsNotAnOrdinaryMove() async throws {
    let (fixture, index, lock) = try await Self.locked()
    _ = try await fixture.store.deleteSecret(
      DeleteSecretRequest(secretID: "m/s", forceDeleteWithoutRecovery: true))
    try await fixture.createSecret("m/s", #"{"user":"admin"}"#)
    var entries = lock.entries
    let host = try #require(entries.firstIndex { $0.key.name == "/m/host" })
    entries[host].pin.version = 99
    let edited = Lockfile(
      entries: entries, templates: lock.templates, inputs: lock.inputs,
      fingerprintKey: lock.fingerprintKey)

    var diagnostics = Diagnostics()
    let plan = try await Self.plan(fixture, index, against: edited, into: &diagnostics)
    #expect(
      plan.changes.map { "\($0.key.name) \($0.status)" } == [
        "/m/host failed", "/m/p unchanged", "m/s failed",
      ])
    #expect(plan.changes.filter { $0.status == .failed }.allSatisfy { $0.current != nil })
    #expect(diagnostics.items.map(\.code) == [.versionNotFound, .versionNotFound])
    #expect(diagnostics.hasErrors)
    #expect(diagnostics.items.allSatisfy { $0.message.hasPrefix("pinned reference '") })
    let human = PlanRenderer(format: .human).render(plan)
    #expect(human.contains("2 unreadable"), "\(human)")
    let rows = human.split(separator: "\n").filter { $0.hasPrefix("!") }
    #expect(rows.count == 2)
    #expect(rows.allSatisfy { $0.hasSuffix("locked version gone") }, "\(rows)")
    let host99 = try #require(rows.first { $0.contains("ssm /m/host") })
    #expect(host99.split(separator: " ").map(String.init).contains("99"), "\(host99)")
  }
}
