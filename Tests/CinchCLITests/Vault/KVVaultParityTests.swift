import Foundation
import Testing
import _CinchTestSupport

/// Where `cinch kv …` and the `vault kv` CLI were found to differ (Vault's command/kv_*.go,
/// go-secure-stdlib's kv-builder), each pinned to what Vault does.
@Suite struct KVVaultParityTests {
  typealias Workspace = KVCommandTests.Workspace

  /// Vault's PrintRawField treats a nil value as missing: a field whose value is JSON null is
  /// `Field "NAME" not present in secret`, exit 1, rather than `<nil>`.
  @Test func aNullFieldIsNotPresent() async throws {
    let workspace = try await Workspace()
    let put = try await workspace.cinch(
      "kv", "put", "secret/n", "-", stdin: #"{"n": null, "s": "x"}"#)
    #expect(put.status == 0, "\(put.stderr)")
    for format in ["table", "json"] {
      let null = try await workspace.cinch("kv", "get", "-format=\(format)", "-field=n", "secret/n")
      #expect(null.status == 1, "\(format)")
      #expect(null.stdout == "", "\(format)")
      #expect(null.stderr == "Field \"n\" not present in secret\n", "\(format)")
    }
    #expect(try await workspace.cinch("kv", "get", "-field=s", "secret/n").stdout == "x")
    try await workspace.cinch("kv", "metadata", "put", "-max-versions=3", "secret/n")
    let custom = try await workspace.cinch(
      "kv", "metadata", "get", "-field=custom_metadata", "secret/n")
    #expect(custom.status == 1)
    #expect(custom.stderr == "Field \"custom_metadata\" not present in secret\n")
  }

  /// KVPatchCommand returns 2 for a method it does not know, with the same message.
  @Test func anUnsupportedPatchMethodExitsTwo() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "put", "secret/p", "a=1")
    let bogus = try await workspace.cinch("kv", "patch", "-method=bogus", "secret/p", "a=2")
    #expect(bogus.status == 2)
    #expect(bogus.stderr == "Unsupported method provided to -method flag: bogus\n")
    #expect(try await workspace.cinch("kv", "get", "-field=a", "secret/p").stdout == "1")
  }

  /// kv-builder keeps `KEY=-` exactly as read (`value = buf.String()`): a final newline too.
  @Test func aValueFromStdinKeepsItsNewline() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "put", "secret/nl", "password=-", stdin: "line\n")
    await #expect(
      try workspace.cinch("kv", "get", "-format=json", "-field=password", "secret/nl").stdout
        == #""line\n""#)
    try await workspace.cinch("kv", "put", "secret/raw", "password=-", stdin: "no newline")
    await #expect(
      try workspace.cinch("kv", "get", "-field=password", "secret/raw").stdout == "no newline")
  }

  /// Vault's CLI sanitizes the path and joins it with `path.Join`: `a/../b` is `b`, `//c` is
  /// `c`, and a trailing slash is dropped, so no key has an empty or dotted segment.
  @Test func pathsAreCleanedAsVaultJoinsThem() async throws {
    let workspace = try await Workspace()
    let dotted = try await workspace.cinch("kv", "put", "secret/a/../b", "x=1")
    #expect(dotted.status == 0, "\(dotted.stderr)")
    #expect(dotted.stdout.contains("\nsecret/data/b\n"))
    let doubled = try await workspace.cinch("kv", "put", "secret//c", "x=2")
    #expect(doubled.status == 0, "\(doubled.stderr)")
    #expect(doubled.stdout.contains("\nsecret/data/c\n"))
    let trailing = try await workspace.cinch("kv", "put", "secret/t/", "x=3")
    #expect(trailing.status == 0, "\(trailing.stderr)")
    #expect(trailing.stdout.contains("\nsecret/data/t\n"))
    let mounted = try await workspace.cinch("kv", "put", "-mount=secret/", "./d/../e/", "x=4")
    #expect(mounted.status == 0, "\(mounted.stderr)")
    #expect(try await workspace.cinch("kv", "get", "-field=x", "secret/b").stdout == "1")
    #expect(try await workspace.cinch("kv", "get", "-field=x", "secret/c").stdout == "2")
    #expect(try await workspace.cinch("kv", "get", "-field=x", "secret/t/").stdout == "3")
    #expect(try await workspace.cinch("kv", "get", "-field=x", "secret/./e").stdout == "4")
    #expect(try await workspace.cinch("kv", "list", "secret/").stdout == "Keys\n----\nb\nc\ne\nt\n")
    // A folder listed with or without its slash.
    try await workspace.cinch("kv", "put", "secret/f/g", "x=5")
    #expect(try await workspace.cinch("kv", "list", "secret//f/").stdout == "Keys\n----\ng\n")
    #expect(try await workspace.cinch("kv", "list", "secret/f").stdout == "Keys\n----\ng\n")
    let metadata = try await workspace.cinch(
      "kv", "metadata", "get", "-field=current_version", "secret/x/../b/")
    #expect(metadata.stdout == "1")
  }

  /// Go's flag package stops at the first argument that is not a flag: what follows the path
  /// is data (`-note=hi` a key) or an argument too many, never a flag.
  @Test func flagsEndAtTheFirstArgument() async throws {
    let workspace = try await Workspace()
    let note = try await workspace.cinch("kv", "put", "secret/f", "a=1", "-note=hi")
    #expect(note.status == 0, "\(note.stderr)")
    await #expect(
      try workspace.cinch("kv", "get", "-format=json", "-field=data", "secret/f").stdout
        == "{\n  \"-note\": \"hi\",\n  \"a\": \"1\"\n}")
    try await workspace.cinch("secrets", "enable", "-path=other", "kv-v2")
    let mount = try await workspace.cinch("kv", "put", "secret/x", "a=1", "-mount=other")
    #expect(mount.status == 0, "\(mount.stderr)")
    #expect(mount.stdout.contains("\nsecret/data/x\n"))
    await #expect(
      try workspace.cinch("kv", "get", "-field=-mount", "secret/x").stdout == "other")
    #expect(try await workspace.cinch("kv", "get", "other/x").status == 2)

    let extra = try await workspace.cinch("kv", "get", "secret/f", "-format=json")
    #expect(extra.status == 1)
    #expect(extra.stdout == "")
    #expect(extra.stderr == "Too many arguments (expected 1, got 2)\n")
    let none = try await workspace.cinch("kv", "get")
    #expect(none.status == 1)
    #expect(none.stderr == "Not enough arguments (expected 1, got 0)\n")
    let many = try await workspace.cinch("kv", "metadata", "get", "secret/f", "x", "y")
    #expect(many.stderr == "Too many arguments (expected 1, got 3)\n")

    // A flag's value may be the next word; `--` ends the flags, and after the path it is data.
    await #expect(
      try workspace.cinch("kv", "get", "-mount", "secret", "-field", "a", "f").stdout == "1")
    await #expect(
      try workspace.cinch("kv", "get", "-field=a", "--", "secret/f").stdout == "1")
    let dashes = try await workspace.cinch("kv", "put", "secret/dd", "--", "a=1")
    #expect(dashes.status == 1)
    #expect(dashes.stderr == "Failed to parse K=V data: format must be key=value\n")
    #expect(try await workspace.cinch("kv", "put", "-cas=0", "secret/new", "b=2").status == 0)
    // The generic commands read their flags the same way.
    let read = try await workspace.cinch("read", "secret/data/f", "-format=json")
    #expect(read.status == 0, "\(read.stderr)")
    #expect(!read.stdout.hasPrefix("{"))
    let help = try await workspace.cinch("kv", "get", "secret/f", "--help")
    #expect(help.status == 0)
    #expect(help.stdout.contains("USAGE"))
  }

  /// `-cas-required` is a Go bool flag: bare, or `=true|false` in strconv.ParseBool's spellings.
  @Test func casRequiredIsABooleanFlag() async throws {
    let workspace = try await Workspace()
    func casRequired() async throws -> String {
      try await workspace.cinch("kv", "metadata", "get", "-field=cas_required", "secret/cr").stdout
    }
    let bare = try await workspace.cinch("kv", "metadata", "put", "-cas-required", "secret/cr")
    #expect(bare.status == 0, "\(bare.stderr)")
    #expect(try await casRequired() == "true")
    try await workspace.cinch("kv", "metadata", "put", "-cas-required=false", "secret/cr")
    #expect(try await casRequired() == "false")
    try await workspace.cinch("kv", "metadata", "patch", "--cas-required", "secret/cr")
    #expect(try await casRequired() == "true")
    try await workspace.cinch("kv", "metadata", "patch", "-cas-required=F", "secret/cr")
    #expect(try await casRequired() == "false")
    try await workspace.cinch("kv", "metadata", "put", "-cas-required=1", "secret/cr")
    #expect(try await casRequired() == "true")
    let bad = try await workspace.cinch("kv", "metadata", "put", "-cas-required=maybe", "secret/cr")
    #expect(bad.status == 1)
    #expect(bad.stderr == "invalid boolean value \"maybe\" for -cas-required: parse error\n")
  }

  /// Custom metadata emptied (here by removing its last key) is null, as Vault's KeyMetadata,
  /// kept as protobuf, reads back: Vault's tables print `<nil>`, not `map[]`.
  @Test func emptiedCustomMetadataPrintsNil() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "metadata", "put", "-custom-metadata=a=1", "secret/e")
    let patch = try await workspace.cinch(
      "kv", "metadata", "patch", "-remove-custom-metadata=a", "secret/e")
    #expect(patch.status == 0, "\(patch.stderr)")
    let get = try await workspace.cinch("kv", "metadata", "get", "secret/e")
    #expect(get.stdout.contains("custom_metadata         <nil>\n"), "\(get.stdout)")
    #expect(!get.stdout.contains("map[]"))
    let put = try await workspace.cinch("kv", "put", "secret/e", "k=v")
    #expect(put.stdout.contains("custom_metadata    <nil>\n"), "\(put.stdout)")
    let json = try await workspace.cinch("kv", "metadata", "get", "-format=json", "secret/e")
    #expect(json.stdout.contains(#""custom_metadata": null"#), "\(json.stdout)")
  }

  /// `-remove-custom-metadata=KEY` (repeatable) takes keys out of the custom metadata.
  @Test func customMetadataKeysAreRemoved() async throws {
    let workspace = try await Workspace()
    func custom() async throws -> String {
      try await workspace.cinch(
        "kv", "metadata", "get", "-field=custom_metadata", "secret/cm"
      ).stdout
    }
    try await workspace.cinch(
      "kv", "metadata", "put", "-custom-metadata=a=1", "-custom-metadata=b=2",
      "-custom-metadata=c=3", "-custom-metadata=d=4", "secret/cm")
    let patch = try await workspace.cinch(
      "kv", "metadata", "patch", "-remove-custom-metadata=a", "-remove-custom-metadata=b",
      "secret/cm")
    #expect(patch.status == 0, "\(patch.stderr)")
    #expect(try await custom() == "map[c:3 d:4]")
    let put = try await workspace.cinch(
      "kv", "metadata", "put", "-remove-custom-metadata=c", "-max-versions=4", "secret/cm")
    #expect(put.status == 0, "\(put.stderr)")
    #expect(try await custom() == "map[d:4]")
    await #expect(
      try workspace.cinch("kv", "metadata", "get", "-field=max_versions", "secret/cm").stdout
        == "4")
    // Negative values are Vault's flag defaults: not sent, the settings stay.
    try await workspace.cinch("kv", "metadata", "put", "-delete-version-after=5m", "secret/cm")
    let negative = try await workspace.cinch(
      "kv", "metadata", "put", "-delete-version-after=-1s", "-max-versions=-5", "secret/cm")
    #expect(negative.status == 0, "\(negative.stderr)")
    await #expect(
      try workspace.cinch("kv", "metadata", "get", "-field=max_versions", "secret/cm").stdout
        == "4")
    await #expect(
      try workspace.cinch("kv", "metadata", "get", "-field=delete_version_after", "secret/cm")
        .stdout == "5m0s")
  }

  /// `-format` (or `VAULT_FORMAT`) is taken by the commands that print only a success line;
  /// with a format other than table they print nothing, as Vault's do.
  @Test func successLinesFollowTheFormat() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "put", "secret/s", "a=1")
    try await workspace.cinch("kv", "put", "secret/s", "a=2")
    let steps: [[String]] = [
      ["kv", "delete", "-format=json", "secret/s"],
      ["kv", "undelete", "-format=json", "-versions=2", "secret/s"],
      ["kv", "destroy", "-format=json", "-versions=1", "secret/s"],
      ["kv", "metadata", "put", "-format=json", "-max-versions=3", "secret/s"],
      ["kv", "metadata", "delete", "-format=json", "secret/s"],
    ]
    for step in steps {
      let result = try await CinchProcess.run(step, in: workspace.directory)
      #expect(result.status == 0, "\(step): \(result.stderr)")
      #expect(result.stdout == "", "\(step)")
    }
    try await workspace.cinch("kv", "put", "secret/e", "a=1")
    let environment = try await CinchProcess.run(
      ["kv", "delete", "secret/e"], in: workspace.directory, environment: ["VAULT_FORMAT": "json"])
    #expect(environment.status == 0)
    #expect(environment.stdout == "")
    let table = try await workspace.cinch("kv", "metadata", "delete", "-format=table", "secret/e")
    #expect(table.stdout == "Success! Data deleted (if it existed) at: secret/metadata/e\n")
    let bad = try await workspace.cinch("kv", "delete", "-format=xml", "secret/e")
    #expect(bad.status == 1)
    #expect(bad.stderr == "Invalid output format: xml\n")
  }

  /// Vault's tables come from columnize, which prints an empty cell as `n/a`: a key made by
  /// `=value` is shown so.
  @Test func anEmptyKeyIsShownAsNA() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "put", "secret/f6", "=val")
    let get = try await workspace.cinch("kv", "get", "secret/f6")
    #expect(get.stdout.hasSuffix("Key    Value\n---    -----\nn/a    val\n"), "\(get.stdout)")
  }

  /// `kv list` with a format other than table prints `{}` for nothing to list, exit 2, and
  /// nothing on stderr (kv_list.go, list.go); the table format says `No value found`.
  @Test func anEmptyListPrintsAnEmptyObject() async throws {
    let workspace = try await Workspace()
    let json = try await workspace.cinch("kv", "list", "-format=json", "secret/none")
    #expect(json.status == 2)
    #expect(json.stdout == "{}\n")
    #expect(json.stderr == "")
    let generic = try await workspace.cinch("list", "-format=json", "secret/metadata/none")
    #expect(generic.status == 2)
    #expect(generic.stdout == "{}\n")
    #expect(generic.stderr == "")
    let environment = try await CinchProcess.run(
      ["kv", "list", "secret/"], in: workspace.directory, environment: ["VAULT_FORMAT": "json"])
    #expect(environment.status == 2)
    #expect(environment.stdout == "{}\n")
    let table = try await workspace.cinch("kv", "list", "secret/none")
    #expect(table.stdout == "")
    #expect(table.stderr == "No value found at secret/metadata/none\n")
  }

  /// The commands that take a path and data say what Vault's do when given neither.
  @Test func aMissingPathIsNotEnoughArguments() async throws {
    let workspace = try await Workspace()
    for command in [["kv", "put"], ["kv", "patch"], ["write"]] {
      let none = try await CinchProcess.run(command + ["-format=json"], in: workspace.directory)
      #expect(none.status == 1, "\(command)")
      #expect(none.stderr == "Not enough arguments (expected >1, got 0)\n", "\(command)")
    }
    let noData = try await workspace.cinch("kv", "put", "secret/q")
    #expect(noData.status == 1)
    #expect(noData.stderr == "Must supply data\n")
  }

  /// kv_list.go lists a mount's root when `-mount` is given without a path; kv_rollback.go
  /// words its argument count its own way, before it looks at `-version`.
  @Test func listWithOnlyAMountAndRollbackArguments() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "put", "secret/app/db", "a=1")
    try await workspace.cinch("kv", "put", "secret/top", "a=1")
    let root = try await workspace.cinch("kv", "list", "-mount=secret")
    #expect(root.status == 0, "\(root.stderr)")
    #expect(root.stdout == "Keys\n----\napp/\ntop\n")
    #expect(try await workspace.cinch("kv", "list", "-mount=secret", "app").stdout.contains("db"))
    let bare = try await workspace.cinch("kv", "list")
    #expect(bare.status == 1)
    #expect(bare.stderr == "Not enough arguments (expected 1, got 0)\n")
    for arguments in [[], ["secret/top", "secret/app/db"]] {
      let rollback = try await CinchProcess.run(
        ["kv", "rollback"] + arguments, in: workspace.directory)
      #expect(rollback.status == 1)
      #expect(
        rollback.stderr == "Invalid number of arguments (expected 1, got \(arguments.count))\n")
    }
    let noVersion = try await workspace.cinch("kv", "rollback", "secret/top")
    #expect(noVersion.stderr == "Version flag must be specified\n")
  }

  /// The kv commands find the mount as Vault's preflight (`sys/internal/ui/mounts`) does: a path
  /// under no mount is its 403, exit 2; another engine's mount is refused, not written to.
  @Test func aPathUnderNoKVMountIsRefused() async throws {
    let workspace = try await Workspace()
    let preflight = { (path: String) in
      "preflight capability check returned 403, please ensure client's policies grant access "
        + "to path \"\(path)\"\n"
    }
    for (arguments, path) in [
      (["get", "nope/a"], "nope/a"), (["put", "nope/a", "x=1"], "nope/a"),
      (["get", "-mount=nope", "a"], "nope"), (["list", "nope"], "nope/"),
      (["list", "-mount=nope"], "nope"), (["metadata", "get", "nope/a"], "nope/a"),
    ] {
      let refused = try await CinchProcess.run(["kv"] + arguments, in: workspace.directory)
      #expect(refused.status == 2, "\(arguments)")
      #expect(refused.stderr == preflight(path), "\(arguments)")
    }
    try await workspace.cinch("secrets", "enable", "transit")
    let transit = try await workspace.cinch("kv", "put", "transit/keys/k", "type=aes256-gcm96")
    #expect(transit.status == 2)
    #expect(
      transit.stderr
        == "transit/ is a transit mount, not KV version 2: 'cinch read|write|delete|list' reach its paths\n"
    )
    #expect(try await workspace.cinch("read", "transit/keys/k").status == 2)
  }

  /// kv_get.go ends the metadata table with an empty line, also for a deleted version, which
  /// has no Data section after it.
  @Test func aDeletedVersionsMetadataEndsWithAnEmptyLine() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "put", "secret/d", "a=1")
    try await workspace.cinch("kv", "delete", "secret/d")
    let deleted = try await workspace.cinch("kv", "get", "secret/d")
    #expect(deleted.stdout.hasPrefix("== Secret Path ==\nsecret/data/d\n\n"))
    #expect(deleted.stdout.hasSuffix("version            1\n\n"))
    let put = try await workspace.cinch("kv", "put", "secret/d", "a=2")
    #expect(put.stdout.hasSuffix("version            2\n"))
  }

  /// kv_patch.go on a deleted latest version: the PATCH's 404 is an API error; the
  /// read-then-write says there is no data to patch.
  @Test func patchingADeletedVersionSaysWhy() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "put", "secret/gone", "a=1")
    try await workspace.cinch("kv", "delete", "secret/gone")
    let patch = try await workspace.cinch("kv", "patch", "secret/gone", "a=2")
    #expect(patch.status == 2)
    #expect(
      patch.stderr.hasPrefix(
        "Error writing data to secret/data/gone: Error making API request.\n\nURL: PATCH "))
    #expect(patch.stderr.contains("Code: 404."))
    let rw = try await workspace.cinch("kv", "patch", "-method=rw", "secret/gone", "a=2")
    #expect(rw.status == 2)
    #expect(rw.stderr == "No data found at secret/data/gone; patch only works on existing data\n")
    let none = try await workspace.cinch("kv", "patch", "-method=rw", "secret/none", "a=2")
    #expect(none.stderr == "No value found at secret/data/none\n")
  }
}
