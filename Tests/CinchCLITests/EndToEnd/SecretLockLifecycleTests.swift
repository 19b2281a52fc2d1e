import Foundation
import Testing
import _CinchTestSupport

/// Secrets Manager references end to end, with the built binary and the seed's secrets
/// (`prod/MyApp/DBSecret`, `docker_username`, `MyDatabaseSecret`) read by templates from
/// `templates/`: lock pins the version id, render writes the pinned form (or the value, 0600),
/// a `put-secret-value` shows up in outdated, plan and check, `lock --update` moves the pin,
/// policy follows the lock, and check names a missing key, a missing secret and a deleted one.
/// The canary value appears nowhere but the inline artifact.
@Suite(.serialized) struct SecretLockLifecycleTests {
  static let canary = "CANARY-secret-4b2e-do-not-print"
  static let first = "00000000-0000-4000-8000-000000000001"
  static let second = "00000000-0000-4000-8000-000000000002"

  let directory: URL

  init() throws {
    directory = try CinchProcess.temporaryDirectory()
    let templates = directory.appendingPathComponent("templates")
    try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
    for name in ["lambda-api.yaml", "app-stack.json"] {
      try FileManager.default.copyItem(
        at: Fixtures.packageRoot.appendingPathComponent("templates/\(name)"),
        to: templates.appendingPathComponent(name))
    }
    try write(
      Self.database(
        username: "'{{resolve:secretsmanager:docker_username:SecretString:username}}'",
        password: "'{{resolve:secretsmanager:MyDatabaseSecret}}'"),
      to: "templates/database.yaml")
  }

  /// An RDS instance whose master user name (when given) and password are these values.
  static func database(username: String? = nil, password: String) -> String {
    """
    Resources:
      Db:
        Type: AWS::RDS::DBInstance
        Properties:
          Engine: postgres
          DBInstanceClass: db.t4g.micro
          AllocatedStorage: '20'

    """ + (username.map { "      MasterUsername: \($0)\n" } ?? "")
      + "      MasterUserPassword: \(password)\n"
  }

  private func write(_ text: String, to path: String) throws {
    try text.write(to: directory.appendingPathComponent(path), atomically: true, encoding: .utf8)
  }

  private func read(_ path: String) throws -> String {
    try String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8)
  }

  private func cinch(_ arguments: String...) async throws -> CinchProcess.Result {
    try await CinchProcess.run(arguments, in: directory)
  }

  @discardableResult
  private func succeeds(_ arguments: String...) async throws -> CinchProcess.Result {
    let result = try await CinchProcess.run(arguments, in: directory)
    #expect(result.status == 0, "cinch \(arguments.joined(separator: " ")): \(result.stderr)")
    return result
  }

  /// A secret value through a file (`file://`), so it is never on a command line.
  private func valueFile(_ text: String) throws -> String {
    let name = "value-\(UUID().uuidString).txt"
    try write(text, to: name)
    return "file://" + directory.appendingPathComponent(name).path
  }

  private func seed() async throws {
    try await succeeds("init")
    try await succeeds(
      "ssm", "put-parameter", "--name", "/myapp/prod/db-host", "--value", "db.internal", "--type",
      "String")
    try await succeeds(
      "ssm", "put-parameter", "--name", "/myapp/prod/redis-auth-token", "--value", "redis-token",
      "--type", "SecureString")
    let keyID = try await succeeds(
      "kms", "create-key", "--description", "database", "--query", "KeyMetadata.KeyId", "--output",
      "text"
    ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    try await succeeds(
      "kms", "create-alias", "--alias-name", "alias/database", "--target-key-id", keyID)
    try await succeeds(
      "secretsmanager", "create-secret", "--name", "prod/MyApp/DBSecret", "--client-request-token",
      Self.first, "--secret-string",
      try valueFile(#"{"username":"dbadmin","password":"\#(Self.canary)"}"#))
    try await succeeds(
      "secretsmanager", "create-secret", "--name", "docker_username", "--secret-string",
      try valueFile(#"{"username":"ci-bot","password":"\#(Self.canary)-docker"}"#))
    try await succeeds(
      "secretsmanager", "create-secret", "--name", "MyDatabaseSecret", "--kms-key-id",
      "alias/database", "--secret-string", try valueFile(Self.canary + "-master"))
  }

  private func lockEntries() throws -> [[String: Any]] {
    let root = try #require(
      try JSONSerialization.jsonObject(with: Data(read("cinch.lock").utf8)) as? [String: Any])
    return try #require(root["references"] as? [[String: Any]])
  }

  @Test func lockRenderMoveUpdate() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    var outputs: [String] = []
    func keep(_ result: CinchProcess.Result) { outputs += [result.stdout, result.stderr] }

    let lock = try await succeeds(
      "lock", "templates/lambda-api.yaml", "templates/app-stack.json", "templates/database.yaml")
    keep(lock)
    #expect(
      lock.stdout.contains(
        "+ secretsmanager prod/MyApp/DBSecret [password] (AWSCURRENT) → \(Self.first)"))
    let entries = try lockEntries()
    let password = try #require(
      entries.first {
        $0["name"] as? String == "prod/MyApp/DBSecret" && $0["jsonKey"] as? String == "password"
          && $0["requested"] as? String == "latest"
      })
    #expect(password["versionId"] as? String == Self.first)
    #expect(password["stage"] as? String == "AWSCURRENT")
    #expect(password["jsonKeyVerified"] as? Bool == true)
    #expect(password["type"] as? String == "SecretString")
    #expect(password["keyId"] as? String == "alias/aws/secretsmanager")
    #expect((password["arn"] as? String)?.contains(":secret:prod/MyApp/DBSecret-") == true)
    // `…:password:AWSCURRENT` in app-stack.json is its own key, taken from the stage it names.
    #expect(
      entries.contains {
        $0["requested"] as? String == "stage:AWSCURRENT" && $0["versionId"] as? String == Self.first
      })
    let master = try #require(entries.first { $0["name"] as? String == "MyDatabaseSecret" })
    #expect(master["keyId"] as? String == "alias/database")
    #expect(master["jsonKeyVerified"] == nil)

    // Pinned: the version id, in place of any stage; the same bytes every time.
    await keep(try succeeds("render", "--frozen", "-o", "out1"))
    await keep(try succeeds("render", "--frozen", "-o", "out2"))
    let lambda = try read("out1/templates/lambda-api.yaml")
    #expect(
      lambda.contains(
        "DB_PASSWORD: \"{{resolve:secretsmanager:prod/MyApp/DBSecret:SecretString:password::\(Self.first)}}\""
      ))
    #expect(
      lambda.contains(
        "DB_USER: '{{resolve:secretsmanager:prod/MyApp/DBSecret:SecretString:username::\(Self.first)}}'"
      ))
    #expect(
      try read("out1/templates/app-stack.json").contains(
        "{{resolve:secretsmanager:${Env}/MyApp/DBSecret:SecretString:password::\(Self.first)}}"))
    #expect(
      try read("out1/templates/database.yaml").contains(
        "'{{resolve:secretsmanager:MyDatabaseSecret:SecretString:::"))
    for file in [
      "templates/lambda-api.yaml", "templates/app-stack.json", "templates/database.yaml",
      "manifest.json",
    ] {
      #expect(try read("out1/\(file)") == read("out2/\(file)"), "\(file) differs between runs")
    }

    // Clean against the store, online and offline.
    let clean = try await succeeds("check")
    #expect(clean.stdout.hasPrefix("no problems in 3 files"), "\(clean.stdout)")
    keep(clean)
    await keep(try succeeds("check", "--offline", "--frozen"))
    let cleanOutdated = try await succeeds("outdated", "--exit-code")
    #expect(cleanOutdated.stdout.hasPrefix("every pin in cinch.lock is current"))

    // AWSCURRENT moves: the frozen render still pins the old id; outdated, plan and check say so.
    try await succeeds(
      "secretsmanager", "put-secret-value", "--secret-id", "prod/MyApp/DBSecret",
      "--client-request-token", Self.second, "--secret-string",
      try valueFile(#"{"username":"dbadmin","password":"\#(Self.canary)-rotated"}"#))
    await keep(try succeeds("render", "--frozen", "-o", "out3"))
    #expect(try read("out3/templates/lambda-api.yaml") == lambda)
    let outdated = try await cinch("outdated", "--exit-code")
    keep(outdated)
    #expect(outdated.status == 1)
    #expect(outdated.stdout.contains("secretsmanager prod/MyApp/DBSecret [password] (AWSCURRENT)"))
    #expect(
      outdated.stdout.contains("pinned at \(Self.first); AWSCURRENT is now on \(Self.second)"))
    let outdatedJSON = try await succeeds("outdated", "--format", "json")
    #expect(outdatedJSON.stdout.contains("\"reason\": \"stage-moved\""))
    keep(outdatedJSON)
    let plan = try await succeeds("plan")
    keep(plan)
    #expect(plan.stdout.contains("3 to move, 0 to add, 0 to drop,"), "\(plan.stdout)")
    let moved = try #require(
      plan.stdout.split(separator: "\n").first {
        $0.contains("secretsmanager prod/MyApp/DBSecret [password]")
      })
    #expect(moved.hasPrefix("~"))
    #expect(moved.contains("\(Self.first)  \(Self.second)"))
    // The username did not change; the password did. No length is shown: it narrows a guess.
    #expect(plan.stdout.contains("value changed (secret)"))
    #expect(plan.stdout.contains("same value (secret)"))
    let secretLines = plan.stdout.split(separator: "\n").filter { $0.contains("secretsmanager") }
    #expect(!secretLines.isEmpty && secretLines.allSatisfy { !$0.contains("bytes") })
    let markdown = try await succeeds("plan", "--format", "markdown")
    keep(markdown)
    let behind = try await succeeds("check")
    keep(behind)
    #expect(behind.stdout.contains("warning[W4009]"))
    #expect(
      behind.stdout.contains(
        "AWSCURRENT is now on \(Self.second) (in 'cinch.lock'; run 'cinch lock --update prod/MyApp/DBSecret')"
      ))
    let frozenCheck = try await cinch("check", "--frozen")
    keep(frozenCheck)
    #expect(frozenCheck.status == 1)

    let update = try await succeeds("lock", "--update", "prod/MyApp/DBSecret")
    keep(update)
    #expect(
      update.stdout.contains(
        "~ secretsmanager prod/MyApp/DBSecret [password] (AWSCURRENT) \(Self.first) → \(Self.second)"
      ))
    #expect(update.stdout.contains("(3 moved)"))
    await keep(try succeeds("render", "--frozen", "-o", "out4"))
    #expect(try read("out4/templates/lambda-api.yaml").contains("password::\(Self.second)}}"))

    // Policy for the rendered templates: the pinned version ids, and kms:Decrypt only for the
    // customer-managed key, bound to the secret by its ARN.
    let policy = try await succeeds(
      "policy", "templates/lambda-api.yaml", "templates/database.yaml", "--account-id",
      "123456789012", "--region", "us-east-1", "--profile", "deploy", "--lock", "cinch.lock")
    keep(policy)
    let document = policy.stdout.filter { !$0.isWhitespace }
    #expect(document.contains(#""secretsmanager:VersionId":["\#(Self.second)"]"#))
    #expect(
      document.contains(
        #""kms:EncryptionContext:SecretARN":["arn:aws:secretsmanager:us-east-1:123456789012:secret:MyDatabaseSecret-??????"]"#
      ))
    #expect(policy.stdout.components(separatedBy: "\"kms:Decrypt\"").count == 2, "\(policy.stdout)")

    // Inline: the values, in a file only its owner reads.
    let inline = try await succeeds("render", "--frozen", "--mode", "inline", "-o", "secret-out")
    keep(inline)
    #expect(inline.stdout.contains("mode 0600"))
    let artifact = directory.appendingPathComponent("secret-out/templates/lambda-api.yaml").path
    let inlined = try String(contentsOfFile: artifact, encoding: .utf8)
    #expect(inlined.contains("DB_PASSWORD: \"\(Self.canary)-rotated\""))
    #expect(inlined.contains("DB_USER: 'dbadmin'"))
    #expect(
      try read("secret-out/templates/database.yaml").contains(
        "MasterUserPassword: '\(Self.canary)-master'"))
    let mode = try FileManager.default.attributesOfItem(atPath: artifact)[.posixPermissions] as? Int
    #expect(mode == 0o600)

    for file in [
      "cinch.lock", "out1/manifest.json", "out1/templates/lambda-api.yaml",
      "out1/templates/app-stack.json", "out1/templates/database.yaml", "out4/manifest.json",
      "secret-out/manifest.json",
    ] {
      outputs.append(try read(file))
    }
    for text in outputs { #expect(!text.contains(Self.canary)) }
  }

  /// `lock --update` takes the ARN the lock records (or a secret's partial ARN); an ARN of
  /// another region or account names nothing the lock has.
  @Test func updateTakesTheARNTheLockRecords() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    try await succeeds("lock", "templates/database.yaml")
    let arn = try #require(
      try lockEntries().first { $0["name"] as? String == "MyDatabaseSecret" }?["arn"] as? String)
    try await succeeds(
      "secretsmanager", "put-secret-value", "--secret-id", "MyDatabaseSecret",
      "--secret-string", try valueFile("next-\(Self.canary)"))
    let partial = String(arn.dropLast(7))
    let moved = try await succeeds("lock", "--update", partial)
    #expect(moved.stdout.contains("~ secretsmanager MyDatabaseSecret"), "\(moved.stdout)")
    #expect(try await succeeds("lock", "--update", arn).stdout.contains("(unchanged)"))
    let elsewhere = arn.replacingOccurrences(of: ":123456789012:", with: ":999999999999:")
    let refused = try await cinch("lock", "--update", elsewhere)
    #expect(refused.status == 2)
    #expect(
      refused.stderr
        == "cinch: error: --update names '\(elsewhere)', which is not an ARN 'cinch.lock' "
        + "records (name the parameter or secret, or give the ARN as the lock shows it)\n")
  }

  /// The embedded store is read as from where the stack goes (`--region`, `--account-id`, or
  /// the lock's record of them): the lock records that region's ARNs, a reference by such an
  /// ARN resolves and one of another region does not, and the policy grants the same ARNs and
  /// the key of that region. Locking again without the flags changes nothing.
  @Test func theStoreIsReadFromTheDeploysRegionAndAccount() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    try await succeeds(
      "lock", "--region", "eu-west-1", "--account-id", "111122223333", "templates/database.yaml")
    let arn = try #require(
      try lockEntries().first { $0["name"] as? String == "MyDatabaseSecret" }?["arn"] as? String)
    #expect(arn.hasPrefix("arn:aws:secretsmanager:eu-west-1:111122223333:secret:MyDatabaseSecret-"))
    try write(
      Self.database(password: "'{{resolve:secretsmanager:\(arn)}}'"), to: "templates/by-arn.yaml")
    let again = try await succeeds("lock", "templates/by-arn.yaml")
    #expect(again.stdout.contains("(1 added"), "\(again.stdout)")
    for entry in try lockEntries() {
      #expect((entry["arn"] as? String)?.contains(":eu-west-1:111122223333:") == true, "\(entry)")
    }
    #expect(try await succeeds("lock").stdout.contains("(unchanged)"))
    #expect(try await cinch("outdated").status == 0)
    #expect(try await cinch("check").status == 0)

    let policy = try await succeeds(
      "policy", "templates/by-arn.yaml", "--account-id", "111122223333", "--region", "eu-west-1",
      "--profile", "deploy", "--lock", "cinch.lock")
    #expect(policy.stdout.contains("\"\(arn)\""), "\(policy.stdout)")
    #expect(policy.stdout.contains("arn:aws:kms:eu-west-1:111122223333:key/"), "\(policy.stdout)")

    // The same secret's ARN in another region names nothing a stack in eu-west-1 can read.
    let elsewhere = arn.replacingOccurrences(of: ":eu-west-1:", with: ":us-east-1:")
    try write(
      Self.database(password: "'{{resolve:secretsmanager:\(elsewhere)}}'"),
      to: "templates/by-arn.yaml")
    let check = try await cinch("check")
    #expect(check.status == 1)
    #expect(
      check.stdout.contains(
        "secret '\(elsewhere)' does not exist: its ARN names account 111122223333 in us-east-1, "
          + "and the store is read as account 111122223333 in eu-west-1 (the deploy's: --region, "
          + "--account-id)"), "\(check.stdout)")
    // So is another account's, for lock as for check.
    let otherAccount = arn.replacingOccurrences(of: ":111122223333:", with: ":444455556666:")
    try write(
      Self.database(password: "'{{resolve:secretsmanager:\(otherAccount)}}'"),
      to: "templates/by-arn.yaml")
    let lock = try await cinch("lock", "templates/by-arn.yaml")
    #expect(lock.status == 1)
    #expect(
      lock.stderr.contains(
        "its ARN names account 444455556666 in eu-west-1, and the store is read as account "
          + "111122223333 in eu-west-1"), "\(lock.stdout)")
  }

  /// A template that names the secret and one that gives its ARN make two entries of one
  /// secret: the ARN moves both, not only the entry named by it.
  @Test func anARNMovesEveryEntryThatRecordsIt() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    try await succeeds("lock", "templates/database.yaml")
    let arn = try #require(
      try lockEntries().first { $0["name"] as? String == "MyDatabaseSecret" }?["arn"] as? String)
    try write(
      Self.database(password: "'{{resolve:secretsmanager:\(arn)}}'"), to: "templates/by-arn.yaml")
    try await succeeds("lock", "templates/by-arn.yaml")
    try await succeeds(
      "secretsmanager", "put-secret-value", "--secret-id", "MyDatabaseSecret",
      "--secret-string", try valueFile("next-\(Self.canary)"))
    let moved = try await succeeds("lock", "--update", arn)
    #expect(moved.stdout.contains("~ secretsmanager MyDatabaseSecret "), "\(moved.stdout)")
    #expect(moved.stdout.contains("~ secretsmanager \(arn) "), "\(moved.stdout)")
    let outdated = try await cinch("outdated")
    #expect(outdated.status == 0, "\(outdated.stdout)")
  }

  @Test func checkAndLockNameWhatIsMissing() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    try await succeeds("lock", "templates/database.yaml")
    try write(
      """
      Resources:
        Directory:
          Type: AWS::DirectoryService::SimpleAD
          Properties:
            Name: corp.example.com
            Size: Small
            Password: '{{resolve:secretsmanager:prod/MyApp/DBSecret:SecretString:pasword}}'
        Registry:
          Type: AWS::SSM::Parameter
          Properties:
            Type: String
            Value: '{{resolve:secretsmanager:docker_password:SecretString:password}}'

      """, to: "broken.yaml")
    // Scheduled for deletion after the lock: the deploy would fail to read it.
    try await succeeds("secretsmanager", "delete-secret", "--secret-id", "MyDatabaseSecret")

    let check = try await cinch("check", "broken.yaml", "templates/database.yaml")
    #expect(check.status == 1)
    #expect(
      check.stdout.contains(
        "broken.yaml:7:18: error[E4005]: reference '{{resolve:secretsmanager:prod/MyApp/DBSecret:SecretString:pasword}}': secret 'prod/MyApp/DBSecret' has no JSON key 'pasword'"
      ))
    #expect(
      check.stdout.contains(
        "broken.yaml:12:15: error[E4001]: reference '{{resolve:secretsmanager:docker_password:SecretString:password}}': secret 'docker_password' does not exist"
      ))
    #expect(
      check.stdout.contains(
        "error[E4004]: reference '{{resolve:secretsmanager:MyDatabaseSecret}}': secret 'MyDatabaseSecret' is scheduled for deletion"
      ))

    let lock = try await cinch("lock", "broken.yaml")
    #expect(lock.status == 1)
    #expect(lock.stderr.contains("'cinch.lock' not written"))
    #expect(
      lock.stderr.contains(
        "broken.yaml:7:18: error[E4005]: reference '{{resolve:secretsmanager:prod/MyApp/DBSecret:SecretString:pasword}}': secret 'prod/MyApp/DBSecret' has no JSON key 'pasword'"
      ))
    let render = try await cinch("render", "--frozen", "templates/database.yaml", "-o", "out")
    #expect(render.status == 1)
    #expect(
      render.stdout.contains(
        "pinned reference '{{resolve:secretsmanager:MyDatabaseSecret}}': secret 'MyDatabaseSecret' is scheduled for deletion"
      ))
    // outdated says the same of the pins, on stdout, and fails without --exit-code: a pin no
    // deploy can read is not merely behind.
    try await succeeds(
      "secretsmanager", "delete-secret", "--secret-id", "docker_username",
      "--force-delete-without-recovery")
    let outdated = try await cinch("outdated")
    #expect(outdated.status == 1)
    #expect(outdated.stderr.isEmpty, "\(outdated.stderr)")
    let rows = outdated.stdout.split(separator: "\n").map(String.init)
    #expect(
      rows.contains {
        $0.hasPrefix("secretsmanager MyDatabaseSecret (default AWSCURRENT)")
          && $0.contains("scheduled for deletion: no deploy can read it unless it is restored")
          && $0.hasSuffix("templates/database.yaml:9:28")
      }, "\(outdated.stdout)")
    #expect(
      rows.contains {
        $0.hasPrefix("secretsmanager docker_username [username] (default AWSCURRENT)")
          && $0.contains("secret 'docker_username' does not exist")
      }, "\(outdated.stdout)")
    let outdatedJSON = try await cinch("outdated", "--format", "json")
    #expect(outdatedJSON.status == 1)
    #expect(outdatedJSON.stdout.contains(#""reason": "scheduled-for-deletion""#))
    #expect(outdatedJSON.stdout.contains(#""reason": "entry-gone""#))
    for text in [
      check.stdout, check.stderr, lock.stdout, lock.stderr, render.stdout, render.stderr,
      outdated.stdout, outdated.stderr, outdatedJSON.stdout,
    ] {
      #expect(!text.contains(Self.canary))
    }
  }

  /// `Samples/seed/seed.sh` (what `make run` seeds) then every template in `templates/`: each
  /// locks, renders frozen, checks clean online and offline, and no seeded secret value shows
  /// up anywhere but the inline artifacts.
  @Test func theSampleSeedCoversEveryTemplate() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    let root = Fixtures.packageRoot
    let names = try FileManager.default.contentsOfDirectory(
      atPath: root.appendingPathComponent("templates").path
    ).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted()
    for name in names
    where !FileManager.default.fileExists(
      atPath: directory.appendingPathComponent("templates/\(name)").path)
    {
      try FileManager.default.copyItem(
        at: root.appendingPathComponent("templates/\(name)"),
        to: directory.appendingPathComponent("templates/\(name)"))
    }
    try await succeeds("init")
    let seed = Process()
    seed.executableURL = URL(fileURLWithPath: "/bin/bash")
    seed.arguments = [
      root.appendingPathComponent("Samples/seed/seed.sh").path, CinchProcess.executable.path,
    ]
    seed.currentDirectoryURL = directory
    seed.environment = ["PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": NSTemporaryDirectory()]
    try await seed.runUntilExit()
    try #require(seed.terminationStatus == 0)

    // What the seed holds that must stay secret: every password and token.
    let values = root.appendingPathComponent("Samples/seed/values")
    var secrets: [String] = []
    for file in try FileManager.default.contentsOfDirectory(atPath: values.path) {
      let text = try String(contentsOf: values.appendingPathComponent(file), encoding: .utf8)
        .trimmingCharacters(in: .newlines)
      if let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] {
        secrets += [object["password"] as? String].compactMap { $0 }
      } else {
        secrets.append(text)
      }
    }
    try #require(secrets.count >= 6)

    let templates = names.map { "templates/" + $0 }
    var outputs: [String] = []
    func keep(_ result: CinchProcess.Result) { outputs += [result.stdout, result.stderr] }
    let lock = try await CinchProcess.run(["lock"] + templates, in: directory)
    keep(lock)
    try #require(lock.status == 0, "\(lock.stdout)\(lock.stderr)")
    let kinds = try lockEntries().compactMap { $0["kind"] as? String }
    #expect(kinds.filter { $0 == "secretsmanager" }.count >= 6, "\(kinds)")
    await keep(try succeeds("render", "--frozen", "-o", "out"))
    await keep(try succeeds("render", "--frozen", "--mode", "inline", "-o", "secret-out"))
    #expect(try read("secret-out/templates/lambda-api.yaml").contains("MySecurePassword123!"))
    let plan = try await succeeds("plan")
    keep(plan)
    #expect(plan.stdout.contains("0 to move, 0 to add, 0 to drop"))
    await keep(try succeeds("outdated", "--exit-code"))
    for arguments in [["check"], ["check", "--offline", "--frozen"]] {
      let check = try await CinchProcess.run(arguments, in: directory)
      keep(check)
      #expect(check.status == 0, "\(arguments): \(check.stdout)")
      #expect(check.stdout.hasPrefix("no problems in \(templates.count) files"), "\(check.stdout)")
    }
    outputs.append(try read("cinch.lock"))
    outputs.append(try read("out/manifest.json"))
    outputs.append(try read("secret-out/manifest.json"))
    for template in templates { outputs.append(try read("out/" + template)) }
    for text in outputs {
      for secret in secrets { #expect(!text.contains(secret)) }
    }
  }
}
