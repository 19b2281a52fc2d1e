import CinchCompiler
import CinchStore
import CinchTemplate
import Testing

@Suite struct CompilerResolverTests {
  @Test func resolvesLatestAndNamedVersions() async throws {
    let fixture = try await CompilerFixture()
    try await fixture.put("/app/host", "one")
    try await fixture.put("/app/host", "two")
    let latest = ResolutionKey(kind: .ssm, name: "/app/host", selector: .latest)
    let first = ResolutionKey(kind: .ssm, name: "/app/host", selector: .version(1))
    let results = try await fixture.resolver.resolve([latest, first])
    let resolvedLatest = try #require(try? results[latest]?.get())
    let resolvedFirst = try #require(try? results[first]?.get())
    #expect(resolvedLatest.pin.version == 2)
    #expect(resolvedLatest.value.utf8String() == "two")
    #expect(resolvedFirst.pin.version == 1)
    #expect(resolvedFirst.value.utf8String() == "one")
    #expect(resolvedLatest.pin.fingerprint != resolvedFirst.pin.fingerprint)
    #expect(resolvedLatest.pin.arn == "arn:aws:ssm:us-east-1:123456789012:parameter/app/host")
  }

  @Test func aMissingVersionNamesTheLatest() async throws {
    let fixture = try await CompilerFixture()
    for value in ["a", "b", "c", "d", "e"] { try await fixture.put("/a/b", value) }
    let key = ResolutionKey(kind: .ssm, name: "/a/b", selector: .version(7))
    let results = try await fixture.resolver.resolve([key])
    guard case .failure(let failure)? = results[key] else {
      Issue.record("expected a failure")
      return
    }
    #expect(failure.description == "parameter '/a/b' has no version 7; latest is 5")
    #expect(failure.code == .versionNotFound)
  }

  /// A parameter version cannot pin a secret read through Parameter Store, and AWS would
  /// answer a version no reference can name again: refused before the store is asked.
  @Test func aSecretThroughParameterStoreIsNotPinned() async throws {
    let fixture = try await CompilerFixture()
    let secure = ResolutionKey(
      kind: .ssmSecure, name: "/aws/reference/secretsmanager/prod/db", selector: .latest)
    let plain = ResolutionKey(
      kind: .ssm, name: "/aws/reference/secretsmanager/prod/db", selector: .latest)
    let results = try await fixture.resolver.resolve([secure, plain])
    guard case .failure(let refused)? = results[secure], case .failure(let wrong)? = results[plain]
    else {
      Issue.record("expected failures")
      return
    }
    #expect(refused.code == .referenceNotLockable)
    #expect(refused.description.hasSuffix("write '{{resolve:secretsmanager:prod/db}}' to lock it"))
    #expect(wrong.code == .typeMismatch)
  }

  /// `lock`, `render`, `outdated` and `check` all name the fix for a public parameter the
  /// embedded store lacks; against AWS, which publishes them, a missing one simply does not exist.
  @Test func aMissingPublicParameterIsHintedOnlyForAStoreOfCopies() async throws {
    let fixture = try await CompilerFixture()
    let name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
    let key = ResolutionKey(kind: .ssm, name: name, selector: .latest)
    let own = ResolutionKey(kind: .ssm, name: "/app/missing", selector: .latest)
    let results = try await fixture.resolver.resolve([key, own])
    guard case .failure(let copies)? = results[key], case .failure(let plain)? = results[own] else {
      Issue.record("expected both to fail")
      return
    }
    #expect(copies == .publicParameterNotCopied(name: name))
    #expect(copies.code == .entryNotFound)
    #expect(copies.description.contains("cinch ssm put-public-parameter"))
    #expect(plain == .parameterNotFound(name: "/app/missing"))

    var published = fixture.reader
    published.publicParameters = .published
    let onAWS = try await Resolver(store: published).resolve([key])
    guard case .failure(let missing)? = onAWS[key] else {
      Issue.record("expected a failure")
      return
    }
    #expect(missing == .parameterNotFound(name: name))
  }

  /// A parameter named by the ARN of another account or region (a shared one, an
  /// `AWS::SSM::Parameter::Value<…>` input) is not "missing" from a store of this account: the
  /// failure says where it is and where the store is.
  @Test func aParameterOfAnotherAccountSaysWhereItIs() async throws {
    let fixture = try await CompilerFixture()
    let shared = "arn:aws:ssm:us-east-1:999999999999:parameter/shared/ami"
    let other = "arn:aws:ssm:eu-west-1:123456789012:parameter/app/db"
    let keys = [shared, other].map { ResolutionKey(kind: .ssm, name: $0, selector: .latest) }
    let results = try await fixture.resolver.resolve(keys)
    guard case .failure(let account)? = results[keys[0]],
      case .failure(let region)? = results[keys[1]]
    else {
      Issue.record("expected both to fail")
      return
    }
    #expect(account.code == .entryNotFound)
    #expect(
      account.description.contains(
        "its ARN names account 999999999999 in us-east-1, and the store is read as account "
          + "123456789012 in us-east-1"), "\(account)")
    #expect(region.description.contains("its ARN names account 123456789012 in eu-west-1"))
  }

  @Test func ssmAndSSMSecureMustMatchTheParameterType() async throws {
    let fixture = try await CompilerFixture()
    try await fixture.put("/s/secure", CompilerFixture.canary, type: .secureString)
    try await fixture.put("/s/plain", "plain")
    let wrongPlain = ResolutionKey(kind: .ssm, name: "/s/secure", selector: .latest)
    let wrongSecure = ResolutionKey(kind: .ssmSecure, name: "/s/plain", selector: .latest)
    let right = ResolutionKey(kind: .ssmSecure, name: "/s/secure", selector: .latest)
    let results = try await fixture.resolver.resolve([wrongPlain, wrongSecure, right])
    guard case .failure(let plainFailure)? = results[wrongPlain],
      case .failure(let secureFailure)? = results[wrongSecure]
    else {
      Issue.record("expected both mismatches to fail")
      return
    }
    #expect(plainFailure.code == .typeMismatch)
    #expect(plainFailure.description.contains("use 'ssm-secure'"))
    #expect(secureFailure.description.contains("not a SecureString"))
    let resolved = try #require(try? results[right]?.get())
    #expect(resolved.pin.keyID == "alias/aws/ssm")
    #expect(resolved.pin.type == "SecureString")
    #expect(!plainFailure.description.contains(CompilerFixture.canary))
  }

  @Test func eachEntryIsReadOncePerRun() async throws {
    let fixture = try await CompilerFixture()
    try await fixture.put("/once", "value")
    let (index, _) = fixture.analyze(
      """
      Resources:
        A: {Type: AWS::SSM::Parameter, Properties: {Value: '{{resolve:ssm:/once}}', Type: String}}
        B: {Type: AWS::SSM::Parameter, Properties: {Value: '{{resolve:ssm:/once}}', Type: String}}
        C: {Type: AWS::SSM::Parameter, Properties: {Value: 'x-{{resolve:ssm:/once}}', Type: String}}
      """)
    #expect(index.keys.count == 1)
    #expect(index.sites(for: index.keys[0]).count == 3)
    let before = try await fixture.store.auditRecords(name: "/once", limit: nil).count
    _ = try await fixture.resolver.resolve(index.keys)
    let after = try await fixture.store.auditRecords(name: "/once", limit: nil)
    #expect(after.count - before == 1)
  }
}
