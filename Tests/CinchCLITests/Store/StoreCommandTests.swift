import Foundation
import Testing
import _CinchTestSupport

/// The store commands run as a user runs them: the built binary, a store in a temporary
/// directory, stdout, stderr and exit status asserted together.
@Suite struct StoreCommandTests {
  /// A temporary project directory with a store created by `cinch init`.
  final class Project: Sendable {
    let directory: URL
    let environment: [String: String]

    init(initialise: Bool = true, environment: [String: String] = [:]) async throws {
      directory = try CinchProcess.temporaryDirectory()
      var base = environment
      base["USER"] = base["USER"] ?? "tester"
      self.environment = base
      if initialise {
        let created = try await run(["init"])
        #expect(created.status == 0, "\(created.stderr)")
      }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    @discardableResult
    func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws
      -> CinchProcess.Result
    {
      try await CinchProcess.run(
        arguments, in: directory, environment: environment.merging(extra) { $1 })
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func write(_ text: String, to name: String) throws -> String {
      let url = directory.appendingPathComponent(name)
      try Data(text.utf8).write(to: url)
      return url.path
    }
  }

  @Test func theGuidesCommandsWork() async throws {
    let project = try await Project()
    let put = try await project.run([
      "ssm", "put-parameter", "--name", "/myapp/prod/dbpassword", "--value", "MySecurePassword123!",
      "--type", "SecureString", "--overwrite",
    ])
    #expect(put.stdout == "{\n    \"Version\": 1,\n    \"Tier\": \"Standard\"\n}\n")
    #expect(put.stderr == "")
    #expect(put.status == 0)

    let get = try await project.run(
      ["ssm", "get-parameter", "--name", "/myapp/prod/dbpassword", "--with-decryption"],
      environment: ["TZ": "UTC"])
    #expect(get.status == 0)
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(get.stdout.utf8)) as? [String: [String: Any]])
    let parameter = try #require(document["Parameter"])
    #expect(
      Set(parameter.keys)
        == ["Name", "Type", "Value", "Version", "LastModifiedDate", "ARN", "DataType"])
    #expect(parameter["Value"] as? String == "MySecurePassword123!")
    #expect(
      parameter["ARN"] as? String
        == "arn:aws:ssm:us-east-1:123456789012:parameter/myapp/prod/dbpassword")
    #expect((parameter["LastModifiedDate"] as? String)?.hasSuffix("+00:00") == true)
    #expect(
      get.stdout.hasPrefix(
        "{\n    \"Parameter\": {\n        \"Name\": \"/myapp/prod/dbpassword\",\n        \"Type\": \"SecureString\","
      ))

    try await project.run([
      "ssm", "put-parameter", "--name", "docker_username", "--value", "deploy-bot", "--type",
      "String",
    ])
    let text = try await project.run([
      "ssm", "get-parameter", "--name", "docker_username", "--query", "Parameter.Value", "--output",
      "text",
    ])
    #expect(text.stdout == "deploy-bot\n")
    #expect(text.status == 0)
  }

  /// Dates print in the local zone as the C library reads `TZ`, as the aws CLI's do (Python's
  /// `tzlocal()`): a POSIX rule such as `IST-5:30` included, which needs no zone database.
  @Test(arguments: [("UTC0", "+00:00"), ("IST-5:30", "+05:30"), ("XYZ3", "-03:00")])
  func datesPrintInTheZoneTZNames(zone: String, suffix: String) async throws {
    let project = try await Project()
    try await project.run([
      "ssm", "put-parameter", "--name", "/tz/a", "--value", "v", "--type", "String",
    ])
    let get = try await project.run(
      [
        "ssm", "get-parameter", "--name", "/tz/a", "--query", "Parameter.LastModifiedDate",
        "--output", "text",
      ],
      environment: ["TZ": zone])
    #expect(get.status == 0, "\(get.stderr)")
    #expect(get.stdout.hasSuffix("\(suffix)\n"), "\(get.stdout)")
  }

  @Test func errorsAreTheAWSCLIsWithItsExitCodes() async throws {
    let project = try await Project()
    let missing = try await project.run(["ssm", "get-parameter", "--name", "/nope"])
    #expect(missing.stdout == "")
    #expect(
      missing.stderr
        == "An error occurred (ParameterNotFound) when calling the GetParameter operation: \n")
    #expect(missing.status == 254)

    try await project.run([
      "ssm", "put-parameter", "--name", "/a", "--value", "1", "--type", "String",
    ])
    let duplicate = try await project.run([
      "ssm", "put-parameter", "--name", "/a", "--value", "2", "--type", "String",
    ])
    #expect(
      duplicate.stderr
        == "An error occurred (ParameterAlreadyExists) when calling the PutParameter operation: The parameter already exists. To overwrite this value, set the overwrite option in the request to true.\n"
    )
    #expect(duplicate.status == 254)

    let usage = try await project.run(["ssm", "put-parameter", "--name", "/a"])
    #expect(usage.status == 252)
    #expect(usage.stderr.contains("cinch: error: the following arguments are required: --value"))

    // Below a model's minimum, botocore refuses the request before any call: 252, its words,
    // every problem (lengths and numbers, never a value). Above a maximum, the service does.
    for (arguments, problems) in [
      (
        ["ssm", "get-parameter", "--name", ""],
        ["Invalid length for parameter Name, value: 0, valid min length: 1"]
      ),
      (
        ["ssm", "label-parameter-version", "--name", "/a", "--labels", "x", ""],
        ["Invalid length for parameter Labels[1], value: 0, valid min length: 1"]
      ),
      (
        ["ssm", "get-parameters-by-path", "--path", "/", "--max-results", "0"],
        ["Invalid value for parameter MaxResults, value: 0, valid min value: 1"]
      ),
      (
        [
          "secretsmanager", "create-secret", "--name", "", "--secret-string", "",
          "--client-request-token", "abc",
        ],
        [
          "Invalid length for parameter Name, value: 0, valid min length: 1",
          "Invalid length for parameter ClientRequestToken, value: 3, valid min length: 32",
          "Invalid length for parameter SecretString, value: 0, valid min length: 1",
        ]
      ),
      (
        ["secretsmanager", "get-random-password", "--cli-input-json", #"{"PasswordLength": 0}"#],
        ["Invalid value for parameter PasswordLength, value: 0, valid min value: 1"]
      ),
      // Members of structures, by botocore's names for them.
      (
        [
          "secretsmanager", "rotate-secret", "--secret-id", "x", "--rotator", "password",
          "--rotation-rules", "AutomaticallyAfterDays=0",
        ],
        [
          "Invalid value for parameter RotationRules.AutomaticallyAfterDays, value: 0, valid min value: 1"
        ]
      ),
      (
        [
          "ssm", "get-parameters-by-path", "--path", "/app", "--parameter-filters",
          "Key=,Values=[]", "Key=Type,Option=,Values=x", "Key=,Values=[]",
        ],
        // Item by item, as botocore walks them.
        [
          "Invalid length for parameter ParameterFilters[0].Key, value: 0, valid min length: 1",
          "Invalid length for parameter ParameterFilters[0].Values, value: 0, valid min length: 1",
          "Invalid length for parameter ParameterFilters[1].Option, value: 0, valid min length: 1",
          "Invalid length for parameter ParameterFilters[2].Key, value: 0, valid min length: 1",
          "Invalid length for parameter ParameterFilters[2].Values, value: 0, valid min length: 1",
        ]
      ),
      (
        ["ssm", "put-parameter", "--name", "/t", "--value", "v", "--tags", "Key=,Value=a"],
        ["Invalid length for parameter Tags[0].Key, value: 0, valid min length: 1"]
      ),
    ] {
      let refused = try await project.run(arguments)
      #expect(refused.status == 252, "\(arguments)")
      #expect(
        refused.stderr
          == "\nParameter validation failed:\n" + problems.joined(separator: "\n") + "\n",
        "\(arguments)")
    }
    // Before the store is opened: a store that is not there is not what is reported.
    for arguments in [
      ["ssm", "get-parameters-by-path", "--path", ""],
      ["secretsmanager", "rotate-secret", "--secret-id", "x", "--client-request-token", "abc"],
    ] {
      let refused = try await project.run(arguments + ["--store", "absent/store.db"])
      #expect(refused.status == 252, "\(arguments): \(refused.stderr)")
    }
    let tooLong = try await project.run([
      "ssm", "get-parameter", "--name", String(repeating: "a", count: 2049),
    ])
    #expect(tooLong.status == 254)
  }

  /// A command that opens the store itself records who ran it as the system names that user:
  /// an access key id in the environment is checked by nothing here, so it is not the caller
  /// (the tour leaves one exported after its `cinch serve` step).
  @Test func anAccessKeyIdInTheEnvironmentIsNotTheLocalCaller() async throws {
    let project = try await Project()
    let fake = "AKIAFAKEFAKEFAKEFAKE"
    let put = try await project.run(
      ["ssm", "put-parameter", "--name", "/a", "--value", "v", "--type", "String"],
      environment: ["AWS_ACCESS_KEY_ID": fake, "AWS_SECRET_ACCESS_KEY": "wrong"])
    #expect(put.status == 0, "\(put.stderr)")
    let history = try await project.run([
      "ssm", "get-parameter-history", "--name", "/a", "--query", "Parameters[0].LastModifiedUser",
      "--output", "text",
    ])
    let audit = try await project.run(["audit", "list", "--format", "json"])
    #expect(!audit.stdout.contains(fake), "\(audit.stdout)")
    #expect(!history.stdout.contains(fake))
    #expect(!history.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
  }

  @Test func aWrongOrMissingKeyIsOneLine() async throws {
    let project = try await Project()
    try await project.run([
      "ssm", "put-parameter", "--name", "/a", "--value", "1", "--type", "String",
    ])
    let otherKey = project.path("other.key")
    #expect(
      FileManager.default.createFile(atPath: otherKey, contents: Data((0..<32).map { UInt8($0) })))
    let wrong = try await project.run([
      "ssm", "get-parameter", "--name", "/a", "--key-file", otherKey,
    ])
    #expect(wrong.status == 253)
    #expect(wrong.stdout == "")
    let lines = wrong.stderr.split(separator: "\n")
    #expect(
      lines == [
        "cinch: wrong master key: key file '\(otherKey)' does not unlock store '.cinch/store.db'"
      ])

    let env = try await project.run(
      ["ssm", "get-parameter", "--name", "/a"],
      environment: ["CINCH_MASTER_KEY": Data(repeating: 7, count: 32).base64EncodedString()])
    #expect(env.status == 253)
    #expect(
      env.stderr.split(separator: "\n") == [
        "cinch: wrong master key: the key in CINCH_MASTER_KEY does not unlock store '.cinch/store.db'"
      ])

    try FileManager.default.removeItem(atPath: project.path(".cinch/master.key"))
    let none = try await project.run(["ssm", "get-parameter", "--name", "/a"])
    #expect(none.status == 253)
    #expect(
      none.stderr.split(separator: "\n") == [
        "cinch: no master key for store '.cinch/store.db': key file '.cinch/master.key' not "
          + "found, CINCH_MASTER_KEY and CINCH_PASSPHRASE are not set, and there is no terminal "
          + "to ask for a passphrase on"
      ])
    // A variable a script meant to fill, left empty, is said to be empty.
    let empty = try await project.run(
      ["ssm", "get-parameter", "--name", "/a"], environment: ["CINCH_PASSPHRASE": ""])
    #expect(
      empty.stderr.split(separator: "\n") == [
        "cinch: no master key for store '.cinch/store.db': key file '.cinch/master.key' not "
          + "found, CINCH_MASTER_KEY is not set, CINCH_PASSPHRASE is set but empty, and there is "
          + "no terminal to ask for a passphrase on"
      ])

    let noStore = try await project.run([
      "ssm", "get-parameter", "--name", "/a", "--store", "elsewhere.db",
    ])
    #expect(
      noStore.stderr.split(separator: "\n") == [
        "cinch: no store at 'elsewhere.db'; create one with 'cinch init', or name one with "
          + "--store or CINCH_STORE"
      ])

    try FileManager.default.createDirectory(
      atPath: project.path("folder.db"), withIntermediateDirectories: true)
    let folder = try await project.run([
      "ssm", "get-parameter", "--name", "/a", "--store", "folder.db", "--key-file",
      ".cinch/other.key",
    ])
    #expect(folder.status == 253)
    #expect(
      folder.stderr.split(separator: "\n") == [
        "cinch: 'folder.db' is not a cinch store: a directory"
      ])

    // A FIFO is refused before anything opens it (an open would wait for a writer for ever).
    #expect(mkfifo(project.path("pipe.db"), 0o600) == 0)
    for arguments in [
      ["ssm", "get-parameter", "--name", "/a", "--store", "pipe.db"],
      ["init", "--store", "pipe.db"],
    ] {
      let pipe = try await project.run(arguments)
      #expect(pipe.status == (arguments[0] == "init" ? 2 : 253))
      #expect(
        pipe.stderr.split(separator: "\n") == [
          "cinch: 'pipe.db' is not a cinch store: a FIFO (named pipe)"
        ])
    }
  }

  /// An init that fails leaves no folder it made behind, as it leaves no file.
  @Test func aFailedInitRemovesTheFoldersItMade() async throws {
    let project = try await Project()
    let failed = try await project.run([
      "init", "--store", "new/deep/store.db", "--key-file", "/proc/self/nope/master.key",
    ])
    #expect(failed.status == 2)
    #expect(failed.stderr == "cinch: cannot use '/proc/self/nope': cannot create the directory\n")
    #expect(!FileManager.default.fileExists(atPath: project.path("new")))
  }

  @Test func initNeverOverwritesAndFilesAre0600() async throws {
    let project = try await Project()
    for file in [".cinch/store.db", ".cinch/master.key"] {
      let mode =
        try FileManager.default.attributesOfItem(atPath: project.path(file))[.posixPermissions]
        as? Int
      #expect(mode == 0o600, "\(file)")
    }
    let again = try await project.run(["init"])
    #expect(again.status == 2)
    #expect(
      again.stderr
        == "cinch: a store already exists at '.cinch/store.db'; cinch never overwrites a store\n")
  }

  /// A `-wal` or `-shm` with no store beside it (left when a store was removed without them) is
  /// named, not taken for a store: SQLite would read a left WAL into the new store, so init
  /// refuses, and says what is in the way. Until 2026-12-07 it said "a store already exists".
  @Test func initBesideALeftWALNamesIt() async throws {
    let project = try await Project(initialise: false)
    try FileManager.default.createDirectory(
      atPath: project.path("s"), withIntermediateDirectories: false)
    try FileManager.default.createDirectory(
      atPath: project.path("s/a.db-wal"), withIntermediateDirectories: false)
    let folder = try await project.run(["init", "--store", "s/a.db", "--key-file", "s/a.key"])
    #expect(folder.status == 2)
    #expect(
      folder.stderr
        == "cinch: 's/a.db-wal' is a directory, where the store's write-ahead log belongs; move "
        + "it out of the way (SQLite makes the file as the store opens)\n")
    #expect(FileManager.default.createFile(atPath: project.path("s/b.db-shm"), contents: Data()))
    let left = try await project.run(["init", "--store", "s/b.db", "--key-file", "s/b.key"])
    #expect(left.status == 2)
    #expect(
      left.stderr
        == "cinch: 's/b.db-shm' is there without the store 's/b.db' it belongs to (left when a "
        + "store was removed without it); cinch never makes a store beside another's files: "
        + "remove it, or name another store\n")
    for file in ["s/a.db", "s/a.key", "s/b.db", "s/b.key"] {
      #expect(!FileManager.default.fileExists(atPath: project.path(file)), "\(file)")
    }
  }

  /// `init` through a symbolic link to a file yet to be made makes the store where the link
  /// leads, as reads then find it (through a chain of links too); a link whose target has no
  /// folder, or that leads back to itself, is said as such, and nothing is made. Until
  /// 2026-12-07 init said "a store already exists" and reads "no store".
  @Test func initThroughASymbolicLink() async throws {
    let project = try await Project(initialise: false)
    for folder in ["d", "real"] {
      try FileManager.default.createDirectory(
        atPath: project.path(folder), withIntermediateDirectories: false)
    }
    let links = [
      ("d/link.db", "../real/store.db"), ("d/chain.db", "hop.db"), ("d/hop.db", "../real/c.db"),
      ("d/far.db", "../nowhere/store.db"), ("d/loop1", "loop2"), ("d/loop2", "loop1"),
    ]
    for (link, target) in links {
      try FileManager.default.createSymbolicLink(
        atPath: project.path(link), withDestinationPath: target)
    }
    let made = try await project.run(["init", "--store", "d/link.db"])
    #expect(made.status == 0, "\(made.stderr)")
    #expect(
      made.stdout
        == "created store 'd/link.db' (a link to 'd/../real/store.db'), key file 'd/master.key' "
        + "(mode 0600: keep it out of version control)\n")
    let mode =
      try FileManager.default.attributesOfItem(atPath: project.path("real/store.db"))[
        .posixPermissions] as? Int
    #expect(mode == 0o600)
    let put = try await project.run(
      ["ssm", "put-parameter", "--name", "/a", "--value", "v", "--type", "String"],
      environment: ["CINCH_STORE": "d/link.db"])
    #expect(put.status == 0, "\(put.stderr)")
    #expect(!FileManager.default.fileExists(atPath: project.path("real/store.db-wal")))
    let again = try await project.run(["init", "--store", "d/link.db"])
    #expect(
      again.stderr
        == "cinch: a store already exists at 'd/link.db'; cinch never overwrites a store\n")

    let chained = try await project.run(
      ["init", "--store", "d/chain.db", "--key-file", "d/chain.key"])
    #expect(chained.status == 0, "\(chained.stderr)")
    #expect(FileManager.default.fileExists(atPath: project.path("real/c.db")))

    let far = try await project.run(["init", "--store", "d/far.db", "--key-file", "d/far.key"])
    #expect(far.status == 2)
    #expect(
      far.stderr
        == "cinch: 'd/far.db' is a symbolic link to 'd/../nowhere/store.db', whose folder does not "
        + "exist; make the folder (cinch init then creates the store there) or point the link "
        + "elsewhere\n")
    #expect(!FileManager.default.fileExists(atPath: project.path("d/far.key")))

    let loop =
      "cinch: 'd/loop1' is a symbolic link that leads back to itself; point it at a store file"
    let loopInit = try await project.run(["init", "--store", "d/loop1", "--key-file", "d/l.key"])
    #expect(loopInit.status == 2)
    #expect(loopInit.stderr == loop + "\n")
    let loopRead = try await project.run(
      ["ssm", "get-parameter", "--name", "/a"], environment: ["CINCH_STORE": "d/loop1"])
    #expect(loopRead.status == 253)
    #expect(loopRead.stderr.trimmingCharacters(in: .newlines) == loop)
  }

  /// A folder named as the key file (`CINCH_MASTER_KEY_FILE`, `--key-file`) is said to be
  /// the key file, a folder (a read said "cannot use 'keys': Is a directory", init "key file
  /// 'keys' already exists").
  @Test func aKeyFileThatIsAFolderIsNamedAsTheKeyFile() async throws {
    let project = try await Project()
    try FileManager.default.createDirectory(
      atPath: project.path("keys"), withIntermediateDirectories: false)
    let message =
      "cinch: key file 'keys' is a directory; name the key file itself (as 'keys/master.key')"
    let read = try await project.run(
      ["ssm", "get-parameter", "--name", "/a"], environment: ["CINCH_MASTER_KEY_FILE": "keys"])
    #expect(read.status == 253)
    #expect(read.stderr.trimmingCharacters(in: .newlines) == message)
    let made = try await project.run(["init", "--store", "other/store.db", "--key-file", "keys"])
    #expect(made.status == 2)
    #expect(made.stderr == message + "\n")
    #expect(!FileManager.default.fileExists(atPath: project.path("other")))
  }

  /// A new store's log holds one row, its creation: "1 row" (it read "1 rows").
  @Test func aNewStoresAuditLogIsOneRow() async throws {
    let project = try await Project()
    let verify = try await project.run(["audit", "verify"])
    #expect(verify.status == 0)
    #expect(verify.stdout.hasPrefix("audit log intact: 1 row, hash chain"), "\(verify.stdout)")
  }

  @Test func passphraseStoresAndRekey() async throws {
    let project = try await Project(initialise: false)
    // A passphrase and a key file at once: refused, nothing created (the key file was dropped).
    let both = try await project.run(
      ["init", "--passphrase", "--key-file", "k"],
      environment: ["CINCH_PASSPHRASE": "correct horse battery"])
    #expect(both.status != 0)
    #expect(both.stderr.contains("--passphrase and --key-file name two different locks"))
    #expect(!FileManager.default.fileExists(atPath: project.path(".cinch/store.db")))
    let created = try await project.run(
      ["init", "--passphrase"], environment: ["CINCH_PASSPHRASE": "correct horse battery"])
    #expect(created.stdout == "created store '.cinch/store.db', locked with a passphrase\n")
    #expect(!FileManager.default.fileExists(atPath: project.path(".cinch/master.key")))
    let put = try await project.run(
      ["ssm", "put-parameter", "--name", "/p", "--value", "v", "--type", "SecureString"],
      environment: ["CINCH_PASSPHRASE": "correct horse battery"])
    #expect(put.status == 0, "\(put.stderr)")
    let wrong = try await project.run(
      ["ssm", "get-parameter", "--name", "/p"], environment: ["CINCH_PASSPHRASE": "wrong horse"])
    #expect(wrong.status == 253)
    #expect(
      wrong.stderr.contains(
        "wrong master key: the passphrase from CINCH_PASSPHRASE does not unlock store"))

    let rekeyed = try await project.run(
      ["rekey", "--new-key-file", ".cinch/next.key"],
      environment: ["CINCH_PASSPHRASE": "correct horse battery"])
    #expect(rekeyed.status == 0, "\(rekeyed.stderr)")
    let read = try await project.run(
      [
        "ssm", "get-parameter", "--name", "/p", "--with-decryption", "--query", "Parameter.Value",
        "--output", "text",
      ],
      environment: ["CINCH_MASTER_KEY_FILE": ".cinch/next.key"])
    #expect(read.stdout == "v\n")
    let old = try await project.run(
      ["ssm", "get-parameter", "--name", "/p"],
      environment: ["CINCH_PASSPHRASE": "correct horse battery"])
    #expect(old.status == 253)
    let verify = try await project.run(["audit", "verify", "--key-file", ".cinch/next.key"])
    #expect(verify.status == 0)
    #expect(verify.stdout.hasPrefix("audit log intact: "))
  }

  /// A `--key-file` that is not there, given for a store locked with a passphrase, is reported
  /// as missing (as for a store locked with a key), not as a key that does not unlock it, by
  /// every command that opens the store; the hint says what the store is locked with.
  @Test func aMissingKeyFileOnAPassphraseStoreIsNotFound() async throws {
    let project = try await Project(initialise: false)
    let created = try await project.run(
      ["init", "--store", "pp/store.db", "--passphrase"],
      environment: ["CINCH_PASSPHRASE": "correct horse battery"])
    #expect(created.status == 0, "\(created.stderr)")
    let template = try project.write(
      "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n"
        + "      QueueName: '{{resolve:ssm:/a}}'\n", to: "t.yaml")
    let message =
      "key file 'nokey' not found (the store is locked with a passphrase; set CINCH_PASSPHRASE)"
    let store = ["--store", "pp/store.db", "--key-file", "nokey"]
    for command in [
      ["ssm", "get-parameter", "--name", "/a"] + store, ["check", template] + store,
      ["kv", "get"] + store + ["secret/a"], ["audit", "verify"] + store,
    ] {
      let result = try await project.run(command)
      #expect(result.status != 0, "\(command)")
      #expect(result.stderr.contains(message), "\(command): \(result.stderr)")
      #expect(!result.stderr.contains("wrong master key"), "\(command): \(result.stderr)")
    }
  }

  /// A store put back from an older copy has a log and head that agree: only a head kept
  /// outside it, given back with --witness, catches it.
  @Test func aWitnessCatchesAStorePutBackFromAnOlderCopy() async throws {
    let project = try await Project()
    let put = try await project.run([
      "ssm", "put-parameter", "--name", "/p", "--value", "v1", "--type", "String",
    ])
    #expect(put.status == 0, "\(put.stderr)")
    // A copy as a backup of a closed store would take it: the file and its WAL.
    let files = ["store.db", "store.db-wal"]
    let fileManager = FileManager.default
    for name in files where fileManager.fileExists(atPath: project.path(".cinch/\(name)")) {
      try fileManager.copyItem(atPath: project.path(".cinch/\(name)"), toPath: project.path(name))
    }

    #expect(try await project.run(["ssm", "get-parameter", "--name", "/p"]).status == 0)
    let verified = try await project.run(["audit", "verify"])
    #expect(verified.status == 0)
    let head = String(try #require(verified.stdout.split(separator: " ").last).dropLast())
    #expect(head.split(separator: ":").last?.count == 64, "\(verified.stdout)")
    let held = try await project.run(["audit", "verify", "--witness", head])
    #expect(held.status == 0)
    #expect(held.stdout.contains("witness held"))

    for name in files + ["store.db-shm"] {
      try? fileManager.removeItem(atPath: project.path(".cinch/\(name)"))
    }
    for name in files where fileManager.fileExists(atPath: project.path(name)) {
      try fileManager.copyItem(atPath: project.path(name), toPath: project.path(".cinch/\(name)"))
    }
    // The older copy is consistent with itself: the chain alone cannot tell.
    #expect(try await project.run(["audit", "verify"]).status == 0)
    let caught = try await project.run(["audit", "verify", "--witness", head])
    #expect(caught.status == 1)
    #expect(
      caught.stderr.contains("the store was put back from an older copy"), "\(caught.stderr)")
  }

  @Test func aCanaryOnlyAppearsInADecryptedRead() async throws {
    let canary = "CANARY-5b0e-\(UUID().uuidString)"
    let project = try await Project()
    // From a file, so the canary is not in any argv either.
    let file = try project.write(canary, to: "value.txt")
    let put = try await project.run([
      "ssm", "put-parameter", "--name", "/app/secret", "--value", "file://\(file)", "--type",
      "SecureString",
    ])
    try FileManager.default.removeItem(atPath: file)
    var outputs = [put]
    let commands: [[String]] = [
      ["ssm", "get-parameter", "--name", "/app/secret"],
      ["ssm", "get-parameter", "--name", "/app/secret", "--output", "text"],
      ["ssm", "get-parameters", "--names", "/app/secret", "/missing"],
      ["ssm", "get-parameters-by-path", "--path", "/app", "--output", "table"],
      ["ssm", "get-parameter-history", "--name", "/app/secret", "--output", "yaml"],
      ["ssm", "describe-parameters"],
      ["ssm", "label-parameter-version", "--name", "/app/secret", "--labels", "prod"],
      [
        "ssm", "get-parameter", "--name", "/app/secret:prod", "--query",
        "Parameter.Value.length(@)",
      ],
      [
        "ssm", "put-parameter", "--name", "/app/secret", "--value", "other", "--type",
        "SecureString",
      ],
      ["kms", "list-keys"],
      ["audit", "list"],
      ["audit", "list", "--format", "json"],
      ["audit", "verify"],
    ]
    for command in commands { await outputs.append(try project.run(command)) }
    for output in outputs {
      #expect(!output.stdout.contains("CANARY-5b0e"))
      #expect(!output.stderr.contains("CANARY-5b0e"))
    }
    let decrypted = try await project.run([
      "ssm", "get-parameter", "--name", "/app/secret", "--with-decryption", "--query",
      "Parameter.Value",
      "--output", "text",
    ])
    #expect(decrypted.stdout == canary + "\n")
    for suffix in ["", "-wal", "-shm"] {
      if let bytes = FileManager.default.contents(atPath: project.path(".cinch/store.db" + suffix))
      {
        #expect(bytes.range(of: Data("CANARY-5b0e".utf8)) == nil, "store.db\(suffix)")
      }
    }
  }

  @Test func paginationAndStructuredParameters() async throws {
    let project = try await Project()
    for index in 1...7 {
      try await project.run([
        "ssm", "put-parameter", "--name", "/p/\(index)", "--value", "v\(index)", "--type", "String",
      ])
    }
    let all = try await project.run([
      "ssm", "get-parameters-by-path", "--path", "/p", "--query", "length(Parameters)",
    ])
    #expect(all.stdout == "7\n")
    let limited = try await project.run([
      "ssm", "get-parameters-by-path", "--path", "/p", "--max-items", "3", "--output", "json",
    ])
    let page = try #require(
      try JSONSerialization.jsonObject(with: Data(limited.stdout.utf8)) as? [String: Any])
    #expect((page["Parameters"] as? [Any])?.count == 3)
    let token = try #require(page["NextToken"] as? String)
    let rest = try await project.run([
      "ssm", "get-parameters-by-path", "--path", "/p", "--starting-token", token, "--query",
      "Parameters[].Name",
      "--output", "text",
    ])
    #expect(rest.stdout == "/p/4\t/p/5\t/p/6\t/p/7\n")

    // The service's own paging members, which the aws CLI accepts though its help hides them:
    // one call, its NextToken as the service gave it, no automatic pagination.
    let first = try await project.run([
      "ssm", "get-parameters-by-path", "--path", "/p", "--max-results", "2", "--query",
      "[Parameters[].Name, NextToken]", "--output", "json",
    ])
    #expect(first.status == 0, "\(first.stderr)")
    let answer = try #require(
      try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [Any])
    #expect(answer.first as? [String] == ["/p/1", "/p/2"])
    let next = try #require(answer.last as? String)
    let second = try await project.run([
      "ssm", "get-parameters-by-path", "--path", "/p", "--max-results", "2", "--next-token", next,
      "--query", "Parameters[].Name", "--output", "text",
    ])
    #expect(second.stdout == "/p/3\t/p/4\n")
    let inJSON = try await project.run([
      "ssm", "get-parameters-by-path", "--cli-input-json", #"{"Path": "/p", "MaxResults": 3}"#,
      "--query", "length(Parameters)",
    ])
    #expect(inJSON.stdout == "3\n")
    // With pagination off, the CLI's own paging options are refused (paginate.py).
    let mixed = try await project.run([
      "secretsmanager", "list-secrets", "--max-results", "1", "--max-items", "2",
    ])
    #expect(mixed.status == 252)
    #expect(
      mixed.stderr.contains(
        "Cannot specify --no-paginate along with pagination arguments: --max-items"),
      "\(mixed.stderr)")
    let noPaginate = try await project.run([
      "ssm", "describe-parameters", "--no-paginate", "--page-size", "2",
    ])
    #expect(noPaginate.status == 252)
    #expect(noPaginate.stderr.contains("pagination arguments: --page-size"))
    #expect(try await project.run(["kms", "list-keys", "--limit", "1"]).status == 0)

    let tagged = try await project.run([
      "ssm", "put-parameter", "--name", "/t", "--value", "x", "--type", "String", "--tags",
      "Key=Env,Value=prod",
      "Key=Team,Value=platform",
    ])
    #expect(tagged.status == 0, "\(tagged.stderr)")
    let tags = try await project.run([
      "ssm", "list-tags-for-resource", "--resource-type", "Parameter", "--resource-id", "/t",
      "--output", "text",
    ])
    #expect(tags.stdout == "TAGLIST\tEnv\tprod\nTAGLIST\tTeam\tplatform\n")
    let filtered = try await project.run([
      "ssm", "describe-parameters", "--parameter-filters", "Key=tag:Env,Values=prod", "--query",
      "Parameters[].Name",
      "--output", "text",
    ])
    #expect(filtered.stdout == "/t\n")
    let byJSON = try await project.run([
      "ssm", "describe-parameters", "--cli-input-json",
      #"{"ParameterFilters": [{"Key": "Name", "Option": "BeginsWith", "Values": ["/p/1"]}]}"#,
      "--query", "Parameters[].Name", "--output", "text",
    ])
    #expect(byJSON.stdout == "/p/1\n")
  }

  /// `file://` loads a file only from an option's value: a member of `--cli-input-json` or
  /// `--cli-input-yaml` is stored as written, as the aws CLI does, so an input document
  /// cannot read a local file into a value.
  @Test func inputDocumentsKeepFileURLsAsWritten() async throws {
    let project = try await Project()
    let local = try project.write("local file contents", to: "local.txt")
    let put = try await project.run([
      "ssm", "put-parameter", "--cli-input-json",
      #"{"Name": "/f/json", "Value": "file://\#(local)", "Type": "SecureString"}"#,
    ])
    #expect(put.status == 0, "\(put.stderr)")
    try await project.run([
      "ssm", "put-parameter", "--cli-input-yaml",
      "Name: /f/yaml\nValue: file://\(local)\nType: String",
    ])
    try await project.run([
      "ssm", "put-parameter", "--name", "/f/flag", "--value", "file://\(local)", "--type", "String",
    ])
    let values = try await project.run([
      "ssm", "get-parameters", "--names", "/f/json", "/f/yaml", "/f/flag", "--with-decryption",
      "--query", "Parameters[].Value", "--output", "text",
    ])
    #expect(
      values.stdout.split(separator: "\t").map { $0.trimmingCharacters(in: .newlines) }.sorted()
        == ["file://\(local)", "file://\(local)", "local file contents"])
    let secret = try await project.run([
      "secretsmanager", "create-secret", "--cli-input-json",
      #"{"Name": "s", "SecretString": "file:///nonexistent/x"}"#, "--output", "off",
    ])
    #expect(secret.status == 0, "\(secret.stderr)")
    let read = try await project.run([
      "secretsmanager", "get-secret-value", "--secret-id", "s", "--query", "SecretString",
      "--output", "text",
    ])
    #expect(read.stdout == "file:///nonexistent/x\n")

    // A skeleton, filled in, is a request.
    let skeleton = try await project.run([
      "ssm", "get-parameter", "--generate-cli-skeleton", "yaml-input",
    ])
    #expect(skeleton.stdout == "Name: ''  # [REQUIRED]\nWithDecryption: true\n")
    let filled = skeleton.stdout.replacingOccurrences(of: "Name: ''", with: "Name: /f/json")
    let got = try await project.run([
      "ssm", "get-parameter", "--cli-input-yaml", filled, "--query", "Parameter.Value",
      "--output", "text",
    ])
    #expect(got.stdout == "file://\(local)\n", "\(got.stderr)")
  }

  /// `file://` reads a FIFO through one open, whatever its writer does once it is met: here
  /// the writer writes and closes at once (a shell's `file://<(…)`), and cinch is given 30 s
  /// before `timeout` ends it (exit 124) rather than the test run. `file://` for a value and
  /// for `--cli-input-json`, and `fileb://`, which all read the same way.
  @Test(arguments: [
    (
      ["ssm", "put-parameter", "--name", "/fifo", "--value", "file://fifo", "--type", "String"],
      "from a fifo", ["ssm", "get-parameter", "--name", "/fifo", "--query", "Parameter.Value"],
      "\"from a fifo\"\n"
    ),
    (
      ["ssm", "put-parameter", "--cli-input-json", "file://fifo"],
      #"{"Name": "/fifo", "Value": "from JSON", "Type": "String"}"#,
      ["ssm", "get-parameter", "--name", "/fifo", "--query", "Parameter.Value"], "\"from JSON\"\n"
    ),
    (
      ["secretsmanager", "create-secret", "--name", "fifo", "--secret-binary", "fileb://fifo"],
      "from a fifo",
      ["secretsmanager", "get-secret-value", "--secret-id", "fifo", "--query", "SecretBinary"],
      "\"\(Data("from a fifo".utf8).base64EncodedString())\"\n"
    ),
  ])
  func aFIFOIsReadThroughOneOpen(
    write: [String], text: String, read: [String], expected: String
  ) async throws {
    let project = try await Project()
    let created = try await CinchProcess.run(
      write, in: project.directory, environment: project.environment.merging(["TEXT": text]) { $1 },
      launcher: [
        "/bin/sh", "-c",
        """
        mkfifo fifo || exit 1
        printf '%s' "$TEXT" >fifo & writer=$!
        timeout 30 "$@"; status=$?
        kill $writer 2>/dev/null
        exit $status
        """,
        "sh",
      ])
    #expect(created.status == 0, "\(created.stderr)")
    let got = try await project.run(read)
    #expect(got.stdout == expected, "\(got.stderr)")
  }

  /// A file that cannot be read is named with Python's wording of the error, as the aws CLI
  /// prints it; `~/` is the home directory, as the aws CLI's expanduser reads it.
  @Test func anUnreadableParamfileIsNamedWithItsError() async throws {
    let project = try await Project()
    _ = try project.write("from home", to: "home.txt")
    let home = project.directory.path
    func putValue(_ value: String) async throws -> CinchProcess.Result {
      try await project.run(
        ["ssm", "put-parameter", "--name", "/p", "--value", value, "--type", "String"],
        environment: ["HOME": home])
    }
    let put = try await putValue("file://~/home.txt")
    #expect(put.status == 0, "\(put.stderr)")
    let absent = try await putValue("file://~/absent")
    #expect(
      absent.stderr.hasSuffix(
        "Unable to load paramfile file://~/absent: [Errno 2] No such file or directory: "
          + "'\(home)/absent'\n"), "\(absent.stderr)")
    let missing = try await putValue("file://absent.txt")
    #expect(missing.status == 252)
    #expect(
      missing.stderr.hasSuffix(
        "Error parsing parameter '--value': Unable to load paramfile file://absent.txt: "
          + "[Errno 2] No such file or directory: 'absent.txt'\n"), "\(missing.stderr)")
    // Bytes for a string parameter are refused, as botocore refuses them.
    let bytes = try await putValue("fileb://absent.txt")
    #expect(bytes.status == 252)
    #expect(
      bytes.stderr.contains(
        "Invalid type for parameter Value, value: <redacted>, type: <class 'bytes'>, "
          + "valid types: <class 'str'>"), "\(bytes.stderr)")
    let folder = try await project.run([
      "secretsmanager", "create-secret", "--name", "s", "--secret-binary", "fileb://.",
    ])
    #expect(folder.status == 252)
    #expect(
      folder.stderr.hasSuffix(
        "Error parsing parameter '--secret-binary': Unable to load paramfile fileb://.: "
          + "[Errno 21] Is a directory: '.'\n"), "\(folder.stderr)")
  }

  /// kms and iam hold their requests to botocore's minimums too: an empty id or name is a
  /// usage error (exit 252), never sent.
  @Test func kmsAndIAMRefuseEmptyNamesBeforeAnyCall() async throws {
    let project = try await Project()
    for (arguments, message) in [
      (["kms", "describe-key", "--key-id", ""], "Invalid length for parameter KeyId, value: 0"),
      (
        ["kms", "create-alias", "--alias-name", "", "--target-key-id", "x"],
        "Invalid length for parameter AliasName, value: 0"
      ),
      (["iam", "list-access-keys", "--user-name", ""], "Invalid length for parameter UserName"),
      (
        ["iam", "delete-access-key", "--access-key-id", "short"],
        "Invalid length for parameter AccessKeyId, value: 5, valid min length: 16"
      ),
    ] {
      let result = try await project.run(arguments)
      #expect(result.status == 252, "\(arguments)")
      #expect(
        result.stderr.contains("Parameter validation failed:\n\(message)"), "\(result.stderr)")
    }
  }

  /// `get-user-policy` prints the document as the JSON it holds, as the aws CLI does
  /// (botocore's `json_decode_policies`), so a query reaches into it.
  @Test func aUserPolicyDocumentPrintsAsJSON() async throws {
    let project = try await Project()
    let document =
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"*"}]}"#
    let put = try await project.run([
      "iam", "put-user-policy", "--user-name", "ci", "--policy-name", "read",
      "--policy-document", document,
    ])
    #expect(put.status == 0, "\(put.stderr)")
    let query = try await project.run([
      "iam", "get-user-policy", "--user-name", "ci", "--policy-name", "read", "--query",
      "PolicyDocument.Statement[0].Action", "--output", "text",
    ])
    #expect(query.stdout == "ssm:GetParameter\n", "\(query.stdout)\(query.stderr)")
    let whole = try await project.run([
      "iam", "get-user-policy", "--user-name", "ci", "--policy-name", "read",
    ])
    #expect(
      whole.stdout.contains("\"PolicyDocument\": {\n        \"Version\": \"2012-10-17\""),
      "\(whole.stdout)")
  }

  /// A `file://` value is the file's text as it is: a leading byte order mark stays, as the aws
  /// CLI keeps it (Foundation's decoding would drop it).
  @Test func aParamfileKeepsItsByteOrderMark() async throws {
    let project = try await Project()
    _ = try project.write("\u{FEFF}abc", to: "bom.txt")
    let put = try await project.run([
      "ssm", "put-parameter", "--name", "/bom", "--value", "file://bom.txt", "--type", "String",
    ])
    #expect(put.status == 0, "\(put.stderr)")
    let got = try await project.run([
      "ssm", "get-parameter", "--name", "/bom", "--query", "Parameter.Value", "--output", "text",
    ])
    #expect(Array(got.stdout.utf8) == [0xEF, 0xBB, 0xBF] + Array("abc\n".utf8))
  }

  /// A list member of the wrong type in `--cli-input-json` is named with the type it has, as
  /// botocore names it (the value itself is never echoed).
  @Test func aListMemberOfTheWrongTypeNamesItsType() async throws {
    let project = try await Project()
    for (tags, type, parameter, valid) in [
      (#""bad""#, "str", "Tags", "<class 'list'>, <class 'tuple'>"),
      ("5", "int", "Tags", "<class 'list'>, <class 'tuple'>"),
      ("[1]", "int", "Tags[0]", "<class 'dict'>"),
    ] {
      let result = try await project.run([
        "ssm", "put-parameter", "--cli-input-json",
        #"{"Name":"/a","Value":"x","Type":"String","Tags":"# + tags + "}",
      ])
      #expect(result.status == 252)
      #expect(
        result.stderr.contains(
          "Invalid type for parameter \(parameter), value: <redacted>, type: <class '\(type)'>, "
            + "valid types: \(valid)"), "\(tags): \(result.stderr)")
    }
    // A member of a list of strings is named by its index.
    let filter = try await project.run([
      "ssm", "describe-parameters", "--cli-input-json",
      #"{"ParameterFilters":[{"Key":"Name","Values":["a",1]}]}"#,
    ])
    #expect(filter.status == 252)
    #expect(
      filter.stderr.contains(
        "Invalid type for parameter ParameterFilters[0].Values[1], value: <redacted>, "
          + "type: <class 'int'>, valid types: <class 'str'>"), "\(filter.stderr)")
  }

  /// Text output applies `--query` to each page the CLI read, as the aws CLI does
  /// (cli-usage-filter.html): 23 parameters by path come in pages of 10.
  @Test func textOutputQueriesEachPage() async throws {
    let project = try await Project()
    for index in 1...23 {
      try await project.run([
        "ssm", "put-parameter", "--name", String(format: "/many/p%02d", index), "--value", "v",
        "--type", "String",
      ])
    }
    let first = try await project.run([
      "ssm", "get-parameters-by-path", "--path", "/many", "--query", "Parameters[0].Name",
      "--output", "text",
    ])
    #expect(first.stdout == "/many/p01\n/many/p11\n/many/p21\n", "\(first.stderr)")
    let names = try await project.run([
      "ssm", "get-parameters-by-path", "--path", "/many", "--query", "Parameters[].Name",
      "--output", "text",
    ])
    #expect(
      names.stdout.split(separator: "\n").map { $0.split(separator: "\t").count } == [10, 10, 3])
    // JSON is the combined result, queried once.
    let json = try await project.run([
      "ssm", "get-parameters-by-path", "--path", "/many", "--query", "length(Parameters)",
    ])
    #expect(json.stdout == "23\n")
    let paged = try await project.run([
      "ssm", "get-parameters-by-path", "--path", "/many", "--page-size", "4", "--query",
      "length(Parameters)", "--output", "text",
    ])
    #expect(paged.stdout == "4\n4\n4\n4\n4\n3\n", "\(paged.stderr)")
  }

  /// `--region` sets the embedded store's ARNs as it sets AWS's region; `--endpoint-url` and
  /// `--profile`, meant for AWS, are refused rather than read and write the local file.
  @Test func awsFlagsOnTheEmbeddedStore() async throws {
    let project = try await Project()
    try await project.run([
      "ssm", "put-parameter", "--name", "/r/a", "--value", "v", "--type", "String",
    ])
    let arn = try await project.run([
      "ssm", "get-parameter", "--name", "/r/a", "--region", "ap-south-1", "--query",
      "Parameter.ARN", "--output", "text",
    ])
    #expect(arn.stdout == "arn:aws:ssm:ap-south-1:123456789012:parameter/r/a\n", "\(arn.stderr)")
    for flags in [["--endpoint-url", "http://127.0.0.1:1"], ["--profile", "prod"]] {
      let refused = try await project.run(["ssm", "get-parameter", "--name", "/r/a"] + flags)
      #expect(refused.status == 253)
      #expect(refused.stdout.isEmpty)
      #expect(
        refused.stderr.contains("\(flags[0]) applies to an aws:// store"), "\(refused.stderr)")
    }
  }

  /// A region that is no region name is refused naming where it came from: `--region` when
  /// the flag gave it (whatever the environment holds), else the variable.
  @Test func aBadRegionIsNamedWhereItCameFrom() async throws {
    let project = try await Project()
    try await project.run([
      "secretsmanager", "create-secret", "--name", "app/db", "--secret-string", "v",
    ])
    let reason = " must be a region name such as us-east-1 (lowercase letters, digits and hyphens)"
    for command in [
      ["ssm", "get-parameter", "--name", "/x"],
      ["secretsmanager", "get-secret-value", "--secret-id", "app/db"],
      ["secretsmanager", "rotate-secret", "--secret-id", "app/db", "--rotator", "password"],
      ["ssm", "put-public-parameter", "--name", "/aws/service/x", "--value", "v"],
    ] {
      let flag = try await project.run(
        command + ["--region", "EU"], environment: ["AWS_REGION": "us-east-1"])
      #expect(flag.status != 0)
      #expect(flag.stderr.contains("--region\(reason); got 'EU'"), "\(command): \(flag.stderr)")
      #expect(!flag.stderr.contains("AWS_REGION"), "\(command): \(flag.stderr)")
      let variable = try await project.run(
        command, environment: ["AWS_REGION": "", "AWS_DEFAULT_REGION": "EU"])
      #expect(
        variable.stderr.contains("AWS_DEFAULT_REGION\(reason); got 'EU'"),
        "\(command): \(variable.stderr)")
    }
    // rotate-secret reads the embedded store in the flag's region, as every other command.
    let rotated = try await project.run([
      "secretsmanager", "rotate-secret", "--secret-id", "app/db", "--rotator", "password",
      "--region", "ap-south-1", "--query", "ARN", "--output", "text",
    ])
    #expect(rotated.stdout.hasPrefix("arn:aws:secretsmanager:ap-south-1:"), "\(rotated.stderr)")
  }

  @Test func kmsKeysByAlias() async throws {
    let project = try await Project()
    let keyID = try await project.run([
      "kms", "create-key", "--description", "app", "--query", "KeyMetadata.KeyId", "--output",
      "text",
    ])
    .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(keyID.count == 36)
    await #expect(
      try project.run([
        "kms", "create-alias", "--alias-name", "alias/app", "--target-key-id", keyID,
      ]).status == 0)
    let described = try await project.run([
      "kms", "describe-key", "--key-id", "alias/app", "--query", "KeyMetadata.[KeyId,KeyManager]",
      "--output", "text",
    ])
    #expect(described.stdout == "\(keyID)\tCUSTOMER\n")
    let put = try await project.run([
      "ssm", "put-parameter", "--name", "/k", "--value", "v", "--type", "SecureString", "--key-id",
      "alias/app",
    ])
    #expect(put.status == 0)
    let described2 = try await project.run([
      "ssm", "describe-parameters", "--query", "Parameters[0].KeyId", "--output", "text",
    ])
    #expect(described2.stdout == "alias/app\n")
    let aliases = try await project.run([
      "kms", "list-aliases", "--query", "Aliases[].AliasName", "--output", "text",
    ])
    #expect(aliases.stdout == "alias/app\talias/aws/secretsmanager\talias/aws/ssm\n")
  }
}
