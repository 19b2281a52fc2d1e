import CinchCompiler
import CinchStore
import CinchTemplate
import Foundation
import Testing

/// A secret pin against the store: behind when the stage it was taken from moved, gone when
/// its version id vanished, and never behind when the template names the version id.
@Suite struct SecretOutdatedTests {
  static let template = """
    Resources:
      A: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: '{{resolve:secretsmanager:prod/MyApp/DBSecret:SecretString:password}}'}}
      B: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: '{{resolve:secretsmanager:prod/MyApp/DBSecret:SecretString:password:AWSPREVIOUS}}'}}
    """

  @Test func aPutMovesAWSCURRENTAndAWSPREVIOUS() async throws {
    let fixture = try await CompilerFixture()
    let first = try await fixture.createSecret("prod/MyApp/DBSecret", #"{"password":"one"}"#)
    let second = try await fixture.putSecret("prod/MyApp/DBSecret", #"{"password":"two"}"#)
    let (index, _) = fixture.analyze(Self.template)
    var diagnostics = Diagnostics()
    let lock = try await Locker(resolver: fixture.resolver, paths: fixture.paths)
      .lock(index, previous: nil, update: .none, into: &diagnostics).lock
    #expect(diagnostics.isEmpty)
    let third = try await fixture.putSecret("prod/MyApp/DBSecret", #"{"password":"three"}"#)

    let findings = try await OutdatedChecker(store: fixture.reader).check(
      lock, named: "cinch.lock", into: &diagnostics)
    #expect(diagnostics.isEmpty)
    #expect(
      findings.map(\.message) == [
        "pinned at \(second); AWSCURRENT is now on \(third)",
        "pinned at \(first); AWSPREVIOUS is now on \(second)",
      ])

    let plan = try await Planner(resolver: fixture.resolver, paths: fixture.paths)
      .plan(index, planned: ["stack.yaml"], against: lock, named: "cinch.lock", into: &diagnostics)
    #expect(plan.changes.map(\.status) == [.moved, .moved])
    #expect(plan.changes.map { $0.current?.versionId } == [third, second])
    #expect(plan.changes.map(\.valueChanged) == [true, true])
    // A secret's length narrows a guess at it: plans carry none.
    #expect(plan.changes.map(\.length) == [nil, nil])
    let rendered = PlanRenderer(format: .json).render(plan)
    #expect(!rendered.contains("three"))
  }

  @Test func pinsGoneMovedOrNamedById() {
    let now = Date(timeIntervalSince1970: 0)
    let list = SecretVersionList(
      name: "s", arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf",
      description: nil, kmsKeyID: nil, deletedDate: nil,
      versions: [
        .init(versionID: "v1", stages: [], createdDate: now, valueType: .string, jsonKeys: nil),
        .init(
          versionID: "v2", stages: ["AWSCURRENT"], createdDate: now, valueType: .string,
          jsonKeys: nil),
      ])
    func entry(_ selector: ResolutionKey.Selector, pinned: String, stage: String?) -> LockEntry {
      LockEntry(
        key: ResolutionKey(kind: .secretsManager, name: "s", selector: selector),
        pin: Pin(
          arn: list.arn, versionId: pinned, stage: stage, type: "SecretString", fingerprint: "f"),
        sites: [])
    }
    #expect(
      OutdatedChecker.findings(for: entry(.latest, pinned: "v2", stage: "AWSCURRENT"), secret: list)
        .isEmpty)
    #expect(
      OutdatedChecker.findings(for: entry(.latest, pinned: "v1", stage: "AWSCURRENT"), secret: list)
        .map(\.reason)
        == [.stageMoved(stage: "AWSCURRENT", to: "v2")])
    #expect(
      OutdatedChecker.findings(for: entry(.latest, pinned: "v0", stage: "AWSCURRENT"), secret: list)
        .map(\.reason)
        == [.pinGone])
    #expect(
      OutdatedChecker.findings(for: entry(.versionId("v1"), pinned: "v1", stage: nil), secret: list)
        .isEmpty)
    let pending = OutdatedChecker.findings(
      for: entry(.stage("AWSPENDING"), pinned: "v1", stage: "AWSPENDING"), secret: list)
    #expect(pending.map(\.message) == ["pinned at v1; no version carries AWSPENDING now"])
  }
}

/// A store that does not answer for a pin (throttled, denied) says nothing of it: `outdated`
/// lists the pin as not checked rather than leaving it out of "every pin is current".
@Suite struct UncheckedPinTests {
  /// The fixture's store, whose parameter metadata is refused as AWS refuses a throttled call.
  struct ThrottledCatalog: ParameterResolver, ParameterCatalog {
    let store: SQLiteStore
    func resolveParameters(_ references: [String]) async throws -> [ParameterResolution] {
      try await store.resolveParameters(references)
    }
    func parameterVersions(_ reference: String) async throws -> ParameterVersionList {
      throw StoreError(code: "ThrottlingException", message: "Rate exceeded")
    }
  }

  @Test func aThrottledLookupIsAFindingAndAnError() async throws {
    let fixture = try await CompilerFixture()
    try await fixture.put("/app/host", "db")
    let (index, _) = fixture.analyze(
      "Resources:\n  A: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: "
        + "'{{resolve:ssm:/app/host}}'}}\n")
    var diagnostics = Diagnostics()
    let lock = try await Locker(resolver: fixture.resolver, paths: fixture.paths)
      .lock(index, previous: nil, update: .none, into: &diagnostics).lock
    var reader = fixture.reader
    reader.parameters = ThrottledCatalog(store: fixture.store)
    let findings = try await OutdatedChecker(store: reader).check(
      lock, named: "cinch.lock", into: &diagnostics)
    #expect(
      findings.map(\.message) == [
        "not checked: the store answered ThrottlingException: Rate exceeded"
      ])
    #expect(findings.map(\.breaksDeploy) == [false])
    #expect(diagnostics.hasErrors)
  }
}
