import Foundation
import Testing
import _CinchTestSupport

/// `cinch policy --store`: key metadata from an embedded store made with cinch's own commands,
/// so `kms:Decrypt` appears for the customer-managed key and not for `aws/ssm`.
@Suite struct PolicyStoreTests {
  /// A policy built from the templates that could be read would look complete and leave out
  /// what the unreadable one reads: none is printed.
  @Test func noPolicyWhenATemplateCannotBeRead() async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try
      "Resources:\n  A:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Type: String\n      Value: '{{resolve:ssm:/app/a}}'\n"
      .write(
        to: directory.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
    let result = try await CinchProcess.run(
      [
        "policy", "a.yaml", "missing.yaml", "--account-id", "123456789012", "--region", "eu-west-1",
      ],
      in: directory)
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("cinch: no policy written: an input could not be read"))
    #expect(result.stderr.contains("missing.yaml: error[E0001]: no such file"))
  }

  /// IAM refuses a managed policy over 6,144 characters (whitespace not counted): a template
  /// reading many parameters by name is told so, with the size; `--collapse-prefix` fits it.
  @Test func aPolicyTooLargeForIAMIsReported() async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var template = "Resources:\n"
    // Within CloudFormation's 60 dynamic references a template, with long names.
    for index in 1...55 {
      template +=
        "  P\(index):\n    Type: AWS::SSM::Parameter\n    Properties:\n      Type: String\n"
        + "      Value: '{{resolve:ssm:/platform/services/backend/configuration/endpoint-\(index)-primary-url}}'\n"
    }
    try template.write(
      to: directory.appendingPathComponent("big.yaml"), atomically: true, encoding: .utf8)
    let arguments = [
      "policy", "big.yaml", "--account-id", "123456789012", "--region", "eu-west-1", "--profile",
      "deploy",
    ]
    let large = try await CinchProcess.run(arguments, in: directory)
    #expect(large.status == 0, "\(large.stderr)")
    let size = large.stdout.unicodeScalars.count { !$0.properties.isWhitespace }
    #expect(size > 6_144)
    #expect(
      large.stderr.contains(
        "warning[W6009]: the deploy policy is \(size) characters without whitespace; IAM takes "
          + "at most 6144 for a managed policy"),
      "\(large.stderr)")
    let collapsed = try await CinchProcess.run(
      arguments + ["--collapse-prefix"], in: directory)
    #expect(!collapsed.stderr.contains("W6009"), "\(collapsed.stderr)")
  }

  /// A task definition whose execution role (created by the template) reads `valueFroms`.
  static func ecsTemplate(valueFroms: [String]) -> String {
    var template = """
      Resources:
        Role:
          Type: AWS::IAM::Role
          Properties:
            AssumeRolePolicyDocument: {}
        Task:
          Type: AWS::ECS::TaskDefinition
          Properties:
            ExecutionRoleArn: !GetAtt Role.Arn
            ContainerDefinitions:
              - Name: app
                Image: app
                Secrets:

      """
    for (index, valueFrom) in valueFroms.enumerated() {
      template += "            - {Name: V\(index), ValueFrom: \(valueFrom)}\n"
    }
    return template
  }

  /// A consumer's policy is a role's inline policy in JSON (10,240 characters), but
  /// `--format cloudformation` writes it as an `AWS::IAM::ManagedPolicy` (6,144).
  @Test func aConsumerPolicyWrittenAsManagedIsHeldToTheManagedLimit() async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let template = Self.ecsTemplate(
      valueFroms: (1...80).map { "/myapp/prod/service-number-\($0)/config-value" })
    try template.write(
      to: directory.appendingPathComponent("ecs.yaml"), atomically: true, encoding: .utf8)
    let arguments = [
      "policy", "ecs.yaml", "--account-id", "123456789012", "--region", "eu-west-1", "--profile",
      "consumers",
    ]
    let json = try await CinchProcess.run(arguments, in: directory)
    #expect(json.status == 0, "\(json.stderr)")
    #expect(!json.stderr.contains("W6009"), "\(json.stderr)")
    let managed = try await CinchProcess.run(
      arguments + ["--format", "cloudformation"], in: directory)
    #expect(managed.status == 0, "\(managed.stderr)")
    #expect(
      managed.stderr.contains("IAM takes at most 6144 for a managed policy"), "\(managed.stderr)")
  }

  /// A region or partition goes into every ARN: one that is not a name would grant what was
  /// not meant (`*`) or nothing (`US-EAST-1`).
  @Test(arguments: [
    ["--region", "*"], ["--region", "us-east-1:x"], ["--region", "US-EAST-1"],
    ["--region", "us-east-1", "--partition", "*"],
  ])
  func regionsAndPartitionsMustBeNames(_ extra: [String]) async throws {
    let result = try await Self.policyOfOneReference(extra)
    #expect(result.status != 0)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("name"), "\(result.stderr)")
  }

  /// `cinch policy` of a template with one reference, with `extra` arguments.
  static func policyOfOneReference(_ extra: [String]) async throws -> CinchProcess.Result {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try
      "Resources:\n  A:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Type: String\n      Value: '{{resolve:ssm:/app/a}}'\n"
      .write(to: directory.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
    return try await CinchProcess.run(
      ["policy", "a.yaml", "--account-id", "123456789012"] + extra, in: directory)
  }

  /// Parameter Store keeps `aws…` and `ssm…` names for itself: a run-time path there names
  /// nothing of the account's (the public `/aws/service/…` aside), and says so before any store
  /// is asked (which would answer with its own filter error).
  @Test(arguments: ["/aws/", "/AWSapp/", "/ssm/x/"])
  func aRuntimePathInAWSNamesIsRefused(_ path: String) async throws {
    let result = try await Self.policyOfOneReference(
      ["--region", "us-east-1", "--profile", "consumers", "--runtime-path", path])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("only its public parameters"), "\(result.stderr)")
  }

  /// A name no store has (ECS `ValueFrom: q/p2`, without its leading slash, which Parameter
  /// Store refuses) is an E2002 finding about that name, made before the store is asked; the
  /// policy is still written from everything else.
  @Test func aNameTheStoreRefusesDoesNotAbandonThePolicy() async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let environment = ["CINCH_STORE": directory.appendingPathComponent("store.db").path]
    #expect(
      try await CinchProcess.run(["init"], in: directory, environment: environment).status == 0)
    try Self.ecsTemplate(valueFroms: ["q/p2", "/ok/p"]).write(
      to: directory.appendingPathComponent("t.yaml"), atomically: true, encoding: .utf8)
    let result = try await CinchProcess.run(
      [
        "policy", "t.yaml", "--account-id", "123456789012", "--region", "us-east-1", "--profile",
        "consumers",
      ], in: directory, environment: environment)
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stdout.contains("parameter/ok/p"))
    #expect(!result.stdout.contains("q/p2"))
    #expect(
      result.stderr.contains(
        "error[E2002]: parameter name 'q/p2' is hierarchical but does not start with '/'"),
      "\(result.stderr)")
  }

  /// A folder holding an embedded store (`CINCH_STORE`) read as account 123456789012 in
  /// eu-west-1, and cinch run there.
  struct StoreFolder {
    let directory: URL
    var store: String { directory.appendingPathComponent("store.db").path }
    var environment: [String: String] {
      ["CINCH_STORE": store, "AWS_REGION": "eu-west-1", "CINCH_ACCOUNT_ID": "123456789012"]
    }

    init() async throws {
      directory = try CinchProcess.temporaryDirectory()
      _ = try await cinch("init")
    }

    /// Runs cinch there, expecting it to succeed.
    @discardableResult
    func cinch(_ arguments: String...) async throws -> CinchProcess.Result {
      let result = try await CinchProcess.run(arguments, in: directory, environment: environment)
      #expect(result.status == 0, "cinch \(arguments.joined(separator: " ")): \(result.stderr)")
      return result
    }
  }

  @Test func customerManagedKeyFromTheStore() async throws {
    let folder = try await StoreFolder()
    let (directory, store, environment) = (folder.directory, folder.store, folder.environment)
    defer { try? FileManager.default.removeItem(at: directory) }
    let cinch = folder.cinch
    let keyID = try await cinch(
      "kms", "create-key", "--description", "myapp", "--query", "KeyMetadata.KeyId", "--output",
      "text"
    ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    _ = try await cinch(
      "kms", "create-alias", "--alias-name", "alias/myapp", "--target-key-id", keyID)
    // rds-postgres.yaml pins version 3: versions 1 and 2 under aws/ssm, 3 under alias/myapp.
    for keyArguments in [[], ["--key-id", "alias/aws/ssm"], ["--key-id", "alias/myapp"]] {
      let result = try await CinchProcess.run(
        [
          "ssm", "put-parameter", "--name", "/myapp/prod/dbpassword", "--value", "s3cr3t",
          "--type", "SecureString", "--overwrite",
        ] + keyArguments, in: directory, environment: environment)
      #expect(result.status == 0, "\(result.stderr)")
    }

    let template = Fixtures.packageRoot.appendingPathComponent("templates/rds-postgres.yaml").path
    let result = try await CinchProcess.run(
      [
        "policy", template, "--account-id", "123456789012", "--region", "eu-west-1",
        "--profile", "deploy", "--store", store,
      ], in: directory)
    #expect(result.status == 0)
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    #expect(!result.stdout.contains("s3cr3t"))
    let stdout = result.stdout.replacingOccurrences(of: keyID, with: "KEY-ID")
    Fixtures.assertMatches(
      stdout, stage: "policy-store", name: "customer-managed", expected: "deploy.json")

    // Pinned to a version under aws/ssm, the same template needs no kms:Decrypt.
    let pinned = directory.appendingPathComponent("pinned.yaml")
    try String(contentsOfFile: template, encoding: .utf8)
      .replacingOccurrences(of: "/myapp/prod/dbpassword:3", with: "/myapp/prod/dbpassword:2")
      .write(to: pinned, atomically: true, encoding: .utf8)
    let managed = try await CinchProcess.run(
      [
        "policy", pinned.path, "--account-id", "123456789012", "--region", "eu-west-1",
        "--profile", "deploy", "--store", store,
      ], in: directory)
    #expect(managed.status == 0)
    #expect(!managed.stdout.contains("kms:Decrypt"))
    #expect(managed.stdout.contains("ssm:GetParameters"))
  }

  /// A partial ARN whose name ends like a complete one (`…:secret:qa/plain-secret`), for a
  /// secret the store has under that whole name: both readings are granted (the complete ARN
  /// as written, and the name with Secrets Manager's suffix), the key decrypted for the secret
  /// found, and no note that the secret ('qa/plain') is missing.
  @Test func aPartialARNThatEndsLikeACompleteOneIsGrantedBothWays() async throws {
    let folder = try await StoreFolder()
    let directory = folder.directory
    defer { try? FileManager.default.removeItem(at: directory) }
    let cinch = folder.cinch
    let keyID = try await cinch(
      "kms", "create-key", "--query", "KeyMetadata.KeyId", "--output", "text"
    ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    _ = try await cinch(
      "secretsmanager", "create-secret", "--name", "qa/plain-secret", "--kms-key-id", keyID,
      "--secret-string", #"{"user":"a"}"#)
    let partial = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:qa/plain-secret"
    try """
    Resources:
      Fn:
        Type: AWS::SSM::Parameter
        Properties:
          Type: String
          Value: '{{resolve:secretsmanager:\(partial):SecretString:user}}'

    """.write(
      to: directory.appendingPathComponent("t.yaml"), atomically: true, encoding: .utf8)
    let policy = try await cinch(
      "policy", "t.yaml", "--account-id", "123456789012", "--region", "eu-west-1", "--profile",
      "deploy")
    #expect(policy.stdout.contains("\"\(partial)\","), "\(policy.stdout)")
    #expect(policy.stdout.contains("\"\(partial)-??????\""))
    #expect(policy.stdout.contains("key/\(keyID)"))
    #expect(!policy.stderr.contains("I6002"), "\(policy.stderr)")
  }

  /// `--lock`: the policy for the rendered template follows the pins, not the store's latest.
  @Test func lockPinsChooseTheKey() async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("cinch-policy-lock-" + UUID().uuidString)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let environment = [
      "CINCH_STORE": directory.appendingPathComponent("store.db").path, "AWS_REGION": "eu-west-1",
      "CINCH_ACCOUNT_ID": "123456789012",
    ]
    func cinch(_ arguments: [String]) async throws -> CinchProcess.Result {
      let result = try await CinchProcess.run(arguments, in: directory, environment: environment)
      #expect(result.status == 0, "cinch \(arguments.joined(separator: " ")): \(result.stderr)")
      return result
    }
    _ = try await cinch(["init"])
    let keyID = try await cinch([
      "kms", "create-key", "--query", "KeyMetadata.KeyId", "--output", "text",
    ])
    .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let put = [
      "ssm", "put-parameter", "--name", "/app/db", "--value", "v", "--type", "SecureString",
      "--overwrite",
    ]
    _ = try await cinch(put + ["--key-id", keyID])
    try """
    Resources:
      Db:
        Type: AWS::RDS::DBInstance
        Properties:
          MasterUserPassword: '{{resolve:ssm-secure:/app/db}}'
    """.write(to: directory.appendingPathComponent("stack.yaml"), atomically: true, encoding: .utf8)
    _ = try await cinch(["lock", "stack.yaml"])
    // The latest version moves to aws/ssm after the lock.
    _ = try await cinch(put + ["--key-id", "alias/aws/ssm"])
    let policy = ["policy", "stack.yaml", "--account-id", "123456789012", "--profile", "deploy"]
    let latest = try await cinch(policy)
    #expect(!latest.stdout.contains("kms:Decrypt"))
    let locked = try await cinch(policy + ["--lock", "cinch.lock"])
    #expect(locked.stdout.contains("kms:Decrypt"))
    #expect(locked.stdout.contains("arn:aws:kms:eu-west-1:123456789012:key/\(keyID)"))
    let missing = try await CinchProcess.run(
      policy + ["--lock", "nope.lock"], in: directory, environment: environment)
    #expect(missing.status == 2)
    #expect(
      missing.stderr == "cinch: error: nope.lock: no such lockfile (run 'cinch lock' first)\n")
    // A lock made for another region or account: its versions and keys are not the target's.
    let elsewhere = try await CinchProcess.run(
      [
        "policy", "stack.yaml", "--account-id", "999999999999", "--region", "us-east-1", "--lock",
        "cinch.lock", "--profile", "deploy",
      ],
      in: directory, environment: environment)
    #expect(elsewhere.status == 2)
    #expect(elsewhere.stdout.isEmpty)
    #expect(
      elsewhere.stderr
        == "cinch: error: cinch.lock was made for region eu-west-1, not us-east-1 and account "
        + "123456789012, not 999999999999: its pins and keys belong to that store; lock for "
        + "this target, or leave out --lock\n")
  }

  /// A reference the lock does not hold is rendered at the store's current version, pinned by
  /// its id (E4007, a warning): `policy --lock` grants that version id, as render writes it,
  /// where it granted AWSCURRENT with `Null secretsmanager:VersionId`, which refuses the
  /// rendered request. With no store to say which version render will pin, any version of the
  /// secret is granted, and the warning says so.
  @Test func aReferenceTheLockLacksIsGrantedAsRenderPinsIt() async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let target = ["AWS_REGION": "eu-west-1", "CINCH_ACCOUNT_ID": "123456789012"]
    let withStore = target.merging(
      ["CINCH_STORE": directory.appendingPathComponent("store.db").path]) { a, _ in a }
    func cinch(_ arguments: [String], store: Bool = true) async throws -> CinchProcess.Result {
      let result = try await CinchProcess.run(
        arguments, in: directory, environment: store ? withStore : target)
      #expect(result.status == 0, "cinch \(arguments.joined(separator: " ")): \(result.stderr)")
      return result
    }
    _ = try await cinch(["init"])
    for name in ["s", "t"] {
      _ = try await cinch([
        "secretsmanager", "create-secret", "--name", name, "--secret-string", #"{"a":"1"}"#,
      ])
    }
    func topic(_ name: String, _ secret: String) -> String {
      "  \(name):\n    Type: AWS::SNS::Topic\n    Properties:\n"
        + "      TopicName: \"{{resolve:secretsmanager:\(secret):SecretString:a}}\"\n"
    }
    try ("Resources:\n" + topic("A", "s")).write(
      to: directory.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
    try ("Resources:\n" + topic("A", "s") + topic("B", "t")).write(
      to: directory.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
    _ = try await cinch(["lock", "a.yaml"])

    let rendered = try await cinch(["render", "b.yaml", "--lock", "cinch.lock", "-o", "-"])
    let pinned = try #require(
      rendered.stdout.firstMatch(of: /secretsmanager:t:SecretString:a::([0-9a-f-]{36})/)?.1)
    let policy = try await cinch([
      "policy", "b.yaml", "--lock", "cinch.lock", "--profile", "deploy",
    ])
    #expect(policy.stdout.contains("\"\(pinned)\""), "\(policy.stdout)")
    #expect(!policy.stdout.contains("AWSCURRENT"), "\(policy.stdout)")
    #expect(
      policy.stderr.contains(
        "warning[E4007]: reference '{{resolve:secretsmanager:t:SecretString:a}}' is not in "
          + "'cinch.lock': granted at the store's version \(pinned), the one render pins"),
      "\(policy.stderr)")

    // No store: which version render will pin is not known here.
    let offline = try await cinch(
      ["policy", "b.yaml", "--lock", "cinch.lock", "--profile", "deploy"], store: false)
    #expect(offline.stdout.contains("\"Sid\": \"ReadSecretValues\""), "\(offline.stdout)")
    #expect(!offline.stdout.contains("AWSCURRENT"), "\(offline.stdout)")
    #expect(
      offline.stderr.contains(
        "is not in 'cinch.lock', and no store says which version render will pin: "
          + "GetSecretValue is granted on any version of the secret"),
      "\(offline.stderr)")
  }

  /// A lock made with `--parameter-overrides Env=prod` renders prod's names: `policy --lock`
  /// grants what that artifact reads (the lock's inputs, templates, region and account), not
  /// what the template's defaults name.
  @Test func theLocksRecordedInputsNameWhatIsGranted() async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let environment = ["CINCH_STORE": directory.appendingPathComponent("store.db").path]
    func cinch(_ arguments: String...) async throws -> CinchProcess.Result {
      try await CinchProcess.run(arguments, in: directory, environment: environment)
    }
    #expect(try await cinch("init").status == 0)
    for env in ["dev", "prod"] {
      let put = try await cinch(
        "ssm", "put-parameter", "--name", "/\(env)/db", "--value", "v", "--type", "SecureString")
      #expect(put.status == 0, "\(put.stderr)")
    }
    try """
    Parameters:
      Env: {Type: String, Default: dev}
    Resources:
      Db:
        Type: AWS::RDS::DBInstance
        Properties:
          MasterUserPassword: !Sub '{{resolve:ssm-secure:/${Env}/db}}'
    """.write(to: directory.appendingPathComponent("db.yaml"), atomically: true, encoding: .utf8)
    let lock = try await cinch(
      "lock", "--parameter-overrides", "Env=prod", "db.yaml", "--region", "eu-west-1",
      "--account-id", "123456789012")
    #expect(lock.status == 0, "\(lock.stderr)")

    let policy = try await cinch("policy", "--profile", "deploy", "--lock", "cinch.lock")
    #expect(policy.status == 0, "\(policy.stderr)")
    #expect(policy.stdout.contains("arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db"))
    #expect(!policy.stdout.contains("/dev/db"))
    // Its CloudFormation header names the lock's templates, not the folder.
    let resources = try await cinch("policy", "--format", "cloudformation", "--lock", "cinch.lock")
    #expect(
      resources.stdout.hasPrefix(
        "# cinch policy: least-privilege access to the parameters and secrets of db.yaml.\n"),
      "\(resources.stdout)")
    // A flag given still wins over what the lock records.
    let dev = try await cinch(
      "policy", "db.yaml", "--profile", "deploy", "--lock", "cinch.lock",
      "--parameter-overrides", "Env=dev")
    #expect(dev.stdout.contains("parameter/dev/db"), "\(dev.stderr)")

    // A lock made without them records no account or region: the flags are still needed.
    let bare = try await cinch("lock", "--lock", "bare.lock", "db.yaml")
    #expect(bare.status == 0, "\(bare.stderr)")
    let untargeted = try await cinch("policy", "--lock", "bare.lock")
    #expect(untargeted.status == 2)
    #expect(
      untargeted.stderr
        == "cinch: error: cinch policy needs --account-id: every ARN names the account, and "
        + "'bare.lock' records none\n", "\(untargeted.stderr)")
  }
}
