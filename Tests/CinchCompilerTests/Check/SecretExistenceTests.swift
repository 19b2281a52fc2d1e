import CinchCompiler
import CinchStore
import CinchTemplate
import Testing

/// Existence of secrets when the store's metadata cannot show a JSON key: AWS's
/// `DescribeSecret` and `ListSecretVersionIds` say nothing of a value, so only `lock` (which
/// reads it) can vouch for the key, and `check` trusts the lock.
@Suite struct SecretExistenceTests {
  /// The embedded store's metadata with what AWS would not know removed.
  struct AWSLikeCatalog: SecretCatalog {
    let store: SQLiteStore

    func secretVersions(_ secretID: String) async throws -> SecretVersionList {
      var list = try await store.secretVersions(secretID)
      for index in list.versions.indices {
        list.versions[index].valueType = nil
        list.versions[index].jsonKeys = nil
      }
      return list
    }
  }

  static let template = """
    Resources:
      Api:
        Type: AWS::Lambda::Function
        Properties:
          Environment:
            Variables:
              DB_USER: '{{resolve:secretsmanager:prod/MyApp/DBSecret:SecretString:username}}'
              DB_HOST: '{{resolve:secretsmanager:prod/MyApp/DBSecret:SecretString:host}}'
    """

  private func check(_ fixture: CompilerFixture, lock: Lockfile?) async throws -> Diagnostics {
    let (index, _) = fixture.analyze(Self.template)
    let catalog = StoreCatalog(
      parameters: fixture.store, secrets: AWSLikeCatalog(store: fixture.store))
    var diagnostics = Diagnostics()
    _ = try await Checker(
      source: .store(catalog),
      lock: lock.map { CheckedLock(lockfile: $0, path: "cinch.lock") }
    ).checkReferences(index, checkedFiles: ["stack.yaml"], into: &diagnostics)
    return diagnostics
  }

  @Test func withoutALockAJSONKeyIsUnverifiedNotMissing() async throws {
    let fixture = try await CompilerFixture()
    try await fixture.createSecret("prod/MyApp/DBSecret", #"{"username":"dbadmin"}"#)
    let diagnostics = try await check(fixture, lock: nil)
    #expect(diagnostics.items.map(\.code) == [.jsonKeyUnverified, .jsonKeyUnverified])
    #expect(diagnostics.items.allSatisfy { $0.severity == .info })
    #expect(
      diagnostics.items.map(\.message).contains(
        "reference '{{resolve:secretsmanager:prod/MyApp/DBSecret:SecretString:username}}': "
          + "JSON key 'username' of secret 'prod/MyApp/DBSecret' can only be verified by reading "
          + "the value, and no lock records it (run 'cinch lock')"))
  }

  @Test func aLockVouchesForTheKeysItVerified() async throws {
    let fixture = try await CompilerFixture()
    try await fixture.createSecret("prod/MyApp/DBSecret", #"{"username":"dbadmin","host":"db"}"#)
    let (index, _) = fixture.analyze(Self.template)
    var lockDiagnostics = Diagnostics()
    let outcome = try await Locker(resolver: fixture.resolver, paths: fixture.paths)
      .lock(index, previous: nil, update: .none, into: &lockDiagnostics)
    #expect(lockDiagnostics.isEmpty)
    #expect(outcome.lock.entries.allSatisfy { $0.pin.jsonKeyVerified })
    #expect(try await check(fixture, lock: outcome.lock).isEmpty)

    // The lock survives its text: `jsonKeyVerified` is written and read back.
    let reread = try Lockfile.parse(outcome.lock.serialized(), path: "cinch.lock")
    #expect(reread == outcome.lock)
    #expect(outcome.lock.serialized().contains("\"jsonKeyVerified\": true"))
  }

  @Test func offlineTheLockAloneAnswers() async throws {
    let fixture = try await CompilerFixture()
    try await fixture.createSecret("prod/MyApp/DBSecret", #"{"username":"dbadmin","host":"db"}"#)
    let (index, _) = fixture.analyze(Self.template)
    var lockDiagnostics = Diagnostics()
    let outcome = try await Locker(resolver: fixture.resolver, paths: fixture.paths)
      .lock(index, previous: nil, update: .none, into: &lockDiagnostics)
    let checked = CheckedLock(lockfile: outcome.lock, path: "cinch.lock")
    var clean = Diagnostics()
    _ = try await Checker(source: .lock, lock: checked, options: .init(frozen: true))
      .checkReferences(index, checkedFiles: ["stack.yaml"], into: &clean)
    #expect(clean.isEmpty)

    // A lock that does not record the key as verified (made by hand, or by an older cinch).
    var unverified = Lockfile(
      entries: outcome.lock.entries.map { entry in
        var entry = entry
        entry.pin.jsonKeyVerified = false
        return entry
      })
    unverified.templates = outcome.lock.templates
    var findings = Diagnostics()
    _ = try await Checker(
      source: .lock, lock: CheckedLock(lockfile: unverified, path: "cinch.lock")
    )
    .checkReferences(index, checkedFiles: ["stack.yaml"], into: &findings)
    #expect(findings.items.map(\.code) == [.jsonKeyUnverified, .jsonKeyUnverified])
  }

  /// A partial ARN whose name ends in `-` and six characters: the store finds the secret by
  /// its name, Secrets Manager may take the ARN for a complete one (W4015); a complete ARN, a
  /// partial one without such an ending and a name say nothing.
  @Test func aPartialARNThatEndsLikeACompleteOneIsWarnedOf() async throws {
    let fixture = try await CompilerFixture()
    try await fixture.createSecret("qa/plain-secret", #"{"user":"a"}"#)
    try await fixture.createSecret("qa/plain", #"{"user":"a"}"#)
    let created = try await fixture.store.secretVersions("qa/plain-secret").arn
    let partial = "arn:aws:secretsmanager:us-east-1:123456789012:secret:qa/plain-secret"
    let plainPartial = "arn:aws:secretsmanager:us-east-1:123456789012:secret:qa/plain"
    let template = """
      Resources:
        Api:
          Type: AWS::Lambda::Function
          Properties:
            Environment:
              Variables:
                A: '{{resolve:secretsmanager:\(partial):SecretString:user}}'
                B: '{{resolve:secretsmanager:\(created):SecretString:user}}'
                C: '{{resolve:secretsmanager:\(plainPartial):SecretString:user}}'
                D: '{{resolve:secretsmanager:qa/plain-secret:SecretString:user}}'
      """
    let (index, _) = fixture.analyze(template)
    var diagnostics = Diagnostics()
    let catalog = StoreCatalog(parameters: fixture.store, secrets: fixture.store)
    _ = try await Checker(source: .store(catalog), lock: nil)
      .checkReferences(index, checkedFiles: ["stack.yaml"], into: &diagnostics)
    let warnings = diagnostics.items.filter { $0.code == .partialARNLikeComplete }
    #expect(warnings.count == 1, "\(diagnostics.items.map(\.message))")
    #expect(warnings.first?.severity == .warning)
    #expect(
      warnings.first?.message.contains("write its name or its full ARN ('\(created)')") == true)
  }
}
