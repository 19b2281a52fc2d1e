import Foundation
import Testing
import _CinchTestSupport

/// `cinch kv …` as a user runs it: Vault's tables, `-format=json`, `-field`, messages and exit
/// codes (1 for local errors, 2 for errors from the API).
@Suite struct KVCommandTests {
  final class Workspace {
    let directory: URL
    init() async throws {
      directory = try CinchProcess.temporaryDirectory()
      #expect(try await CinchProcess.run(["init"], in: directory).status == 0)
    }
    deinit { try? FileManager.default.removeItem(at: directory) }

    @discardableResult
    func cinch(_ arguments: String..., stdin: String? = nil) async throws -> CinchProcess.Result {
      try await CinchProcess.run(arguments, in: directory, stdin: stdin)
    }
  }

  /// Times change from run to run: blank them out.
  static func stable(_ text: String) -> String {
    text.replacingOccurrences(
      of: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"#, with: "TIME", options: .regularExpression)
  }

  @Test func theSeedsPutAndGetPrintVaultsTables() async throws {
    let workspace = try await Workspace()
    let put = try await workspace.cinch(
      "kv", "put", "secret/myapp/dbpassword", "password=MySecurePassword123!")
    #expect(put.status == 0)
    #expect(
      Self.stable(put.stdout) == """
        ======== Secret Path ========
        secret/data/myapp/dbpassword

        ======= Metadata =======
        Key                Value
        ---                -----
        created_time       TIME
        custom_metadata    <nil>
        deletion_time      n/a
        destroyed          false
        version            1

        """)
    let get = try await workspace.cinch("kv", "get", "secret/myapp/dbpassword")
    #expect(get.status == 0)
    #expect(
      Self.stable(get.stdout) == """
        ======== Secret Path ========
        secret/data/myapp/dbpassword

        ======= Metadata =======
        Key                Value
        ---                -----
        created_time       TIME
        custom_metadata    <nil>
        deletion_time      n/a
        destroyed          false
        version            1

        ====== Data ======
        Key         Value
        ---         -----
        password    MySecurePassword123!

        """)
    let field = try await workspace.cinch(
      "kv", "get", "-field=password", "-mount=secret", "myapp/dbpassword")
    #expect(field.stdout == "MySecurePassword123!")
    let json = try await workspace.cinch("kv", "get", "-format=json", "secret/myapp/dbpassword")
    #expect(json.stdout.contains("\"password\": \"MySecurePassword123!\""))
    #expect(json.stdout.hasPrefix("{\n  \"request_id\": "))
  }

  /// `vault read` of a deleted KV v2 version prints what the 404 carries (its metadata), as
  /// Vault's client reads a 404 with data; with nothing in it, "No value found" and exit 2.
  @Test func genericReadOfADeletedVersionPrintsItsMetadata() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "put", "secret/rd", "a=1")
    try await workspace.cinch("kv", "delete", "secret/rd")
    let deleted = try await workspace.cinch("read", "secret/data/rd")
    #expect(deleted.status == 0, "\(deleted.stderr)")
    #expect(deleted.stdout.contains("data        <nil>\n"))
    #expect(deleted.stdout.contains("destroyed:false version:1]"))
    let json = try await workspace.cinch("read", "-format=json", "secret/data/rd")
    #expect(json.status == 0)
    #expect(json.stdout.contains("\"data\": null,"))
    let missing = try await workspace.cinch("read", "secret/data/none")
    #expect(missing.status == 2)
    #expect(missing.stderr == "No value found at secret/data/none\n")
  }

  @Test func errorsUseVaultsTextAndExitCodes() async throws {
    let workspace = try await Workspace()
    let missing = try await workspace.cinch("kv", "get", "secret/none")
    #expect(missing.status == 2)
    #expect(missing.stderr == "No value found at secret/data/none\n")
    try await workspace.cinch("kv", "put", "secret/a", "k=v")
    let cas = try await workspace.cinch("kv", "put", "-cas=0", "secret/a", "k=w")
    #expect(cas.status == 2)
    #expect(
      cas.stderr == """
        Error writing data to secret/data/a: Error making API request.

        URL: PUT /v1/secret/data/a
        Code: 400. Errors:

        * check-and-set parameter did not match the current version

        """)
    let noVersions = try await workspace.cinch("kv", "destroy", "secret/a")
    #expect(noVersions.status == 1)
    #expect(
      noVersions.stderr
        == "No versions provided, use the \"-versions\" flag to specify the version to destroy.\n")
    #expect(try await workspace.cinch("kv", "put", "secret/a").status == 1)
    #expect(try await workspace.cinch("kv", "get", "--no-such-flag", "secret/a").status == 1)
  }

  /// Vault's `-version` is a Go flag: one dash or two, its value after `=` or as the next
  /// word; none (or 0) reads the latest version.
  @Test func getReadsTheVersionGivenInEveryFormOfTheFlag() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "put", "secret/app/db", "v=1")
    try await workspace.cinch("kv", "put", "secret/app/db", "v=2")
    for flag in [["-version=1"], ["-version", "1"], ["--version=1"], ["--version", "1"]] {
      let get = try await CinchProcess.run(
        ["kv", "get"] + flag + ["-field=v", "secret/app/db"], in: workspace.directory)
      #expect(get.stdout == "1", "\(flag): \(get.stderr)")
    }
    #expect(try await workspace.cinch("kv", "get", "-field=v", "secret/app/db").stdout == "2")
    #expect(
      try await workspace.cinch("kv", "get", "-version=0", "-field=v", "secret/app/db").stdout
        == "2")
  }

  @Test func deleteUndeleteDestroyRollbackAndList() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "put", "secret/app/db", "v=1")
    try await workspace.cinch("kv", "put", "secret/app/db", "v=2")
    try await workspace.cinch("kv", "put", "secret/app/other", "x=1")
    let delete = try await workspace.cinch("kv", "delete", "secret/app/db")
    #expect(delete.stdout == "Success! Data deleted (if it existed) at: secret/data/app/db\n")
    // A deleted version prints its metadata and no Data section, exit 0.
    let deleted = try await workspace.cinch("kv", "get", "secret/app/db")
    #expect(deleted.status == 0)
    #expect(!deleted.stdout.contains("== Data =="))
    #expect(deleted.stdout.contains("version            2"))
    let undelete = try await workspace.cinch("kv", "undelete", "-versions=2", "secret/app/db")
    #expect(undelete.stdout == "Success! Data written to: secret/undelete/app/db\n")
    #expect(try await workspace.cinch("kv", "get", "-field=v", "secret/app/db").stdout == "2")

    let rollback = try await workspace.cinch("kv", "rollback", "-version=1", "secret/app/db")
    #expect(rollback.status == 0)
    #expect(
      Self.stable(rollback.stdout).hasPrefix("Key                Value\n---                -----\n")
    )
    #expect(rollback.stdout.contains("version            3"))
    #expect(try await workspace.cinch("kv", "get", "-field=v", "secret/app/db").stdout == "1")

    try await workspace.cinch("kv", "destroy", "-versions=1", "secret/app/db")
    let destroyed = try await workspace.cinch("kv", "rollback", "-version=1", "secret/app/db")
    #expect(destroyed.status == 2)
    #expect(destroyed.stderr == "Cannot roll back to a version that has been destroyed\n")

    let list = try await workspace.cinch("kv", "list", "secret/app")
    #expect(list.stdout == "Keys\n----\ndb\nother\n")
    let root = try await workspace.cinch("kv", "list", "secret/")
    #expect(root.stdout == "Keys\n----\napp/\n")
    #expect(try await workspace.cinch("kv", "list", "secret/none").status == 2)
  }

  /// The path is the key as typed: Vault's CLI puts it in `URL.Path`, escaped on the wire, so
  /// `pct%41` is a key of six characters (not `pctA`), `disc%2Fnested` no folder, `victim%00x`
  /// no NUL (which reached the store and overwrote `victim`) and `q?x` no query.
  @Test func thePathIsTheKeyAsTyped() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "put", "secret/victim", "v=original")
    for (number, path) in [
      "secret/pct%41", "secret/disc%2Fnested", "secret/victim%00x", "secret/q?x",
    ]
    .enumerated() {
      let put = try await workspace.cinch("kv", "put", path, "v=\(number)")
      #expect(put.status == 0, "\(path): \(put.stderr)")
    }
    let list = try await workspace.cinch("kv", "list", "secret")
    #expect(list.stdout == "Keys\n----\ndisc%2Fnested\npct%41\nq?x\nvictim\nvictim%00x\n")
    #expect(try await workspace.cinch("kv", "get", "-field=v", "secret/pct%41").stdout == "0")
    #expect(try await workspace.cinch("kv", "get", "-field=v", "secret/q?x").stdout == "3")
    #expect(try await workspace.cinch("kv", "get", "secret/pctA").status == 2)
    #expect(try await workspace.cinch("kv", "metadata", "delete", "secret/victim%00x").status == 0)
    #expect(
      try await workspace.cinch("kv", "get", "-field=v", "secret/victim").stdout == "original")
    // The generic commands send the path as typed too.
    #expect(try await workspace.cinch("delete", "secret/metadata/pct%41").status == 0)
    #expect(try await workspace.cinch("kv", "get", "secret/pct%41").status == 2)
    let read = try await workspace.cinch("read", "-field=data", "-format=json", "secret/data/q?x")
    #expect(read.status == 0, "\(read.stderr)")
    #expect(read.stdout.contains(#""v": "3""#), "\(read.stdout)")
  }

  @Test func patchAndMetadata() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "put", "secret/p", "a=1", "b=2")
    let patch = try await workspace.cinch("kv", "patch", "secret/p", "b=3", "c=4")
    #expect(patch.status == 0)
    let json = try await workspace.cinch("kv", "get", "-format=json", "secret/p")
    #expect(json.stdout.contains("\"a\": \"1\",\n      \"b\": \"3\",\n      \"c\": \"4\""))
    #expect(try await workspace.cinch("kv", "patch", "secret/none", "a=1").status == 2)

    let put = try await workspace.cinch(
      "kv", "metadata", "put", "-max-versions=5", "-custom-metadata=owner=jdoe", "secret/p")
    #expect(put.stdout == "Success! Data written to: secret/metadata/p\n")
    let get = try await workspace.cinch("kv", "metadata", "get", "secret/p")
    #expect(
      Self.stable(get.stdout) == """
        = Metadata Path =
        secret/metadata/p

        ========== Metadata ==========
        Key                     Value
        ---                     -----
        cas_required            false
        created_time            TIME
        current_version         2
        custom_metadata         map[owner:jdoe]
        delete_version_after    0s
        max_versions            5
        oldest_version          0
        updated_time            TIME

        ====== Version 1 ======
        Key              Value
        ---              -----
        created_time     TIME
        deletion_time    n/a
        destroyed        false

        ====== Version 2 ======
        Key              Value
        ---              -----
        created_time     TIME
        deletion_time    n/a
        destroyed        false

        """)
    let delete = try await workspace.cinch("kv", "metadata", "delete", "secret/p")
    #expect(delete.stdout == "Success! Data deleted (if it existed) at: secret/metadata/p\n")
    #expect(try await workspace.cinch("kv", "get", "secret/p").status == 2)
  }

  /// Vault's kv rollback refuses any version with a deletion time, a scheduled one
  /// (`delete_version_after`) too.
  @Test func rollbackRefusesAVersionScheduledForDeletion() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "metadata", "put", "-delete-version-after=1h", "secret/rb")
    try await workspace.cinch("kv", "put", "secret/rb", "a=1")
    try await workspace.cinch("kv", "put", "secret/rb", "a=2")
    let rollback = try await workspace.cinch("kv", "rollback", "-version=1", "secret/rb")
    #expect(rollback.status == 2)
    #expect(rollback.stderr == "Cannot roll back to a version that has been deleted\n")
    #expect(try await workspace.cinch("kv", "get", "-field=a", "secret/rb").stdout == "2")
  }

  /// A `file_path=stdout` audit device is the server's output; on the command line it writes
  /// to standard error, so what a command prints stays the answer a script captures.
  @Test func aStdoutAuditDeviceLeavesTheAnswerAlone() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "put", "secret/so", "x=value-1")
    #expect(
      try await workspace.cinch("audit", "enable", "-path=so", "file", "file_path=stdout").status
        == 0)
    let field = try await workspace.cinch("kv", "get", "-field=x", "secret/so")
    #expect(field.stdout == "value-1")
    #expect(field.stderr.contains("\"type\":\"response\""))
    #expect(!field.stderr.contains("value-1"))
  }

  @Test func aValueNeverReachesTheStoreFileOrTheAuditLog() async throws {
    let workspace = try await Workspace()
    let canary = "canary-cli-kv-5b1d"
    try await workspace.cinch("kv", "put", "secret/c", "password=-", stdin: canary)
    #expect(try await workspace.cinch("kv", "get", "-field=password", "secret/c").stdout == canary)
    let audit = try await workspace.cinch("audit", "list")
    #expect(!audit.stdout.contains(canary))
    for name in ["store.db", "store.db-wal"] {
      let path = workspace.directory.appendingPathComponent(".cinch/" + name).path
      if let bytes = FileManager.default.contents(atPath: path) {
        #expect(bytes.range(of: Data(canary.utf8)) == nil)
      }
    }
  }

  /// An API error names the path asked, as Vault's client prints it.
  @Test func anAuditHashErrorNamesTheHashPath() async throws {
    let workspace = try await Workspace()
    let reply = try await workspace.cinch("audit", "hash", "-path=nope", "x")
    #expect(reply.status == 2)
    #expect(reply.stderr.contains("URL: PUT /v1/sys/audit-hash/nope\n"), "\(reply.stderr)")
  }

  /// `-field` as Vault's `RawField`/`PrintRawField`: JSON with `-format=json`, `data` as the
  /// data map, the token fields of an auth response, "No data found" for a deleted version;
  /// piped, as here, with no final newline in either format (`PrintRaw`).
  @Test func fieldsAsVaultPrintsThem() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "put", "secret/app", "a=6", "b=x")
    #expect(try await workspace.cinch("kv", "get", "-field=a", "secret/app").stdout == "6")
    await #expect(
      try workspace.cinch("kv", "get", "-format=json", "-field=a", "secret/app").stdout
        == "\"6\"")
    await #expect(
      try workspace.cinch("kv", "get", "-field=data", "secret/app").stdout == "map[a:6 b:x]")
    await #expect(
      try workspace.cinch("kv", "get", "-format=json", "-field=data", "secret/app").stdout
        == "{\n  \"a\": \"6\",\n  \"b\": \"x\"\n}")
    let accessor = try await workspace.cinch("token", "create", "-ttl=1h", "-field=token_accessor")
    #expect(accessor.status == 0)
    #expect(accessor.stdout.count == 24)
    await #expect(
      try workspace.cinch("token", "create", "-ttl=1h", "-field=token_duration").stdout == "3600")
    try await workspace.cinch("kv", "put", "secret/gone", "x=1")
    try await workspace.cinch("kv", "delete", "secret/gone")
    let gone = try await workspace.cinch("kv", "get", "-field=x", "secret/gone")
    #expect(gone.status == 2)
    #expect(gone.stderr == "No data found at secret/data/gone\n")
  }

  /// `kv get -field` looks only in the secret's data, as KVGetCommand does: the metadata's
  /// fields are not there. `kv put -field` prints from its response, the new version's metadata.
  @Test func getFieldReadsOnlyTheData() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "put", "secret/app", "a=6")
    for name in ["version", "created_time", "custom_metadata", "nothing"] {
      let missing = try await workspace.cinch("kv", "get", "-field=\(name)", "secret/app")
      #expect(missing.status == 1, "\(name)")
      #expect(missing.stdout == "", "\(name)")
      #expect(missing.stderr == "Field \"\(name)\" not present in secret\n", "\(name)")
    }
    await #expect(
      try workspace.cinch("kv", "put", "-field=version", "secret/app", "a=7").stdout == "2")
  }

  /// An empty `-path` mounts at the type's name, as Vault's `secrets enable` and `audit enable`
  /// do (it said success and mounted nothing).
  @Test func anEmptyPathMountsAtTheTypesName() async throws {
    let workspace = try await Workspace()
    let enabled = try await workspace.cinch("secrets", "enable", "-path=", "kv-v2")
    #expect(enabled.stdout == "Success! Enabled the kv-v2 secrets engine at: kv-v2/\n")
    #expect(try await workspace.cinch("secrets", "list").stdout.contains("kv-v2/"))
  }

  /// `kv list` names the path as Vault's path.Join leaves it: no trailing slash.
  @Test func listOfNothingNamesThePathWithoutASlash() async throws {
    let workspace = try await Workspace()
    #expect(try await workspace.cinch("secrets", "enable", "-path=empty", "kv-v2").status == 0)
    let empty = try await workspace.cinch("kv", "list", "empty/")
    #expect(empty.status == 2)
    #expect(empty.stderr == "No value found at empty/metadata\n")
    let folder = try await workspace.cinch("kv", "list", "secret/none/")
    #expect(folder.stderr == "No value found at secret/metadata/none\n")
  }

  /// Vault's kv-builder: `@file` merges a JSON object, `\@` escapes a literal `@`, a repeated
  /// key becomes a list, and an argument without `=` is refused in its words.
  @Test func argumentsAsVaultsBuilderReadsThem() async throws {
    let workspace = try await Workspace()
    let file = workspace.directory.appendingPathComponent("data.json")
    try Data(#"{"n": 5, "o": {"k": "v"}}"#.utf8).write(to: file)
    try await workspace.cinch("kv", "put", "secret/x", "@" + file.path, "extra=1")
    await #expect(
      try workspace.cinch("kv", "get", "-format=json", "-field=data", "secret/x").stdout
        == "{\n  \"extra\": \"1\",\n  \"n\": 5,\n  \"o\": {\n    \"k\": \"v\"\n  }\n}")
    try await workspace.cinch("kv", "put", "secret/esc", #"p=\@literal"#)
    #expect(try await workspace.cinch("kv", "get", "-field=p", "secret/esc").stdout == "@literal")
    try await workspace.cinch("kv", "put", "secret/dup", "a=1", "a=2")
    await #expect(
      try workspace.cinch("kv", "get", "-format=json", "-field=a", "secret/dup").stdout
        == "[\n  \"1\",\n  \"2\"\n]")
    let bad = try await workspace.cinch("kv", "put", "secret/bad", "nokey")
    #expect(bad.status == 1)
    #expect(bad.stderr == "Failed to parse K=V data: format must be key=value\n")
  }

  /// `KEY=@PATH` reads the file through one open, so a shell's `@<(…)` (a FIFO whose writer
  /// closes at once) works; a file that cannot be read is named in Go's words, as vault does.
  @Test func valuesFromFilesAndFIFOs() async throws {
    let workspace = try await Workspace()
    let put = try await CinchProcess.run(
      ["kv", "put", "secret/fifo", "password=@fifo"], in: workspace.directory,
      launcher: [
        "/bin/sh", "-c",
        """
        mkfifo fifo || exit 1
        printf 'from a fifo' >fifo & writer=$!
        timeout 30 "$@"; status=$?
        kill $writer 2>/dev/null
        exit $status
        """,
        "sh",
      ])
    #expect(put.status == 0, "\(put.stderr)")
    #expect(
      try await workspace.cinch("kv", "get", "-field=password", "secret/fifo").stdout
        == "from a fifo")
    let missing = try await workspace.cinch("kv", "put", "secret/m", "p=@absent.txt")
    #expect(missing.status == 1)
    #expect(
      missing.stderr == "Failed to parse K=V data: open absent.txt: no such file or directory\n")
    let folder = try await workspace.cinch("kv", "put", "secret/m", "p=@.")
    #expect(folder.stderr == "Failed to parse K=V data: read .: is a directory\n")
  }

  /// `-delete-version-after` is a duration flag: a bad one is refused before any request.
  @Test func aBadDurationIsRefusedLocally() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "put", "secret/d", "a=1")
    let bad = try await workspace.cinch(
      "kv", "metadata", "put", "-delete-version-after=abc", "secret/d")
    #expect(bad.status == 1)
    #expect(
      bad.stderr
        == "invalid value \"abc\" for flag -delete-version-after: time: invalid duration \"abc\"\n")
    let good = try await workspace.cinch(
      "kv", "metadata", "put", "-delete-version-after=1h30m", "secret/d")
    #expect(good.status == 0)
    let days = try await workspace.cinch(
      "kv", "metadata", "put", "-delete-version-after=2d", "secret/d")
    #expect(days.status == 0, "\(days.stderr)")
    await #expect(
      try workspace.cinch("kv", "metadata", "get", "-field=delete_version_after", "secret/d").stdout
        == "48h0m0s")
  }
}
