import Foundation
import GRDB
import Testing
import _CinchTestSupport

/// A store changed behind cinch's back, as a user meets it: one line and a documented exit
/// status (254 for what an operation finds, 253 for a store that does not open), never a trap
/// (132) or Foundation's error text (255).
@Suite struct StoreDamageCommandTests {
  typealias Project = StoreCommandTests.Project

  static func seeded() async throws -> Project {
    let project = try await Project()
    for arguments in [
      ["ssm", "put-parameter", "--name", "/app/pw", "--type", "SecureString", "--value", "s3"],
      ["secretsmanager", "create-secret", "--name", "app/db", "--secret-string", "{\"u\":\"x\"}"],
    ] {
      let made = try await project.run(arguments)
      #expect(made.status == 0, "\(made.stderr)")
    }
    return project
  }

  static func tamper(_ project: Project, _ sql: String) throws {
    let queue = try DatabaseQueue(path: project.path(".cinch/store.db"))
    try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
    try queue.close()
  }

  static let getParameter = ["ssm", "get-parameter", "--name", "/app/pw"]
  static let getSecret = ["secretsmanager", "get-secret-value", "--secret-id", "app/db"]

  @Test func aCutLogStaysCaughtAfterTheNextCommand() async throws {
    let project = try await Self.seeded()
    try Self.tamper(
      project, "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 1 FROM audit_log)")
    #expect(try await project.run(["audit", "verify"]).status == 1)
    let read = try await project.run(Self.getParameter)
    #expect(read.status == 254)
    #expect(read.stdout == "")
    #expect(
      read.stderr.trimmingCharacters(in: .newlines)
        == "An error occurred (InternalServerError) when calling the GetParameter operation: "
        + "the audit log does not match its sealed head; nothing was written: run 'cinch audit "
        + "verify'")
    let verify = try await project.run(["audit", "verify"])
    #expect(verify.status == 1)
    #expect(verify.stderr.contains("rows were removed from the end"), "\(verify.stderr)")
  }

  @Test(arguments: [
    (
      "UPDATE entry_versions SET created_at = 1e300", getParameter,
      "entry_versions.created_at of parameter '/app/pw' version 1 is not a time"
    ),
    (
      "UPDATE entry_versions SET version_id = NULL WHERE version_id IS NOT NULL", getSecret,
      "entry_versions.version_id of secret 'app/db' version 1 is NULL"
    ),
    (
      "UPDATE entries SET attributes = '{\"arnSuffix\":123}' WHERE kind = 'secretsmanager-secret'",
      getSecret,
      "entries.attributes of secret 'app/db' is not the JSON cinch writes (at 'arnSuffix')"
    ),
    (
      "UPDATE entry_versions SET attributes = '[' WHERE version_id IS NOT NULL", getSecret,
      "entry_versions.attributes of secret 'app/db' version 1 is not the JSON cinch writes"
    ),
  ])
  func aDamagedRowIsOneLineAndExit254(_ sql: String, _ command: [String], _ place: String)
    async throws
  {
    let project = try await Self.seeded()
    try Self.tamper(project, sql)
    let read = try await project.run(command)
    #expect(read.status == 254, "\(read.stderr)")
    #expect(read.stdout == "")
    #expect(
      read.stderr.contains("operation: store is damaged: \(place); restore it from a backup\n"))
    #expect(read.stderr.split(separator: "\n").count == 1, "\(read.stderr)")
    #expect(!read.stderr.contains("tester"))
    // Each service names the fault with a code of its own API model.
    let code = command[0] == "ssm" ? "InternalServerError" : "InternalServiceError"
    #expect(read.stderr.hasPrefix("An error occurred (\(code))"), "\(read.stderr)")
  }

  /// A sealed value that does not open is Secrets Manager's `DecryptionFailure`, which SDKs
  /// catch by name; Parameter Store has no such code, so it stays `InternalServerError` there.
  @Test func aValueThatDoesNotOpenIsNamedInEachServicesTerms() async throws {
    let project = try await Self.seeded()
    try Self.tamper(
      project,
      "UPDATE entry_versions SET sealed = substr(sealed, 1, 40) || x'00' || substr(sealed, 42)")
    let secret = try await project.run(Self.getSecret)
    #expect(secret.status == 254)
    #expect(
      secret.stderr.hasPrefix(
        "An error occurred (DecryptionFailure) when calling the GetSecretValue operation: the "
          + "sealed value of 'app/db' version 1 does not open"), "\(secret.stderr)")
    let parameter = try await project.run(Self.getParameter + ["--with-decryption"])
    #expect(parameter.status == 254)
    #expect(
      parameter.stderr.hasPrefix("An error occurred (InternalServerError)"), "\(parameter.stderr)")
  }

  /// A damaged `store_meta` row refuses the store as it opens (exit 253), on one line: a value
  /// holding a terminal escape and a newline reaches the terminal escaped (it was printed raw
  /// until 2026-12-07), and a store key that does not open under the master key that passes
  /// the key check is damage (it read "wrong master key" until 2026-12-07), as is a key record
  /// of a length no key opens (the same). So is a schema record that lacks a step the store
  /// holds (until 2026-12-07 SQLite's "duplicate column name: version_id" after the step ran
  /// again, exit 253 too).
  @Test(arguments: [
    (
      "UPDATE store_meta SET value = CAST('x' || char(27) || ']0;pwned' || char(7) || char(10) "
        + "|| 'line2' AS BLOB) WHERE key = 'master_mode'",
      #"its master key mode 'x\u{1B}]0;pwned\u{7}\u{A}line2' is neither 'key' nor 'passphrase'"#
    ),
    (
      "UPDATE store_meta SET value = x'01' || randomblob(76) WHERE key = 'store_key'",
      "its store key does not open under the master key that passes the key check"
    ),
    (
      "UPDATE store_meta SET value = x'' WHERE key = 'store_key'",
      "its store_meta record 'store_key' is 0 bytes long, not 77"
    ),
    (
      "UPDATE store_meta SET value = x'0102' WHERE key = 'key_check'",
      "its store_meta record 'key_check' is 2 bytes long, not 77"
    ),
    (
      "UPDATE store_meta SET value = x'0102' WHERE key = 'store_id'",
      "its store_meta record 'store_id' is 2 bytes long, not 16"
    ),
    (
      "DELETE FROM grdb_migrations WHERE identifier = 'v10-audit-version-ids'",
      "its schema record lacks step 'v10-audit-version-ids', which does not apply to its tables "
        + "(SQLite: duplicate column name: version_id)"
    ),
    (
      "DELETE FROM grdb_migrations",
      "its schema record lacks step 'v1-store', which made its store_meta table"
    ),
  ])
  func aDamagedStoreMetaOrSchemaRecordIsOneLineAndExit253(_ sql: String, _ problem: String)
    async throws
  {
    let project = try await Self.seeded()
    try Self.tamper(project, sql)
    let read = try await project.run(Self.getParameter)
    #expect(read.status == 253)
    #expect(read.stdout == "")
    #expect(
      read.stderr.trimmingCharacters(in: .newlines)
        == "cinch: store '.cinch/store.db' is damaged: \(problem); restore it from a backup")
    #expect(!read.stderr.unicodeScalars.contains { $0.value == 27 || $0.value == 7 })
  }

  /// A directory where the store's `-shm` belongs is named, by reads and by `audit verify`
  /// alike (until 2026-12-07 "attempt to write a readonly database", or, beside a WAL with
  /// frames, a read's `InternalServerError` while `audit verify` passed).
  @Test func aDirectoryWhereTheWALIndexBelongsIsNamed() async throws {
    let project = try await Self.seeded()
    let path = project.path(".cinch/store.db-shm")
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    for command in [Self.getParameter, ["audit", "verify"]] {
      let run = try await project.run(command)
      #expect(command == Self.getParameter ? run.status == 253 : run.status != 0, "\(command)")
      #expect(run.stdout == "")
      #expect(
        run.stderr.trimmingCharacters(in: .newlines)
          == "cinch: '.cinch/store.db-shm' is a directory, where the store's WAL index belongs; "
          + "move it out of the way (SQLite makes the file as the store opens)")
    }
  }

  @Test func aDamagedFileIsToldFromOneThatIsNoDatabase() async throws {
    let project = try await Self.seeded()
    let path = project.path(".cinch/store.db")
    let whole = try #require(FileManager.default.contents(atPath: path))
    try whole.prefix(60_000).write(to: URL(fileURLWithPath: path))
    let cut = try await project.run(Self.getParameter)
    #expect(cut.status == 253)
    #expect(
      cut.stderr.trimmingCharacters(in: .newlines)
        == "cinch: store '.cinch/store.db' is damaged: its 60000 bytes are not a whole number of "
        + "4096-byte pages (cut short?); restore it from a backup")

    try Data("my notes\n".utf8).write(to: URL(fileURLWithPath: path))
    let notes = try await project.run(Self.getParameter)
    #expect(notes.status == 253)
    #expect(
      notes.stderr.trimmingCharacters(in: .newlines)
        == "cinch: '.cinch/store.db' is not a cinch store: not an SQLite database")
  }
}
