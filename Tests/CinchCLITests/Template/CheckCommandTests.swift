import Foundation
import Testing
import _CinchTestSupport

/// `cinch check` run as a pull-request job runs it: the built binary in a project folder with
/// a store (`cinch init`) and a lock, online and offline, in every format.
@Suite struct CheckCommandTests {
  /// A project folder: `cinch init` made `.cinch/store.db`, so `check` goes online by default.
  final class Project: Sendable {
    let directory: URL

    init(store: Bool = true) async throws {
      directory = try CinchProcess.temporaryDirectory()
      if store {
        let created = try await run(["init"])
        #expect(created.status == 0, "\(created.stderr)")
      }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:]) async throws
      -> CinchProcess.Result
    {
      try await CinchProcess.run(
        arguments, in: directory, environment: ["USER": "tester"].merging(environment) { $1 })
    }

    /// Puts a parameter once per value; values go through a request file, never argv (an AWS
    /// public parameter, an AMI id, is no secret and takes `--value`).
    func put(_ name: String, _ values: [String], type: String = "String") async throws {
      if name.hasPrefix("/aws/service/") {
        for value in values {
          let result = try await run([
            "ssm", "put-public-parameter", "--name", name, "--value", value,
          ])
          #expect(result.status == 0, "\(result.stderr)")
        }
        return
      }
      for value in values {
        let request = directory.appendingPathComponent("request.json")
        let body = try JSONSerialization.data(withJSONObject: [
          "Name": name, "Value": value, "Type": type, "Overwrite": true,
        ])
        try body.write(to: request)
        let result = try await run([
          "ssm", "put-parameter", "--cli-input-json", "file://" + request.path,
        ])
        try FileManager.default.removeItem(at: request)
        #expect(result.status == 0, "\(result.stderr)")
      }
    }

    /// Creates a secret; the value goes through a request file, never argv.
    func createSecret(_ name: String, _ value: String) async throws {
      let request = directory.appendingPathComponent("request.json")
      try JSONSerialization.data(withJSONObject: ["Name": name, "SecretString": value])
        .write(to: request)
      let result = try await run([
        "secretsmanager", "create-secret", "--cli-input-json", "file://" + request.path,
      ])
      try FileManager.default.removeItem(at: request)
      #expect(result.status == 0, "\(result.stderr)")
    }

    func read(_ name: String) throws -> String {
      try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    func write(_ text: String, to name: String) throws {
      let url = directory.appendingPathComponent(name)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
    }

    /// The audit log's rows, oldest first.
    func audit() async throws -> [[String: Any]] {
      let listed = try await run(["audit", "list", "--format", "json"])
      try #require(listed.status == 0, "\(listed.stderr)")
      return try #require(
        try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
    }
  }

  static let canary = "CANARY-c1nch-5ecret-value-7f3a"

  static let stack = """
    Parameters:
      Env: {Type: String, Default: prod}
    Resources:
      Db:
        Type: AWS::RDS::DBInstance
        Properties:
          MasterUserPassword: !Sub '{{resolve:ssm-secure:/app/${Env}/db-password}}'
          DBName: '{{resolve:ssm:/app/prod/db-name}}'
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Environment:
            Variables:
              DB_NAME: '{{resolve:ssm:/app/prod/db-name}}'

    """

  /// A project whose store holds what `stack` reads, locked.
  static func locked() async throws -> Project {
    let project = try await Project()
    try await project.put(
      "/app/prod/db-password", [canary + "-1", canary + "-2"], type: "SecureString")
    try await project.put("/app/prod/db-name", [Self.canary + "-name"])
    try project.write(stack, to: "stack.yaml")
    let lock = try await project.run(["lock", "stack.yaml"])
    try #require(lock.status == 0, "\(lock.stdout)\(lock.stderr)")
    return project
  }

  // MARK: Never a value

  /// The store's audit log records every read by operation: `check` makes only metadata reads
  /// (`ListParameterVersions`), online, and none at all offline; never `GetParameter*` or
  /// `ResolveParameters`, the operations that open a sealed value. The lock before it did.
  @Test func checkNeverReadsAValue() async throws {
    let project = try await Self.locked()
    let valueReads: Set<String> = [
      "GetParameter", "GetParameters", "GetParametersByPath", "GetParameterHistory",
      "ResolveParameters", "GetSecretValue", "ResolveSecrets",
    ]
    let before = try await project.audit()
    #expect(
      before.contains { $0["operation"] as? String == "ResolveParameters" }, "lock reads values")

    let online = try await project.run(["check", "stack.yaml"])
    #expect(online.status == 0, "\(online.stdout)\(online.stderr)")
    #expect(online.stdout == "no problems in 1 file (3 references checked against the store)\n")
    let afterOnline = try await project.audit()
    let checkRows = afterOnline.dropFirst(before.count)
    #expect(!checkRows.isEmpty)
    let operations = Set(checkRows.compactMap { $0["operation"] as? String })
    #expect(operations == ["ListParameterVersions"])
    #expect(operations.isDisjoint(with: valueReads))

    let offline = try await project.run(["check", "stack.yaml", "--offline"])
    #expect(offline.stdout == "no problems in 1 file (3 references checked against 'cinch.lock')\n")
    let afterOffline = try await project.audit()
    // Offline the store is not even opened.
    #expect(afterOffline.count == afterOnline.count)
    await #expect(try project.run(["audit", "verify"]).status == 0)
    for result in [online, offline] {
      #expect(!result.stdout.contains(Self.canary))
      #expect(!result.stderr.contains(Self.canary))
    }
  }

  // MARK: Findings and formats

  static let broken = """
    Parameters:
      Token: {Type: String, NoEcho: true, Default: tok-8d7f6e5c4b3a2}
    Resources:
      Db:
        Type: AWS::RDS::DBInstance
        Properties:
          MasterUserPassword: '{{resolve:ssm-secure:/app/prod/db-password:9}}'
          DBName: '{{resolve:ssm:/app/prod/db-name}}'
          MasterUsername: '{{resolve:ssm:/app/prod/missing}}'
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Environment:
            Variables:
              KEY: \(FakeCredentials.awsAccessKeyID)
              TOKEN: !Ref Token

    """

  /// SARIF that GitHub code scanning accepts: its requirements, and the 2.1.0 schema where the
  /// schema is at hand; URIs relative to the checkout.
  /// One file named twice (`a.yaml ./a.yaml ../dir/a.yaml`) is checked once.
  @Test func aFileNamedTwiceIsCheckedOnce() async throws {
    let project = try await Project(store: false)
    try project.write(
      "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n"
        + "      MasterUserPassword: hunter2-plain\n", to: "a.yaml")
    let folder = project.directory.lastPathComponent
    let result = try await project.run(["check", "a.yaml", "./a.yaml", "../\(folder)/a.yaml"])
    #expect(result.stdout.components(separatedBy: "error[E2032]").count == 2, "\(result.stdout)")
    #expect(
      result.stdout.hasSuffix("1 error in 1 file (no dynamic references)\n"), "\(result.stdout)")
  }

  /// A check that cannot run still writes what CI uploads: a SARIF run that did not succeed,
  /// its notification saying why; a JSON finding; an annotation. Exit 2, one line on stderr.
  @Test func aCheckThatCannotRunStillWritesItsFormat() async throws {
    let project = try await Project(store: false)
    try project.write(Self.stack, to: "stack.yaml")
    let message =
      "--offline needs the lockfile 'cinch.lock', which does not exist (run 'cinch lock')"
    let sarif = try await project.run(["check", "stack.yaml", "--offline", "--format", "sarif"])
    #expect(sarif.status == 2)
    #expect(sarif.stderr == "cinch: error: \(message)\n")
    _ = try Self.notRunInvocation(sarif.stdout)
    #expect(sarif.stdout.contains("which does not exist"))

    let json = try await project.run(["check", "stack.yaml", "--offline", "--format", "json"])
    #expect(json.status == 2)
    #expect(json.stdout.contains("\"code\": \"E4013\""))
    let github = try await project.run(["check", "stack.yaml", "--offline", "--format", "github"])
    #expect(github.status == 2)
    #expect(github.stdout.hasPrefix("::error"))
    #expect(github.stdout.contains("does not exist"))
    // The human format says it once, on stderr.
    let human = try await project.run(["check", "stack.yaml", "--offline"])
    #expect(human.stdout.isEmpty)
    #expect(human.stderr == "cinch: error: \(message)\n")
  }

  @Test func sarifForCodeScanning() async throws {
    let project = try await Self.locked()
    try project.write(Self.broken, to: "templates/broken.yaml")
    // The database no longer reads the password the lock pins: its entry is unused (and so is
    // the parameter that named it).
    try project.write(
      Self.stack.replacingOccurrences(
        of: "!Sub '{{resolve:ssm-secure:/app/${Env}/db-password}}'", with: "!Ref AWS::NoValue"),
      to: "stack.yaml")
    let result = try await project.run(
      ["check", "stack.yaml", "templates/broken.yaml", "--format", "sarif"],
      environment: ["GITHUB_WORKSPACE": project.directory.path])
    #expect(result.status == 1)
    #expect(
      !result.stdout.contains(Self.canary)
        && !result.stdout.contains("\(FakeCredentials.awsAccessKeyID)"))
    #expect(!result.stdout.contains("tok-8d7f6e5c4b3a2"))
    try SARIFRequirements.check(
      result.stdout, codes: ["E2033", "E2034", "E4001", "E4002", "W3003", "W4008"], located: 6,
      unlocated: 0)
    if SARIFSchema.unavailableReason == nil {
      #expect(try SARIFSchema.validate(result.stdout) == "")
    }
    let log = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let run = try #require((log["runs"] as? [[String: Any]])?.first)
    let uris = try #require(run["artifacts"] as? [[String: Any]]).compactMap {
      ($0["location"] as? [String: Any])?["uri"] as? String
    }
    #expect(uris == ["cinch.lock", "stack.yaml", "templates/broken.yaml"])

    // A workspace named through a symlink (or relatively) is the same folder: files stay
    // relative to it, as the current directory is its real path.
    let link = project.directory.deletingLastPathComponent()
      .appendingPathComponent("link-\(UUID().uuidString)")
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: project.directory)
    defer { try? FileManager.default.removeItem(at: link) }
    for workspace in [link.path, "."] {
      let github = try await project.run(
        ["check", "stack.yaml", "--format", "github"], environment: ["GITHUB_WORKSPACE": workspace])
      #expect(
        github.stdout.contains("::warning file=stack.yaml,"), "\(workspace): \(github.stdout)")
    }
  }

  /// The same findings in every format, located, with a summary for people.
  @Test func everyFormatLocatesTheFindings() async throws {
    let project = try await Self.locked()
    try project.write(Self.broken, to: "broken.yaml")
    let human = try await project.run(["check", "broken.yaml", "stack.yaml"])
    #expect(human.status == 1)
    #expect(
      human.stdout.contains(
        "broken.yaml:7:28: error[E4002]: reference '{{resolve:ssm-secure:/app/prod/db-password:9}}': parameter '/app/prod/db-password' has no version 9; latest is 2"
      ))
    #expect(
      human.stdout.contains(
        "broken.yaml:9:24: error[E4001]: reference '{{resolve:ssm:/app/prod/missing}}': parameter '/app/prod/missing' does not exist"
      ))
    #expect(human.stdout.contains("          KEY: ********************\n"))
    #expect(
      human.stdout.hasSuffix("4 errors in 2 files (6 references checked against the store)\n"))

    let json = try await project.run(["check", "broken.yaml", "stack.yaml", "--format", "json"])
    let items = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect(items.compactMap { $0["code"] as? String } == ["E2033", "E4002", "E4001", "E2034"])
    #expect(items.allSatisfy { $0["line"] is Int && $0["file"] as? String == "broken.yaml" })

    let github = try await project.run(["check", "broken.yaml", "stack.yaml", "--format", "github"])
    #expect(
      github.stdout.contains(
        "::error file=broken.yaml,line=9,col=24,endLine=9,endColumn=56,title=E4001 entry-not-found::"
      ))
    for result in [human, json, github] {
      #expect(
        !result.stdout.contains("\(FakeCredentials.awsAccessKeyID)")
          && !result.stdout.contains("tok-8d7f6e5c4b3a2"))
    }
  }

  // MARK: Control

  @Test func ignoreWarningsAsErrorsAndMetadataSuppressions() async throws {
    let project = try await Self.locked()
    try await project.put("/app/prod/db-name", [Self.canary + "-renamed"])  // the pin falls behind
    let behind = try await project.run(["check"])
    #expect(behind.status == 0)
    #expect(behind.stdout.contains("warning[W4009]"))
    #expect(
      behind.stdout.hasSuffix("2 warnings in 1 file (3 references checked against the store)\n"))
    await #expect(try project.run(["check", "--warnings-as-errors"]).status == 1)
    await #expect(try project.run(["check", "--frozen"]).status == 1)
    let ignored = try await project.run([
      "check", "--ignore", "E2020,pin-behind", "--warnings-as-errors",
    ])
    #expect(ignored.status == 0)
    #expect(
      ignored.stdout
        == "no problems in 1 file (3 references checked against the store; 2 suppressed)\n")

    // The resource's own Metadata leaves out only what is under it.
    try project.write(
      Self.stack.replacingOccurrences(
        of: "  Fn:\n    Type: AWS::Lambda::Function\n",
        with: "  Fn:\n    Type: AWS::Lambda::Function\n    Metadata: {cinch: {ignore: [W4009]}}\n"),
      to: "stack.yaml")
    let suppressed = try await project.run(["check"])
    #expect(suppressed.stdout.contains("stack.yaml:8:16: warning[W4009]"))
    #expect(
      suppressed.stdout.hasSuffix(
        "1 warning in 1 file (3 references checked against the store; 1 suppressed)\n"))
  }

  /// A file that does not parse was not checked: neither `--ignore` nor a template's own list
  /// may turn its input error into a pass.
  @Test func inputErrorsCannotBeSuppressed() async throws {
    let project = try await Project(store: false)
    try project.write("Resources:\n  Q:\n    Type: \"AWS::SQS::Queue\n", to: "broken.yaml")
    let ignored = try await project.run(["check", "broken.yaml", "--ignore", "yaml-syntax"])
    #expect(ignored.status == 2)
    #expect(
      ignored.stderr.contains(
        "--ignore: E0003 (yaml-syntax) is an input error and cannot be ignored"))
    #expect(ignored.stdout.isEmpty)

    // A duplicate key leaves a tree to read the template's list from; the list cannot hide it.
    try project.write(
      """
      Metadata: {cinch: {ignore: [E0005]}}
      Resources:
        Q: {Type: AWS::SQS::Queue}
        Q: {Type: AWS::SNS::Topic}

      """, to: "twice.yaml")
    let listed = try await project.run(["check", "twice.yaml"])
    #expect(listed.status == 1)
    #expect(listed.stdout.contains("error[E0005]"))
    #expect(
      listed.stdout.contains(
        "twice.yaml:1:29: warning[W1009]: E0005 (duplicate-key) is an input error and cannot be suppressed"
      ))
    // Input warnings can still be left out.
    try project.write(
      "Resources:\n  Q: &q {Type: AWS::SQS::Queue}\n  R: *q\n", to: "alias.yaml")
    let alias = try await project.run(["check", "alias.yaml", "--ignore", "W0016"])
    #expect(alias.status == 0)
    #expect(!alias.stdout.contains("W0016"))
  }

  /// A source line printed with a finding never shows a secret on it, whichever command prints
  /// it and whether or not the secret's own finding is reported: `refs` and `graph` look for no
  /// credentials, and `--ignore` or a template's list leaves the finding that located one out.
  @Test func aSecretOnAFindingsLineIsMaskedByEveryCommand() async throws {
    let project = try await Project(store: false)
    let key = FakeCredentials.awsAccessKeyID
    try project.write(
      """
      Resources:
        Q:
          Type: AWS::SQS::Queue
          Properties: {QueueName: "\(key) {{resolve:ssm:/k:q}}"}
        Db:
          Type: AWS::RDS::DBInstance
          Metadata: {cinch: {ignore: [E2032]}}
          Properties: {MasterUserPassword: CANARY-pw-7f3a, DBName: '{{resolve:ssm:/b:y}}'}

      """, to: "leak.yaml")
    let runs = [
      try await project.run(["refs", "leak.yaml"]),
      try await project.run(["graph", "leak.yaml"]),
      try await project.run(["check", "leak.yaml", "--ignore", "E2034"]),
      try await project.run(["check", "leak.yaml"]),
    ]
    for result in runs {
      let output = result.stdout + result.stderr
      #expect(output.contains("error[E2003]"))
      #expect(!output.contains(key) && !output.contains("CANARY-pw-7f3a"))
      #expect(output.contains("    Properties: {QueueName: \"******************** {{resolve:"))
      #expect(output.contains("    Properties: {MasterUserPassword: **************, DBName:"))
    }
  }

  /// A credential a finding's message or path quotes (a reference named by a key, a mapping
  /// keyed by one) is masked there too, in every format: SARIF and annotations reach anyone
  /// who can read the pull request.
  @Test func aCredentialAMessageQuotesIsMaskedInEveryFormat() async throws {
    let project = try await Project(store: true)
    let key = FakeCredentials.awsAccessKeyID
    // A secret access key is recognised beside its key id; alone in a message, by its text.
    let secret = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYQ3mR8zTp2L"
    let token = "ghp_" + "Q7w8E9r0T1y2U3i4O5p6A7s8D9f0G1h2J3k4"
    try project.write(
      """
      Mappings:
        Creds:
          \(key): {region: x}
      Resources:
        P:
          Type: AWS::SSM::Parameter
          Properties:
            Type: String
            Value: '{{resolve:ssm:/app/\(key) \(secret)}}'
        Q:
          Type: AWS::SSM::Parameter
          Properties:
            Type: String
            Value: '{{resolve:ssm:\(token)}}'

      """, to: "quoted.yaml")
    var runs: [CinchProcess.Result] = []
    for format in ["human", "json", "sarif", "github"] {
      runs.append(try await project.run(["check", "quoted.yaml", "--format", format]))
      runs.append(
        try await project.run(["check", "quoted.yaml", "--format", format, "--ignore", "E2034"]))
    }
    runs.append(try await project.run(["lock", "quoted.yaml"]))
    for result in runs {
      let output = result.stdout + result.stderr
      #expect(result.status == 1)
      #expect(!output.contains(key) && !output.contains(secret) && !output.contains(token))
      #expect(output.contains("****"), "\(output)")
    }
    let json = runs[2].stdout
    #expect(json.contains("Mappings/Creds/****"), "\(json)")
    #expect(json.contains("parameter name '/app/**** ****' contains a space"), "\(json)")
  }

  @Test func exitTwoWhenTheRunCannotCheck() async throws {
    let project = try await Project(store: false)
    try project.write(Self.stack, to: "stack.yaml")
    let noLock = try await project.run(["check", "stack.yaml", "--offline"])
    #expect(noLock.status == 2)
    #expect(
      noLock.stderr
        == "cinch: error: --offline needs the lockfile 'cinch.lock', which does not exist (run 'cinch lock')\n"
    )
    await #expect(try project.run(["check", "stack.yaml", "--frozen"]).status == 2)
    let badCode = try await project.run(["check", "stack.yaml", "--ignore", "E9999"])
    #expect(badCode.status == 2)
    #expect(badCode.stderr.contains("--ignore: 'E9999' is not a diagnostic code or name"))
    let missing = try await project.run(["check", "nowhere.yaml"])
    #expect(missing.status == 2)
    let noStore = try await project.run(["check", "stack.yaml", "--store", "absent/store.db"])
    #expect(noStore.status == 2)
    // No store and no lock: the template rules alone, and the summary says what was not done.
    let alone = try await project.run(["check", "stack.yaml"])
    #expect(alone.status == 0)
    #expect(
      alone.stdout
        == "no problems in 1 file (3 references not checked: no store and no 'cinch.lock')\n")
  }

  /// A lock edited into an impossible one (an entry copied with another pin, a version no
  /// store has) is refused where every command reads it: `check --offline` cannot vouch for
  /// anything with it, and `render` would write whichever duplicate came first.
  @Test func aLockWithDuplicateOrImpossiblePinsIsRefused() async throws {
    let project = try await Self.locked()
    let text = try project.read("cinch.lock")
    var lock = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    var references = try #require(lock["references"] as? [[String: Any]])
    let original = references[0]
    #expect(original["name"] as? String == "/app/prod/db-name")
    func write(_ references: [[String: Any]]) throws {
      lock["references"] = references
      let data = try JSONSerialization.data(
        withJSONObject: lock, options: [.prettyPrinted, .sortedKeys])
      try project.write(String(decoding: data, as: UTF8.self), to: "cinch.lock")
    }
    var copy = original
    copy["version"] = 5
    references.insert(copy, at: 0)
    try write(references)
    // Placed at the second entry's name: its line, and the column its value starts at
    // (Foundation writes `"name" : "\/app\/prod\/db-name"`).
    let written = try project.read("cinch.lock").split(
      separator: "\n", omittingEmptySubsequences: false)
    let nameLines = written.indices.filter {
      written[$0].contains(#""name" : "#) && written[$0].contains("db-name")
    }
    let second = try #require(nameLines.dropFirst().first)
    let line = written[second]
    let value = try #require(line.range(of: #""name" : "#)).upperBound
    let place = "\(second + 1):\(line.distance(from: line.startIndex, to: value) + 1)"
    let duplicate =
      "cinch: error: cinch.lock:\(place): references 1 and 2 both pin parameter "
      + "'/app/prod/db-name'; a lock pins each reference once; run 'cinch lock', which pins it "
      + "again\n"
    for arguments in [
      ["check", "stack.yaml", "--offline"], ["check", "stack.yaml"],
      ["render", "--output", "rendered", "stack.yaml"], ["plan"], ["outdated"],
    ] {
      let result = try await project.run(arguments)
      #expect(result.status == 2, "\(arguments)")
      #expect(result.stderr == duplicate, "\(arguments)")
    }
    #expect(
      !FileManager.default.fileExists(
        atPath: project.directory.appendingPathComponent("rendered").path))
    // For CI, the finding that check could not run points at the entry too.
    let json = try await project.run(["check", "stack.yaml", "--offline", "--format", "json"])
    #expect(json.status == 2)
    let finding = try #require(
      (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])?.first)
    #expect(finding["code"] as? String == "E4013")
    #expect(finding["file"] as? String == "cinch.lock")
    #expect((finding["line"] as? Int) == second + 1)
    // `lock` is the way out: the lock is derived, and both entries are pinned again as one.
    let repaired = try await project.run(["lock", "--update"])
    #expect(repaired.status == 0, "\(repaired.stderr)")
    #expect(
      repaired.stdout.contains(
        "  ! ssm /app/prod/db-name (latest) → 1: pinned again (cinch.lock:\(place): references 1 "
          + "and 2 both pin parameter '/app/prod/db-name'; a lock pins each reference once)"),
      "\(repaired.stdout)")
    #expect(try await project.run(["check", "stack.yaml", "--offline"]).status == 0)

    for version in [0, -1] {
      var pinned = original
      pinned["version"] = version
      references = [pinned] + references.dropFirst(2)
      try write(references)
      let result = try await project.run(["check", "stack.yaml", "--offline"])
      #expect(result.status == 2)
      #expect(result.stderr.hasPrefix("cinch: error: cinch.lock:"))
      #expect(
        result.stderr.hasSuffix(
          ": reference 1 pins version \(version); parameter versions start at 1; run 'cinch "
            + "lock', which pins it again\n"),
        "\(result.stderr)")
    }
  }

  /// The invocation of a SARIF log from a check that did not run: valid, one E4013 as a tool
  /// execution notification and no result, and the run said to have failed.
  private static func notRunInvocation(_ sarif: String) throws -> [String: Any] {
    try SARIFRequirements.check(sarif, codes: ["E4013"], located: 0, unlocated: 1)
    if SARIFSchema.unavailableReason == nil {
      #expect(try SARIFSchema.validate(sarif) == "")
    }
    let log = try #require(
      try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
    let invocation = try #require(
      ((log["runs"] as? [[String: Any]])?.first?["invocations"] as? [[String: Any]])?.first)
    #expect(invocation["executionSuccessful"] as? Bool == false)
    return invocation
  }

  /// A lock a merge broke (a conflict marker, two entries for one reference): `check` cannot
  /// run, and in SARIF says so as every other check that cannot run does, in the invocation's
  /// tool execution notifications (located at the lockfile's line), not as a result in code.
  @Test func aBrokenLockIsANotificationInSARIF() async throws {
    let project = try await Self.locked()
    let text = try project.read("cinch.lock")
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    lines.insert("<<<<<<< HEAD", at: 13)
    let conflicted = lines.joined(separator: "\n")
    let start = try #require(text.range(of: "    {\n      \"arn\""))
    let end = try #require(text.range(of: "    },\n", range: start.upperBound..<text.endIndex))
    let entry = String(text[start.lowerBound..<end.upperBound])
    let duplicated = text.replacingOccurrences(of: entry, with: entry + entry)
    for (broken, line) in [(conflicted, 14), (duplicated, nil)] {
      try project.write(broken, to: "cinch.lock")
      let sarif = try await project.run(["check", "--offline", "--format", "sarif"])
      #expect(sarif.status == 2)
      let invocation = try Self.notRunInvocation(sarif.stdout)
      let notification = try #require(
        (invocation["toolExecutionNotifications"] as? [[String: Any]])?.first)
      let physical = try #require(
        (notification["locations"] as? [[String: Any]])?.first?["physicalLocation"]
          as? [String: Any])
      #expect(
        (physical["artifactLocation"] as? [String: Any])?["uri"] as? String == "cinch.lock")
      let region = try #require(physical["region"] as? [String: Any])
      if let line { #expect(region["startLine"] as? Int == line) }
      #expect((region["startLine"] as? Int ?? 0) >= 1)
    }
  }

  /// A clean merge can leave an entry that contradicts itself (`"requested": "2"` from one
  /// branch, version 3 from the other): every command refuses the lock and says to run `cinch
  /// lock`, which pins the reference again as it asks (version 2), rather than refuse too.
  @Test func lockRepairsAnEntryAMergeLeftContradictingItself() async throws {
    let project = try await Self.locked()
    try await project.put("/app/prod/db-password", [Self.canary + "-3"], type: "SecureString")
    try project.write(
      Self.stack.replacingOccurrences(of: "db-password}}", with: "db-password:2}}"),
      to: "stack.yaml")
    #expect(try await project.run(["lock"]).status == 0)
    let text = try project.read("cinch.lock")
    #expect(text.contains(#""requested": "2""#))
    // The other branch's `lock --update` moved the pin to 3; git merged the lines cleanly.
    try project.write(
      text.replacingOccurrences(of: #""version": 2"#, with: #""version": 3"#), to: "cinch.lock")
    let check = try await project.run(["check", "--offline"])
    #expect(check.status == 2)
    #expect(
      check.stderr.hasSuffix(
        ": reference 2 requests version 2 but pins version 3; run 'cinch lock', which pins it "
          + "again\n"), "\(check.stderr)")
    let lock = try await project.run(["lock"])
    #expect(lock.status == 0, "\(lock.stderr)")
    #expect(
      lock.stdout.hasPrefix(
        "locked 2 references in cinch.lock (1 entry contradicting itself set aside and pinned "
          + "again)\n  ! ssm-secure /app/prod/db-password (version 2) → 2: pinned again "
          + "(cinch.lock:"), "\(lock.stdout)")
    #expect(try project.read("cinch.lock") == text)
    #expect(try await project.run(["check", "--offline"]).status == 0)
    #expect(!lock.stdout.contains(Self.canary) && !check.stderr.contains(Self.canary))
  }

  /// A conflict resolved by taking one side's entries takes its sites too, which leave out
  /// the templates only the other side locked: `check` of one template would call an entry
  /// the other still reads unused. `cinch lock`, as the conflict's message says, finds every
  /// entry's sites in the templates again.
  @Test func lockFindsTheSitesAMergeLeftOut() async throws {
    let project = try await Self.locked()
    try project.write(Self.stack, to: "other.yaml")
    #expect(try await project.run(["lock", "other.yaml"]).status == 0)
    let both = try project.read("cinch.lock")
    #expect(both.contains(#""other.yaml:"#))
    // One side's entries: other.yaml's sites gone from every one, the templates kept from both.
    var lock = try #require(
      try JSONSerialization.jsonObject(with: Data(both.utf8)) as? [String: Any])
    let references = try #require(lock["references"] as? [[String: Any]])
    lock["references"] = references.map { entry in
      var entry = entry
      entry["sites"] = (entry["sites"] as? [String])?.filter { !$0.hasPrefix("other.yaml:") }
      return entry
    }
    let oneSide = String(
      decoding: try JSONSerialization.data(
        withJSONObject: lock, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
    try project.write(oneSide, to: "cinch.lock")
    let relocked = try await project.run(["lock"])
    #expect(relocked.status == 0, "\(relocked.stderr)")
    #expect(relocked.stdout.contains("sites of 2 references changed"), "\(relocked.stdout)")
    #expect(try project.read("cinch.lock") == both)
    let check = try await project.run(["check", "stack.yaml", "--frozen"])
    #expect(check.status == 0, "\(check.stdout)")
    #expect(!check.stdout.contains("W4008"))
  }

  /// An entry is unused only when every template that read it was checked: a template that
  /// could not be read, or whose YAML does not parse, was not, and its references are unknown.
  @Test func entriesOfATemplateThatDidNotLoadAreNotCalledUnused() async throws {
    let project = try await Project()
    try await project.put("/app/prod/db-password", [Self.canary + "-1"], type: "SecureString")
    try await project.put("/app/prod/db-name", [Self.canary + "-name"])
    try project.write(Self.stack, to: "a/b/t.yaml")
    let lock = try await project.run(["lock", "a/b/t.yaml", "--lock", "locks/x.lock"])
    try #require(lock.status == 0, "\(lock.stdout)\(lock.stderr)")

    try FileManager.default.moveItem(
      at: project.directory.appendingPathComponent("a/b/t.yaml"),
      to: project.directory.appendingPathComponent("a/b/u.yaml"))
    let missing = try await project.run(["check", "--lock", "locks/x.lock"])
    #expect(missing.status == 2, "\(missing.stdout)")
    #expect(missing.stdout.contains("error[E0001]"), "\(missing.stdout)")
    #expect(!missing.stdout.contains("W4008"), "\(missing.stdout)")

    try project.write(Self.stack + "  Broken: [unclosed\n", to: "a/b/t.yaml")
    let broken = try await project.run(["check", "--lock", "locks/x.lock", "--offline"])
    #expect(broken.status == 1, "\(broken.stdout)")
    #expect(broken.stdout.contains("error[E0003]"), "\(broken.stdout)")
    #expect(!broken.stdout.contains("W4008"), "\(broken.stdout)")

    // Checked, and reading none of them: the entries are unused.
    try project.write("Resources:\n  A:\n    Type: AWS::SNS::Topic\n", to: "a/b/t.yaml")
    let clean = try await project.run(["check", "--lock", "locks/x.lock", "--offline"])
    #expect(clean.stdout.components(separatedBy: "warning[W4008]").count == 3, "\(clean.stdout)")
  }

  /// One clean file without a reference still gets its line: silence looks like nothing ran.
  @Test func aFileWithoutReferencesSaysSo() async throws {
    let project = try await Project()
    try project.write("Resources:\n  A:\n    Type: AWS::SNS::Topic\n", to: "plain.yaml")
    let result = try await project.run(["check", "plain.yaml"])
    #expect(result.status == 0)
    #expect(result.stdout == "no problems in 1 file (no dynamic references)\n")
    try project.write(
      """
      Conditions:
        Never: !Equals [a, b]
      Resources:
        T:
          Type: AWS::SSM::Parameter
          Condition: Never
          Properties: {Type: String, Value: '{{resolve:ssm:/app/x}}'}
      """, to: "never.yaml")
    let never = try await project.run(["check", "never.yaml"])
    #expect(
      never.stdout == "no problems in 1 file (1 reference written, none read on this deploy)\n")
  }

  /// A lock checked against another store than it was made with (a CI job pointed at the
  /// wrong one): the pins that store lacks are said to be missing, and W4012 says why that
  /// may well be, instead of leaving the user to move pins that are fine where they were made.
  @Test func aLockCheckedAgainstAnotherStoreSaysSo() async throws {
    let project = try await Project()
    try await project.put("/app/x", ["a", "b"])
    try project.write(
      "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: '{{resolve:ssm:/app/x}}'\n",
      to: "t.yaml")
    try #require(try await project.run(["lock", "t.yaml"]).status == 0)
    let other = ["--store", "other/store.db"]
    try #require(try await project.run(["init"] + other).status == 0)
    try #require(
      try await project.run(
        ["ssm", "put-parameter", "--name", "/app/x", "--value", "a", "--type", "String"] + other
      ).status == 0)
    let checked = try await project.run(["check"] + other)
    #expect(checked.status == 1)
    #expect(checked.stdout.contains("error[E4002]"), "\(checked.stdout)")
    #expect(
      checked.stdout.contains(
        "warning[W4012]: 'cinch.lock' was fingerprinted under another key than this store's"),
      "\(checked.stdout)")
    // Against its own store, nothing to say.
    let own = try await project.run(["check"])
    #expect(own.status == 0, "\(own.stdout)")
    #expect(!own.stdout.contains("W4012"))
  }

  // MARK: templates/

  /// Every template in `templates/`, with a store holding what it reads (the seed's
  /// parameters and secrets) and a lock: nothing to report, online or offline; and online
  /// `check` reads metadata only, secrets included.
  @Test func theTemplatesCheckClean() async throws {
    let project = try await Project()
    let root = Fixtures.packageRoot.appendingPathComponent("templates")
    let names = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
    var checked: [String] = []
    for name in names where name.hasSuffix(".yaml") || name.hasSuffix(".json") {
      let text = try String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)
      try project.write(text, to: "templates/" + name)
      checked.append("templates/" + name)
    }
    try #require(checked.count >= 6)
    try await project.put("/myapp/prod/db-host", ["db.internal"])
    try await project.put(
      "/myapp/prod/dbpassword", [Self.canary + "-1", Self.canary + "-2", Self.canary + "-3"],
      type: "SecureString")
    try await project.put(
      "/myapp/prod/redis-auth-token", [Self.canary + "-r"], type: "SecureString")
    try await project.put(
      "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64", ["ami-0abcdef1234567890"]
    )
    try await project.createSecret(
      "prod/MyApp/DBSecret", #"{"username":"dbadmin","password":"\#(Self.canary)"}"#)
    try await project.createSecret(
      "docker_username", #"{"username":"ci-bot","password":"\#(Self.canary)"}"#)
    try await project.createSecret(
      "MyDatabaseSecret", #"{"username":"reporting","password":"\#(Self.canary)"}"#)
    let lock = try await project.run(["lock"] + checked)
    try #require(lock.status == 0, "\(lock.stdout)\(lock.stderr)")
    #expect(try project.read("cinch.lock").contains("\"kind\": \"secretsmanager\""))
    let before = try await project.audit().count
    for arguments in [["check"] + checked, ["check"], ["check", "--offline", "--frozen"]] {
      let result = try await project.run(arguments)
      #expect(result.status == 0, "\(arguments): \(result.stdout)\(result.stderr)")
      #expect(result.stdout.hasPrefix("no problems in \(checked.count) files"), "\(result.stdout)")
      #expect(!result.stdout.contains(Self.canary))
    }
    let rows = try await project.audit().dropFirst(before)
    let operations = Set(rows.compactMap { $0["operation"] as? String })
    #expect(operations == ["ListParameterVersions", "ListSecretVersions"])
    // One row per entry as named, and run (Docs/Check.md), two runs online: docker_username,
    // read by name at deploy and by CodeBuild, and by its ARN by ECS, is asked twice a run.
    let described = rows.filter { ($0["name"] as? String) == "docker_username" }
    #expect(described.count == 4, "\(described)")
  }
}
