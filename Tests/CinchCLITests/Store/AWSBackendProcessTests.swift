import Foundation
import Testing
import _CinchTestSupport

/// `cinch ssm …` and `cinch sync` against moto_server, as a user runs them: the same commands,
/// output and exit codes as on the embedded store. Each test works in its own region of moto's
/// default account, so tests never see each other's parameters.
@Suite struct AWSBackendProcessTests {
  static func environment(_ endpoint: URL, _ extra: [String: String] = [:]) -> [String: String] {
    [
      "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
      "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": endpoint.absoluteString,
      "TZ": "UTC",
    ].merging(extra) { $1 }
  }

  @Test func ssmCommandsWorkAgainstAWSUnchanged() async throws {
    let endpoint = try await MotoServer.shared.start()
    let environment = Self.environment(endpoint, ["CINCH_STORE": "aws://eu-west-2"])
    func cinch(_ arguments: String...) async throws -> CinchProcess.Result {
      try await CinchProcess.run(arguments, environment: environment)
    }
    let put = try await cinch(
      "ssm", "put-parameter", "--name", "/e2e/db/password", "--value", "hunter2", "--type",
      "SecureString")
    #expect(put.status == 0)
    #expect(put.stdout == "{\n    \"Version\": 1,\n    \"Tier\": \"Standard\"\n}\n")
    _ = try await cinch(
      "ssm", "put-parameter", "--name", "/e2e/db/password", "--value", "hunter3", "--overwrite")
    _ = try await cinch(
      "ssm", "put-parameter", "--name", "/e2e/db/host", "--value", "db", "--type", "String")
    let get = try await cinch(
      "ssm", "get-parameter", "--name", "/e2e/db/password:1", "--with-decryption", "--query",
      "Parameter.[Name,Value,Version,ARN]", "--output", "text")
    #expect(get.status == 0)
    #expect(
      get.stdout
        == "/e2e/db/password\thunter2\t1\tarn:aws:ssm:eu-west-2:123456789012:parameter/e2e/db/password\n"
    )
    let byPath = try await cinch(
      "ssm", "get-parameters-by-path", "--path", "/e2e", "--recursive", "--page-size", "1",
      "--query", "Parameters[].Name", "--output", "text")
    #expect(
      byPath.stdout.split(whereSeparator: \.isWhitespace).sorted() == [
        "/e2e/db/host", "/e2e/db/password",
      ])
    let missing = try await cinch("ssm", "get-parameter", "--name", "/e2e/none")
    #expect(missing.status == 254)
    #expect(missing.stdout == "")
    #expect(
      missing.stderr.hasPrefix(
        "An error occurred (ParameterNotFound) when calling the GetParameter operation:"))
    let history = try await cinch(
      "ssm", "get-parameter-history", "--name", "/e2e/db/password", "--query",
      "Parameters[].Version", "--output", "json")
    #expect(history.stdout == "[\n    1,\n    2\n]\n")
    // Passed through as the service answered: moto sends no ARN here, and an empty one is no
    // ARN at all.
    let described = try await cinch(
      "ssm", "describe-parameters", "--filters", "Key=Name,Values=/e2e/db/host")
    #expect(described.stdout.contains("\"Name\": \"/e2e/db/host\""), "\(described.stdout)")
    #expect(!described.stdout.contains("\"ARN\": \"\""), "\(described.stdout)")
    // The secret never reaches stderr, whatever happens.
    #expect(!put.stderr.contains("hunter") && !get.stderr.contains("hunter"))
  }

  /// With no keys but a web identity token (EKS, CI OIDC), the role's credentials come from
  /// STS (moto's, at the same endpoint), and the token is never printed.
  @Test func aWebIdentityTokenIsEnoughCredentials() async throws {
    let endpoint = try await MotoServer.shared.start()
    let folder = FileManager.default.temporaryDirectory.path + "/cinch-oidc-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try "eyJ.CANARY-oidc-5a1c.sig".write(
      toFile: folder + "/token", atomically: true, encoding: .utf8)
    var environment = Self.environment(
      endpoint,
      [
        "CINCH_STORE": "aws://ap-south-1", "AWS_WEB_IDENTITY_TOKEN_FILE": folder + "/token",
        "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/deploy", "HOME": folder,
      ])
    environment["AWS_ACCESS_KEY_ID"] = nil
    environment["AWS_SECRET_ACCESS_KEY"] = nil
    let put = try await CinchProcess.run(
      ["ssm", "put-parameter", "--name", "/oidc/x", "--value", "v", "--type", "String"],
      environment: environment)
    #expect(put.status == 0, "\(put.stderr)")
    let get = try await CinchProcess.run(
      [
        "ssm", "get-parameter", "--name", "/oidc/x", "--query", "Parameter.Value", "--output",
        "text",
      ],
      environment: environment)
    #expect(get.stdout == "v\n")
    environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = folder + "/missing"
    let missing = try await CinchProcess.run(
      ["ssm", "get-parameter", "--name", "/oidc/x"], environment: environment)
    #expect(missing.status != 0)
    #expect(missing.stderr.contains("web identity token file '\(folder)/missing'"))
    #expect(!(put.stderr + get.stderr + missing.stderr).contains("CANARY"))
  }

  /// The template commands take `--endpoint-url` and `--profile` as the aws CLI does (here with
  /// no endpoint in the environment, and the credentials in a profile of a temporary HOME), and
  /// refuse them beside the embedded store, where they would change nothing.
  @Test func templateCommandsTakeTheEndpointAndProfileAsFlags() async throws {
    let endpoint = try await MotoServer.shared.start()
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent(".aws"), withIntermediateDirectories: true)
    try "[profile deploy]\nregion = ap-south-2\n".write(
      to: directory.appendingPathComponent(".aws/config"), atomically: true, encoding: .utf8)
    try "[deploy]\naws_access_key_id = testing\naws_secret_access_key = testing\n".write(
      to: directory.appendingPathComponent(".aws/credentials"), atomically: true, encoding: .utf8)
    try
      "Resources:\n  P:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Type: String\n      Value: '{{resolve:ssm:/flags/a}}'\n"
      .write(to: directory.appendingPathComponent("t.yaml"), atomically: true, encoding: .utf8)
    let environment = [
      "HOME": directory.path, "AWS_EC2_METADATA_DISABLED": "true", "TZ": "UTC",
      "AWS_CONFIG_FILE": directory.path + "/.aws/config",
      "AWS_SHARED_CREDENTIALS_FILE": directory.path + "/.aws/credentials",
    ]
    func cinch(_ arguments: [String]) async throws -> CinchProcess.Result {
      try await CinchProcess.run(arguments, in: directory, environment: environment)
    }
    let aws = [
      "--store", "aws://", "--profile", "deploy", "--endpoint-url", endpoint.absoluteString,
    ]
    let put = try await cinch(
      ["ssm", "put-parameter", "--name", "/flags/a", "--value", "v", "--type", "String"] + aws)
    #expect(put.status == 0, "\(put.stderr)")
    let lock = try await cinch(["lock", "t.yaml"] + aws)
    #expect(lock.status == 0, "\(lock.stderr)")
    let locked = try String(
      contentsOf: directory.appendingPathComponent("cinch.lock"), encoding: .utf8)
    #expect(locked.contains("arn:aws:ssm:ap-south-2:123456789012:parameter/flags/a"), "\(locked)")
    for command in [["check", "t.yaml"], ["outdated"], ["plan"]] {
      let result = try await cinch(command + aws)
      #expect(result.status == 0, "\(command): \(result.stderr)")
    }
    let render = try await cinch(["render", "t.yaml", "-o", "out"] + aws)
    #expect(render.status == 0, "\(render.stderr)")
    // `policy --profile` is the policy's profile: the AWS one comes from AWS_PROFILE there.
    let policy = try await CinchProcess.run(
      [
        "policy", "t.yaml", "--account-id", "123456789012", "--region", "ap-south-2", "--store",
        "aws://", "--endpoint-url", endpoint.absoluteString,
      ], in: directory, environment: environment.merging(["AWS_PROFILE": "deploy"]) { $1 })
    #expect(policy.status == 0, "\(policy.stderr)")
    // Without the flag the endpoint is AWS's own: nothing in the environment names moto.
    let unflagged = try await cinch(
      ["check", "t.yaml", "--store", "aws://", "--profile", "nobody"])
    #expect(unflagged.status != 0)

    #expect(try await cinch(["init"]).status == 0)
    for command in [
      ["check", "t.yaml"], ["lock", "t.yaml"], ["render", "t.yaml", "-o", "out2"],
      ["plan"], ["outdated"],
      ["policy", "t.yaml", "--account-id", "123456789012", "--region", "us-east-1"],
    ] {
      let refused = try await cinch(command + ["--endpoint-url", endpoint.absoluteString])
      #expect(refused.status == 2, "\(command)")
      #expect(
        refused.stderr.contains(
          "--endpoint-url applies to an aws:// store, and this command uses the embedded store "
            + "'.cinch/store.db'"), "\(command): \(refused.stderr)")
    }
    // Also where no store would be read: a check meant for an endpoint must not pass offline.
    let offline = try await cinch(
      ["check", "t.yaml", "--offline", "--endpoint-url", endpoint.absoluteString])
    #expect(offline.status == 2)
    let profile = try await cinch(["check", "t.yaml", "--profile", "deploy"])
    #expect(profile.status == 2)
    #expect(profile.stderr.contains("--profile applies to an aws:// store"), "\(profile.stderr)")
  }

  @Test func configurationProblemsExitLikeTheAWSCLI() async throws {
    let endpoint = try await MotoServer.shared.start()
    let home = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: home) }
    let noRegion = try await CinchProcess.run(
      ["ssm", "get-parameter", "--store", "aws://", "--name", "/x"],
      environment: Self.environment(endpoint, ["HOME": home.path]))
    #expect(noRegion.status == 253)
    #expect(
      noRegion.stderr
        == "\nYou must specify a region. You can also configure your region by running \"aws configure\".\n"
    )
    let noCredentials = try await CinchProcess.run(
      ["ssm", "get-parameter", "--store", "aws://us-west-1", "--name", "/x"],
      environment: [
        "HOME": home.path, "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ENDPOINT_URL": endpoint.absoluteString,
      ])
    #expect(noCredentials.status == 253)
    #expect(
      noCredentials.stderr
        == "\nUnable to locate credentials. You can configure credentials by running \"aws configure\".\n"
    )
    let badStore = try await CinchProcess.run(
      ["ssm", "get-parameter", "--store", "aws://not a region", "--name", "/x"],
      environment: Self.environment(endpoint))
    #expect(badStore.status == 253)
    let unreachable = try await CinchProcess.run(
      [
        "ssm", "get-parameter", "--store", "aws://us-west-1", "--endpoint-url",
        "http://127.0.0.1:9", "--name", "/x",
      ],
      environment: Self.environment(endpoint).merging(["AWS_MAX_ATTEMPTS": "1"]) { $1 })
    #expect(unreachable.status == 255)
    #expect(
      unreachable.stderr.contains("Could not connect to the endpoint URL: \"http://127.0.0.1:9\""))
    // A retry count botocore would refuse is refused, not read as the default or as 1.
    for (attempts, message) in [
      ("abc", "invalid literal for int() with base 10: 'abc'"),
      ("0", "Value provided to \"max_attempts\": 0 must be an integer greater than or equal to 1."),
    ] {
      let refused = try await CinchProcess.run(
        ["ssm", "get-parameter", "--store", "aws://us-west-1", "--name", "/x"],
        environment: Self.environment(endpoint).merging(["AWS_MAX_ATTEMPTS": attempts]) { $1 })
      #expect(refused.status == 253, "\(refused.stderr)")
      #expect(refused.stderr == "\n\(message)\n", "\(refused.stderr)")
    }
    let audit = try await CinchProcess.run(
      ["audit", "verify", "--store", "aws://us-west-1"], environment: Self.environment(endpoint))
    #expect(audit.status == 2)
    #expect(audit.stderr.contains("embedded store"))
    let initAWS = try await CinchProcess.run(
      ["init", "--store", "aws://us-west-1"], in: home, environment: Self.environment(endpoint))
    #expect(initAWS.status == 2)
    #expect(initAWS.stderr.contains("nothing to create"))
    #expect(!FileManager.default.fileExists(atPath: home.path + "/aws:"))
  }

  /// `aws://` with the region from the environment or `--region` is the same store as
  /// `aws://REGION`: refused before anything is read, as two equal URLs are.
  @Test func aSyncOfARegionOntoItselfIsRefused() async throws {
    let endpoint = try await MotoServer.shared.start()
    let environment = Self.environment(endpoint, ["AWS_REGION": "sa-east-1"])
    for arguments in [
      ["--from", "aws://", "--to", "aws://sa-east-1"],
      ["--from", "aws://eu-north-1", "--to", "aws://", "--region", "eu-north-1", "--overwrite"],
    ] {
      let result = try await CinchProcess.run(["sync"] + arguments, environment: environment)
      #expect(result.status == 2, "\(arguments)")
      #expect(result.stderr.contains("--from and --to name the same store (AWS in "))
      #expect(result.stdout.isEmpty)
    }
  }

  @Test func syncCopiesAStoreToAWSAndBack() async throws {
    let endpoint = try await MotoServer.shared.start()
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let environment = Self.environment(endpoint)
    func cinch(_ arguments: [String]) async throws -> CinchProcess.Result {
      try await CinchProcess.run(arguments, in: directory, environment: environment)
    }
    #expect(try await cinch(["init"]).status == 0)
    for value in ["one", "two", "three"] {
      _ = try await cinch([
        "ssm", "put-parameter", "--name", "/sync/app/url", "--value", value, "--type", "String",
        "--overwrite",
      ])
    }
    _ = try await cinch([
      "ssm", "label-parameter-version", "--name", "/sync/app/url", "--parameter-version", "2",
      "--labels", "stable",
    ])
    _ = try await cinch([
      "ssm", "put-parameter", "--name", "/sync/app/key", "--value", "s3cr3t", "--type",
      "SecureString",
    ])

    let dry = try await cinch([
      "sync", "--from", ".cinch/store.db", "--to", "aws://ap-southeast-2", "--dry-run",
    ])
    #expect(dry.status == 0)
    #expect(
      dry.stdout == """
        would copy parameter '/sync/app/key': 1 version
        would copy parameter '/sync/app/url': 3 versions, labels stable
        sync: 2 would copy (dry run: nothing written)

        """)
    let toAWS = try await cinch([
      "sync", "--from", ".cinch/store.db", "--to", "aws://ap-southeast-2",
    ])
    #expect(toAWS.status == 0)
    #expect(toAWS.stdout.hasSuffix("sync: 2 copied\n"))
    #expect(!toAWS.stdout.contains("s3cr3t") && !toAWS.stderr.contains("s3cr3t"))
    let again = try await cinch([
      "sync", "--from", ".cinch/store.db", "--to", "aws://ap-southeast-2",
    ])
    #expect(again.stdout.hasSuffix("sync: 2 unchanged\n"))

    #expect(try await cinch(["init", "--store", "back/store.db"]).status == 0)
    let back = try await cinch([
      "sync", "--from", "aws://ap-southeast-2", "--to", "back/store.db", "--path", "/sync",
    ])
    #expect(back.status == 0)
    #expect(back.stdout.hasSuffix("sync: 2 copied\n"))
    let label = try await cinch([
      "ssm", "get-parameter", "--store", "back/store.db", "--name", "/sync/app/url:stable",
      "--query", "Parameter.Value", "--output", "text",
    ])
    #expect(label.stdout == "two\n")
    let secret = try await cinch([
      "ssm", "get-parameter", "--store", "back/store.db", "--name", "/sync/app/key",
      "--with-decryption", "--query", "Parameter.Value", "--output", "text",
    ])
    #expect(secret.stdout == "s3cr3t\n")
  }

  /// A sync to AWS that stopped after a parameter's first version (and a secret's) is finished
  /// by running it again, plain or with --overwrite: the middle versions and their labels
  /// arrive. A parameter whose history in AWS is its own is said to be one.
  @Test(arguments: [false, true])
  func anInterruptedSyncToAWSIsFinishedByRunningItAgain(overwrite: Bool) async throws {
    let endpoint = try await MotoServer.shared.start()
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let region = overwrite ? "ap-northeast-1" : "ap-northeast-2"
    let environment = Self.environment(endpoint)
    func cinch(_ arguments: [String], store: String = ".cinch/store.db") async throws
      -> CinchProcess.Result
    {
      try await CinchProcess.run(
        arguments, in: directory, environment: environment.merging(["CINCH_STORE": store]) { $1 })
    }
    let token = "00000000-0000-4000-8000-0000000000b1"
    // What a sync that stopped after the first request of each leaves in AWS.
    for arguments in [
      ["ssm", "put-parameter", "--name", "/lab/db", "--value", "db-1", "--type", "SecureString"],
      ["ssm", "put-parameter", "--name", "/lab/own", "--value", "mine", "--type", "String"],
      [
        "secretsmanager", "create-secret", "--name", "lab/key", "--secret-string", "k-1",
        "--client-request-token", token,
      ],
    ] {
      let result = try await cinch(arguments, store: "aws://\(region)")
      #expect(result.status == 0, "\(result.stderr)")
    }
    #expect(try await cinch(["init"]).status == 0)
    for value in ["db-1", "db-2", "db-3"] {
      _ = try await cinch([
        "ssm", "put-parameter", "--name", "/lab/db", "--value", value, "--type", "SecureString",
        "--overwrite",
      ])
    }
    _ = try await cinch([
      "ssm", "label-parameter-version", "--name", "/lab/db", "--parameter-version", "2",
      "--labels", "prod",
    ])
    _ = try await cinch([
      "ssm", "put-parameter", "--name", "/lab/own", "--value", "theirs", "--type", "String",
    ])
    _ = try await cinch([
      "secretsmanager", "create-secret", "--name", "lab/key", "--secret-string", "k-1",
      "--client-request-token", token,
    ])
    _ = try await cinch([
      "secretsmanager", "put-secret-value", "--secret-id", "lab/key",
      "--secret-string", "k-2",
    ])

    let sync = try await cinch(
      ["sync", "--from", ".cinch/store.db", "--to", "aws://\(region)", "--path", "/lab"]
        + (overwrite ? ["--overwrite"] : []))
    #expect(sync.status == 0, "\(sync.stderr)")
    let own =
      overwrite
      ? "updated parameter '/lab/own': latest value written as a new version; the target's "
        + "history is its own, so the earlier versions are not carried"
      : "skipped parameter '/lab/own': exists in the target with a history of its own (use "
        + "--overwrite to write the latest value over it; the earlier versions cannot be carried)"
    #expect(
      sync.stdout == """
        resumed parameter '/lab/db': 2 versions added after the 1 the target held, labels prod
        \(own)
        resumed secret 'lab/key': 1 version added after the 1 the target held, labels \
        AWSPREVIOUS, AWSCURRENT
        sync: 2 resumed, \(overwrite ? "1 updated" : "1 skipped")

        """)
    for secret in ["db-1", "db-2", "db-3", "k-1", "k-2"] {
      #expect(!sync.stdout.contains(secret) && !sync.stderr.contains(secret))
    }
    let history = try await cinch(
      [
        "ssm", "get-parameter-history", "--name", "/lab/db", "--with-decryption", "--query",
        "Parameters[].[Version,Value]", "--output", "text",
      ], store: "aws://\(region)")
    #expect(history.stdout == "1\tdb-1\n2\tdb-2\n3\tdb-3\n")
    let prod = try await cinch(
      [
        "ssm", "get-parameter", "--name", "/lab/db:prod", "--with-decryption", "--query",
        "Parameter.Version", "--output", "text",
      ], store: "aws://\(region)")
    #expect(prod.stdout == "2\n")
    let current = try await cinch(
      [
        "secretsmanager", "get-secret-value", "--secret-id", "lab/key", "--query",
        "SecretString", "--output", "text",
      ], store: "aws://\(region)")
    #expect(current.stdout == "k-2\n")
    let again = try await cinch(
      ["sync", "--from", ".cinch/store.db", "--to", "aws://\(region)", "--path", "/lab"])
    #expect(again.stdout.hasSuffix("sync: 2 unchanged, 1 skipped\n"), "\(again.stdout)")
  }

  /// `cinch lock` against AWS gives the lockfile the embedded store gives for the same data,
  /// but for the fingerprints (each store has its own key).
  @Test func lockAgainstAWSMatchesTheEmbeddedStore() async throws {
    let endpoint = try await MotoServer.shared.start()
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let environment = Self.environment(endpoint, ["AWS_REGION": "eu-north-1"])
    func cinch(_ arguments: [String], in folder: String = ".") async throws -> CinchProcess.Result {
      try await CinchProcess.run(
        arguments, in: directory.appendingPathComponent(folder), environment: environment)
    }
    let template = Fixtures.packageRoot.appendingPathComponent("templates/rds-postgres.yaml")
    #expect(try await cinch(["init"]).status == 0)
    for value in ["a", "b", "c", "d"] {
      _ = try await cinch([
        "ssm", "put-parameter", "--name", "/myapp/prod/dbpassword", "--value", "pw-\(value)",
        "--type", "SecureString", "--overwrite",
      ])
    }
    await #expect(
      try cinch(["sync", "--from", ".cinch/store.db", "--to", "aws://eu-north-1"]).status == 0)
    for folder in ["embedded", "aws"] {
      try FileManager.default.createDirectory(
        at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
      try FileManager.default.copyItem(
        at: template, to: directory.appendingPathComponent("\(folder)/rds-postgres.yaml"))
    }
    let embedded = try await cinch(
      ["lock", "rds-postgres.yaml", "--store", "../.cinch/store.db"], in: "embedded")
    let aws = try await cinch(
      ["lock", "rds-postgres.yaml", "--store", "aws://eu-north-1"], in: "aws")
    #expect(embedded.status == 0)
    #expect(aws.status == 0)
    #expect(aws.stdout == embedded.stdout)
    func lockfile(_ folder: String) throws -> [String] {
      try String(
        contentsOf: directory.appendingPathComponent("\(folder)/cinch.lock"), encoding: .utf8
      )
      .split(separator: "\n").map(String.init).filter { !$0.contains("\"fingerprint") }
    }
    #expect(try lockfile("aws") == lockfile("embedded"))
    // The AWS lock's fingerprints are keyed by the project's fingerprint key, created 0600.
    let key = directory.appendingPathComponent("aws/.cinch/fingerprint.key").path
    let attributes = try FileManager.default.attributesOfItem(atPath: key)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
  }

  /// Secrets Manager references against AWS: lock pins the version id and the stage, render
  /// writes the pinned form, a new AWSCURRENT shows in outdated and plan, `lock --update`
  /// moves it; a missing JSON key is named. The value is read through BatchGetSecretValue.
  @Test func secretReferencesLockAgainstAWS() async throws {
    let endpoint = try await MotoServer.shared.start()
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let environment = Self.environment(endpoint, ["CINCH_STORE": "aws://eu-south-1"])
    func cinch(_ arguments: [String]) async throws -> CinchProcess.Result {
      try await CinchProcess.run(arguments, in: directory, environment: environment)
    }
    let canary = "CANARY-aws-secret-0f3c"
    let first = "00000000-0000-4000-8000-0000000000a1"
    let second = "00000000-0000-4000-8000-0000000000a2"
    func secretString(_ password: String) throws -> String {
      let file = directory.appendingPathComponent("value-\(UUID().uuidString).json")
      try #"{"username":"dbadmin","password":"\#(password)"}"#.write(
        to: file, atomically: true, encoding: .utf8)
      return "file://" + file.path
    }
    await #expect(
      try cinch([
        "ssm", "put-parameter", "--name", "/myapp/prod/db-host", "--value", "db.internal",
        "--type", "String",
      ]).status == 0)
    let created = try await cinch([
      "secretsmanager", "create-secret", "--name", "prod/MyApp/DBSecret",
      "--client-request-token", first, "--secret-string", try secretString(canary),
    ])
    #expect(created.status == 0, "\(created.stderr)")
    try FileManager.default.copyItem(
      at: Fixtures.packageRoot.appendingPathComponent("templates/lambda-api.yaml"),
      to: directory.appendingPathComponent("lambda-api.yaml"))

    let lock = try await cinch(["lock", "lambda-api.yaml"])
    #expect(lock.status == 0, "\(lock.stdout)\(lock.stderr)")
    #expect(
      lock.stdout.contains(
        "+ secretsmanager prod/MyApp/DBSecret [password] (default AWSCURRENT) → \(first)"))
    let lockText = try String(
      contentsOf: directory.appendingPathComponent("cinch.lock"), encoding: .utf8)
    #expect(lockText.contains("\"versionId\": \"\(first)\""))
    #expect(lockText.contains("\"jsonKeyVerified\": true"))
    #expect(lockText.contains("\"keyId\": \"alias/aws/secretsmanager\""))
    let render = try await cinch(["render", "--frozen", "-o", "out"])
    #expect(render.status == 0, "\(render.stdout)\(render.stderr)")
    let pinned = try String(
      contentsOf: directory.appendingPathComponent("out/lambda-api.yaml"), encoding: .utf8)
    #expect(
      pinned.contains(
        "{{resolve:secretsmanager:prod/MyApp/DBSecret:SecretString:password::\(first)}}"))

    let put = try await cinch([
      "secretsmanager", "put-secret-value", "--secret-id", "prod/MyApp/DBSecret",
      "--client-request-token", second, "--secret-string", try secretString(canary + "-2"),
    ])
    #expect(put.status == 0, "\(put.stderr)")
    let outdated = try await cinch(["outdated", "--exit-code"])
    #expect(outdated.status == 1)
    #expect(outdated.stdout.contains("pinned at \(first); AWSCURRENT is now on \(second)"))
    // check reads metadata only (DescribeSecret, ListSecretVersionIds, GetParameterHistory):
    // the moved AWSCURRENT is a pin behind the store, a warning, and an error with --frozen.
    let check = try await cinch(["check"])
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    #expect(check.stdout.contains("warning[W4009]"), "\(check.stdout)")
    #expect(check.stdout.contains("checked against the store"), "\(check.stdout)")
    let frozen = try await cinch(["check", "--frozen"])
    #expect(frozen.status == 1, "\(frozen.stdout)\(frozen.stderr)")
    let plan = try await cinch(["plan"])
    #expect(
      plan.stdout.contains("2 to move, 0 to add, 0 to drop, 1 unchanged"),
      "\(plan.stdout)\(plan.stderr)")
    let update = try await cinch(["lock", "--update"])
    #expect(update.stdout.contains("\(first) → \(second)"))

    let typoReference = "{{resolve:secretsmanager:prod/MyApp/DBSecret:SecretString:pasword}}"
    try """
    Resources:
      P: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: '\(typoReference)'}}

    """.write(to: directory.appendingPathComponent("typo.yaml"), atomically: true, encoding: .utf8)
    let typo = try await cinch(["lock", "typo.yaml", "--lock", "typo.lock"])
    #expect(typo.status == 1)
    #expect(
      typo.stderr.contains(
        "error[E4005]: reference '\(typoReference)': secret 'prod/MyApp/DBSecret' has no JSON key "
          + "'pasword'"))
    for result in [lock, render, outdated, check, frozen, plan, update, typo] {
      #expect(!result.stdout.contains(canary))
      #expect(!result.stderr.contains(canary))
    }
    #expect(!lockText.contains(canary) && !pinned.contains(canary))
  }

  /// A bare `aws://` reads where the stack deploys, as CloudFormation resolves a reference in
  /// the stack's region: `--region` (with no region in the environment at all), then the
  /// region the lock records, ahead of `AWS_REGION`. `aws://REGION` keeps its own region.
  @Test func aBareAWSStoreReadsInTheDeploysRegion() async throws {
    let endpoint = try await MotoServer.shared.start()
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    func cinch(_ arguments: [String], _ extra: [String: String]) async throws
      -> CinchProcess.Result
    {
      try await CinchProcess.run(
        arguments, in: directory, environment: Self.environment(endpoint, extra))
    }
    // The deploy's region holds version 1; the environment's region a version 2 with
    // another value.
    let deploy = "ap-southeast-3"
    let other = "ap-northeast-3"
    for (region, values) in [(deploy, ["in-the-deploy-region"]), (other, ["elsewhere", "later"])] {
      for value in values {
        let put = try await cinch(
          [
            "ssm", "put-parameter", "--name", "/regional/endpoint", "--value", value, "--type",
            "String", "--overwrite",
          ], ["CINCH_STORE": "aws://\(region)"])
        #expect(put.status == 0, "\(put.stderr)")
      }
    }
    try """
    Resources:
      Endpoint:
        Type: AWS::SSM::Parameter
        Properties:
          Type: String
          Value: '{{resolve:ssm:/regional/endpoint}}'
    """.write(
      to: directory.appendingPathComponent("t.yaml"), atomically: true, encoding: .utf8)

    let lock = try await cinch(["lock", "t.yaml", "--region", deploy], ["CINCH_STORE": "aws://"])
    #expect(lock.status == 0, "\(lock.stderr)")
    let lockText = try String(
      contentsOf: directory.appendingPathComponent("cinch.lock"), encoding: .utf8)
    #expect(lockText.contains("arn:aws:ssm:\(deploy):123456789012:parameter/regional/endpoint"))
    #expect(lockText.contains("\"version\": 1"))

    let environment = ["CINCH_STORE": "aws://", "AWS_REGION": other]
    let relock = try await cinch(["lock", "t.yaml"], environment)
    #expect(relock.status == 0, "\(relock.stderr)")
    #expect(
      try String(contentsOf: directory.appendingPathComponent("cinch.lock"), encoding: .utf8)
        == lockText)
    let outdated = try await cinch(["outdated"], environment)
    #expect(outdated.status == 0, "\(outdated.stdout)\(outdated.stderr)")
    let check = try await cinch(["check", "t.yaml", "--frozen"], environment)
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    let render = try await cinch(
      ["render", "t.yaml", "--mode", "inline", "-o", "out"], environment)
    #expect(render.status == 0, "\(render.stderr)")
    let rendered = try String(
      contentsOf: directory.appendingPathComponent("out/t.yaml"), encoding: .utf8)
    #expect(rendered.contains("Value: 'in-the-deploy-region'"))

    // With no region anywhere but the lock, the lock's is the one: the store is opened before
    // the templates' inputs are known, and once failed with "You must specify a region".
    let bare = ["CINCH_STORE": "aws://"]
    for arguments in [
      ["lock", "t.yaml"], ["check", "t.yaml", "--frozen"], ["plan"], ["outdated"],
      ["render", "t.yaml", "--mode", "inline", "-o", "bare"],
    ] {
      let run = try await cinch(arguments, bare)
      #expect(run.status == 0, "\(arguments): \(run.stdout)\(run.stderr)")
    }
    #expect(
      try String(contentsOf: directory.appendingPathComponent("bare/t.yaml"), encoding: .utf8)
        .contains("Value: 'in-the-deploy-region'"))

    // A store that names its region is read there, whatever the deploy's.
    let named = try await cinch(
      ["lock", "t.yaml", "--region", deploy, "--lock", "named.lock"],
      ["CINCH_STORE": "aws://\(other)"])
    #expect(named.status == 0, "\(named.stderr)")
    #expect(
      try String(contentsOf: directory.appendingPathComponent("named.lock"), encoding: .utf8)
        .contains("\"version\": 2"))
  }

  @Test func kmsCommandsWorkAgainstAWSKMS() async throws {
    let endpoint = try await MotoServer.shared.start()
    let environment = Self.environment(endpoint, ["CINCH_STORE": "aws://sa-east-1"])
    func cinch(_ arguments: String...) async throws -> CinchProcess.Result {
      try await CinchProcess.run(arguments, environment: environment)
    }
    let created = try await cinch(
      "kms", "create-key", "--description", "app key", "--query", "KeyMetadata.KeyId", "--output",
      "text")
    #expect(created.status == 0)
    let keyID = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    await #expect(
      try cinch("kms", "create-alias", "--alias-name", "alias/app", "--target-key-id", keyID).status
        == 0)
    let described = try await cinch(
      "kms", "describe-key", "--key-id", "alias/app", "--query", "KeyMetadata.[KeyId,Description]",
      "--output", "text")
    #expect(described.stdout == "\(keyID)\tapp key\n")
    let missing = try await cinch("kms", "describe-key", "--key-id", "alias/none")
    #expect(missing.status == 254)
    #expect(missing.stderr.contains("(NotFoundException) when calling the DescribeKey operation"))
    // A SecureString under the customer key.
    let put = try await cinch(
      "ssm", "put-parameter", "--name", "/kms/secret", "--value", "v", "--type", "SecureString",
      "--key-id", "alias/app")
    #expect(put.status == 0)
  }

  /// The resource-policy commands the embedded store refuses go to AWS with an aws:// store.
  @Test func resourcePoliciesGoToAWS() async throws {
    let endpoint = try await MotoServer.shared.start()
    let environment = Self.environment(endpoint, ["CINCH_STORE": "aws://ca-central-1"])
    func cinch(_ arguments: String...) async throws -> CinchProcess.Result {
      try await CinchProcess.run(arguments, environment: environment)
    }
    #expect(
      try await cinch("secretsmanager", "create-secret", "--name", "rp/db", "--secret-string", "v")
        .status == 0)
    let policy =
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}"#
    let put = try await cinch(
      "secretsmanager", "put-resource-policy", "--secret-id", "rp/db", "--resource-policy", policy,
      "--block-public-policy", "--query", "Name", "--output", "text")
    #expect(put.status == 0, "\(put.stderr)")
    #expect(put.stdout == "rp/db\n")
    let read = try await cinch(
      "secretsmanager", "get-resource-policy", "--secret-id", "rp/db", "--query",
      "ResourcePolicy", "--output", "text")
    #expect(read.stdout.contains("secretsmanager:GetSecretValue"), "\(read.stdout)")
  }

  /// `cinch policy` reads key metadata from AWS as from the embedded store: the same template
  /// and the same three versions (two under aws/ssm, the pinned third under a customer key)
  /// give the policy `PolicyStoreTests` expects of the embedded store, byte for byte.
  @Test func policyReadsKeyMetadataFromAWS() async throws {
    let endpoint = try await MotoServer.shared.start()
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let environment = Self.environment(endpoint, ["CINCH_STORE": "aws://eu-west-1"])
    func cinch(_ arguments: [String]) async throws -> CinchProcess.Result {
      let result = try await CinchProcess.run(arguments, in: directory, environment: environment)
      #expect(result.status == 0, "cinch \(arguments.joined(separator: " ")): \(result.stderr)")
      return result
    }
    let keyID = try await cinch([
      "kms", "create-key", "--description", "myapp", "--query", "KeyMetadata.KeyId", "--output",
      "text",
    ]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    _ = try await cinch([
      "kms", "create-alias", "--alias-name", "alias/myapp", "--target-key-id", keyID,
    ])
    for keyArguments in [[], ["--key-id", "alias/aws/ssm"], ["--key-id", "alias/myapp"]] {
      _ = try await cinch(
        [
          "ssm", "put-parameter", "--name", "/myapp/prod/dbpassword", "--value", "s3cr3t",
          "--type", "SecureString", "--overwrite",
        ] + keyArguments)
    }
    let template = Fixtures.packageRoot.appendingPathComponent("templates/rds-postgres.yaml").path
    let policy = try await cinch([
      "policy", template, "--account-id", "123456789012", "--region", "eu-west-1", "--profile",
      "deploy",
    ])
    #expect(policy.stderr.isEmpty, "\(policy.stderr)")
    #expect(!policy.stdout.contains("s3cr3t"))
    Fixtures.assertMatches(
      policy.stdout.replacingOccurrences(of: keyID, with: "KEY-ID"), stage: "policy-store",
      name: "customer-managed", expected: "deploy.json")

    // KMS keys are regional: eu-west-1's keys are not what a stack in us-west-2 reads, and an
    // ARN made from their ids there would name no key.
    let elsewhere = try await CinchProcess.run(
      [
        "policy", template, "--account-id", "123456789012", "--region", "us-west-2", "--profile",
        "deploy",
      ], in: directory, environment: environment)
    #expect(elsewhere.status != 0)
    #expect(
      elsewhere.stderr.contains(
        "the store is read in eu-west-1, the policy is for us-west-2: its keys are not the ones "
          + "the stack reads there"), "\(elsewhere.stderr)")
    #expect(!elsewhere.stdout.contains(keyID))
  }

  /// A key the store names but KMS will not describe (gone, or no kms:DescribeKey) leaves the
  /// policy short of its decrypt: said, naming the key and KMS's answer (W6012), not taken
  /// for a store that keeps no key metadata (I6002).
  @Test func aKeyKMSWillNotDescribeIsNamed() async throws {
    let endpoint = try await MotoServer.shared.start()
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let environment = Self.environment(endpoint, ["CINCH_STORE": "aws://eu-west-1"])
    // moto takes a SecureString under an alias it does not have; AWS would once the key is gone.
    let put = try await CinchProcess.run(
      [
        "ssm", "put-parameter", "--name", "/undescribed/pw", "--value", "s3cr3t", "--type",
        "SecureString", "--key-id", "alias/no-such-key",
      ], in: directory, environment: environment)
    #expect(put.status == 0, "\(put.stderr)")
    try """
    Resources:
      Db:
        Type: AWS::RDS::DBInstance
        Properties:
          MasterUserPassword: '{{resolve:ssm-secure:/undescribed/pw}}'

    """.write(
      to: directory.appendingPathComponent("t.yaml"), atomically: true, encoding: .utf8)
    let policy = try await CinchProcess.run(
      [
        "policy", "t.yaml", "--account-id", "123456789012", "--region", "eu-west-1", "--profile",
        "deploy",
      ], in: directory, environment: environment)
    #expect(policy.status == 0, "\(policy.stderr)")
    #expect(
      policy.stderr.contains(
        "warning[W6012]: parameter '/undescribed/pw' is encrypted under KMS key "
          + "'alias/no-such-key', which the store would not describe (NotFoundException)"),
      "\(policy.stderr)")
    #expect(!policy.stderr.contains("I6002"), "\(policy.stderr)")
    #expect(!policy.stdout.contains("kms:Decrypt"))
  }

  @Test func secretsmanagerCommandsWorkAgainstAWSUnchanged() async throws {
    let endpoint = try await MotoServer.shared.start()
    let environment = Self.environment(endpoint, ["CINCH_STORE": "aws://ca-central-1"])
    func cinch(_ arguments: String...) async throws -> CinchProcess.Result {
      try await CinchProcess.run(["secretsmanager"] + arguments, environment: environment)
    }
    func json(_ text: String) throws -> [String: Any] {
      try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
    let canary = "canary-5d1e-hunter2"
    var results: [CinchProcess.Result] = []

    let created = try await cinch(
      "create-secret", "--name", "e2e/db", "--description", "the db", "--secret-string",
      #"{"password":"\#(canary)-1"}"#)
    results.append(created)
    #expect(created.status == 0, "\(created.stderr)")
    #expect(Set(try json(created.stdout).keys) == ["ARN", "Name", "VersionId"])
    #expect(
      created.stdout.hasPrefix(
        "{\n    \"ARN\": \"arn:aws:secretsmanager:ca-central-1:123456789012:secret:e2e/db-"))
    let firstVersion = try #require(try json(created.stdout)["VersionId"] as? String)

    let put = try await cinch(
      "put-secret-value", "--secret-id", "e2e/db", "--secret-string",
      #"{"password":"\#(canary)-2"}"#)
    results.append(put)
    #expect(put.status == 0, "\(put.stderr)")
    #expect(try json(put.stdout)["VersionStages"] as? [String] == ["AWSCURRENT"])

    let get = try await cinch(
      "get-secret-value", "--secret-id", "e2e/db", "--query", "SecretString", "--output", "text")
    results.append(get)
    #expect(get.stdout == #"{"password":"\#(canary)-2"}"# + "\n")
    let previous = try await cinch(
      "get-secret-value", "--secret-id", "e2e/db", "--version-stage", "AWSPREVIOUS", "--query",
      "[VersionId, VersionStages[0]]", "--output", "text")
    results.append(previous)
    #expect(previous.stdout == "\(firstVersion)\tAWSPREVIOUS\n")

    _ = try await cinch("create-secret", "--name", "e2e/api", "--secret-string", "k")
    let listed = try await cinch(
      "list-secrets", "--filters", "Key=name,Values=e2e/", "--query", "SecretList[].Name",
      "--output", "text")
    results.append(listed)
    #expect(listed.status == 0)
    #expect(listed.stdout.split(whereSeparator: \.isWhitespace).sorted() == ["e2e/api", "e2e/db"])
    let versions = try await cinch(
      "list-secret-version-ids", "--secret-id", "e2e/db", "--include-deprecated", "--query",
      "length(Versions)")
    #expect(versions.stdout == "2\n")

    let deleted = try await cinch(
      "delete-secret", "--secret-id", "e2e/db", "--recovery-window-in-days", "7")
    results.append(deleted)
    #expect(deleted.status == 0, "\(deleted.stderr)")
    #expect(Set(try json(deleted.stdout).keys) == ["ARN", "Name", "DeletionDate"])
    let refused = try await cinch("get-secret-value", "--secret-id", "e2e/db")
    results.append(refused)
    #expect(refused.status == 254)
    #expect(refused.stdout == "")
    #expect(
      refused.stderr.hasPrefix(
        "An error occurred (InvalidRequestException) when calling the GetSecretValue operation:"))
    let restored = try await cinch("restore-secret", "--secret-id", "e2e/db")
    results.append(restored)
    #expect(restored.status == 0)
    #expect(Set(try json(restored.stdout).keys) == ["ARN", "Name"])
    await #expect(
      try cinch(
        "get-secret-value", "--secret-id", "e2e/db", "--query", "SecretString", "--output", "text"
      ).stdout == #"{"password":"\#(canary)-2"}"# + "\n")

    let missing = try await cinch("get-secret-value", "--secret-id", "e2e/none")
    results.append(missing)
    #expect(missing.status == 254)
    #expect(missing.stderr.contains("(ResourceNotFoundException)"))

    // Local rotators are the embedded store's: one line, exit 252, nothing sent.
    let rotator = try await cinch("rotate-secret", "--secret-id", "e2e/db", "--rotator", "password")
    results.append(rotator)
    #expect(rotator.status == 252)
    #expect(rotator.stderr.contains("--rotator is for cinch's local rotators"))
    #expect(
      rotator.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count
        == 1)

    // The value never reaches stderr, whatever happened.
    for result in results { #expect(!result.stderr.contains(canary)) }
  }
}
