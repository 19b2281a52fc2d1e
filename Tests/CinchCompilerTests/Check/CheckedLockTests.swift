import Testing

@testable import CinchCompiler
@testable import CinchTemplate

@Suite struct CheckedLockTests {
  static func secretEntry(verified: Bool) -> LockEntry {
    LockEntry(
      key: ResolutionKey(
        kind: .secretsManager, name: "prod/db", selector: .latest, jsonKey: "password"),
      pin: Pin(
        arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf",
        versionId: "5f6e7d8c-0000-4000-8000-000000000001", stage: "AWSCURRENT",
        type: "SecretString",
        fingerprint: "hmac-sha256:00", jsonKeyVerified: verified),
      sites: ["stack.yaml:4:20"])
  }

  /// `jsonKeyVerified` is written only for entries with a JSON key, and read back.
  @Test func jsonKeyVerificationRoundTripsThroughTheLockfile() throws {
    let lock = Lockfile(entries: [Self.secretEntry(verified: true)])
    let text = lock.serialized()
    #expect(text.contains("\"jsonKeyVerified\": true"))
    #expect(try Lockfile.parse(text, path: "cinch.lock") == lock)
    let unverified = Lockfile(entries: [Self.secretEntry(verified: false)])
    #expect(!unverified.serialized().contains("jsonKeyVerified"))
    #expect(try Lockfile.parse(unverified.serialized(), path: "cinch.lock") == unverified)
  }

  /// Offline, a JSON key counts as present only when the lock says it was verified.
  @Test func offlineTheLockVouchesForAJSONKeyOnlyWhenItRecordsIt() async throws {
    let template = """
      Resources:
        Fn:
          Type: AWS::Lambda::Function
          Properties: {Environment: {Variables: {P: '{{resolve:secretsmanager:prod/db:SecretString:password}}'}}}
      """
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(
      SourceFile(path: "stack.yaml", text: template), into: &diagnostics)
    let index = ReferenceIndex([
      TemplateAnalyzer.analyze(document, inputs: EvaluationInputs(), into: &diagnostics)
    ])
    try #require(index.keys == [Self.secretEntry(verified: true).key])
    for verified in [true, false] {
      var findings = Diagnostics()
      let lock = CheckedLock(
        lockfile: Lockfile(entries: [Self.secretEntry(verified: verified)]), path: "cinch.lock")
      let report = try await Checker(source: .lock, lock: lock).checkReferences(
        index, checkedFiles: ["stack.yaml"], into: &findings)
      #expect(report.referencesChecked == 1)
      #expect(findings.items.map(\.code) == (verified ? [] : [.jsonKeyUnverified]))
    }
  }

  /// Findings about an entry point at its name in the lockfile.
  @Test func entriesAreLocatedInTheLockfileText() throws {
    let entry = Self.secretEntry(verified: true)
    let file = SourceFile(path: "cinch.lock", text: Lockfile(entries: [entry]).serialized())
    var diagnostics = Diagnostics()
    let ranges = LockfileLocator.ranges(TemplateParser.parse(file, into: &diagnostics))
    let range = try #require(ranges[entry.key])
    #expect(file.text(range) == "\"prod/db\"")
  }

  @Test func siteFilesKeepColonsInPaths() throws {
    let entry = Self.secretEntry(verified: true)
    func read(from sites: [String], _ files: Set<String>) -> Bool {
      LockEntry(key: entry.key, pin: entry.pin, sites: sites).isReadOnly(from: files)
    }
    #expect(read(from: ["templates/db.yaml:42:7"], ["templates/db.yaml"]))
    #expect(read(from: ["c:/x/db.yaml:1:2"], ["c:/x/db.yaml"]))
    #expect(read(from: ["odd"], ["odd"]))
    #expect(!read(from: ["a.yaml:1:1", "b.yaml:2:2"], ["a.yaml"]))
  }
}
