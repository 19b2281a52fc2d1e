import CinchCompiler
import CinchStore
import CinchTemplate
import Testing

@Suite struct LockerTests {
  static let template = """
    Parameters:
      Env: {Type: String, Default: prod}
    Resources:
      Db:
        Type: AWS::RDS::DBInstance
        Properties:
          MasterUserPassword: !Sub '{{resolve:ssm-secure:/app/${Env}/password}}'
          DBName: '{{resolve:ssm:/app/prod/name}}'
          Port: '{{resolve:ssm:/app/prod/port:1}}'
    """

  private func seed(_ fixture: CompilerFixture) async throws {
    try await fixture.put("/app/prod/password", CompilerFixture.canary, type: .secureString)
    try await fixture.put("/app/prod/name", "orders")
    try await fixture.put("/app/prod/port", "5432")
    try await fixture.put("/app/prod/port", "6432")
  }

  @Test func pinsEveryReferenceAndKeepsPinsUntilUpdated() async throws {
    let fixture = try await CompilerFixture()
    try await seed(fixture)
    let (index, analysisDiagnostics) = fixture.analyze(Self.template)
    #expect(!analysisDiagnostics.hasErrors)
    let locker = Locker(resolver: fixture.resolver, paths: fixture.paths)
    var diagnostics = Diagnostics()
    let first = try await locker.lock(index, previous: nil, update: .none, into: &diagnostics)
    #expect(diagnostics.isEmpty)
    #expect(first.added.count == 3)
    let byName = Dictionary(uniqueKeysWithValues: first.lock.entries.map { ($0.key.name, $0) })
    #expect(byName["/app/prod/password"]?.pin.version == 1)
    #expect(byName["/app/prod/port"]?.pin.version == 1)
    #expect(byName["/app/prod/password"]?.sites == ["stack.yaml:7:33"])

    // A new version in the store: the pin stays until --update names it.
    try await fixture.put("/app/prod/name", "orders-v2")
    let second = try await locker.lock(
      index, previous: first.lock, update: .none, into: &diagnostics)
    #expect(second.lock == first.lock)
    #expect(second.moved.isEmpty)
    let third = try await locker.lock(
      index, previous: second.lock, update: .named(["/app/prod/name"]), into: &diagnostics)
    #expect(third.moved.map(\.to.key.name) == ["/app/prod/name"])
    #expect(third.lock.entries.first { $0.key.name == "/app/prod/name" }?.pin.version == 2)
    #expect(diagnostics.isEmpty)
  }

  @Test func entriesNoTemplateUsesAreDroppedAndReported() async throws {
    let fixture = try await CompilerFixture()
    try await seed(fixture)
    let locker = Locker(resolver: fixture.resolver, paths: fixture.paths)
    var diagnostics = Diagnostics()
    let (index, _) = fixture.analyze(Self.template)
    let full = try await locker.lock(index, previous: nil, update: .none, into: &diagnostics)
    let (smaller, _) = fixture.analyze(
      "Resources:\n  P: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: '{{resolve:ssm:/app/prod/name}}'}}\n"
    )
    let outcome = try await locker.lock(
      smaller, previous: full.lock, update: .none, into: &diagnostics)
    #expect(outcome.dropped.map(\.key.name).sorted() == ["/app/prod/password", "/app/prod/port"])
    #expect(outcome.lock.entries.map(\.key.name) == ["/app/prod/name"])
  }

  @Test func aReferenceWaitingOnAParameterCannotBeLocked() async throws {
    let fixture = try await CompilerFixture()
    let (index, _) = fixture.analyze(
      """
      Parameters:
        Env: {Type: String}
      Resources:
        P: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: !Sub '{{resolve:ssm:/app/${Env}/x}}'}}
      """)
    var diagnostics = Diagnostics()
    let outcome = try await Locker(resolver: fixture.resolver, paths: fixture.paths).lock(
      index, previous: nil, update: .none, into: &diagnostics)
    #expect(outcome.lock.entries.isEmpty)
    #expect(diagnostics.items.map(\.code) == [.referenceNotLockable])
    #expect(diagnostics.items.first?.message.contains("parameter 'Env'") == true)
  }

  /// No parameter version pins a secret read through Parameter Store: lock leaves it out and
  /// render leaves it as written, each with a warning; the other references are pinned.
  @Test func aSecretThroughParameterStoreIsLeftAsWritten() async throws {
    let fixture = try await CompilerFixture()
    let versionID = try await fixture.createSecret("prod/db", #"{"password":"p"}"#)
    let (rendered, lock, diagnostics) = try await fixture.lockAndRender(
      """
      Resources:
        Db:
          Type: AWS::RDS::DBInstance
          Properties:
            MasterUserPassword: '{{resolve:ssm-secure:/aws/reference/secretsmanager/prod/db}}'
            MasterUsername: '{{resolve:secretsmanager:prod/db:SecretString:password}}'
      """)
    #expect(lock.entries.map(\.key.name) == ["prod/db"])
    #expect(rendered.contains("'{{resolve:ssm-secure:/aws/reference/secretsmanager/prod/db}}'"))
    #expect(rendered.contains("prod/db:SecretString:password::\(versionID)}}"))
    #expect(diagnostics.items.map(\.code) == [.referenceNotLockable])
    #expect(diagnostics.items.first?.severity == .warning)
    #expect(!diagnostics.hasErrors)
  }

  @Test func aPinnedVersionThatVanishedIsAnError() async throws {
    let fixture = try await CompilerFixture()
    try await seed(fixture)
    let locker = Locker(resolver: fixture.resolver, paths: fixture.paths)
    var diagnostics = Diagnostics()
    let (index, _) = fixture.analyze(Self.template)
    let first = try await locker.lock(index, previous: nil, update: .none, into: &diagnostics)
    _ = try await fixture.store.deleteParameter(DeleteParameterRequest(name: "/app/prod/name"))
    try await fixture.put("/app/prod/name", "recreated")
    // Version 1 exists again (a recreated parameter restarts at 1), so the pin reads it: the
    // fingerprint tells the values apart.
    let second = try await locker.lock(
      index, previous: first.lock, update: .none, into: &diagnostics)
    let before = first.lock.entries.first { $0.key.name == "/app/prod/name" }?.pin.fingerprint
    let after = second.lock.entries.first { $0.key.name == "/app/prod/name" }?.pin.fingerprint
    #expect(before != after)
    _ = try await fixture.store.deleteParameter(DeleteParameterRequest(name: "/app/prod/port"))
    try await fixture.put("/app/prod/port", "1")
    let (pinned, _) = fixture.analyze(Self.template.replacingOccurrences(of: ":1}}", with: ":2}}"))
    _ = try await locker.lock(pinned, previous: nil, update: .none, into: &diagnostics)
    #expect(diagnostics.items.map(\.code) == [.versionNotFound])
    #expect(diagnostics.items.first?.message.hasSuffix("has no version 2; latest is 1") == true)
  }

  @Test func theLockfileRoundTripsAndHoldsNoValue() async throws {
    let fixture = try await CompilerFixture()
    try await seed(fixture)
    var diagnostics = Diagnostics()
    let (index, _) = fixture.analyze(Self.template)
    var outcome = try await Locker(resolver: fixture.resolver, paths: fixture.paths).lock(
      index, previous: nil, update: .none, into: &diagnostics)
    outcome.lock.templates = ["stack.yaml"]
    outcome.lock.inputs = RecordedInputs(parameterOverrides: ["Env=prod"], region: "us-east-1")
    let text = outcome.lock.serialized()
    #expect(!text.contains(CompilerFixture.canary))
    #expect(!text.contains("orders"))
    #expect(try Lockfile.parse(text, path: "cinch.lock") == outcome.lock)
    #expect(try Lockfile.parse(text, path: "cinch.lock").serialized() == text)
  }

  @Test func malformedLockfilesSayWhy() {
    #expect(
      refusal(of: {
        try Lockfile.parse("{}", path: "x.lock")
      }) == "no 'lockfileVersion'; is this a cinch lockfile?")
    #expect(
      refusal(of: {
        try Lockfile.parse(#"{"lockfileVersion": 9, "references": []}"#, path: "x.lock")
      }) == "lockfile version 9 is not supported (this cinch reads version 1)")
  }

  /// Why `parse` refused the text, nil when it did not.
  private func refusal(of parse: () throws -> Lockfile) -> String? {
    do {
      _ = try parse()
      return nil
    } catch {
      return (error as? LockfileError)?.reason ?? "\(error)"
    }
  }

  /// Each refusal names the line and column of the field (or entry) at fault, and a field of
  /// the wrong type is named as such, not as missing.
  @Test func refusalsArePlacedInTheFile() {
    let text = """
      {
        "lockfileVersion": 1,
        "references": [
          {
            "arn": "arn:aws:ssm:us-east-1:123456789012:parameter/app/name",
            "fingerprint": "hmac-sha256:00",
            "kind": "ssm",
            "name": "/app/name",
            "requested": "latest",
            "type": "String",
            "version": "2"
          }
        ]
      }
      """
    #expect(
      throws: LockfileError(
        path: "x.lock", line: 11, column: 18,
        reason: "reference 1 has a 'version' that is not a whole number")
    ) { try Lockfile.parse(text, path: "x.lock") }
    #expect(
      throws: LockfileError(
        path: "x.lock", line: 7, column: 15,
        reason: "reference 1 has a 'kind' that is not a string")
    ) { try Lockfile.parse(text.replacingOccurrences(of: #""ssm""#, with: "3"), path: "x.lock") }
    #expect(
      throws: LockfileError(
        path: "x.lock", line: 2, column: 22, reason: "'lockfileVersion' must be a whole number")
    ) {
      try Lockfile.parse(
        text.replacingOccurrences(of: #""lockfileVersion": 1"#, with: #""lockfileVersion": "1""#),
        path: "x.lock")
    }
    #expect(
      throws: LockfileError(
        path: "x.lock", line: 2, column: 24, reason: "not valid JSON: expected a string key")
    ) { try Lockfile.parse(text.replacingOccurrences(of: "1,", with: "1,,"), path: "x.lock") }
    #expect(
      LockfileError(path: "x.lock", line: 3, column: 3, reason: "r").description
        == "x.lock:3:3: r")
  }

  @Test func conflictMarkersAreNamed() {
    let text = """
      {
        "lockfileVersion": 1,
      <<<<<<< HEAD
        "references": [],
      =======
        "references": [ ],
      >>>>>>> feature
        "templates": []
      }
      """
    let expected = LockfileError(
      path: "x.lock", line: 3, column: 1,
      reason: "a merge left conflict markers in the lockfile: keep both sides' \"templates\" "
        + "(a template only one side locked would be left out), take either side's entries, and "
        + "run 'cinch lock' before any other command: it finds each entry's sites in the "
        + "templates again (either side's sites leave out the other's templates) and pins what "
        + "they read now")
    #expect(throws: expected) { try Lockfile.parse(text, path: "x.lock") }
    // A checkout with CRLF line breaks (`core.autocrlf`) is told the same.
    #expect(throws: expected) {
      try Lockfile.parse(text.replacingOccurrences(of: "\n", with: "\r\n"), path: "x.lock")
    }
  }

  /// The lock's other fields are read as strictly as its entries: a path that is a number, a
  /// site that is not file:line:column or an account that is not 12 digits is refused, not
  /// dropped or taken as it is.
  @Test func templatesInputsAndSitesAreChecked() {
    #expect(
      refusal(of: {
        try Lockfile.parse(
          #"{"lockfileVersion": 1, "references": [], "templates": [5]}"#, path: "x.lock")
      }) == "'templates' must be a list of paths")
    #expect(
      refusal(of: {
        try Lockfile.parse(
          #"{"lockfileVersion": 1, "references": [], "inputs": {"region": 5}}"#, path: "x.lock")
      }) == "'inputs' has a 'region' of the wrong type")
    #expect(
      refusal(of: {
        try Lockfile.parse(
          #"{"lockfileVersion": 1, "references": [], "inputs": {"accountId": "abc"}}"#,
          path: "x.lock")
      }) == "'inputs' has an 'accountId' that is not 12 digits: 'abc'")
    #expect(
      refusal(of: {
        try Lockfile.parse(Self.lock(Self.entry(["sites": #"["t.yaml:abc"]"#])), path: "x.lock")
      }) == "reference 1 has a site 't.yaml:abc' that is not file:line:column")
    #expect(
      refusal(of: {
        try Lockfile.parse(Self.lock(Self.entry(["sites": #""t.yaml:1:1""#])), path: "x.lock")
      }) == "reference 1 has 'sites' that are not a list of file:line:column")
  }

  /// One entry of a lock as `cinch lock` writes it, with fields replaced (left out when empty).
  private static func entry(_ fields: [String: String] = [:]) -> String {
    let defaults = [
      "arn": #""arn:aws:ssm:us-east-1:123456789012:parameter/app/name""#,
      "fingerprint": #""hmac-sha256:00""#, "kind": #""ssm""#, "name": #""/app/name""#,
      "requested": #""latest""#, "sites": #"["stack.yaml:3:7"]"#, "type": #""String""#,
      "version": "1",
    ]
    let merged = defaults.merging(fields) { $1 }
    return "{"
      + merged.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
      .map { "\"\($0.key)\": \($0.value)" }
      .joined(separator: ", ") + "}"
  }

  private static func lock(_ entries: String...) -> String {
    #"{"lockfileVersion": 1, "references": ["# + entries.joined(separator: ", ") + "]}"
  }

  /// Two entries for one reference (an edit, a bad merge) would pin it twice, and every
  /// command would read whichever it found first: the lock is refused, naming both.
  @Test func twoEntriesForOneReferenceAreRefused() throws {
    let other = Self.entry(["name": #""/app/other""#])
    #expect(
      refusal(of: {
        try Lockfile.parse(
          Self.lock(other, Self.entry(["version": "5"]), Self.entry()), path: "x.lock")
      })
        == "references 2 and 3 both pin parameter '/app/name'; a lock pins each reference once; "
        + "run 'cinch lock', which pins it again")
    let secret = Self.entry([
      "kind": #""secretsmanager""#, "name": #""prod/db""#, "jsonKey": #""password""#,
      "requested": #""stage:AWSCURRENT""#, "versionId": #""v1""#, "type": #""SecretString""#,
      "version": "",
    ])
    #expect(
      refusal(of: {
        try Lockfile.parse(Self.lock(secret, secret), path: "x.lock")
      }) == "references 1 and 2 both pin secret 'prod/db' key 'password' stage 'AWSCURRENT'; "
        + "a lock pins each reference once; run 'cinch lock', which pins it again")
    // The same name read another way (another version, another kind or JSON key) is another
    // reference.
    let distinct = try Lockfile.parse(
      Self.lock(
        Self.entry(), Self.entry(["requested": #""3""#, "version": "3"]),
        Self.entry(["kind": #""ssm-secure""#, "type": #""SecureString""#])),
      path: "x.lock")
    #expect(distinct.entries.count == 3)
  }

  /// Parameter versions start at 1: a pin below that names no version any store has.
  /// A pin that contradicts what it was asked for (an edit that changed one of the two) would
  /// render one version while `check --offline` vouched for the other.
  @Test func aPinThatContradictsItsRequestIsRefused() throws {
    #expect(
      refusal(of: {
        try Lockfile.parse(
          Self.lock(Self.entry(["requested": #""3""#, "version": "5"])), path: "x.lock")
      }) == "reference 1 requests version 3 but pins version 5; run 'cinch lock', which pins it "
        + "again")
    #expect(throws: Never.self) {
      try Lockfile.parse(
        Self.lock(Self.entry(["requested": #""3""#, "version": "3"])), path: "x.lock")
    }
    let secret = [
      "kind": #""secretsmanager""#, "name": #""app/db""#, "type": #""SecretString""#,
      "arn": #""arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf""#,
      "version": "", "requested": #""id:11111111-1111-1111-1111-111111111111""#,
      "versionId": #""22222222-2222-2222-2222-222222222222""#,
    ]
    #expect(
      refusal(of: {
        try Lockfile.parse(Self.lock(Self.entry(secret)), path: "x.lock")
      }) == "reference 1 requests version id 11111111-1111-1111-1111-111111111111 but pins "
        + "22222222-2222-2222-2222-222222222222; run 'cinch lock', which pins it again")
  }

  @Test func aPinnedVersionBelowOneIsRefused() throws {
    for version in ["0", "-1"] {
      #expect(
        refusal(of: {
          try Lockfile.parse(Self.lock(Self.entry(["version": version])), path: "x.lock")
        }) == "reference 1 pins version \(version); parameter versions start at 1; run "
          + "'cinch lock', which pins it again")
    }
  }

  /// `cinch lock` reads a lock whose entries contradict themselves (a clean merge of two
  /// branches can leave `"requested": "2"` beside `"version": 3`): each such entry, and every
  /// other entry of its reference, is set aside with where it is, the rest read as ever. What
  /// is no contradiction of an entry (a field of the wrong type) is refused all the same.
  @Test func lockSetsAsideEntriesThatContradictThemselves() throws {
    let text = Self.lock(
      Self.entry(["name": #""/app/other""#]), Self.entry(["requested": #""2""#, "version": "3"]),
      Self.entry(["name": #""/app/twice""#]), Self.entry(["name": #""/app/twice""#]),
      Self.entry(["name": #""/app/zero""#, "version": "0"]))
    let (lock, setAside) = try Lockfile.parse(text, path: "x.lock", settingAside: true)
    #expect(lock.entries.map(\.key.name) == ["/app/other"])
    #expect(setAside.map(\.key.name) == ["/app/name", "/app/twice", "/app/zero"])
    #expect(
      setAside.map(\.error.reason) == [
        "reference 2 requests version 2 but pins version 3",
        "references 3 and 4 both pin parameter '/app/twice'; a lock pins each reference once",
        "reference 5 pins version 0; parameter versions start at 1",
      ])
    #expect(setAside.allSatisfy { $0.error.line == 1 })
    #expect(
      refusal(of: { try Lockfile.parse(text, path: "x.lock") })
        == "reference 2 requests version 2 but pins version 3; run 'cinch lock', which pins it "
        + "again")
    #expect(
      refusal(of: {
        try Lockfile.parse(
          Self.lock(Self.entry(["version": #""3""#])), path: "x.lock", settingAside: true
        ).lock
      }) == "reference 1 has a 'version' that is not a whole number")
  }
}
