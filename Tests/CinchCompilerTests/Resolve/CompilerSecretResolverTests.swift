import CinchCompiler
import CinchStore
import CinchTemplate
import Foundation
import Testing

/// `{{resolve:secretsmanager:…}}` against a real embedded store: the version by stage or id,
/// the JSON key's value, the pin a lock records, and failures that name the secret and the key
/// but never a value.
@Suite struct CompilerSecretResolverTests {
  static let document =
    #"{"username":"dbadmin","password":"\#(CompilerFixture.canary)","port":5432}"#

  private func resolve(
    _ fixture: CompilerFixture, _ keys: [ResolutionKey], at pins: [ResolutionKey: Pin] = [:]
  )
    async throws -> [ResolutionKey: Result<Resolved, ResolutionFailure>]
  {
    try await fixture.resolver.resolve(keys, at: pins)
  }

  private func failure(_ result: Result<Resolved, ResolutionFailure>?) -> ResolutionFailure? {
    if case .failure(let failure)? = result { return failure }
    return nil
  }

  @Test func aJSONKeyResolvesToItsValueAndPinsTheCurrentVersion() async throws {
    let fixture = try await CompilerFixture()
    let versionID = try await fixture.createSecret("prod/MyApp/DBSecret", Self.document)
    let password = ResolutionKey(
      kind: .secretsManager, name: "prod/MyApp/DBSecret", selector: .latest, jsonKey: "password")
    let username = ResolutionKey(
      kind: .secretsManager, name: "prod/MyApp/DBSecret", selector: .latest, jsonKey: "username")
    let whole = ResolutionKey(kind: .secretsManager, name: "prod/MyApp/DBSecret", selector: .latest)
    let port = ResolutionKey(
      kind: .secretsManager, name: "prod/MyApp/DBSecret", selector: .latest, jsonKey: "port")
    let results = try await resolve(fixture, [password, username, whole, port])

    let resolvedPassword = try #require(try? results[password]?.get())
    #expect(resolvedPassword.value.utf8String() == CompilerFixture.canary)
    #expect(try results[username]?.get().value.utf8String() == "dbadmin")
    #expect(try results[whole]?.get().value.utf8String() == Self.document)
    #expect(try results[port]?.get().value.utf8String() == "5432")

    let pin = resolvedPassword.pin
    #expect(pin.versionId == versionID)
    #expect(pin.version == nil)
    #expect(pin.stage == "AWSCURRENT")
    #expect(pin.type == "SecretString")
    #expect(pin.keyID == "alias/aws/secretsmanager")
    #expect(pin.jsonKeyVerified)
    #expect(
      pin.arn.hasPrefix("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/MyApp/DBSecret-")
    )
    #expect(pin.fingerprint.hasPrefix("hmac-sha256:"))
    // The fingerprint is of what the reference stands for, so each key has its own.
    let wholePin = try #require(try? results[whole]?.get().pin)
    #expect(pin.fingerprint != wholePin.fingerprint)
    #expect(!wholePin.jsonKeyVerified)
    #expect(!pin.fingerprint.contains(CompilerFixture.canary))
  }

  @Test func eachSecretVersionIsReadOncePerRun() async throws {
    let fixture = try await CompilerFixture()
    try await fixture.createSecret("prod/MyApp/DBSecret", Self.document)
    let (index, _) = fixture.analyze(
      """
      Resources:
        A: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: '{{resolve:secretsmanager:prod/MyApp/DBSecret:SecretString:username}}'}}
        B: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: '{{resolve:secretsmanager:prod/MyApp/DBSecret:SecretString:password}}'}}
        C: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: '{{resolve:secretsmanager:prod/MyApp/DBSecret}}'}}
        D: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: 'x-{{resolve:secretsmanager:prod/MyApp/DBSecret::password}}'}}
      """)
    #expect(index.keys.count == 3)
    let before = try await fixture.store.auditRecords(name: "prod/MyApp/DBSecret", limit: nil).count
    let results = try await fixture.resolver.resolve(index.keys)
    #expect(results.values.allSatisfy { (try? $0.get()) != nil })
    let records = try await fixture.store.auditRecords(name: "prod/MyApp/DBSecret", limit: nil)
      .dropFirst(before)
    // One metadata read and one batch of values, whatever the number of keys.
    #expect(records.map(\.operation).sorted() == ["ListSecretVersions", "ResolveSecrets"])
  }

  @Test func versionByStageOrIdAndByPin() async throws {
    let fixture = try await CompilerFixture()
    let first = try await fixture.createSecret("app/token", "one")
    let second = try await fixture.putSecret("app/token", "two")
    let current = ResolutionKey(kind: .secretsManager, name: "app/token", selector: .latest)
    let previous = ResolutionKey(
      kind: .secretsManager, name: "app/token", selector: .stage("AWSPREVIOUS"))
    let byID = ResolutionKey(kind: .secretsManager, name: "app/token", selector: .versionId(first))
    let results = try await resolve(fixture, [current, previous, byID])
    #expect(try results[current]?.get().pin.versionId == second)
    #expect(try results[current]?.get().value.utf8String() == "two")
    #expect(try results[previous]?.get().pin.versionId == first)
    #expect(try results[previous]?.get().pin.stage == "AWSPREVIOUS")
    #expect(try results[byID]?.get().value.utf8String() == "one")
    #expect(try results[byID]?.get().pin.stage == nil)

    // A lock's pin is read at its version id, and keeps the stage it was taken from.
    let pinned = try #require(try? results[previous]?.get().pin)
    var old = pinned
    old.stage = "AWSCURRENT"
    let atPin = try await resolve(fixture, [current], at: [current: old])
    #expect(try atPin[current]?.get().pin.versionId == first)
    #expect(try atPin[current]?.get().pin.stage == "AWSCURRENT")
    #expect(try atPin[current]?.get().value.utf8String() == "one")
  }

  @Test func theSecretMayBeNamedByARN() async throws {
    let fixture = try await CompilerFixture()
    try await fixture.createSecret("docker_username", #"{"username":"ci"}"#)
    let arn = try await fixture.store.secretVersions("docker_username").arn
    let full = ResolutionKey(
      kind: .secretsManager, name: arn, selector: .latest, jsonKey: "username")
    let partial = ResolutionKey(
      kind: .secretsManager, name: String(arn.dropLast(7)), selector: .latest, jsonKey: "username")
    let results = try await resolve(fixture, [full, partial])
    #expect(try results[full]?.get().value.utf8String() == "ci")
    #expect(try results[partial]?.get().pin.arn == arn)
  }

  @Test func aCustomerManagedKeyIsPinned() async throws {
    let fixture = try await CompilerFixture()
    let key = try await fixture.store.createKey(CreateKeyRequest(description: "app")).keyMetadata
    _ = try await fixture.store.createAlias(
      CreateAliasRequest(aliasName: "alias/app", targetKeyID: key.keyID))
    try await fixture.createSecret("MyDatabaseSecret", "pw", kmsKeyID: "alias/app")
    let whole = ResolutionKey(kind: .secretsManager, name: "MyDatabaseSecret", selector: .latest)
    #expect(try await resolve(fixture, [whole])[whole]?.get().pin.keyID == "alias/app")
  }

  @Test func failuresNameTheSecretAndKeyButNoValue() async throws {
    let fixture = try await CompilerFixture()
    try await fixture.createSecret("prod/MyApp/DBSecret", Self.document)
    try await fixture.createSecret("plain", CompilerFixture.canary)
    try await fixture.createSecret("array", #"["\#(CompilerFixture.canary)"]"#)
    try await fixture.createSecret("binary", binary: Array(CompilerFixture.canary.utf8))
    try await fixture.createSecret("going", CompilerFixture.canary)
    _ = try await fixture.store.deleteSecret(DeleteSecretRequest(secretID: "going"))

    func key(_ name: String, _ jsonKey: String? = nil, _ selector: ResolutionKey.Selector = .latest)
      -> ResolutionKey
    {
      ResolutionKey(kind: .secretsManager, name: name, selector: selector, jsonKey: jsonKey)
    }
    let cases: [(ResolutionKey, DiagnosticCode, String)] = [
      (
        key("prod/MyApp/DBSecret", "pasword"), .jsonKeyNotFound,
        "secret 'prod/MyApp/DBSecret' has no JSON key 'pasword'"
      ),
      (
        key("plain", "password"), .jsonKeyNotFound,
        "secret 'plain' is not a JSON object, so it has no key 'password'"
      ),
      (
        key("array", "password"), .jsonKeyNotFound,
        "secret 'array' is not a JSON object, so it has no key 'password'"
      ),
      (
        key("binary"), .jsonKeyNotFound,
        "secret 'binary' holds a SecretBinary, which a reference cannot read"
      ),
      (key("missing"), .entryNotFound, "secret 'missing' does not exist"),
      (key("going"), .scheduledForDeletion, "secret 'going' is scheduled for deletion"),
      (
        key("plain", nil, .stage("AWSPENDING")), .versionNotFound,
        "secret 'plain' has no version labelled 'AWSPENDING'"
      ),
      (
        key("plain", nil, .versionId("EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE")), .versionNotFound,
        "secret 'plain' has no version 'EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE'"
      ),
    ]
    let results = try await resolve(fixture, cases.map(\.0))
    for (key, code, message) in cases {
      let found = try #require(failure(results[key]), "\(key) resolved")
      #expect(found.code == code, "\(key)")
      #expect(found.description == message)
      #expect(!found.description.contains(CompilerFixture.canary))
    }
  }

  @Test func aPinnedVersionThatVanishedIsNamed() async throws {
    let fixture = try await CompilerFixture()
    try await fixture.createSecret("app/token", "one")
    let key = ResolutionKey(kind: .secretsManager, name: "app/token", selector: .latest)
    let pin = Pin(
      arn: "x", versionId: "00000000-0000-4000-8000-000000000000", stage: "AWSCURRENT",
      type: "SecretString", fingerprint: "hmac-sha256:x")
    let results = try await resolve(fixture, [key], at: [key: pin])
    let found = try #require(failure(results[key]))
    #expect(
      found.description
        == "secret 'app/token' has no version '00000000-0000-4000-8000-000000000000'")
  }

  @Test func aJSONKeyReadsOnlyTheTopLevelMember() {
    func value(_ key: String, _ json: String) -> String? {
      try? SecretJSONKey.value(of: key, secret: "s", in: SecretBytes(utf8: json)).get().utf8String()
    }
    #expect(value("a", #"{"a":"x\"y\n"}"#) == "x\"y\n")
    #expect(value("a", #"{"a":true}"#) == "true")
    #expect(value("a", #"{"a":{"b":[1,2]}}"#) == #"{"b":[1,2]}"#)
    #expect(value("b", #"{"a":{"b":"nested"}}"#) == nil)
    #expect(value("a", #"{"a":"first","a":"last"}"#) == "last")
    #expect(value("a", "{not json") == nil)
  }

  /// A key matches by its code points, as CloudFormation's JSON reader compares them: `e` +
  /// U+0301 is not the key `é` (U+00E9), though Swift's `==` calls them equal.
  @Test func aJSONKeyMatchesByCodePoints() {
    func value(_ key: String, _ json: String) -> String? {
      try? SecretJSONKey.value(of: key, secret: "s", in: SecretBytes(utf8: json)).get().utf8String()
    }
    #expect(value("e\u{301}", #"{"\#u{e9}":"v"}"#) == nil)
    #expect(value("\u{e9}", #"{"\#u{e9}":"v"}"#) == "v")
    #expect(value("e\u{301}", #"{"\#u{e9}":"nfc","e\#u{301}":"nfd"}"#) == "nfd")
  }

  @Test func aNumberMemberIsItsTextAsWritten() {
    func value(_ key: String, _ json: String) -> String? {
      try? SecretJSONKey.value(of: key, secret: "s", in: SecretBytes(utf8: json)).get().utf8String()
    }
    #expect(value("port", #"{"port": 5432}"#) == "5432")
    #expect(value("n", #"{"n": 12345678901234567890123, "m": 1}"#) == "12345678901234567890123")
    #expect(value("n", #"{"n":1.0}"#) == "1.0")
    #expect(value("n", #"{"n":-2.50E+3 }"#) == "-2.50E+3")
    #expect(value("n", #"{"n":1,"n":2.0}"#) == "2.0")
    #expect(value("n", #"{"o":{"n":7},"n":3}"#) == "3")
  }
}
