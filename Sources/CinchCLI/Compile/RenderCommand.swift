import ArgumentParser
import CinchCompiler
import CinchJSON
import CinchStore
import CinchTemplate
import Foundation

/// `cinch render FILE… -o DIR`: deploy-ready artifacts that change nothing but reference text.
struct RenderCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract:
      "Write templates with every reference pinned (or, --mode inline, replaced by its value).",
    discussion: """
      Bytes outside reference spans are copied exactly. pin (the default) writes each reference \
      in its exact pinned form ({{resolve:ssm:/a/b:7}}, \
      {{resolve:secretsmanager:ID:SecretString:KEY::VERSION-ID}}): the artifact holds no secret, \
      and CloudFormation resolves exactly the locked version. inline writes values, for targets \
      that resolve nothing themselves: those files are created 0600, and printing them to a \
      terminal needs --reveal. The lock's pins are used where it has them; what it lacks is pinned at the store's \
      version, with a warning (E4007) and "locked": false in the manifest; --frozen fails \
      (exit 1, naming each) when a reference is not in the lock or a pinned version is gone. \
      The output folder gets the files under their own relative paths and manifest.json \
      (references, pins, sites and fingerprints; no values). -o - prints one file to stdout.
      """)

  @Argument(
    help: "Template files, or any YAML/JSON file with references (default: the lockfile's).")
  var files: [String] = []

  @Option(
    name: [.short, .customLong("output")],
    help: ArgumentHelp("Output folder, or - for stdout.", valueName: "dir"))
  var output: String

  @Option(help: "pin or inline.")
  var mode: Mode = .pin

  enum Mode: String, ExpressibleByArgument, CaseIterable {
    case pin, inline
  }

  @Flag(help: "Fail when a reference is not in the lock or a pinned version no longer exists.")
  var frozen = false

  @Flag(help: "Allow printing inline values to a terminal.")
  var reveal = false

  @OptionGroup var lockfile: LockfileOption
  var lock: String { lockfile.path }

  @OptionGroup var diagnosticOutput: DiagnosticOutputOptions
  @OptionGroup(title: "Store") var storeOptions: StoreOptions
  @OptionGroup(title: "Store") var awsAccess: AWSAccessOptions
  @OptionGroup(title: "Evaluation") var evaluation: EvaluationOptions
  @OptionGroup(title: "Limits") var limitOptions: ParseLimitOptions

  func validate() throws {
    // An empty folder name is no folder: read as a path it is the root, where a render would
    // write its tree and manifest (and later remove what its manifest lists).
    if output.isEmpty {
      throw ValidationError("--output needs a folder, or - for stdout; got ''")
    }
    if output == "-", mode == .inline, !reveal, Output.isTerminal(1) {
      throw ValidationError(
        "inline output holds secret values; add --reveal to print it to a terminal")
    }
  }

  func run() async throws {
    try StandardInputPath.refuse(files, command: "render")
    try storeOptions.refuseAWSAccessFlags(awsAccess)
    try lockfile.requireNamed()
    var session = try CompileSession(
      files: files, lockPath: lock, evaluation: evaluation, limits: limitOptions.limits,
      // One malloc arena here: one parsing thread (`ProcessSetup.oneArena`).
      pipelinedParse: false)
    defer { KeptUntilExit.keep(session) }
    if output == "-", session.templates.count != 1 {
      throw ValidationError("-o - prints one file; name one template or an output folder")
    }
    let index = session.index
    index.reportUnresolvable(into: &session.run.diagnostics)
    index.reportUnpinnable(into: &session.run.diagnostics)
    if mode == .inline { index.reportDeployOnly(into: &session.run.diagnostics) }
    if frozen {
      ReferenceIndex.reportLoopReads(
        session.run.analyses, lock: lock, into: &session.run.diagnostics)
    }
    // Another region's pins written into this region's artifacts name versions that do not
    // exist there, or hold other values.
    if let conflict = session.lockTargetConflict(
      advice: "lock for this target into another lockfile and render with it (--lock)")
    {
      throw conflict
    }
    let lockfile = session.previous
    if frozen, lockfile == nil {
      throw CommandFailure(
        message: "--frozen needs a lockfile, and '\(lock)' does not exist (run 'cinch lock')")
    }
    var pins: [ResolutionKey: Pin] = [:]
    pins.reserveCapacity(index.keys.count)
    var values: [ResolutionKey: SecretBytes] = [:]
    var missing: [ResolutionKey] = []
    for key in index.keys {
      if let entry = lockfile?.entry(for: key) {
        pins[key] = entry.pin
      } else if frozen {
        index.report(
          ResolutionFailure.unsupported("not in '\(lock)'; run 'cinch lock'"), for: key,
          into: &session.run.diagnostics, as: .notInLock)
      } else {
        missing.append(key)
      }
    }
    let needsStore = mode == .inline || !missing.isEmpty || frozen
    if needsStore, !index.keys.isEmpty {
      let reader = try await storeOptions.openForTemplates(
        region: evaluation.region, access: awsAccess, lockPath: lock
      ).reader(
        for: session.run.inputs)
      let resolver = Resolver(store: reader)
      // Pinned keys are read at their pins (so a vanished version is caught); the rest at
      // what they ask for.
      let wanted = mode == .inline || frozen ? index.keys : missing
      let results = try await resolver.resolve(wanted, at: pins)
      // Fingerprints compare only under the key that made the lock's (a lock from before the
      // key was recorded, when one of its pins matches, as `plan` takes it).
      let lockedAndRead = wanted.filter { pins[$0] != nil && results[$0] != nil }
      let vouched = lockedAndRead.contains { key in
        guard case .success(let resolved)? = results[key] else { return false }
        return pins[key]?.fingerprint == resolved.pin.fingerprint
      }
      let sameKey =
        lockfile?.isFingerprinted(by: reader.fingerprintKeyID, vouched: vouched) ?? false
      if !sameKey, !lockedAndRead.isEmpty {
        // The versions are still the lock's, but nothing says their values are the ones it
        // vouched for: `--frozen` promises they are.
        session.run.diagnostics.report(
          Diagnostic(
            .fingerprintKeyMismatch,
            "'\(lock)' was fingerprinted under another key than this store's (made against "
              + "another store, with another CINCH_FINGERPRINT_KEY, or by an older cinch), so "
              + "no pinned value can be vouched for"
              + (frozen ? ", as --frozen requires" : "")
              + " (run 'cinch lock' to fingerprint the same pins again with this store's key)",
            file: lock, range: nil, severity: frozen ? .error : .warning))
      }
      // What the lock lacks is pinned at the store's version, as the lock would pin it, but
      // nothing vouched for it: said per reference (E4007, a warning, as `check` says it
      // against a store), and marked in the manifest. Without a lock, nothing is locked.
      if lockfile != nil {
        for key in missing {
          guard case .success(let resolved)? = results[key] else { continue }
          index.report(
            .unsupported(
              "\(LockReport.describe(key)) is not in '\(lock)': rendered at the store's version "
                + "\(resolved.pin.versionText), which no lock vouches for (run 'cinch lock' to "
                + "pin it)"), for: key,
            into: &session.run.diagnostics, as: .notInLock, severity: .warning)
        }
      }
      for key in wanted {
        switch results[key] {
        case .success(let resolved)?:
          if sameKey, let pinned = pins[key], pinned.fingerprint != resolved.pin.fingerprint {
            // The locked version holds another value now: not what the lock vouched for.
            index.report(
              .pinnedValueChanged(version: pinned.versionText), for: key,
              into: &session.run.diagnostics, pinned: true)
            pins[key] = nil
            continue
          }
          pins[key] = pins[key] ?? resolved.pin
          values[key] = resolved.value
        case .failure(let failure)?:
          index.report(
            failure, for: key, into: &session.run.diagnostics,
            pinned: pins[key] != nil)
          pins[key] = nil
        case nil:
          break
        }
      }
    }
    let builder = ArtifactBuilder(
      mode: mode == .pin ? .pin : .inline, paths: session.paths, writesManifest: output != "-")
    let (artifacts, manifest) = builder.build(
      session.run.analyses, pins: pins, values: mode == .inline ? values : [:],
      unlocked: Set(missing), inputs: session.recordedInputs, into: &session.run.diagnostics)
    if session.run.diagnostics.hasErrors {
      Output.stderr(
        "cinch: nothing written: fix the errors \(diagnosticOutput.wherePrinted) and run again\n")
    } else {
      try refuseOverwriting(session.templates + [lock], with: artifacts)
      // Without a lock nothing is vouched for (each entry is `"locked": false`): said once in
      // the summary, not per reference as a lock's gap is (E4007).
      let unlocked =
        lockfile == nil && !missing.isEmpty
        ? "no '\(lock)': \(missing.count) reference\(missing.count == 1 ? "" : "s") taken at the "
          + "store's current version, which no lock vouches for (run 'cinch lock' to pin "
          + (missing.count == 1 ? "it)" : "them)")
        : nil
      try write(
        artifacts, manifest: manifest,
        removing: staleOutputs(of: artifacts, sparing: session.templates + [lock]),
        unlocked: unlocked)
    }
    try diagnosticOutput.emit(
      session.run.diagnostics, documents: session.run.documents, files: session.templates.count,
      summary: session.run.diagnostics.hasErrors, to: output == "-" ? 2 : 1)
  }

  /// A render written over its own templates (`-o .` beside them) would replace the source
  /// with the rendered text, in inline mode with secret values that the next commit takes
  /// along. Compared by device and inode, so `./`, `..`, symbolic and hard links are seen too.
  private func refuseOverwriting(_ inputs: [String], with artifacts: [Artifact]) throws {
    guard output != "-" else { return }
    var identities: [FileIdentity: String] = [:]
    for path in inputs {
      if let identity = FileIdentity(path: path) { identities[identity] = path }
    }
    for target in artifacts.map(\.output) + [ArtifactBuilder.manifestName] {
      let path = output + "/" + target
      guard let identity = FileIdentity(path: path), let input = identities[identity] else {
        continue
      }
      throw CommandFailure(
        message: "nothing written: '\(path)' is '\(input)', which render reads; write to "
          + "another folder with --output")
    }
  }

  /// What the previous render wrote (its manifest's files) that this one does not: the output
  /// of a template renamed or left out of the lock, which would be deployed with its stale pins
  /// or keep its secret values. Never one of the files render reads.
  private func staleOutputs(of artifacts: [Artifact], sparing inputs: [String]) -> [String] {
    guard output != "-" else { return [] }
    let inputIdentities = Set(inputs.compactMap(FileIdentity.init(path:)))
    return Self.previousOutputs(in: output).subtracting(artifacts.map(\.output)).sorted()
      .filter { path in
        FileIdentity(path: output + "/" + path).map { !inputIdentities.contains($0) } ?? false
      }
  }

  private func write(
    _ artifacts: [Artifact], manifest: String, removing stale: [String], unlocked: String?
  ) throws {
    let mode: mode_t = self.mode == .inline ? 0o600 : 0o644
    if output == "-" {
      for artifact in artifacts { Output.stdoutBytes(artifact.bytes) }
      return
    }
    // The folder is render's: what a killed render left in any folder of it goes, whichever
    // files it was writing (those of a template no render names now too).
    AtomicFile.sweepLeftovers(
      beside: (stale + artifacts.map(\.output) + [ArtifactBuilder.manifestName]).map {
        output + "/" + $0
      }, anyName: true)
    // All or none: a full disk or a folder that cannot be written leaves the previous render
    // as it was, never new templates beside an old manifest.
    try AtomicFile.writeAll(
      artifacts.map { ($0.bytes, output + "/" + $0.output, mode) }
        + [(Array(manifest.utf8), output + "/" + ArtifactBuilder.manifestName, 0o644)])
    var removed = 0
    for path in stale where unlink(output + "/" + path) == 0 { removed += 1 }
    let count = artifacts.count
    var line =
      "rendered \(count) file\(count == 1 ? "" : "s") to \(output)/ (\(self.mode.rawValue) mode) with manifest.json"
    if self.mode == .inline {
      line += "; they hold secret values and are readable only by you (mode 0600)"
    }
    if let unlocked { line += "; " + unlocked }
    if removed > 0 {
      line +=
        "; removed \(removed) file\(removed == 1 ? "" : "s") of the previous render that this "
        + "one does not make (the folder holds one render: name every template to keep them)"
    }
    // With a machine format stdout holds the findings alone, for the step that parses it.
    if diagnosticOutput.format == .human {
      Output.stdout(line + "\n")
    } else {
      Output.stderr(line + "\n")
    }
  }

  /// The files the previous render's manifest lists, as paths inside the output folder: only
  /// relative paths that stay inside it, so a manifest edited by hand removes nothing else.
  static func previousOutputs(in folder: String) -> Set<String> {
    guard
      let data = FileManager.default.contents(atPath: folder + "/" + ArtifactBuilder.manifestName),
      let text = String(data: data, encoding: .utf8),
      let files = (try? JSONValueParser.parse(text))?["files"]?.arrayValue
    else { return [] }
    return Set(
      files.compactMap { $0["output"]?.stringValue }.filter { path in
        !path.isEmpty && !path.hasPrefix("/") && path != ArtifactBuilder.manifestName
          && !path.split(separator: "/", omittingEmptySubsequences: false).contains {
            $0 == ".." || $0 == "." || $0.isEmpty
          }
      })
  }
}
