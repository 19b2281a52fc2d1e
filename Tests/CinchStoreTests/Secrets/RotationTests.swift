import CinchJSON
import Foundation
import Testing
import _CinchTestSupport

@testable import CinchStore

/// A rotator that does what the built-in one does, except at one step, where it fails with a
/// message that quotes the pending value (which the store must scrub).
struct FailingRotator: SecretRotator {
  var failAt: RotationStep

  func run(_ event: RotationEvent, context: RotationContext) async throws {
    if event.step == failAt {
      let pending = try? await context.store.getSecretValue(
        GetSecretValueRequest(secretID: event.secretID, versionID: event.clientRequestToken))
      throw RotatorFailure(
        "cannot \(event.step.rawValue): the database said no to \(pending?.secretString ?? "nothing")"
      )
    }
    try await PasswordRotator().run(event, context: context)
  }
}

/// A rotator whose finishSecret reports success without moving AWSCURRENT.
struct ForgetfulRotator: SecretRotator {
  func run(_ event: RotationEvent, context: RotationContext) async throws {
    if event.step == .finishSecret { return }
    try await PasswordRotator().run(event, context: context)
  }
}

/// Waits for a rotator to show it has started by making `path`.
func waitUntilExists(_ path: String) async throws {
  while !FileManager.default.fileExists(atPath: path) {
    try await Task.sleep(for: .milliseconds(20))
  }
}

func lambda(_ name: String) -> String { "arn:aws:lambda:us-east-1:123456789012:function:\(name)" }

@Suite struct RotationTests {
  static let original = #"{"username":"dbadmin","password":"MySecurePassword123!","port":5432}"#

  func fixture(failingAt step: RotationStep? = nil) async throws -> (StoreFixture, SQLiteStore) {
    let fixture = try await StoreFixture.make()
    var host = RotationHost.standard
    if let step { host.builtIns["flaky"] = FailingRotator(failAt: step) }
    let store = fixture.store.withRotationHost(host)
    try await store.create("prod/MyApp/DBSecret", Self.original, token: tokenA)
    return (fixture, store)
  }

  func object(_ text: String?) throws -> JSONObject {
    let text = try #require(text)
    return try #require(try JSONValueParser.parse(text).objectValue)
  }

  /// Writes `text` as an executable script into the fixture's folder; its path.
  private func executable(_ name: String, in fixture: StoreFixture, _ text: String) throws
    -> String
  {
    let path = fixture.directory.file(name)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    chmod(path, 0o755)
    return path
  }

  @Test func thePasswordRotatorRunsTheFourStepsWithAWSLabelMoves() async throws {
    let (fixture, store) = try await fixture()
    let rotated = try await store.rotateSecret(
      RotateSecretRequest(
        secretID: "prod/MyApp/DBSecret", clientRequestToken: tokenB,
        rotationLambdaARN: lambda("password"),
        rotationRules: RotationRules(automaticallyAfterDays: 30),
        passwordPolicy: PasswordPolicy(passwordLength: 24, excludePunctuation: true)))
    #expect(rotated.versionID == tokenB)
    // The new version is AWSCURRENT, the old one AWSPREVIOUS, AWSPENDING is gone.
    #expect(
      try await store.stages("prod/MyApp/DBSecret") == [
        tokenA: ["AWSPREVIOUS"], tokenB: ["AWSCURRENT"],
      ])
    let current = try object(try await store.value("prod/MyApp/DBSecret"))
    let password = try #require(current["password"]?.stringValue)
    #expect(password.count == 24)
    #expect(password != "MySecurePassword123!")
    #expect(password.allSatisfy { $0.isLetter || $0.isNumber })
    // Other keys are kept, in their order.
    #expect(current.keys == ["username", "password", "port"])
    #expect(current["username"] == .string("dbadmin"))
    #expect(current["port"] == .integer(5432))
    #expect(try await store.value("prod/MyApp/DBSecret", stage: "AWSPREVIOUS") == Self.original)

    let described = try await store.describeSecret(
      DescribeSecretRequest(secretID: "prod/MyApp/DBSecret"))
    #expect(described.rotationEnabled == true)
    #expect(described.rotationLambdaARN == lambda("password"))
    #expect(described.rotationRules == RotationRules(automaticallyAfterDays: 30))
    let last = try #require(described.lastRotatedDate)
    let next = try #require(described.nextRotationDate)
    #expect(
      next.timeIntervalSince(last) > 29 * 86_400 && next.timeIntervalSince(last) < 31 * 86_400)
    #expect(described.cinchRotation?.rotator == "password")
    #expect(described.cinchRotation?.passwordPolicy?.passwordLength == 24)
    #expect(described.cinchRotation?.lastFailure == nil)

    // A second rotation (configuration kept) moves the labels again.
    let again = try await store.rotateSecret(RotateSecretRequest(secretID: "prod/MyApp/DBSecret"))
    let third = try #require(again.versionID)
    #expect(
      try await store.stages("prod/MyApp/DBSecret") == [
        tokenB: ["AWSPREVIOUS"], third: ["AWSCURRENT"],
      ])
    let records = try await store.auditRecords(name: "prod/MyApp/DBSecret", limit: nil)
    #expect(records.filter { $0.operation == "RotateSecret" }.count >= 4)
    _ = fixture
  }

  @Test(arguments: RotationStep.allCases)
  func aFailedStepLeavesCurrentAloneAndARetryFinishes(step: RotationStep) async throws {
    let (fixture, store) = try await fixture(failingAt: step)
    let id = "prod/MyApp/DBSecret"
    var failure: StoreError?
    do {
      _ = try await store.rotateSecret(
        RotateSecretRequest(
          secretID: id, clientRequestToken: tokenB, rotationLambdaARN: lambda("flaky"),
          rotationRules: RotationRules(automaticallyAfterDays: 7)))
    } catch let error as StoreError {
      failure = error
    }
    let error = try #require(failure)
    #expect(error.code == "RotationFailedException")
    #expect(
      error.message.hasPrefix(
        "rotation step '\(step.rawValue)' of rotator 'flaky' failed: cannot \(step.rawValue)"))
    // The pending value never shows: not in the error, not in the record.
    #expect(!error.message.contains("MySecurePassword123!"))
    #expect(!error.message.contains("dbadmin\",\"password"))

    // AWSCURRENT is unchanged and readable.
    #expect(try await store.value(id) == Self.original)
    let stages = try await store.stages(id)
    #expect(stages[tokenA] == ["AWSCURRENT"])
    #expect(stages[tokenB] == ["AWSPENDING"])

    let described = try await store.describeSecret(DescribeSecretRequest(secretID: id))
    let recorded = try #require(described.cinchRotation?.lastFailure)
    #expect(recorded.step == step.rawValue)
    #expect(recorded.versionID == tokenB)
    #expect(error.message.hasSuffix(recorded.message))
    #expect(described.lastRotatedDate == nil)
    #expect(described.rotationEnabled == true)
    if step != .createSecret {
      let pending = try #require(try await store.value(id, versionID: tokenB))
      let pendingPassword = try #require(try object(pending)["password"]?.stringValue)
      #expect(recorded.message.contains("<redacted>"))
      #expect(!recorded.message.contains(pendingPassword))
    }

    // A new token while the rotation is unfinished is refused; without one it resumes.
    await expectStoreError(
      "InvalidRequestException",
      message: "A previous rotation isn't complete. That rotation will be reattempted."
    ) {
      _ = try await store.rotateSecret(
        RotateSecretRequest(secretID: id, clientRequestToken: tokenC))
    }
    let pendingBefore = try? await store.value(id, versionID: tokenB)
    let retried = try await store.rotateSecret(
      RotateSecretRequest(secretID: id, rotationLambdaARN: lambda("password")))
    #expect(retried.versionID == tokenB)
    #expect(try await store.stages(id) == [tokenA: ["AWSPREVIOUS"], tokenB: ["AWSCURRENT"]])
    if let pendingBefore {
      // The value made before the failure is the one that became current.
      #expect(try await store.value(id) == pendingBefore)
    }
    #expect(
      try await store.describeSecret(DescribeSecretRequest(secretID: id)).cinchRotation?.lastFailure
        == nil)
    _ = fixture
  }

  @Test func aFinishThatDoesNotMoveCurrentIsAFailure() async throws {
    let fixture = try await StoreFixture.make()
    var host = RotationHost.standard
    host.builtIns["forgetful"] = ForgetfulRotator()
    let store = fixture.store.withRotationHost(host)
    try await store.create("f", "v1", token: tokenA)
    await expectStoreError(
      "RotationFailedException",
      message: "rotation step 'finishSecret' of rotator 'forgetful' failed: the rotator reported "
        + "success but AWSCURRENT is not on version \(tokenB)"
    ) {
      _ = try await store.rotateSecret(
        RotateSecretRequest(
          secretID: "f", clientRequestToken: tokenB, rotationLambdaARN: lambda("forgetful")))
    }
    #expect(try await store.value("f") == "v1")
    let failure = try await store.describeSecret(DescribeSecretRequest(secretID: "f"))
      .cinchRotation?.lastFailure
    #expect(failure?.step == "finishSecret")
    #expect(failure?.versionID == tokenB)
  }

  @Test func cancellingReportsTheUnfinishedVersion() async throws {
    let (fixture, store) = try await fixture(failingAt: .setSecret)
    let id = "prod/MyApp/DBSecret"
    await expectStoreError("RotationFailedException") {
      _ = try await store.rotateSecret(
        RotateSecretRequest(
          secretID: id, clientRequestToken: tokenB, rotationLambdaARN: lambda("flaky")))
    }
    let cancelled = try await store.cancelRotateSecret(CancelRotateSecretRequest(secretID: id))
    #expect(cancelled.versionID == tokenB)
    #expect(
      try await store.describeSecret(DescribeSecretRequest(secretID: id)).rotationEnabled == false)
    // Removing AWSPENDING from it lets a new rotation start afresh.
    _ = try await store.updateSecretVersionStage(
      UpdateSecretVersionStageRequest(
        secretID: id, versionStage: "AWSPENDING", removeFromVersionID: tokenB))
    let fresh = try await store.rotateSecret(
      RotateSecretRequest(
        secretID: id, clientRequestToken: tokenC, rotationLambdaARN: lambda("password")))
    #expect(fresh.versionID == tokenC)
    #expect(try await store.stages(id) == [tokenA: ["AWSPREVIOUS"], tokenC: ["AWSCURRENT"]])
    _ = fixture
  }

  @Test func rotateImmediatelyFalseTestsAndRemovesThePendingVersion() async throws {
    let (fixture, store) = try await fixture()
    let id = "prod/MyApp/DBSecret"
    let response = try await store.rotateSecret(
      RotateSecretRequest(
        secretID: id, rotationLambdaARN: lambda("password"),
        rotationRules: RotationRules(scheduleExpression: "rate(10 days)"), rotateImmediately: false)
    )
    #expect(response.versionID == nil)
    #expect(try await store.stages(id) == [tokenA: ["AWSCURRENT"]])
    let versions = try await store.secretVersions(id).versions
    #expect(versions.map(\.versionID) == [tokenA])
    let described = try await store.describeSecret(DescribeSecretRequest(secretID: id))
    #expect(described.rotationEnabled == true)
    #expect(described.lastRotatedDate == nil)
    #expect(described.nextRotationDate != nil)
    _ = fixture
  }

  @Test func rotationNeedsARotatorAndChecksItsRules() async throws {
    let (fixture, store) = try await fixture()
    let id = "prod/MyApp/DBSecret"
    await expectStoreError(
      "InvalidRequestException",
      message: "No Lambda rotation function ARN is associated with this secret."
    ) { _ = try await store.rotateSecret(RotateSecretRequest(secretID: id)) }
    await expectStoreError("InvalidRequestException") {
      _ = try await store.rotateSecret(
        RotateSecretRequest(secretID: id, rotationLambdaARN: lambda("nobody")))
    }
    await expectStoreError("InvalidParameterException") {
      _ = try await store.rotateSecret(
        RotateSecretRequest(
          secretID: id, rotationLambdaARN: lambda("password"),
          rotationRules: RotationRules(
            automaticallyAfterDays: 3, scheduleExpression: "rate(3 days)")))
    }
    await expectStoreError("ValidationException") {
      _ = try await store.rotateSecret(
        RotateSecretRequest(
          secretID: id, rotationLambdaARN: lambda("password"),
          rotationRules: RotationRules(automaticallyAfterDays: 1001)))
    }
    await expectStoreError("InvalidParameterException") {
      _ = try await store.rotateSecret(
        RotateSecretRequest(
          secretID: id, rotationLambdaARN: lambda("password"),
          rotationRules: RotationRules(scheduleExpression: "rate(2 hours)")))
    }
    await expectStoreError("InvalidParameterException") {
      _ = try await store.rotateSecret(
        RotateSecretRequest(
          secretID: id, rotationLambdaARN: lambda("password"),
          rotationRules: RotationRules(scheduleExpression: "cron(0 8 1 * * *)")))
    }
    // Nothing was changed by the refused requests.
    #expect(
      try await store.describeSecret(DescribeSecretRequest(secretID: id)).rotationEnabled == nil)
    #expect(try await store.stages(id) == [tokenA: ["AWSCURRENT"]])
    _ = fixture
  }

  @Test func dueRotationsFollowTheSchedule() async throws {
    let (fixture, store) = try await fixture()
    let id = "prod/MyApp/DBSecret"
    _ = try await store.rotateSecret(
      RotateSecretRequest(
        secretID: id, rotationLambdaARN: lambda("password"),
        rotationRules: RotationRules(automaticallyAfterDays: 2)))
    #expect(try await store.dueRotations().isEmpty)
    #expect(try await store.withClock(offset: 86_400).dueRotations().isEmpty)
    let later = store.withClock(offset: 2 * 86_400)
    let due = try await later.dueRotations()
    #expect(due.map(\.name) == [id])
    #expect(due.first?.rotator == "password")
    _ = try await later.rotateSecret(RotateSecretRequest(secretID: id))
    #expect(try await later.dueRotations().isEmpty)
    _ = fixture
  }

  @Test func aCommandRotatorGetsTheEventAndItsFailureIsScrubbed() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("cmd", #"{"password":"hunter2-canary-value"}"#, token: tokenA)
    let log = fixture.directory.file("events.log")
    let script = try executable(
      "rotator.sh", in: fixture,
      """
      #!/bin/sh
      cat >> "\(log)"
      echo >> "\(log)"
      echo "store=$CINCH_STORE step=$CINCH_ROTATION_STEP" >> "\(log)"
      echo "login failed for password hunter2-canary-value" >&2
      exit 3
      """)
    try await store.registerRotator(name: "pg", command: [script])
    let error = await #expect(throws: StoreError.self) {
      _ = try await store.rotateSecret(
        RotateSecretRequest(
          secretID: "cmd", clientRequestToken: tokenB, rotationLambdaARN: lambda("pg")))
    }
    // The failure is cinch's words; what the command printed is only for the caller's
    // terminal, scrubbed.
    #expect(
      error?.message
        == "rotation step 'createSecret' of rotator 'pg' failed: the command exited with status 3"
    )
    #expect(error?.rotatorOutput == "login failed for password <redacted>")
    let events = try String(contentsOfFile: log, encoding: .utf8)
    let arn = try await store.describeSecret(DescribeSecretRequest(secretID: "cmd")).arn
    #expect(
      events.hasPrefix(
        #"{"ClientRequestToken":"\#(tokenB)","SecretId":"\#(arn)","Step":"createSecret"}"#))
    #expect(events.contains("store=\(fixture.storePath) step=createSecret"))
    #expect(try await store.value("cmd") == #"{"password":"hunter2-canary-value"}"#)
    #expect(try await store.commandRotators().map(\.name) == ["pg"])
    await expectStoreError("InvalidParameterException") {
      try await store.registerRotator(name: "password", command: ["/bin/true"])
    }
    await expectStoreError("ResourceExistsException") {
      try await store.registerRotator(name: "pg", command: ["/bin/true"])
    }
    try await store.deregisterRotator(name: "pg")
    #expect(try await store.commandRotators().isEmpty)
  }

  /// A rotator that prints a value the way a JSON tool writes it (escaped: `jq -c`, Python's
  /// `json.dumps`), or the value of a version no label is on, still has it scrubbed.
  @Test func escapedAndUnlabelledValuesAreScrubbed() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("esc", #"{"password":"CANARY-old-9c1e-value"}"#, token: tokenA)
    try await store.putValue("esc", #"{"password":"second-value-x"}"#)
    try await store.putValue("esc", #"{"password":"CANARY-9c1e\"q\\z/é"}"#)
    let script = try executable(
      "leaky.sh", in: fixture,
      #"""
      #!/bin/sh
      printf '%s\n' 'jq: {"password":"CANARY-9c1e\"q\\z/é"}' >&2
      printf '%s\n' 'python: "CANARY-9c1e\"q\\z\/\u00e9" "CANARY-9c1e\"q\\z/\u00E9"' >&2
      printf '%s\n' 'deprecated: CANARY-old-9c1e-value' >&2
      exit 1
      """#)
    try await store.registerRotator(name: "leaky", command: [script])
    let error = await #expect(throws: StoreError.self) {
      _ = try await store.rotateSecret(
        RotateSecretRequest(
          secretID: "esc", clientRequestToken: tokenB, rotationLambdaARN: lambda("leaky")))
    }
    let message = try #require(error?.rotatorOutput)
    #expect(!message.contains("CANARY"), "\(message)")
    // The whole SecretString, as `jq -c` reprints it, is one of the values.
    #expect(message.contains("jq: <redacted>"))
    #expect(message.contains(#"python: "<redacted>" "<redacted>""#))
    #expect(message.contains("deprecated: <redacted>"))
    let recorded = try await store.describeSecret(DescribeSecretRequest(secretID: "esc"))
      .cinchRotation?.lastFailure?.message
    #expect(recorded?.contains("CANARY") == false)
  }

  /// `print(secret_dict)` in a Python rotator prints each string with `repr`: backslashes
  /// doubled, quotes left as they are, and `'` escaped when the string holds both quotes; a
  /// value with a `"` and a `\` (which `get-random-password` draws by default) is scrubbed in
  /// that form too.
  @Test func valuesAsPythonPrintsThemAreScrubbed() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("repr", #"{"password":"CANARY-a\"b\\c-1"}"#, token: tokenA)
    try await store.putValue("repr", #"{"password":"CANARY-x'y\"z\\w-2"}"#)
    let script = try executable(
      "repr.sh", in: fixture,
      #"""
      #!/bin/sh
      printf '%s\n' "connecting with {'password': 'CANARY-a\"b\\\\c-1'}" >&2
      printf '%s\n' "then 'CANARY-x\\'y\"z\\\\w-2'" >&2
      exit 1
      """#)
    try await store.registerRotator(name: "repr", command: [script])
    let error = await #expect(throws: StoreError.self) {
      _ = try await store.rotateSecret(
        RotateSecretRequest(
          secretID: "repr", clientRequestToken: tokenB, rotationLambdaARN: lambda("repr")))
    }
    let message = try #require(error?.rotatorOutput)
    #expect(message.contains("connecting with {'password': '<redacted>'}"), "\(message)")
    #expect(message.contains("then '<redacted>'"), "\(message)")
    #expect(!message.contains("CANARY"), "\(message)")
  }

  /// The rotation lock is not opened through a symbolic link planted in the store's folder:
  /// the rotation is refused and nothing is created where the link points.
  @Test func theRotationLockIsNotOpenedThroughALink() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("linked", "LockVal12345", token: tokenA)
    let victim = fixture.directory.file("victim")
    try FileManager.default.createSymbolicLink(
      atPath: fixture.storePath + "-rotation.lock", withDestinationPath: victim)
    await #expect(throws: StoreError.self) {
      _ = try await store.rotateSecret(
        RotateSecretRequest(
          secretID: "linked", clientRequestToken: tokenB, rotationLambdaARN: lambda("password")))
    }
    #expect(!FileManager.default.fileExists(atPath: victim))
  }

  /// A binary secret is often text kept with `fileb://` (a password, a key file): a rotator
  /// that decodes it prints its bytes, which are scrubbed as its base64 is.
  @Test func aBinarySecretsBytesAreScrubbed() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    _ = try await store.createSecret(
      CreateSecretRequest(
        name: "bin", clientRequestToken: tokenA,
        secretBinary: Data("BinaryHeldPassword-9876".utf8)))
    let script = try executable(
      "decoded.sh", in: fixture,
      #"""
      #!/bin/sh
      printf '%s\n' 'b64: QmluYXJ5SGVsZFBhc3N3b3JkLTk4NzY=' >&2
      printf '%s\n' 'raw: BinaryHeldPassword-9876' >&2
      exit 1
      """#)
    try await store.registerRotator(name: "decoded", command: [script])
    let error = await #expect(throws: StoreError.self) {
      _ = try await store.rotateSecret(
        RotateSecretRequest(
          secretID: "bin", clientRequestToken: tokenB, rotationLambdaARN: lambda("decoded")))
    }
    let message = try #require(error?.rotatorOutput)
    #expect(!message.contains("BinaryHeldPassword"), "\(message)")
    #expect(message.contains("raw: <redacted>"))
    #expect(message.contains("b64: <redacted>"))
  }

  /// A value of fewer than 4 characters is scrubbed where it stands as a word of its own (a
  /// 3-letter password on its own line, a JSON key's short value), not inside longer words;
  /// a short number (a port) is left alone.
  @Test func shortValuesAreScrubbedAsWords() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("short", #"{"password":"k9!","user":"app","port":5}"#, token: tokenA)
    let script = try executable(
      "short.sh", in: fixture,
      #"""
      #!/bin/sh
      printf '%s\n' 'password k9!' 'user=app in application' 'step 5 of 9' 'k9!k9' >&2
      exit 1
      """#)
    try await store.registerRotator(name: "short", command: [script])
    let error = await #expect(throws: StoreError.self) {
      _ = try await store.rotateSecret(
        RotateSecretRequest(
          secretID: "short", clientRequestToken: tokenB, rotationLambdaARN: lambda("short")))
    }
    let message = try #require(error?.rotatorOutput)
    #expect(
      message
        == "password <redacted>\nuser=<redacted> in application\nstep 5 of 9\nk9!k9",
      "\(message)")
  }

  /// With `AutomaticallyAfterDays`, a value put by hand counts as a rotation ("Manually updating
  /// the secret value by calling PutSecretValue or UpdateSecret is considered a valid
  /// rotation", RotationRulesType): the next window follows it, and it is no longer due.
  @Test func aValuePutByHandMovesAnAfterDaysSchedule() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("manual", #"{"password":"first-value-1"}"#, token: tokenA)
    _ = try await store.rotateSecret(
      RotateSecretRequest(
        secretID: "manual", clientRequestToken: tokenB, rotationLambdaARN: lambda("password"),
        rotationRules: RotationRules(automaticallyAfterDays: 10)))
    let rotated = try #require(
      try await store.describeSecret(DescribeSecretRequest(secretID: "manual")).nextRotationDate)
    let later = store.withClock(offset: 5 * 86_400)
    _ = try await later.putSecretValue(
      PutSecretValueRequest(secretID: "manual", secretString: #"{"password":"by-hand-2"}"#))
    let moved = try #require(
      try await later.describeSecret(DescribeSecretRequest(secretID: "manual")).nextRotationDate)
    #expect(moved.timeIntervalSince(rotated) > 4 * 86_400, "\(rotated) → \(moved)")
    let due = try await store.withClock(offset: 11 * 86_400).dueRotations()
    #expect(due.isEmpty, "\(due)")
    #expect(try await store.withClock(offset: 16 * 86_400).dueRotations().map(\.name) == ["manual"])
  }

  /// A value that ends in a newline or a space (a file written with `echo`, a PEM key) is
  /// scrubbed as printed whole, stripped, and, for several lines, line by line.
  @Test func valuesWithBlanksAndSeveralLinesAreScrubbed() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("eol", "CANARY-eol-7f3a9c-SECRET\n", token: tokenA)
    try await store.create("sp", "CANARY-space-51d0 ", token: UUID().uuidString)
    let pem =
      "-----BEGIN PRIVATE KEY-----\nCANARYpemLineOne0123456789abcdef\n"
      + "CANARYpemLineTwo0123456789abcdef\n-----END PRIVATE KEY-----\n"
    try await store.create("pem", pem, token: UUID().uuidString)
    try await store.create("pair", "user\nCANARY5", token: UUID().uuidString)
    for (secret, printing) in [
      ("eol", #"printf 'CANARY-eol-7f3a9c-SECRET\n' >&2"#),
      ("sp", #"printf 'value: CANARY-space-51d0 \n' >&2; printf 'CANARY-space-51d0' >&2"#),
      ("pem", #"printf 'key line: CANARYpemLineTwo0123456789abcdef\n' >&2"#),
      ("pair", #"V=$(printf 'user\nCANARY5'); echo $V >&2"#),
    ] {
      let script = try executable(
        "print-\(secret).sh", in: fixture, "#!/bin/sh\n\(printing)\nexit 1\n")
      try await store.registerRotator(name: "print-\(secret)", command: [script])
      let error = await #expect(throws: StoreError.self) {
        _ = try await store.rotateSecret(
          RotateSecretRequest(
            secretID: secret, clientRequestToken: UUID().uuidString,
            rotationLambdaARN: lambda("print-\(secret)")))
      }
      let output = try #require(error?.rotatorOutput, "\(secret)")
      #expect(!output.contains("CANARY"), "\(secret): \(output)")
      #expect(output.contains("<redacted>"), "\(secret): \(output)")
    }
  }

  /// Two rotations of one secret at once would run the rotator twice on one pending version:
  /// the second is refused as Secrets Manager refuses it, and runs nothing; once the first
  /// ends, the secret rotates again.
  @Test func aSecondRotationWhileOneRunsIsRefused() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("busy", #"{"password":"busy-value-1234"}"#, token: tokenA)
    let startedFile = fixture.directory.file("started")
    let release = fixture.directory.file("release")
    let script = try executable(
      "wait.sh", in: fixture,
      """
      #!/bin/sh
      step="$CINCH_ROTATION_STEP"
      if [ "$step" = createSecret ]; then
        touch "\(startedFile)"
        while [ ! -e "\(release)" ]; do sleep 0.05; done
      fi
      exit 0
      """)
    try await store.registerRotator(name: "wait", command: [script])
    /// A rotation in a task of its own, once its rotator has started.
    func started() async throws -> Task<RotateSecretResponse, any Error> {
      let task = Task {
        try await store.rotateSecret(
          RotateSecretRequest(
            secretID: "busy", clientRequestToken: tokenB, rotationLambdaARN: lambda("wait")))
      }
      try await waitUntilExists(startedFile)
      return task
    }
    let first = try await started()
    await expectStoreError(
      "InvalidRequestException",
      message: "A previous rotation isn't complete. That rotation will be reattempted."
    ) {
      _ = try await store.rotateSecret(RotateSecretRequest(secretID: "busy"))
    }
    // The same request again (an SDK retrying after its read timed out) is told the rotation
    // is under way, as Secrets Manager's RotateSecret, which returns once it has started.
    let retried = try await store.rotateSecret(
      RotateSecretRequest(
        secretID: "busy", clientRequestToken: tokenB, rotationLambdaARN: lambda("wait")))
    #expect(retried.versionID == tokenB)
    _ = FileManager.default.createFile(atPath: release, contents: nil)
    // The command sets no value, so the first rotation fails at finishSecret; what matters is
    // that its lease ends with it, and the next run resumes its pending version.
    _ = try? await first.value
    try FileManager.default.removeItem(atPath: startedFile)
    _ = try? await started().value
  }

  /// CancelRotateSecret while a rotation runs cancels it: no further step runs, and the pending
  /// version keeps AWSPENDING. A secret marked for deletion (DeleteSecret) stops it the same
  /// way: setSecret would change a credential for a secret on its way out; after
  /// RestoreSecret, the pending version is there to resume.
  @Test(arguments: [false, true])
  func stoppingARunningRotationStopsItsNextSteps(byDeletion: Bool) async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("cx", #"{"password":"cx-value-1234"}"#, token: tokenA)
    let startedFile = fixture.directory.file("started")
    let release = fixture.directory.file("release")
    let steps = fixture.directory.file("steps")
    let script = try executable(
      "cancelled.sh", in: fixture,
      """
      #!/bin/sh
      echo "$CINCH_ROTATION_STEP" >> "\(steps)"
      if [ "$CINCH_ROTATION_STEP" = createSecret ]; then
        touch "\(startedFile)"
        while [ ! -e "\(release)" ]; do sleep 0.05; done
      fi
      exit 0
      """)
    try await store.registerRotator(name: "cancelled", command: [script])
    let rotation = Task {
      try await store.rotateSecret(
        RotateSecretRequest(
          secretID: "cx", clientRequestToken: tokenB, rotationLambdaARN: lambda("cancelled")))
    }
    try await waitUntilExists(startedFile)
    if byDeletion {
      _ = try await store.deleteSecret(
        DeleteSecretRequest(secretID: "cx", recoveryWindowInDays: 7))
    } else {
      _ = try await store.cancelRotateSecret(CancelRotateSecretRequest(secretID: "cx"))
    }
    _ = FileManager.default.createFile(atPath: release, contents: nil)
    let error = await #expect(throws: StoreError.self) { _ = try await rotation.value }
    #expect(
      error?.message
        == (byDeletion
          ? "The rotation stopped: the secret was marked for deletion (DeleteSecret)"
          : "The rotation was cancelled (CancelRotateSecret)")
        + " before its setSecret step; version \(tokenB) keeps AWSPENDING.")
    #expect(try String(contentsOfFile: steps, encoding: .utf8) == "createSecret\n")
    if byDeletion { _ = try await store.restoreSecret(RestoreSecretRequest(secretID: "cx")) }
    let described = try await store.describeSecret(DescribeSecretRequest(secretID: "cx"))
    #expect(described.versionIDsToStages?[tokenB] == ["AWSPENDING"])
    #expect(described.rotationEnabled == byDeletion)
  }

  /// A secret force-deleted (and, here, created again under its name) while a step runs is not
  /// the secret the rotation started on: the failed step is recorded on neither (the new one
  /// was never set up for rotation), and what the rotator printed is not shown: it may hold the
  /// old secret's values, which went with it, so nothing is left to redact them against (the
  /// new secret's values would let the old ones through).
  @Test(arguments: [false, true])
  func aStepThatFailsAfterItsSecretWasReplacedRecordsAndShowsNothing(recreated: Bool)
    async throws
  {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("re", #"{"password":"old-value-1234"}"#, token: tokenA)
    let startedFile = fixture.directory.file("started")
    let release = fixture.directory.file("release")
    let script = try executable(
      "replaced.sh", in: fixture,
      """
      #!/bin/sh
      touch "\(startedFile)"
      while [ ! -e "\(release)" ]; do sleep 0.05; done
      echo "could not finish with old-value-1234" >&2
      exit 1
      """)
    try await store.registerRotator(name: "replaced", command: [script])
    let rotation = Task {
      try await store.rotateSecret(
        RotateSecretRequest(
          secretID: "re", clientRequestToken: tokenB, rotationLambdaARN: lambda("replaced")))
    }
    try await waitUntilExists(startedFile)
    _ = try await store.deleteSecret(
      DeleteSecretRequest(secretID: "re", forceDeleteWithoutRecovery: true))
    if recreated {
      try await store.create("re", #"{"password":"new-value-5678"}"#, token: tokenC)
    }
    _ = FileManager.default.createFile(atPath: release, contents: nil)
    let error = await #expect(throws: StoreError.self) { _ = try await rotation.value }
    #expect(
      error?.message
        == "rotation step 'createSecret' of rotator 'replaced' failed: the command exited with "
        + "status 1; the secret was deleted while the step ran, so nothing was recorded, and the "
        + "rotator's standard error is not shown: the values it could hold went with the secret, "
        + "and cannot be redacted")
    #expect(error?.rotatorOutput == nil)
    #expect(error?.message.contains("old-value") == false)
    if recreated {
      let described = try await store.describeSecret(DescribeSecretRequest(secretID: "re"))
      #expect(described.cinchRotation?.lastFailure == nil)
      #expect(described.rotationEnabled != true)
    }
  }

  /// The built-in rotator writes a password into a SecretString: on a binary secret it is
  /// refused before anything is stored (it used to fail at createSecret, with rotation turned
  /// on and an empty AWSPENDING version left behind).
  @Test func thePasswordRotatorRefusesABinarySecretUpFront() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    _ = try await store.createSecret(
      CreateSecretRequest(name: "bin", clientRequestToken: tokenA, secretBinary: Data([1, 2, 3])))
    for immediately in [true, false] {
      await expectStoreError(
        "InvalidRequestException",
        message: "The built-in 'password' rotator rotates SecretString values, and the value of "
          + "secret bin is binary (SecretBinary): rotate it with a command rotator "
          + "('cinch rotation register NAME -- COMMAND')."
      ) {
        _ = try await store.rotateSecret(
          RotateSecretRequest(
            secretID: "bin", rotationLambdaARN: lambda("password"),
            rotationRules: RotationRules(automaticallyAfterDays: 7),
            rotateImmediately: immediately))
      }
    }
    let described = try await store.describeSecret(DescribeSecretRequest(secretID: "bin"))
    #expect(described.rotationEnabled == nil)
    #expect(described.rotationLambdaARN == nil)
    #expect(described.cinchRotation == nil)
    #expect(try await store.stages("bin") == [tokenA: ["AWSCURRENT"]])
    let versions = try await store.listSecretVersionIds(
      ListSecretVersionIdsRequest(secretID: "bin", includeDeprecated: true))
    #expect(versions.versions.map(\.versionID) == [tokenA])
  }

  /// A rotation whose step failed is due again at once (whatever its schedule, and with none),
  /// and `rotateDue` resumes its pending version; a run that finds the secret rotated since
  /// its list was made, or being rotated, leaves it alone.
  @Test func aFailedRotationIsDueAndResumed() async throws {
    let (fixture, store) = try await fixture(failingAt: .setSecret)
    let id = "prod/MyApp/DBSecret"
    try await store.create("unscheduled", Self.original, token: tokenC)
    for (secret, rules) in [(id, RotationRules(automaticallyAfterDays: 7)), ("unscheduled", nil)] {
      await expectStoreError("RotationFailedException") {
        _ = try await store.rotateSecret(
          RotateSecretRequest(
            secretID: secret, rotationLambdaARN: lambda("flaky"), rotationRules: rules))
      }
    }
    let due = try await store.dueRotations()
    #expect(Set(due.map(\.name)) == [id, "unscheduled"])
    for rotation in due {
      #expect(rotation.resumesFailedAttempt)
      #expect(rotation.windowStart == nil)
      #expect(rotation.lastFailure?.step == "setSecret")
    }
    let rotation = try #require(due.first { $0.name == id })
    let pending = try #require(rotation.lastFailure?.versionID)
    // Another run holds the rotation: skipped, nothing run.
    var lease = try RotationLease.acquire(storePath: store.path, key: rotation.arn)
    #expect(lease != nil)
    #expect(try await store.rotateDue(rotation) == .inProgress)
    lease = nil
    // The rotator fixed (the built-in one under the same name), the run resumes the same
    // pending version and completes it.
    var host = RotationHost.standard
    host.builtIns["flaky"] = PasswordRotator()
    let fixed = store.withRotationHost(host)
    #expect(try await fixed.rotateDue(rotation) == .rotated(versionID: pending))
    #expect(try await store.stages(id)[pending] == ["AWSCURRENT"])
    #expect(try await fixed.dueRotations().map(\.name) == ["unscheduled"])
    // The same listing again, after the rotation: no longer due.
    #expect(try await fixed.rotateDue(rotation) == .noLongerDue)
    _ = fixture
  }

  /// A rotator named by a relative path runs from any folder; one that cannot run is refused
  /// when it is registered, and said for what it is when it runs.
  @Test func aRotatorsPathIsCheckedAndMadeAbsolute() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let script = try executable("rel.sh", in: fixture, "#!/bin/sh\nexit 0\n")
    // The script's path from the test's own folder (tests run side by side: no chdir here).
    let depth = FileManager.default.currentDirectoryPath.split(separator: "/").count
    let relative = String(repeating: "../", count: depth) + script.dropFirst()
    let registered = try await store.registerRotator(name: "rel", command: [relative, "-v"])
    #expect(registered.command == [script, "-v"])
    chmod(script, 0o644)
    await expectStoreError(
      "InvalidParameterException",
      message: "The rotator cannot run: command '\(script)' is not executable ('\(script)' has "
        + "no execute permission)."
    ) {
      try await store.registerRotator(name: "noexec", command: [relative])
    }
    await expectStoreError("InvalidParameterException") {
      try await store.registerRotator(name: "missing", command: [script + ".missing"])
    }
    // A bare name runs from PATH: one PATH does not hold is refused when it is registered.
    await expectStoreError(
      "InvalidParameterException",
      message: "The rotator cannot run: command 'no-such-rotator-zz' not found on PATH."
    ) {
      try await store.registerRotator(name: "typo", command: ["no-such-rotator-zz"])
    }
    #expect(
      try await store.registerRotator(name: "onpath", command: ["sh", "-c", "true"]).command
        == ["sh", "-c", "true"])
    #expect(
      CommandRotator.notRunnable(script, path: nil)
        == "command '\(script)' is not executable ('\(script)' has no execute permission)")
  }

  /// A value longer than the stderr kept is cut at its start, where no scrubbing recognises it:
  /// what was kept is shown from its first whole line, here none, so nothing of it shows.
  @Test func aValueCutByTheKeptTailIsNotShown() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let value = "CANARY-" + String(repeating: "q7", count: CommandRotator.keptErrorBytes)
    try await store.create("long", value, token: tokenA)
    let script = try executable(
      "long.sh", in: fixture, "#!/bin/sh\nprintf '%s\\n' '\(value)' >&2\nexit 1\n")
    try await store.registerRotator(name: "long", command: [script])
    let error = await #expect(throws: StoreError.self) {
      _ = try await store.rotateSecret(
        RotateSecretRequest(
          secretID: "long", clientRequestToken: tokenB, rotationLambdaARN: lambda("long")))
    }
    #expect(error?.message.hasSuffix("failed: the command exited with status 1") == true)
    #expect(error?.rotatorOutput == nil, "\(error?.rotatorOutput?.prefix(80) ?? "")")
  }

  /// A rotator may read other secrets (an admin's, a parameter): cinch cannot know their values,
  /// so nothing the command printed is recorded (`describe-secret`, which a metadata-only role
  /// may call, and the store file) or returned as the error's message. What the caller's
  /// terminal gets is scrubbed before it is cut, so a value the cut would split is still whole.
  @Test func aRotatorsOutputIsNeverRecordedAndIsScrubbedBeforeItIsCut() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let value = "CANARY-straddle-7f3a9c-0123456789"
    try await store.create("cut", #"{"password":"\#(value)"}"#, token: tokenA)
    try await store.create("admin", #"{"password":"CANARY-admin-pw-5d2e"}"#, token: tokenB)
    // The value's first 10 bytes fall before the last 4 KiB, the rest inside them.
    let padding = SQLiteStore.shownRotatorOutputBytes - (value.utf8.count - 10) - 1
    let script = try executable(
      "chatty.sh", in: fixture,
      """
      #!/bin/sh
      echo "admin password: CANARY-admin-pw-5d2e" >&2
      printf '%s' '\(value)' >&2
      head -c \(padding) /dev/zero | tr '\\0' 'x' >&2
      echo >&2
      exit 1
      """)
    try await store.registerRotator(name: "chatty", command: [script])
    let error = await #expect(throws: StoreError.self) {
      _ = try await store.rotateSecret(
        RotateSecretRequest(
          secretID: "cut", clientRequestToken: UUID().uuidString,
          rotationLambdaARN: lambda("chatty")))
    }
    #expect(error?.message.contains("CANARY") == false)
    #expect(error?.message.hasSuffix("failed: the command exited with status 1") == true)
    let output = try #require(error?.rotatorOutput)
    #expect(!output.contains("straddle") && !output.contains("0123456789"), "\(output.prefix(80))")
    #expect(output.utf8.count <= SQLiteStore.shownRotatorOutputBytes + 4)
    let recorded = try await store.describeSecret(DescribeSecretRequest(secretID: "cut"))
      .cinchRotation?.lastFailure?.message
    #expect(recorded == "the command exited with status 1")
    for file in [fixture.storePath, fixture.storePath + "-wal"] {
      let bytes = (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data()
      #expect(bytes.range(of: Data("CANARY-admin".utf8)) == nil, "\(file)")
    }
  }

  /// A rotator gets standard input, output and error and nothing else of the process: not the
  /// store's files, nor a descriptor some other code left open without close-on-exec.
  @Test func aRotatorInheritsNoDescriptorButItsStandardStreams() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("fds", #"{"password":"fds-value-1234"}"#, token: tokenA)
    // Deliberately without O_CLOEXEC, at a number nothing else uses.
    let opened = open(fixture.storePath, O_RDONLY)
    try #require(opened >= 0)
    let leaked = fcntl(opened, F_DUPFD, 200)
    close(opened)
    try #require(leaked >= 200)
    defer { close(leaked) }
    let script = try executable(
      "fds.sh", in: fixture,
      """
      #!/bin/sh
      echo "fds: $(ls /proc/$$/fd | tr '\\n' ' ')" >&2
      for f in /proc/$$/fd/*; do echo "target: $(readlink "$f")" >&2; done
      exit 1
      """)
    try await store.registerRotator(name: "fds", command: [script])
    let error = await #expect(throws: StoreError.self) {
      _ = try await store.rotateSecret(
        RotateSecretRequest(
          secretID: "fds", clientRequestToken: tokenB, rotationLambdaARN: lambda("fds")))
    }
    let output = try #require(error?.rotatorOutput)
    let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("fds: ") })
    let descriptors = line.dropFirst(5).split(separator: " ").compactMap { Int32($0) }
    #expect(descriptors.contains(2))
    #expect(!descriptors.contains(leaked), "\(line)")
    // Neither that descriptor nor any of the store's own (SQLite's, the WAL's).
    #expect(!output.contains("store.db"), "\(output)")
  }

  /// At the deadline the rotator's whole process group is killed: a shell waiting on its own
  /// child (a hung `psql`) does not keep the step, or the child, alive. (The child leaves
  /// standard error, so killing the shell alone would end the step and leave it running.)
  @Test func theDeadlineEndsWhatTheRotatorStarted() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.create("slow", #"{"password":"slow-value-1234"}"#, token: tokenA)
    let pidFile = fixture.directory.file("child.pid")
    let script = try executable(
      "slow.sh", in: fixture,
      """
      #!/bin/sh
      echo "connecting to the database; slow-value-1234" >&2
      sleep 300 </dev/null >/dev/null 2>&1 &
      echo $! > "\(pidFile)"
      wait
      """)
    try await store.registerRotator(name: "slow", command: [script], timeoutSeconds: 1)
    let error = await #expect(throws: StoreError.self) {
      _ = try await store.rotateSecret(
        RotateSecretRequest(
          secretID: "slow", clientRequestToken: tokenB, rotationLambdaARN: lambda("slow")))
    }
    #expect(error?.message.hasSuffix("the command did not finish within 1 second") == true)
    // What it wrote before the deadline is shown (scrubbed), as for any failed step.
    #expect(error?.rotatorOutput == "connecting to the database; <redacted>")
    let text = try String(contentsOfFile: pidFile, encoding: .utf8)
    let child = try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    // Killed with its group: signal 0 finds no process, or a zombie waiting for init.
    var alive = kill(child, 0) == 0
    if alive, let state = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8) {
      alive = !state.contains(") Z ")
    }
    #expect(!alive)
  }

  /// A timeout is named as it was given (`--timeout 1.5`), not rounded down (it read "within
  /// 1 seconds", and "within 0 seconds" for 0.001).
  @Test(arguments: [
    (1.0, "1 second"), (1.5, "1.5 seconds"), (0.001, "0.001 seconds"), (900, "900 seconds"),
  ])
  func aTimeoutIsNamedAsGiven(seconds: Double, text: String) {
    #expect(CommandRotator.seconds(seconds) == text)
  }

  /// A process the command moves out of its group (`setsid`, a daemon) is not killed with it,
  /// and may keep standard error open as long as it runs: the step still ends when the command
  /// does, with what it printed (before 2026-12-03 it waited for the daemon to end), and stops
  /// reading then. Shown without timing.
  @Test func aDaemonHoldingStandardErrorDoesNotHoldTheStep() async throws {
    let fixture = try await StoreFixture.make()
    let pidFile = fixture.directory.file("daemon.pid")
    let lateFile = fixture.directory.file("late")
    let outcome = try await offThePool {
      try ChildProcess.run(
        executable: "/bin/sh",
        arguments: [
          "-c",
          // The daemon names itself once it has left the group (`$!` is setsid's pid, which
          // is not the daemon's when setsid has to fork), and the step ends only then: ended
          // sooner, the step's group is killed while the daemon may still be in it.
          // Once the step's group is gone (its leader reaped), the daemon writes again.
          "group=$(ps -o pgid= -p $$ | tr -d ' '); "
            + "setsid sh -c 'echo $$ >\"\(pidFile).new\"; mv \"\(pidFile).new\" \"\(pidFile)\"; "
            + "while kill -0 -'$group' 2>/dev/null; do sleep 0.02; done; "
            + "echo late >&2; touch \"\(lateFile)\"; exec sleep 3600' </dev/null >/dev/null & "
            + "while [ ! -f \"\(pidFile)\" ]; do sleep 0.05; done; echo 'step done' >&2",
        ],
        environment: ["PATH": "/usr/bin:/bin"], input: [], timeoutSeconds: 600,
        keptErrorBytes: 4096)
    }
    let written = (try? String(contentsOfFile: pidFile, encoding: .utf8))
      .flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    let daemon = try #require(written)
    defer { kill(daemon, SIGKILL) }
    #expect(outcome.status == 0 && !outcome.signaled && !outcome.timedOut)
    // Reading stopped when the command ended, with what the pipe held: the daemon's later
    // line is not the step's. (Until 2026-12 the reader went on for up to 5 seconds more,
    // which every step then took, and caught it.)
    #expect(String(decoding: outcome.standardError, as: UTF8.self) == "step done\n")
    // Returned while the daemon still runs, not once it ended; and its later write did not
    // end it (SIGPIPE): what it writes is discarded. (The wait is bounded only so that a daemon
    // killed before it wrote fails the test rather than hanging it.)
    for _ in 0..<1500 where !FileManager.default.fileExists(atPath: lateFile) {
      try await Task.sleep(for: .milliseconds(20))
    }
    #expect(FileManager.default.fileExists(atPath: lateFile))
    #expect(kill(daemon, 0) == 0)
  }

  /// The command's own outcome reaches the step's failure: the signal that killed it, or why
  /// it could not be executed (a busy executable still is after the retries).
  @Test func aRotatorsSignalOrExecFailureIsReported() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let signalled = try executable(
      "signalled.sh", in: fixture,
      """
      #!/bin/sh
      kill -TERM $$
      sleep 5
      """)
    let missing = try executable("missing.sh", in: fixture, "#!/nonexistent/interpreter\n")
    let busy = try executable("busy.sh", in: fixture, "#!/bin/sh\nexit 0\n")
    let writer = open(busy, O_WRONLY | O_CLOEXEC)
    try #require(writer >= 0)
    defer { close(writer) }
    for (name, script, ending) in [
      ("signalled", signalled, "the command was killed by signal 15"),
      ("missing", missing, "could not start: No such file or directory"),
      ("busy", busy, "could not start: Text file busy"),
    ] {
      try await store.create(name, #"{"password":"end-value-1234"}"#, token: tokenA)
      try await store.registerRotator(name: name, command: [script])
      let error = await #expect(throws: StoreError.self) {
        _ = try await store.rotateSecret(
          RotateSecretRequest(
            secretID: name, clientRequestToken: tokenB, rotationLambdaARN: lambda(name)))
      }
      #expect(error?.message.hasSuffix(ending) == true, "\(error?.message ?? "")")
    }
  }
}

/// The password rotator writes the new password into the secret's text and changes nothing
/// else: numbers Swift would read as a `Double` (past Int64, with an exponent, `-0`), the key
/// order and the spacing stay as they were.
@Suite struct PasswordSpliceTests {
  func replaced(_ text: String, with password: String = "N3w\"pw") throws -> String {
    try PasswordRotator.replacingPassword(
      in: GetSecretValueResponse(
        arn: "arn", name: "s", versionID: "v", secretString: text, versionStages: [],
        createdDate: Date()),
      with: password)
  }

  @Test func otherMembersKeepTheirText() throws {
    let original =
      #"{"password":"x","big":12345678901234567890,"f":3.14159265358979323846,"exp":1e3,"neg":-0}"#
    #expect(
      try replaced(original)
        == #"{"password":"N3w\"pw","big":12345678901234567890,"f":3.14159265358979323846,"exp":1e3,"neg":-0}"#
    )
    let spaced = "{\n  \"user\" : \"a\",\n  \"password\" : {\"old\": [1, \"}\"]} ,\n  \"n\": 1\n}"
    #expect(
      try replaced(spaced)
        == "{\n  \"user\" : \"a\",\n  \"password\" : \"N3w\\\"pw\" ,\n  \"n\": 1\n}")
  }

  @Test func aPasswordKeyIsAddedWhenThereIsNone() throws {
    #expect(
      try replaced(#"{"user":"a","n":1.50}"#) == #"{"user":"a","n":1.50,"password":"N3w\"pw"}"#)
    #expect(try replaced("{ }") == #"{ "password":"N3w\"pw"}"#)
    // A nested `password` is not the secret's: the top-level one is added.
    #expect(
      try replaced(#"{"db":{"password":"x"}}"#) == #"{"db":{"password":"x"},"password":"N3w\"pw"}"#)
  }

  @Test func anEscapedKeyAndTheLastOfDuplicatesAreTheOnesReplaced() throws {
    #expect(try replaced(#"{"pass\u0077ord":"x"}"#) == #"{"pass\u0077ord":"N3w\"pw"}"#)
    #expect(
      try replaced(#"{"password":"a","password":"b"}"#) == #"{"password":"a","password":"N3w\"pw"}"#
    )
  }

  @Test func aValueThatIsNoObjectIsReplacedWhole() throws {
    #expect(try replaced("plain-old") == "N3w\"pw")
    #expect(throws: (any Error).self) { try replaced("{not json") }
  }
}
