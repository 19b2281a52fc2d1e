import Foundation
import Testing
import _CinchTestSupport

/// The compiler's main job end to end, with the built binary: lock, render --frozen, a new
/// version in the store, outdated, plan, lock --update. A canary secret never appears anywhere
/// but the inline artifact.
@Suite(.serialized) struct LockLifecycleTests {
  static let canary = "CANARY-lock-7d1e-do-not-print"

  let directory: URL

  init() throws {
    directory = try CinchProcess.temporaryDirectory()
    let templates = directory.appendingPathComponent("templates")
    try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
    for name in ["rds-postgres.yaml", "multi-env.yaml"] {
      try FileManager.default.copyItem(
        at: Fixtures.packageRoot.appendingPathComponent("templates/\(name)"),
        to: templates.appendingPathComponent(name))
    }
  }

  private func cinch(_ arguments: String...) async throws -> CinchProcess.Result {
    try await CinchProcess.run(arguments, in: directory)
  }

  private func read(_ path: String) throws -> String {
    try String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8)
  }

  private func seed() async throws {
    #expect(try await cinch("init").status == 0)
    for (name, value, type) in [
      ("/myapp/prod/db-host", "db.internal", "String"),
      ("/myapp/prod/dbpassword", "first", "SecureString"),
      ("/myapp/prod/dbpassword", "second", "SecureString"),
      ("/myapp/prod/dbpassword", Self.canary, "SecureString"),
    ] {
      let result = try await cinch(
        "ssm", "put-parameter", "--name", name, "--value", value, "--type", type, "--overwrite")
      #expect(result.status == 0, "\(result.stderr)")
    }
    for suffix in ["x86_64", "arm64"] {
      let result = try await cinch(
        "ssm", "put-public-parameter", "--name",
        "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-\(suffix)", "--value",
        "ami-0123456789abcdef0")
      #expect(result.status == 0, "\(result.stderr)")
    }
  }

  /// The same overrides given in another order, or one given twice (the last wins), write the
  /// same lock: one entry per parameter, in the parameters' order.
  @Test func overridesAreRecordedInOneOrder() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    let first = try await cinch(
      "lock", "templates/rds-postgres.yaml", "--parameter-overrides", "VpcId=vpc-0a", "Env=prod")
    #expect(first.status == 0, "\(first.stderr)")
    let written = try read("cinch.lock")
    #expect(written.contains("\"Env=prod\",\n      \"VpcId=vpc-0a\"\n"), "\(written)")
    let second = try await cinch(
      "lock", "templates/rds-postgres.yaml", "--parameter-overrides", "VpcId=vpc-0b", "Env=prod",
      "VpcId=vpc-0a")
    #expect(second.status == 0, "\(second.stderr)")
    #expect(try read("cinch.lock") == written)
  }

  /// A name built from an `Fn::ForEach` identifier reads a different entry in each iteration,
  /// which cinch does not expand and no lock pins: `render --frozen` refuses to write it
  /// unpinned; what the loop reads the same in every iteration is pinned as anywhere else.
  @Test func aFrozenRenderRefusesWhatALoopReadsPerIteration() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    try """
    Transform: AWS::LanguageExtensions
    Resources:
      Fn::ForEach::Topics:
        - Env
        - [prod, dev]
        - Topic${Env}:
            Type: AWS::SNS::Topic
            Properties:
              DisplayName: !Sub '{{resolve:ssm:/myapp/${Env}/db-host}}'
              TopicName: '{{resolve:ssm:/myapp/prod/db-host}}'
    """.write(
      to: directory.appendingPathComponent("topics.yaml"), atomically: true, encoding: .utf8)
    let lock = try await cinch("lock", "topics.yaml")
    #expect(lock.status == 0, "\(lock.stderr)")
    #expect(lock.stdout.hasPrefix("locked 1 reference in cinch.lock"), "\(lock.stdout)")
    let frozen = try await cinch("render", "--frozen", "-o", "out")
    #expect(frozen.status == 1)
    #expect(
      frozen.stdout.contains(
        "topics.yaml:9:30: error[E4007]: reference '{{resolve:ssm:/myapp/${Env}/db-host}}' is "
          + "not pinned in 'cinch.lock': its name waits on loop variable 'Env' of "
          + "'Fn::ForEach::Topics'"), "\(frozen.stdout)")
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out").path))
    // The gate a pull request runs says so before the render does.
    let check = try await cinch("check", "--frozen")
    #expect(check.status == 1)
    #expect(check.stdout.contains("topics.yaml:9:30: error[E4007]"), "\(check.stdout)")
    let pinned = try await cinch("render", "-o", "-")
    #expect(pinned.status == 0, "\(pinned.stderr)")
    #expect(pinned.stdout.contains("TopicName: '{{resolve:ssm:/myapp/prod/db-host:1}}'"))
    #expect(pinned.stdout.contains("DisplayName: !Sub '{{resolve:ssm:/myapp/${Env}/db-host}}'"))
  }

  @Test func lockRenderUpdate() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    var outputs: [String] = []

    let lock = try await cinch("lock", "templates/rds-postgres.yaml", "templates/multi-env.yaml")
    #expect(lock.status == 0, "\(lock.stderr)")
    #expect(lock.stdout.hasPrefix("locked 4 references in cinch.lock (4 added)"))
    outputs += [lock.stdout, lock.stderr]
    let lockText = try read("cinch.lock")

    let first = try await cinch("render", "--frozen", "-o", "out1")
    let second = try await cinch("render", "--frozen", "-o", "out2")
    #expect(first.status == 0, "\(first.stderr)")
    outputs += [first.stdout, first.stderr, second.stdout, second.stderr]
    for file in ["templates/multi-env.yaml", "templates/rds-postgres.yaml", "manifest.json"] {
      #expect(try read("out1/\(file)") == read("out2/\(file)"), "\(file) differs between runs")
    }
    let pinned = try read("out1/templates/multi-env.yaml")
    #expect(pinned.contains("{{resolve:ssm-secure:/myapp/${Env}/dbpassword:3}}"))

    // A new version: the frozen render still pins 3, outdated and plan say so, --update moves.
    await #expect(
      try cinch(
        "ssm", "put-parameter", "--name", "/myapp/prod/dbpassword", "--value", "fourth",
        "--type", "SecureString", "--overwrite"
      ).status == 0)
    let third = try await cinch("render", "--frozen", "-o", "out3")
    #expect(try read("out3/templates/multi-env.yaml") == pinned)
    let outdated = try await cinch("outdated", "--exit-code")
    #expect(outdated.status == 1)
    #expect(outdated.stdout.contains("ssm-secure /myapp/prod/dbpassword (latest)"))
    #expect(outdated.stdout.contains("pinned at 3; the store's latest is 4"))
    let plan = try await cinch("plan")
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(plan.stdout.contains("1 to move, 0 to add, 0 to drop, 3 unchanged"))
    #expect(plan.stdout.contains("value changed (secret)"))
    // A secret's length narrows a guess at it: plans give lengths of plain parameters only.
    let secureLines = plan.stdout.split(separator: "\n").filter { $0.contains("ssm-secure") }
    #expect(!secureLines.isEmpty && secureLines.allSatisfy { !$0.contains("bytes") })
    // A mistyped name is a usage error that suggests the name meant; the lock is untouched.
    let typo = try await cinch("lock", "--update", "/myapp/prod/dbpasswrd")
    #expect(typo.status == 2)
    #expect(
      typo.stderr
        == "cinch: error: --update names '/myapp/prod/dbpasswrd', which no template references "
        + "(did you mean '/myapp/prod/dbpassword'?)\n")
    #expect(try read("cinch.lock") == lockText)
    // A template named with --update moves the pins it reads, not every pin of the lock:
    // rds-postgres.yaml reads version 3 by number, so nothing of it moves.
    let scoped = try await cinch("lock", "--update", "templates/rds-postgres.yaml")
    #expect(scoped.status == 0, "\(scoped.stderr)")
    #expect(try read("cinch.lock") == lockText, "\(scoped.stdout)")
    let update = try await cinch("lock", "--update", "/myapp/prod/dbpassword")
    #expect(update.status == 0, "\(update.stderr)")
    #expect(update.stdout.contains("~ ssm-secure /myapp/prod/dbpassword (latest) 3 → 4"))
    #expect(try read("cinch.lock") != lockText)
    outputs += [
      third.stdout, third.stderr, outdated.stdout, outdated.stderr, plan.stdout, plan.stderr,
      update.stdout, update.stderr,
    ]

    // The canary is in the inline artifact only, and that file is 0600.
    #expect(try await cinch("lock", "--update").status == 0)
    let reverted = try await cinch(
      "ssm", "put-parameter", "--name", "/myapp/prod/dbpassword", "--value", Self.canary,
      "--type", "SecureString", "--overwrite")
    #expect(reverted.status == 0)
    #expect(try await cinch("lock", "--update").status == 0)
    let inline = try await cinch("render", "--frozen", "--mode", "inline", "-o", "secret-out")
    #expect(inline.status == 0, "\(inline.stderr)")
    #expect(inline.stdout.contains("mode 0600"))
    let artifact = directory.appendingPathComponent("secret-out/templates/multi-env.yaml").path
    #expect(try String(contentsOfFile: artifact, encoding: .utf8).contains(Self.canary))
    let mode = try FileManager.default.attributesOfItem(atPath: artifact)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    outputs += [inline.stdout, inline.stderr]
    let pinOnly = try await cinch("render", "--frozen", "-o", "out4")
    outputs += [pinOnly.stdout, pinOnly.stderr]
    for file in [
      "cinch.lock", "out4/manifest.json", "out4/templates/multi-env.yaml",
      "secret-out/manifest.json",
    ] {
      outputs.append(try read(file))
    }
    for text in outputs { #expect(!text.contains(Self.canary)) }
  }

  @Test func frozenRenderNamesWhatIsMissing() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    #expect(try await cinch("lock", "templates/rds-postgres.yaml").status == 0)
    let frozen = try await cinch("render", "--frozen", "templates/multi-env.yaml", "-o", "out")
    #expect(frozen.status == 1)
    #expect(frozen.stderr.contains("nothing written"))
    #expect(frozen.stdout.contains("error[E4007]"))
    #expect(frozen.stdout.contains("not in 'cinch.lock'; run 'cinch lock'"))
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out").path))
  }

  /// A parameter deleted and created again starts over at version 1: the pin's version is
  /// there, its value is not the one locked. plan lists it, render --frozen refuses it, lock
  /// says so as it takes the new value; metadata-only commands cannot tell.
  @Test func anotherValueAtTheLockedVersionIsCaught() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(try await cinch("init").status == 0)
    func put(_ value: String) async throws {
      let file = directory.appendingPathComponent("value.txt")
      try Data(value.utf8).write(to: file)
      let result = try await cinch(
        "ssm", "put-parameter", "--name", "/db/pw", "--type", "SecureString", "--value",
        "file://" + file.path)
      #expect(result.status == 0, "\(result.stderr)")
    }
    try await put(Self.canary)
    let template = """
      Resources:
        Db:
          Type: AWS::RDS::DBInstance
          Properties:
            MasterUserPassword: '{{resolve:ssm-secure:/db/pw}}'

      """
    try Data(template.utf8).write(to: directory.appendingPathComponent("t.yaml"))
    #expect(try await cinch("lock", "t.yaml").status == 0)
    #expect(try await cinch("ssm", "delete-parameter", "--name", "/db/pw").status == 0)
    try await put("another-\(Self.canary)")

    let plan = try await cinch("plan", "--exit-code")
    #expect(plan.status == 1)
    #expect(plan.stdout.contains("1 with another value at the locked version"), "\(plan.stdout)")
    let frozen = try await cinch("render", "--frozen", "-o", "out")
    #expect(frozen.status == 1)
    #expect(frozen.stdout.contains("error[E4014]"), "\(frozen.stdout)")
    let lock = try await cinch("lock")
    #expect(lock.status == 0)
    #expect(
      lock.stdout.hasPrefix(
        "locked 1 reference in cinch.lock (1 with another value at the same version)"),
      "\(lock.stdout)")
    #expect(try await cinch("render", "--frozen", "-o", "out").status == 0)
    for text in [
      plan.stdout, plan.stderr, frozen.stdout, frozen.stderr, lock.stdout, try read("cinch.lock"),
    ] {
      #expect(!text.contains(Self.canary))
    }
  }

  /// QA's case: the parameter deleted, written again with another value (a new version 1),
  /// then the locked value put back as version 2. The reference reads the locked value at
  /// version 2, and version 1, which the lock pins, holds another: plan says both (`*`, "same
  /// value as locked"), as `render --frozen` refuses the pin (E4014).
  @Test func aPinBehindWhoseVersionHoldsAnotherValueIsPlannedAsSuch() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(try await cinch("init").status == 0)
    func put(_ value: String, overwrite: Bool = false) async throws {
      let file = directory.appendingPathComponent("value.txt")
      try Data(value.utf8).write(to: file)
      let result = try await CinchProcess.run(
        [
          "ssm", "put-parameter", "--name", "/m/p", "--type", "SecureString", "--value",
          "file://" + file.path,
        ] + (overwrite ? ["--overwrite"] : []), in: directory)
      #expect(result.status == 0, "\(result.stderr)")
    }
    try await put(Self.canary)
    try Data(
      "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUserPassword: '{{resolve:ssm-secure:/m/p}}'\n"
        .utf8
    ).write(to: directory.appendingPathComponent("t.yaml"))
    #expect(try await cinch("lock", "t.yaml").status == 0)
    #expect(try await cinch("ssm", "delete-parameter", "--name", "/m/p").status == 0)
    try await put("another-\(Self.canary)")
    try await put(Self.canary, overwrite: true)

    let plan = try await cinch("plan")
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(
      plan.stdout.hasPrefix(
        "plan against cinch.lock: 0 to move, 0 to add, 0 to drop, 0 unchanged, 1 with another "
          + "value at the locked version\n"), "\(plan.stdout)")
    let row = try #require(plan.stdout.split(separator: "\n").last)
    #expect(row.hasPrefix("*  ssm-secure /m/p"), "\(row)")
    let cells = row.split(separator: " ").map(String.init)
    #expect(Array(cells.dropFirst(3).prefix(3)) == ["latest", "1", "2"], "\(row)")
    #expect(
      row.hasSuffix("another value at the locked version; now: same value as locked (secret)"))
    #expect(try await cinch("plan", "--exit-code").status == 1)
    let frozen = try await cinch("render", "--frozen", "-o", "out")
    #expect(frozen.status == 1)
    #expect(frozen.stdout.contains("error[E4014]"), "\(frozen.stdout)")
    for text in [plan.stdout, plan.stderr, frozen.stdout, frozen.stderr] {
      #expect(!text.contains(Self.canary))
    }
  }

  /// A pin whose version no longer exists (the secret deleted and created again, or an edited
  /// `"version": 99`) is no move: plan shows `!` and exits 1, as `outdated` and `check` do.
  @Test func aPinWhoseVersionIsGoneIsPlannedAsUnreadable() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(try await cinch("init").status == 0)
    let file = directory.appendingPathComponent("value.txt")
    try Data(#"{"password":"\#(Self.canary)"}"#.utf8).write(to: file)
    func create() async throws {
      let result = try await cinch(
        "secretsmanager", "create-secret", "--name", "m/s", "--secret-string",
        "file://" + file.path)
      #expect(result.status == 0, "\(result.stderr)")
    }
    try await create()
    #expect(
      try await cinch(
        "ssm", "put-parameter", "--name", "/m/host", "--type", "String", "--value", "db.internal"
      ).status == 0)
    try Data(
      """
      Resources:
        Db:
          Type: AWS::RDS::DBInstance
          Properties:
            MasterUserPassword: '{{resolve:secretsmanager:m/s:SecretString:password}}'
        Topic:
          Type: AWS::SNS::Topic
          Properties:
            TopicName: '{{resolve:ssm:/m/host}}'

      """.utf8
    ).write(to: directory.appendingPathComponent("t.yaml"))
    #expect(try await cinch("lock", "t.yaml").status == 0)
    #expect(
      try await cinch(
        "secretsmanager", "delete-secret", "--secret-id", "m/s",
        "--force-delete-without-recovery"
      ).status == 0)
    try await create()

    let outdated = try await cinch("outdated")
    #expect(outdated.status == 1)
    #expect(outdated.stdout.contains("no longer exists"), "\(outdated.stdout)")
    let plan = try await cinch("plan")
    #expect(plan.status == 1, "\(plan.stdout)")
    #expect(plan.stdout.contains("1 unreadable"), "\(plan.stdout)")
    let row = try #require(plan.stdout.split(separator: "\n").first { $0.contains("m/s") })
    #expect(row.hasPrefix("!  secretsmanager m/s [password]"), "\(row)")
    #expect(row.hasSuffix("locked version gone"), "\(row)")
    #expect(plan.stderr.contains("error[E4002]: pinned reference"), "\(plan.stderr)")

    // A hand-edited version the store never had: the same.
    let lock = try read("cinch.lock")
    try Data(lock.replacingOccurrences(of: #""version": 1"#, with: #""version": 99"#).utf8).write(
      to: directory.appendingPathComponent("cinch.lock"))
    let edited = try await cinch("plan", "--format", "json")
    #expect(edited.status == 1)
    #expect(edited.stdout.contains(#""failed": 2"#), "\(edited.stdout)")
    #expect(edited.stderr.contains("has no version 99"), "\(edited.stderr)")
    // `lock` refuses the gone pin too, and says which command moves it.
    let relock = try await cinch("lock")
    #expect(relock.status == 1)
    #expect(
      relock.stderr.contains(
        "pinned reference '{{resolve:ssm:/m/host}}': parameter '/m/host' has no version 99; "
          + "latest is 1 (run 'cinch lock --update /m/host')"), "\(relock.stderr)")
    for text in [
      plan.stdout, plan.stderr, edited.stdout, edited.stderr, outdated.stdout, relock.stderr,
    ] {
      #expect(!text.contains(Self.canary))
    }
  }

  /// A lock made against another store pins versions this store has too, but its fingerprints
  /// say nothing here: render --frozen refuses it (W4012 as an error), inline render says so,
  /// and once the lock is fingerprinted again render --frozen goes through.
  @Test func aLockFromAnotherStoreIsNotVouchedFor() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(try await cinch("init").status == 0)
    #expect(try await cinch("init", "--store", "other/store.db").status == 0)
    for (store, value) in [(".cinch/store.db", "here"), ("other/store.db", "there")] {
      let put = try await cinch(
        "ssm", "put-parameter", "--store", store, "--name", "/app/host", "--type", "String",
        "--value", value)
      #expect(put.status == 0, "\(put.stderr)")
    }
    let template = """
      Resources:
        Topic:
          Type: AWS::SNS::Topic
          Properties:
            TopicName: '{{resolve:ssm:/app/host}}'

      """
    try Data(template.utf8).write(to: directory.appendingPathComponent("t.yaml"))
    #expect(try await cinch("lock", "t.yaml", "--store", "other/store.db").status == 0)

    let frozen = try await cinch("render", "--frozen", "-o", "out")
    #expect(frozen.status == 1)
    #expect(frozen.stdout.contains("cinch.lock: error[W4012]"), "\(frozen.stdout)")
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out").path))
    let inline = try await cinch("render", "--mode", "inline", "-o", "inline")
    #expect(inline.status == 0, "\(inline.stderr)")
    #expect(inline.stdout.contains("cinch.lock: warning[W4012]"), "\(inline.stdout)")
    #expect(try await cinch("lock", "--update").status == 0)
    let again = try await cinch("render", "--frozen", "-o", "out")
    #expect(again.status == 0, "\(again.stdout)")
    #expect(!again.stdout.contains("W4012"))
  }

  /// Naming a template adds it to the lock: the pins of the others stay. A recorded template
  /// that no longer exists leaves it; --only locks the named ones alone.
  @Test func namedTemplatesJoinTheLock() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    #expect(try await cinch("lock", "templates/rds-postgres.yaml").status == 0)
    let added = try await cinch("lock", "templates/multi-env.yaml")
    #expect(added.status == 0, "\(added.stderr)")
    #expect(
      added.stdout.hasPrefix("locked 4 references in cinch.lock (3 added, templates changed)"))
    let plan = try await cinch("plan", "templates/multi-env.yaml")
    #expect(plan.stdout.contains("0 to drop"), "\(plan.stdout)")

    try FileManager.default.removeItem(
      at: directory.appendingPathComponent("templates/rds-postgres.yaml"))
    // Until the lock leaves it out, the commands that read the recorded templates say where
    // the missing one comes from.
    let check = try await cinch("check")
    #expect(check.status == 2)
    #expect(
      check.stdout.contains(
        "templates/rds-postgres.yaml: error[E0001]: no such file\nnote: 'cinch.lock' records "
          + "this template; 'cinch lock' leaves out a template that no longer exists"),
      "\(check.stdout)")
    let gone = try await cinch("lock")
    #expect(gone.status == 0, "\(gone.stderr)")
    #expect(
      gone.stdout.contains("  - template templates/rds-postgres.yaml (no longer exists: left out)"))
    #expect(gone.stdout.contains("1 dropped"), "\(gone.stdout)")

    try Data("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n".utf8).write(
      to: directory.appendingPathComponent("empty.yaml"))
    let only = try await cinch("lock", "--only", "empty.yaml")
    #expect(only.status == 0, "\(only.stderr)")
    #expect(only.stdout.hasPrefix("locked 0 references in cinch.lock (3 dropped"), "\(only.stdout)")
  }

  /// A lock kept in another folder records sites relative to itself; outdated and plan name
  /// the files as the user does from here, as check does.
  @Test func sitesAreNamedFromHere() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    let lock = try await cinch("lock", "--lock", "locks/cinch.lock", "templates/multi-env.yaml")
    #expect(lock.status == 0, "\(lock.stderr)")
    #expect(try read("locks/cinch.lock").contains("../templates/multi-env.yaml:63:33"))
    await #expect(
      try cinch(
        "ssm", "put-parameter", "--name", "/myapp/prod/dbpassword", "--value", "fifth",
        "--type", "SecureString", "--overwrite"
      ).status == 0)
    let outdated = try await cinch("outdated", "--lock", "locks/cinch.lock")
    #expect(outdated.stdout.contains(" templates/multi-env.yaml:63:33"), "\(outdated.stdout)")
    #expect(!outdated.stdout.contains("../"), "\(outdated.stdout)")
    let plan = try await cinch("plan", "--lock", "locks/cinch.lock", "--format", "markdown")
    #expect(plan.stdout.contains("`templates/multi-env.yaml:63:33`"), "\(plan.stdout)")
  }

  /// The summary says what changed in the file, not only in the pins; naming the same
  /// templates in another order changes nothing.
  @Test func lockSaysWhatChangedInTheFile() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    let first = try await cinch("lock", "templates/rds-postgres.yaml", "templates/multi-env.yaml")
    #expect(first.status == 0, "\(first.stderr)")
    let lockText = try read("cinch.lock")
    // An unchanged lock is not written again: its inode and time stay (make, file watchers).
    let lockPath = directory.appendingPathComponent("cinch.lock").path
    let before = try FileManager.default.attributesOfItem(atPath: lockPath)
    let reordered = try await cinch(
      "lock", "templates/multi-env.yaml", "templates/rds-postgres.yaml")
    #expect(reordered.stdout == "locked 4 references in cinch.lock (unchanged)\n")
    #expect(try read("cinch.lock") == lockText)
    let after = try FileManager.default.attributesOfItem(atPath: lockPath)
    #expect(before[.systemFileNumber] as? Int == after[.systemFileNumber] as? Int)
    #expect(before[.modificationDate] as? Date == after[.modificationDate] as? Date)

    let template = directory.appendingPathComponent("templates/rds-postgres.yaml")
    let text = try String(contentsOf: template, encoding: .utf8)
    try Data(("# a comment line moves every site below it\n" + text).utf8).write(to: template)
    let moved = try await cinch("lock")
    #expect(moved.stdout == "locked 4 references in cinch.lock (sites of 1 reference changed)\n")
    // Another region: the store is read as from there, so every pin's ARN is eu-west-1's.
    let region = try await cinch("lock", "--region", "eu-west-1")
    #expect(
      region.stdout
        == "locked 4 references in cinch.lock (details of 4 pins read again, inputs changed)\n")
  }

  /// A plan of some of the lock's templates, or one where a template does not parse, drops only
  /// the entries read from templates it planned: the others' are not "no template reads it".
  @Test func planDropsOnlyWhatThePlannedTemplatesStoppedReading() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    let lock = try await cinch("lock", "templates/rds-postgres.yaml", "templates/multi-env.yaml")
    #expect(lock.status == 0, "\(lock.stderr)")

    let part = try await cinch("plan", "templates/multi-env.yaml", "--format", "json")
    #expect(part.status == 0, "\(part.stderr)")
    #expect(part.stdout.contains(#""dropped": 0"#), "\(part.stdout)")

    let broken = directory.appendingPathComponent("templates/rds-postgres.yaml")
    try Data("Resources:\n  Db: [\n".utf8).write(to: broken)
    let plan = try await cinch("plan")
    #expect(plan.status == 1)
    #expect(plan.stdout.contains("0 to drop"), "\(plan.stdout)")
    // What only the broken template reads is listed as not planned, not left out.
    #expect(
      plan.stdout.contains("1 not planned (a template did not load)"), "\(plan.stdout)")
    #expect(plan.stdout.contains("?  ssm-secure /myapp/prod/dbpassword"), "\(plan.stdout)")
    #expect(plan.stderr.contains("templates/rds-postgres.yaml:"), "\(plan.stderr)")

    // Gone from a template that parses: that entry is dropped.
    try Data("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n".utf8).write(to: broken)
    let emptied = try await cinch("plan")
    #expect(emptied.status == 0, "\(emptied.stderr)")
    #expect(emptied.stdout.contains("1 to drop"), "\(emptied.stdout)")
    // A dropped entry has no value to compare: null, not "unchanged".
    let json = try await cinch("plan", "--format", "json")
    let changes = try #require(
      (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?[
        "changes"] as? [[String: Any]])
    let dropped = try #require(changes.first { $0["status"] as? String == "dropped" })
    #expect(dropped["valueChanged"] is NSNull)
  }

  /// A lock records the region and account it was given, not the defaults it fell back on:
  /// read back as given, a default silenced W2015 for names built from it in every later check.
  @Test func aDefaultedRegionIsNotRecordedAsGiven() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(try await cinch("init").status == 0)
    #expect(
      try await cinch(
        "ssm", "put-parameter", "--name", "/r/us-east-1/name", "--value", "v", "--type", "String"
      ).status == 0)
    try Data(
      """
      Resources:
        P:
          Type: AWS::SSM::Parameter
          Properties:
            Type: String
            Value: !Sub '{{resolve:ssm:/r/${AWS::Region}/name}}'
      """.utf8
    ).write(to: directory.appendingPathComponent("t.yaml"))
    #expect(try await cinch("lock", "t.yaml").status == 0)
    #expect(!(try read("cinch.lock")).contains("\"region\""))
    let check = try await cinch("check", "t.yaml")
    #expect(check.stdout.contains("warning[W2015]"), "\(check.stdout)")

    #expect(try await cinch("lock", "--region", "us-east-1", "t.yaml").status == 0)
    #expect(try read("cinch.lock").contains("\"region\": \"us-east-1\""))
    let given = try await cinch("check", "t.yaml")
    #expect(!given.stdout.contains("W2015"), "\(given.stdout)")
  }

  /// A lock records the region and account it was made for; rendering or checking with it for
  /// another would write or vouch for another store's versions: refused, as `policy` refuses
  /// it, with nothing written. The lock's own region (the flag left out) is used as before.
  @Test func aLockForAnotherRegionIsNotUsedForThisOne() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    #expect(
      try await cinch("lock", "--region", "eu-west-1", "templates/rds-postgres.yaml").status == 0)
    let expected =
      "cinch: error: cinch.lock was made for region eu-west-1, not us-east-1: its pins and keys "
      + "belong to that store; "
    for mode in [["--frozen"], ["--mode", "inline"], []] {
      let render = try await CinchProcess.run(
        ["render", "--region", "us-east-1", "-o", "out"] + mode, in: directory)
      #expect(render.status == 2, "\(mode)")
      #expect(
        render.stderr == expected
          + "lock for this target into another lockfile and render with it (--lock)\n",
        "\(render.stderr)")
      #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out").path))
    }
    for flags in [["--offline"], []] {
      let check = try await CinchProcess.run(
        ["check", "--region", "us-east-1", "--format", "sarif"] + flags, in: directory)
      #expect(check.status == 2, "\(flags)")
      #expect(check.stderr == expected + "check with a lock made for this target (--lock)\n")
      #expect(check.stdout.contains("\"executionSuccessful\": false"), "\(check.stdout)")
    }
    // A plan compares this target's reads with the lock's pins: another region's are no base.
    let plan = try await cinch("plan", "--region", "us-east-1", "--exit-code")
    #expect(plan.status == 2)
    #expect(
      plan.stderr == expected
        + "plan against a lock made for this target (--lock or --against)\n", "\(plan.stderr)")
    #expect(plan.stdout.isEmpty)
    #expect(try await cinch("render", "--frozen", "-o", "out").status == 0)
    #expect(try await cinch("check", "--offline").status == 0)
  }

  /// A region or account from the environment is held to the flags' rules, named by its
  /// variable: it would go into every ARN of the lock and the policy. An empty --output is
  /// no folder (read as a path, it is the root).
  @Test func badTargetsFromTheEnvironmentAndAnEmptyOutputAreRefused() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    let region = try await CinchProcess.run(
      ["lock", "templates/rds-postgres.yaml"], in: directory,
      environment: ["AWS_REGION": "not a region"])
    #expect(region.status == 2)
    #expect(
      region.stderr
        == "cinch: error: AWS_REGION must be a region name such as us-east-1 (lowercase "
        + "letters, digits and hyphens); got 'not a region'\n", "\(region.stderr)")
    #expect(
      !FileManager.default.fileExists(atPath: directory.appendingPathComponent("cinch.lock").path))
    let account = try await CinchProcess.run(
      ["policy", "templates/rds-postgres.yaml", "--region", "eu-west-1"], in: directory,
      environment: ["CINCH_ACCOUNT_ID": "abc"])
    #expect(account.status == 2)
    #expect(account.stderr.contains("CINCH_ACCOUNT_ID must be 12 digits; got 'abc'"))
    // One line whatever the flag held: a newline or an escape sequence is U+FFFD.
    let control = try await CinchProcess.run(
      ["refs", "templates/rds-postgres.yaml", "--stack-name", "a\nb\u{1B}[31m"], in: directory)
    #expect(control.stderr.split(separator: "\n").count == 1, "\(control.stderr)")
    #expect(control.stderr.contains("got 'a\u{FFFD}b\u{FFFD}[31m'"), "\(control.stderr)")
    for name in ["a/b", "1stack", "", "my_stack", String(repeating: "s", count: 129)] {
      let stack = try await CinchProcess.run(
        ["refs", "templates/rds-postgres.yaml", "--stack-name", name], in: directory)
      #expect(stack.status == 2, "\(name)")
      #expect(stack.stderr.contains("--stack-name must start with a letter"), "\(stack.stderr)")
    }
    #expect(
      try await CinchProcess.run(
        ["refs", "templates/rds-postgres.yaml", "--stack-name", "My-Stack-2"], in: directory
      ).status == 0)
    let put = try await CinchProcess.run(
      ["ssm", "put-parameter", "--name", "/x", "--value", "v", "--type", "String"],
      in: directory, environment: ["AWS_REGION": "EU-WEST-1"])
    #expect(put.status != 0)
    #expect(put.stderr.contains("AWS_REGION must be a region name"), "\(put.stderr)")
    #expect(try await cinch("lock", "templates/rds-postgres.yaml").status == 0)
    let empty = try await cinch("render", "-o", "")
    #expect(empty.status == 2)
    #expect(empty.stderr.contains("--output needs a folder, or - for stdout"), "\(empty.stderr)")
  }

  /// A lockfile that cannot be read says why: a folder, or bytes that are not UTF-8.
  @Test func anUnreadableLockfileSaysWhy() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("folder.lock"), withIntermediateDirectories: true)
    try Data([0xFF, 0xFE, 0x78]).write(to: directory.appendingPathComponent("bytes.lock"))
    for (lock, reason) in [
      ("folder.lock", "it is a folder"), ("bytes.lock", "it is not UTF-8 text"),
    ] {
      let result = try await cinch("check", "--offline", "--lock", lock)
      #expect(result.status == 2)
      #expect(
        result.stderr.contains("\(lock): cannot read the lockfile: \(reason)"), "\(result.stderr)")
    }
  }

  /// With a machine format stdout is the findings alone (a CI step parses it); what lock and
  /// render did goes to stderr.
  @Test func machineFormatsKeepStandardOutputParseable() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    for command in [
      ["lock", "templates/rds-postgres.yaml"], ["render", "-o", "out"],
    ] {
      for format in ["json", "sarif"] {
        let result = try await CinchProcess.run(command + ["--format", format], in: directory)
        #expect(result.status == 0, "\(command) \(format): \(result.stderr)")
        #expect(
          (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) != nil,
          "\(command) \(format): \(result.stdout)")
        #expect(
          result.stderr.hasPrefix(command[0] == "lock" ? "locked 1 reference" : "rendered 1 file"),
          "\(result.stderr)")
      }
    }
  }

  /// The lockfile is the user's: rewriting it follows a symbolic link to the file it names
  /// and keeps the file's permissions, as an editor would.
  @Test func aLockfileKeepsItsLinkAndItsMode() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    #expect(
      try await cinch("lock", "templates/rds-postgres.yaml", "--lock", "real.lock").status == 0)
    let real = directory.appendingPathComponent("real.lock").path
    #expect(chmod(real, 0o640) == 0)
    #expect(symlink("real.lock", directory.appendingPathComponent("link.lock").path) == 0)
    let update = try await cinch(
      "lock", "templates/rds-postgres.yaml", "templates/multi-env.yaml", "--lock", "link.lock")
    #expect(update.status == 0, "\(update.stderr)")
    let link = try FileManager.default.destinationOfSymbolicLink(
      atPath: directory.appendingPathComponent("link.lock").path)
    #expect(link == "real.lock")
    #expect(try read("real.lock").contains("multi-env.yaml"))
    var info = stat()
    #expect(stat(real, &info) == 0)
    #expect(info.st_mode & 0o7777 == 0o640)
    // A link into another folder: the lock's paths are relative to the file it names, so the
    // lock reads the same through the link and by its own name.
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("shared"), withIntermediateDirectories: true)
    #expect(symlink("shared/other.lock", directory.appendingPathComponent("far.lock").path) == 0)
    #expect(
      try await cinch("lock", "templates/rds-postgres.yaml", "--lock", "far.lock").status == 0)
    #expect(try read("shared/other.lock").contains("../templates/rds-postgres.yaml"))
    for lock in ["far.lock", "shared/other.lock"] {
      let check = try await cinch("check", "--offline", "--lock", lock)
      #expect(check.status == 0, "\(lock): \(check.stdout)\(check.stderr)")
    }
    // A loop of links is refused, and stays as it was.
    #expect(symlink("loop.lock", directory.appendingPathComponent("loop.lock").path) == 0)
    let loop = try await cinch("lock", "templates/rds-postgres.yaml", "--lock", "loop.lock")
    #expect(loop.status != 0)
    #expect(loop.stderr.contains("too many levels of symbolic links"), "\(loop.stderr)")
    #expect(
      (try? FileManager.default.destinationOfSymbolicLink(
        atPath: directory.appendingPathComponent("loop.lock").path)) == "loop.lock")
  }

  /// A lockfile named with --lock must exist: a typo would otherwise pass for "no lock yet",
  /// render would pin to whatever the store holds now and check would skip the lock's checks.
  /// The default lockfile may be missing (a first render pins to the latest versions).
  @Test func aNamedLockfileThatDoesNotExistIsAnError() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    for command in [["render", "-o", "out"], ["check"], ["plan"]] {
      let result = try await CinchProcess.run(
        command + ["templates/rds-postgres.yaml", "--lock", "cinch.lck"], in: directory)
      #expect(result.status == 2, "\(command): \(result.stderr)")
      #expect(result.stderr == "cinch: error: cinch.lck: no such lockfile\n", "\(command)")
      #expect(result.stdout.isEmpty, "\(command)")
    }
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out").path))
    // In a CI format the failure is still a log of a check that did not run.
    let sarif = try await cinch(
      "check", "templates/rds-postgres.yaml", "--lock", "cinch.lck", "--format", "sarif")
    #expect(sarif.status == 2)
    #expect(sarif.stdout.contains("\"executionSuccessful\": false"), "\(sarif.stdout)")
    // Without --lock, no lockfile is no lock.
    let first = try await cinch("render", "templates/rds-postgres.yaml", "-o", "out")
    #expect(first.status == 0, "\(first.stderr)")
  }

  /// A `Fn::Join` whose pieces compose two references is one place that reads both: they are
  /// locked, but render cannot rewrite it and says so, writing nothing. A join that composes one
  /// reference beside another written whole in a piece renders both (it was refused as
  /// composing two, the piece's reference counted for the join as well).
  @Test func joinsAreRenderedWhenTheyComposeOneReference() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    func write(_ name: String, _ join: String) throws {
      let template = """
        AWSTemplateFormatVersion: '2010-09-09'
        Parameters:
          Env: {Type: String, Default: prod}
        Resources:
          Db:
            Type: AWS::RDS::DBInstance
            Properties:
              DBName: !Join ['', [\(join)]]
        """
      try Data(template.utf8).write(to: directory.appendingPathComponent("templates/\(name)"))
    }
    try write(
      "two.yaml",
      "'{{resolve:ssm:/myapp/', 'prod/db-host}}-{{resolve:ssm:/myapp/', 'prod/db-host:1}}'")
    try write(
      "one.yaml",
      "'{{resolve:ssm:/myapp/prod/db-host:1}}', '-', '{{resolve:ssm:/myapp/', !Ref Env, '/db-host}}'"
    )

    #expect(try await cinch("lock", "templates/two.yaml", "templates/one.yaml").status == 0)
    let two = try await cinch("render", "templates/two.yaml", "-o", "out-two")
    #expect(two.status == 1)
    #expect(two.stderr.contains("nothing written"))
    #expect(
      two.stdout.contains(
        "two.yaml:8:15: error[E5002]: this Fn::Join composes 2 references; render each separately"),
      "\(two.stdout)")
    let output = directory.appendingPathComponent("out-two").path
    #expect(!FileManager.default.fileExists(atPath: output))

    let one = try await cinch("render", "templates/one.yaml", "-o", "-")
    #expect(one.status == 0, "\(one.stdout)\(one.stderr)")
    #expect(
      one.stdout.contains(
        "['{{resolve:ssm:/myapp/prod/db-host:1}}', '-', '{{resolve:ssm:/myapp/', !Ref Env, '/db-host:1}}']"
      ), "\(one.stdout)")
    // Pieces that choose their text (and a nested join) carry the opener: the reference the
    // deploy takes is locked, and the version goes into the literal piece that closes it.
    try write(
      "choices.yaml",
      "!Select [0, ['{{resolve:ssm:/myapp/']], !Join ['', [!Ref Env, '/db']], '-host}}'")
    #expect(try await cinch("lock", "templates/choices.yaml", "--lock", "choices.lock").status == 0)
    let choices = try await cinch(
      "render", "templates/choices.yaml", "--lock", "choices.lock", "-o", "-")
    #expect(choices.status == 0, "\(choices.stdout)\(choices.stderr)")
    #expect(
      choices.stdout.contains(
        "[!Select [0, ['{{resolve:ssm:/myapp/']], !Join ['', [!Ref Env, '/db']], '-host:1}}']"),
      "\(choices.stdout)")
  }

  /// A piece of a `Fn::Join` that an alias repeats in a plain property: pinning or inlining it
  /// would change that property too once `aws cloudformation package` expands the alias (and
  /// inlining would drop the anchor). Either mode says so and writes nothing.
  @Test func aJoinPieceThatAnAliasRepeatsIsNotRendered() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed()
    let template = """
      AWSTemplateFormatVersion: '2010-09-09'
      Parameters:
        Env: {Type: String, Default: prod}
      Resources:
        Host:
          Type: AWS::SSM::Parameter
          Properties:
            Type: String
            Value: !Join ["", ["{{resolve:ssm:/myapp/", !Ref Env, &e "/db-host}}"]]
            Description: *e
      """
    try Data(template.utf8).write(to: directory.appendingPathComponent("templates/alias.yaml"))
    #expect(try await cinch("lock", "templates/alias.yaml").status == 0)
    for mode in ["pin", "inline"] {
      let render = try await cinch(
        "render", "templates/alias.yaml", "--mode", mode, "-o", "out-\(mode)")
      #expect(render.status == 1, "\(render.stdout)\(render.stderr)")
      #expect(render.stderr.contains("nothing written"))
      #expect(
        render.stdout.contains(
          "alias.yaml:9:14: error[E5002]: reference '{{resolve:ssm:/myapp/${Env}/db-host}}' is "
            + "assembled by 'Fn::Join' from a piece that an alias repeats at "
            + "'Resources/Host/Properties/Description', outside this reference"),
        "\(render.stdout)")
      let output = directory.appendingPathComponent("out-\(mode)").path
      #expect(!FileManager.default.fileExists(atPath: output))
    }
  }
}
