import Foundation
import Testing
import _CinchTestSupport

/// One layout for all the templates of a render: their own relative paths, else their paths
/// from the lock's folder, else from the folder that holds them all; two templates never
/// land on one file.
@Suite struct RenderOutputTests {
  @Test func templatesOutsideTheCurrentFolderKeepTheirFolders() async throws {
    let root = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let template = "Resources:\n  A:\n    Type: AWS::SNS::Topic\n"
    for folder in ["da", "db", "work"] {
      try FileManager.default.createDirectory(
        at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
    }
    for folder in ["da", "db"] {
      try template.write(
        to: root.appendingPathComponent(folder + "/t.yaml"), atomically: true, encoding: .utf8)
    }
    try template.write(
      to: root.appendingPathComponent("work/w.yaml"), atomically: true, encoding: .utf8)
    let work = root.appendingPathComponent("work")
    func written(_ folder: String) -> [String] {
      let base = work.appendingPathComponent(folder)
      let found = FileManager.default.enumerator(atPath: base.path)?.allObjects as? [String] ?? []
      return found.filter { $0.hasSuffix(".yaml") }.sorted()
    }
    // Outside the current folder and the lock's (the default, here): from the folder of all.
    let result = try await CinchProcess.run(
      ["render", "../da/t.yaml", "../db/t.yaml", "w.yaml", "-o", "out"], in: work)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(written("out") == ["da/t.yaml", "db/t.yaml", "work/w.yaml"])

    // With the lock in the folder above, the templates are under it: each keeps its path
    // from there, as a render run beside the lock would write them, w.yaml too.
    #expect(try await CinchProcess.run(["init"], in: root).status == 0)
    let store = ["--store", "../.cinch/store.db"]
    let lock = try await CinchProcess.run(
      ["lock", "../da/t.yaml", "../db/t.yaml", "w.yaml", "--lock", "../cinch.lock"] + store,
      in: work)
    #expect(lock.status == 0, "\(lock.stderr)")
    let render = try await CinchProcess.run(
      ["render", "--lock", "../cinch.lock", "-o", "locked"] + store, in: work)
    #expect(render.status == 0, "\(render.stdout)\(render.stderr)")
    #expect(written("locked") == ["da/t.yaml", "db/t.yaml", "work/w.yaml"])
  }

  /// Plain `render` (not `--frozen`) pins what the lock lacks at the store's version, as the
  /// lock would: said per reference (E4007, a warning) and marked `"locked": false` in the
  /// manifest, so an artifact no lock vouches for is not taken for a locked one.
  @Test func whatTheLockLacksIsRenderedAndSaidSo() async throws {
    let root = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    func run(_ arguments: String...) async throws -> CinchProcess.Result {
      try await CinchProcess.run(arguments, in: root)
    }
    #expect(try await run("init").status == 0)
    for env in ["prod", "dev"] {
      let put = try await run(
        "ssm", "put-parameter", "--name", "/app/\(env)/host", "--type", "String", "--value",
        "\(env).internal")
      #expect(put.status == 0, "\(put.stderr)")
    }
    try """
    Parameters:
      Env: {Type: String, Default: prod}
    Resources:
      Topic:
        Type: AWS::SNS::Topic
        Properties:
          TopicName: !Sub '{{resolve:ssm:/app/${Env}/host}}'

    """.write(to: root.appendingPathComponent("t.yaml"), atomically: true, encoding: .utf8)
    #expect(try await run("lock", "t.yaml").status == 0)

    let locked = try await run("render", "-o", "locked")
    #expect(locked.status == 0, "\(locked.stdout)")
    #expect(!locked.stdout.contains("E4007"))
    let lockedManifest = try String(
      contentsOf: root.appendingPathComponent("locked/manifest.json"), encoding: .utf8)
    #expect(!lockedManifest.contains(#""locked""#), "\(lockedManifest)")

    let render = try await run("render", "--parameter-overrides", "Env=dev", "-o", "x")
    #expect(render.status == 0, "\(render.stdout)\(render.stderr)")
    #expect(
      render.stdout.contains(
        "t.yaml:7:24: warning[E4007]: reference '{{resolve:ssm:/app/${Env}/host}}': ssm "
          + "/app/dev/host (latest) is not in 'cinch.lock': rendered at the store's version 1, "
          + "which no lock vouches for (run 'cinch lock' to pin it)"), "\(render.stdout)")
    let manifest = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: root.appendingPathComponent("x/manifest.json"))) as? [String: Any])
    let reference = try #require(
      ((manifest["files"] as? [[String: Any]])?.first?["references"] as? [[String: Any]])?.first)
    #expect(reference["name"] as? String == "/app/dev/host")
    #expect(reference["locked"] as? Bool == false)
    // The manifest says which inputs the pins are for: a deploy with another Env reads
    // another parameter at the version pinned.
    let inputs = try #require(manifest["inputs"] as? [String: Any])
    #expect(inputs["parameterOverrides"] as? [String] == ["Env=dev"])
    #expect(inputs["parameterFiles"] as? [String] == [])
    #expect(inputs["region"] == nil)
    #expect(lockedManifest.contains(#""parameterOverrides": []"#), "\(lockedManifest)")
  }

  /// Without a lockfile every pin is the store's current version: said once, in the summary.
  @Test func aRenderWithoutALockSaysSo() async throws {
    let root = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    func run(_ arguments: String...) async throws -> CinchProcess.Result {
      try await CinchProcess.run(arguments, in: root)
    }
    #expect(try await run("init").status == 0)
    let put = try await run(
      "ssm", "put-parameter", "--name", "/app/host", "--type", "String", "--value", "h")
    #expect(put.status == 0, "\(put.stderr)")
    try """
    Resources:
      Topic: {Type: AWS::SNS::Topic, Properties: {TopicName: '{{resolve:ssm:/app/host}}'}}

    """.write(to: root.appendingPathComponent("t.yaml"), atomically: true, encoding: .utf8)
    let render = try await run("render", "t.yaml", "-o", "out")
    #expect(render.status == 0, "\(render.stderr)")
    #expect(
      render.stdout
        == "rendered 1 file to out/ (pin mode) with manifest.json; no 'cinch.lock': 1 reference "
        + "taken at the store's current version, which no lock vouches for (run 'cinch lock' to "
        + "pin it)\n", "\(render.stdout)")
    #expect(try await run("lock", "t.yaml").status == 0)
    let locked = try await run("render", "-o", "out")
    #expect(locked.stdout == "rendered 1 file to out/ (pin mode) with manifest.json\n")
  }

  /// Inline output replaces references with values; a reference only the deploy can name (it
  /// waits on a resource of the stack or an import) has none yet: left as written, and said.
  @Test func inlineLeavesWhatOnlyTheDeployCanNameAndSaysSo() async throws {
    let root = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let template = """
      Resources:
        Secret:
          Type: AWS::SecretsManager::Secret
          Properties: {GenerateSecretString: {}}
        Db:
          Type: AWS::RDS::DBInstance
          Properties:
            MasterUsername: !Sub '{{resolve:secretsmanager:${Secret}::username}}'
            DBName: !Sub ['{{resolve:secretsmanager:${Arn}}}', {Arn: !ImportValue shared-arn}]

      """
    try template.write(
      to: root.appendingPathComponent("t.yaml"), atomically: true, encoding: .utf8)
    #expect(try await CinchProcess.run(["init"], in: root).status == 0)
    #expect(try await CinchProcess.run(["lock", "t.yaml"], in: root).status == 0)
    let inline = try await CinchProcess.run(
      ["render", "t.yaml", "--mode", "inline", "-o", "out"], in: root)
    #expect(inline.status == 0)
    #expect(
      inline.stdout.contains(
        "t.yaml:8:29: warning[W5004]: reference '{{resolve:secretsmanager:${Secret}::username}}' "
          + "is left as written: its name waits on resource 'Secret'"),
      "\(inline.stdout)")
    #expect(inline.stdout.contains("t.yaml:9:22: warning[W5004]"), "\(inline.stdout)")
    let written = try String(
      contentsOf: root.appendingPathComponent("out/t.yaml"), encoding: .utf8)
    #expect(written == template)
    let check = try await CinchProcess.run(["check", "t.yaml"], in: root)
    #expect(
      check.stdout == "no problems in 1 file (2 references named only at deploy, not checked)\n")
  }

  /// A render killed between staging and renaming (SIGKILL: an out-of-memory kill, a CI job's
  /// hard timeout) leaves `.NAME.tmp-PID` beside each file, an inline render's with values in
  /// clear: the next render of those files removes what a process that is gone left, and puts
  /// back (beside a lockfile) a replaced file whose rename never happened; a live process's
  /// names are its own.
  @Test func aKilledRendersLeftoversAreRemovedByTheNext() async throws {
    let root = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    for name in ["t.yaml", "other.yaml"] {
      try "Resources:\n  A:\n    Type: AWS::SNS::Topic\n".write(
        to: root.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    let first = try await CinchProcess.run(
      ["render", "t.yaml", "other.yaml", "-o", "out"], in: root)
    #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
    let out = root.appendingPathComponent("out")
    // No process has a PID above the kernel's pid_max (at most 4,194,304).
    let gone = "2000000000"
    let alive = String(getpid())
    let canary = "canary-\(UUID().uuidString.prefix(8))"
    for name in [
      ".t.yaml.tmp-\(gone)", ".manifest.json.tmp-\(gone)", ".t.yaml.tmp-\(alive)",
      ".other.yaml.tmp-\(gone)", ".old.yaml.previous-\(gone)",
    ] {
      try canary.write(to: out.appendingPathComponent(name), atomically: false, encoding: .utf8)
    }
    // other.yaml is no longer rendered: it goes, and what was left beside it too.
    let render = try await CinchProcess.run(["render", "t.yaml", "-o", "out"], in: root)
    #expect(render.status == 0, "\(render.stdout)\(render.stderr)")
    let left = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
    // The folder is render's: a gone process's leftovers of any file go; a live process's
    // names are its own. (This test's PID is the test runner's, alive, not the render's.)
    #expect(left == [".t.yaml.tmp-\(alive)", "manifest.json", "t.yaml"])
  }

  /// A version a template parameter writes after the name (`${Ver}` in a `!Sub`, `!Ref Ver` as
  /// an `Fn::Join` piece, or the whole `name:version` from one input) is what the deploy reads:
  /// pin mode leaves all three as written, where it once replaced `${Ver}` with the number
  /// (a deploy with another `Ver` still read the locked version) and refused the `Fn::Join`.
  /// A name from an input, with no version, is pinned.
  @Test func aVersionAnInputGivesIsLeftAsWritten() async throws {
    let root = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let template = """
      Parameters:
        Ver: {Type: String, Default: '1'}
        Sec: {Type: String, Default: '/app/host:1'}
        Name: {Type: String, Default: /app/host}
      Resources:
        P:
          Type: AWS::SSM::Parameter
          Properties:
            Type: String
            Value: !Sub '{{resolve:ssm:/app/host:${Ver}}}'
            Description: !Sub '{{resolve:ssm:${Sec}}}'
        Q:
          Type: AWS::SSM::Parameter
          Properties:
            Type: String
            Value: !Join ['', ['{{resolve:ssm:/app/host:', !Ref Ver, '}}']]
            Description: !Sub '{{resolve:ssm:${Name}}}'

      """
    try template.write(
      to: root.appendingPathComponent("t.yaml"), atomically: true, encoding: .utf8)
    for arguments in [
      ["init"],
      ["ssm", "put-parameter", "--name", "/app/host", "--value", "h", "--type", "String"],
      [
        "ssm", "put-parameter", "--name", "/app/host", "--value", "h2", "--type", "String",
        "--overwrite",
      ],
      ["lock", "t.yaml"], ["render", "t.yaml", "-o", "out"],
    ] {
      let step = try await CinchProcess.run(arguments, in: root)
      #expect(step.status == 0, "\(arguments): \(step.stdout) \(step.stderr)")
    }
    let written = try String(
      contentsOf: root.appendingPathComponent("out/t.yaml"), encoding: .utf8)
    #expect(
      written
        == template.replacingOccurrences(
          of: "'{{resolve:ssm:${Name}}}'", with: "'{{resolve:ssm:${Name}:2}}'"))
  }

  /// A render into the templates' own folder, by any name of it, would replace the source with
  /// the rendered text (inline: with the secret's value): refused, and the template is whole.
  @Test func renderingOverItsOwnTemplateIsRefused() async throws {
    let root = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let canary = "CANARY-render-over-source-4d1e"
    let template =
      "Resources:\n  A:\n    Type: AWS::RDS::DBInstance\n"
      + "    Properties: {MasterUserPassword: '{{resolve:ssm-secure:/app/pw}}'}\n"
    let path = root.appendingPathComponent("t.yaml")
    try template.write(to: path, atomically: true, encoding: .utf8)
    for arguments in [
      ["init"],
      ["ssm", "put-parameter", "--name", "/app/pw", "--value", canary, "--type", "SecureString"],
      ["lock", "t.yaml"],
    ] {
      let step = try await CinchProcess.run(arguments, in: root)
      #expect(step.status == 0, "\(arguments): \(step.stderr)")
    }
    let folderName = root.lastPathComponent
    for (mode, folder) in [("pin", "."), ("inline", "../\(folderName)"), ("inline", root.path)] {
      let rendered = try await CinchProcess.run(
        ["render", "--mode", mode, "--output", folder], in: root)
      #expect(rendered.status == 2, "\(mode) \(folder): \(rendered.stdout)")
      #expect(
        rendered.stderr.contains("is 't.yaml', which render reads; write to another folder"),
        "\(rendered.stderr)")
      #expect(!rendered.stderr.contains(canary) && !rendered.stdout.contains(canary))
      #expect(try String(contentsOf: path, encoding: .utf8) == template)
      #expect(
        !FileManager.default.fileExists(atPath: root.appendingPathComponent("manifest.json").path))
    }
  }

  /// A template the render no longer makes (renamed, left out) loses the file the previous
  /// render wrote for it, which would deploy stale pins; what the manifest names outside the
  /// folder, and the folder's other files, are left alone.
  @Test func filesOfThePreviousRenderThatNoTemplateMakesAreRemoved() async throws {
    let root = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let files = FileManager.default
    for name in ["a.yaml", "b.yaml"] {
      try "Resources:\n  A:\n    Type: AWS::SNS::Topic\n".write(
        to: root.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    let first = try await CinchProcess.run(["render", "a.yaml", "b.yaml", "-o", "out"], in: root)
    #expect(first.status == 0, "\(first.stderr)")
    let out = root.appendingPathComponent("out")
    try "mine".write(to: out.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
    try "outside".write(
      to: root.appendingPathComponent("outside.yaml"), atomically: true, encoding: .utf8)
    // A manifest edited to name a file outside the folder removes nothing there.
    let manifest = out.appendingPathComponent("manifest.json")
    let edited = try String(contentsOf: manifest, encoding: .utf8).replacingOccurrences(
      of: "\"output\": \"a.yaml\"", with: "\"output\": \"../outside.yaml\"")
    try edited.write(to: manifest, atomically: true, encoding: .utf8)

    let second = try await CinchProcess.run(["render", "a.yaml", "-o", "out"], in: root)
    #expect(second.status == 0, "\(second.stderr)")
    #expect(
      second.stdout.hasPrefix(
        "rendered 1 file to out/ (pin mode) with manifest.json; removed 1 file of the previous "
          + "render that this one does not make (the folder holds one render: name every "
          + "template to keep them)\n"), "\(second.stdout)")
    #expect(!files.fileExists(atPath: out.appendingPathComponent("b.yaml").path))
    #expect(files.fileExists(atPath: out.appendingPathComponent("a.yaml").path))
    #expect(files.fileExists(atPath: out.appendingPathComponent("notes.txt").path))
    #expect(files.fileExists(atPath: root.appendingPathComponent("outside.yaml").path))
  }

  /// What render has to say about a template (an I5001 note) follows its summary line and
  /// ends with the note: no blank line after the last one.
  @Test func notesEndWithTheLastNote() async throws {
    let root = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    try """
    Parameters:
      P: {Type: "AWS::SSM::Parameter::Value<String>", Default: /x}
    Resources:
      A: {Type: AWS::SNS::Topic}

    """.write(to: root.appendingPathComponent("t.yaml"), atomically: true, encoding: .utf8)
    for arguments in [
      ["init"], ["ssm", "put-parameter", "--name", "/x", "--value", "v", "--type", "String"],
      ["lock", "t.yaml"],
    ] {
      let step = try await CinchProcess.run(arguments, in: root)
      #expect(step.status == 0, "\(arguments): \(step.stderr)")
    }
    let rendered = try await CinchProcess.run(["render", "t.yaml", "-o", "out"], in: root)
    #expect(rendered.status == 0, "\(rendered.stderr)")
    #expect(
      rendered.stdout.hasPrefix("rendered 1 file to out/ (pin mode) with manifest.json\n"),
      "\(rendered.stdout)")
    #expect(rendered.stdout.contains("info[I5001]"))
    #expect(rendered.stdout.hasSuffix("^~\n"), "\(rendered.stdout)")
  }

  /// A render that cannot write one of its files writes none of them: the previous render
  /// (templates and manifest) is left as it was, with no temporary file beside it, and the
  /// failure is one line with exit 2.
  @Test func aFailedWriteLeavesThePreviousRenderWhole() async throws {
    let root = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let files = FileManager.default
    try "Resources:\n  A:\n    Type: AWS::SNS::Topic\n".write(
      to: root.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
    try files.createDirectory(
      at: root.appendingPathComponent("sub"), withIntermediateDirectories: true)
    try "Resources:\n  B:\n    Type: AWS::SNS::Topic\n".write(
      to: root.appendingPathComponent("sub/b.yaml"), atomically: true, encoding: .utf8)
    let first = try await CinchProcess.run(
      ["render", "a.yaml", "sub/b.yaml", "-o", "out"], in: root)
    #expect(first.status == 0, "\(first.stderr)")
    let out = root.appendingPathComponent("out")
    let manifest = try Data(contentsOf: out.appendingPathComponent("manifest.json"))
    // Where `sub/b.yaml` goes, a file now stands in the way of its folder.
    try files.removeItem(at: out.appendingPathComponent("sub"))
    try "in the way".write(
      to: out.appendingPathComponent("sub"), atomically: true, encoding: .utf8)
    try "Resources:\n  A2:\n    Type: AWS::SNS::Topic\n".write(
      to: root.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)

    let second = try await CinchProcess.run(
      ["render", "a.yaml", "sub/b.yaml", "-o", "out"], in: root)
    #expect(second.status == 2)
    #expect(second.stderr.hasPrefix("cinch: error: cannot write into "), "\(second.stderr)")
    #expect(try Data(contentsOf: out.appendingPathComponent("manifest.json")) == manifest)
    let kept = try String(contentsOf: out.appendingPathComponent("a.yaml"), encoding: .utf8)
    #expect(kept.contains("  A:\n"))
    #expect(try files.contentsOfDirectory(atPath: out.path).allSatisfy { !$0.hasPrefix(".") })
  }
}

/// A render whose files cannot all be put in place leaves the previous render as it was: an
/// inline render that stopped halfway would leave secret values beside a manifest that says
/// pin mode.
@Suite struct RenderOutputReplacementTests {
  enum Obstacle: String, CaseIterable, Sendable {
    /// A folder where `b.yaml` goes: seen before anything is replaced.
    case folder
    /// An immutable `b.yaml` (`chattr +i`): its rename fails after `a.yaml`'s succeeded, which
    /// is put back.
    case immutableFile
  }

  /// Whether this machine lets a test make a file immutable (root, and a file system with the
  /// attribute).
  static let canMakeImmutable: Bool = {
    let probe = FileManager.default.temporaryDirectory
      .appendingPathComponent("cinch-immutable-probe-\(getpid())")
    guard FileManager.default.createFile(atPath: probe.path, contents: Data()) else {
      return false
    }
    defer {
      _ = try? Self.chattr("-i", probe.path)
      try? FileManager.default.removeItem(at: probe)
    }
    return (try? Self.chattr("+i", probe.path)) == true && unlink(probe.path) != 0
  }()

  @discardableResult
  static func chattr(_ flag: String, _ path: String) throws -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
    process.arguments = [flag, path]
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus == 0
  }

  @Test(arguments: Obstacle.allCases)
  func anInlineRenderThatCannotReplaceEveryFileReplacesNone(_ obstacle: Obstacle) async throws {
    if obstacle == .immutableFile, !Self.canMakeImmutable { return }
    let root = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let files = FileManager.default
    #expect(try await CinchProcess.run(["init"], in: root).status == 0)
    let canary = "CANARY-render-\(UUID().uuidString.prefix(8))"
    try canary.write(to: root.appendingPathComponent("pw"), atomically: true, encoding: .utf8)
    let put = try await CinchProcess.run(
      [
        "ssm", "put-parameter", "--name", "/app/pw", "--type", "SecureString", "--value",
        "file://pw",
      ], in: root)
    #expect(put.status == 0, "\(put.stderr)")
    for name in ["a", "b"] {
      try
        "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUserPassword: '{{resolve:ssm-secure:/app/pw}}'\n"
        .write(to: root.appendingPathComponent(name + ".yaml"), atomically: true, encoding: .utf8)
    }
    #expect(try await CinchProcess.run(["lock", "a.yaml", "b.yaml"], in: root).status == 0)
    #expect(try await CinchProcess.run(["render", "a.yaml", "-o", "out"], in: root).status == 0)
    let out = root.appendingPathComponent("out")
    let before = try files.contentsOfDirectory(atPath: out.path).sorted()
    let manifest = try Data(contentsOf: out.appendingPathComponent("manifest.json"))
    let rendered = try Data(contentsOf: out.appendingPathComponent("a.yaml"))
    let blocked = out.appendingPathComponent("b.yaml")
    switch obstacle {
    case .folder:
      try files.createDirectory(at: blocked, withIntermediateDirectories: false)
    case .immutableFile:
      #expect(files.createFile(atPath: blocked.path, contents: Data("old".utf8)))
      #expect(try Self.chattr("+i", blocked.path))
    }
    defer { if obstacle == .immutableFile { _ = try? Self.chattr("-i", blocked.path) } }

    let inline = try await CinchProcess.run(
      ["render", "a.yaml", "b.yaml", "--mode", "inline", "-o", "out"], in: root)
    #expect(inline.status == 2)
    #expect(inline.stderr.hasPrefix("cinch: error: cannot replace '"), "\(inline.stderr)")
    #expect(!inline.stderr.contains(canary) && !inline.stdout.contains(canary))
    #expect(try Data(contentsOf: out.appendingPathComponent("a.yaml")) == rendered)
    #expect(try Data(contentsOf: out.appendingPathComponent("manifest.json")) == manifest)
    let after = try files.contentsOfDirectory(atPath: out.path).sorted()
    #expect(after == (before + ["b.yaml"]).sorted(), "no temporary file and no second name left")
  }

  /// A render or lock that replaces its files leaves nothing beside them: the second names
  /// the old files get while the new ones go into place (which may hold an earlier inline
  /// render's values) are removed once the write has landed.
  @Test func aSuccessfulReplacementLeavesNoCopyOfTheOldFiles() async throws {
    let root = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let files = FileManager.default
    #expect(try await CinchProcess.run(["init"], in: root).status == 0)
    let first = "CANARY-old-\(UUID().uuidString.prefix(8))"
    try first.write(to: root.appendingPathComponent("pw"), atomically: true, encoding: .utf8)
    let put = ["ssm", "put-parameter", "--name", "/app/pw", "--type", "SecureString"]
    #expect(try await CinchProcess.run(put + ["--value", "file://pw"], in: root).status == 0)
    try
      "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUserPassword: '{{resolve:ssm-secure:/app/pw}}'\n"
      .write(to: root.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
    let render = ["render", "a.yaml", "--mode", "inline", "-o", "out"]
    for _ in 0..<2 {
      #expect(try await CinchProcess.run(["lock", "a.yaml"], in: root).status == 0)
      #expect(try await CinchProcess.run(render, in: root).status == 0)
    }
    try "second".write(to: root.appendingPathComponent("pw"), atomically: true, encoding: .utf8)
    #expect(
      try await CinchProcess.run(put + ["--value", "file://pw", "--overwrite"], in: root).status
        == 0)
    #expect(try await CinchProcess.run(["lock", "a.yaml", "--update"], in: root).status == 0)
    #expect(try await CinchProcess.run(render, in: root).status == 0)
    let out = root.appendingPathComponent("out")
    #expect(
      try files.contentsOfDirectory(atPath: out.path).sorted() == ["a.yaml", "manifest.json"])
    #expect(
      try files.contentsOfDirectory(atPath: root.path).allSatisfy { !$0.contains(".previous-") })
    for name in try files.contentsOfDirectory(atPath: out.path) {
      let text = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
      #expect(!text.contains(first), "\(name)")
    }
  }

  /// The manifest has its own name in the output folder: a template of that name would replace
  /// it (or be replaced by it), so it is E5003 before anything is written; to standard output,
  /// where no manifest goes, it renders.
  @Test func aTemplateNamedLikeTheManifestIsACollision() async throws {
    let root = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    try #"{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}"#.write(
      to: root.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
    let folder = try await CinchProcess.run(["render", "manifest.json", "-o", "out"], in: root)
    #expect(folder.status == 1)
    #expect(
      folder.stdout.contains(
        "manifest.json: error[E5003]: 'manifest.json' would be rendered to 'manifest.json', "
          + "where render writes its manifest"), "\(folder.stdout)")
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out").path))
    let standardOutput = try await CinchProcess.run(
      ["render", "manifest.json", "-o", "-"], in: root)
    #expect(standardOutput.status == 0, "\(standardOutput.stderr)")
    #expect(standardOutput.stdout.contains("AWS::SNS::Topic"))
  }
}
