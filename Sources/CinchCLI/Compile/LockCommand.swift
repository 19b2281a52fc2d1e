import ArgumentParser
import CinchCompiler
import CinchTemplate
import Foundation

/// `cinch lock FILE…`: resolve every reference against the store and pin it in `cinch.lock`.
struct LockCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lock",
    abstract: "Resolve every reference and pin it to an exact version in cinch.lock.",
    discussion: """
      Pins already in the lockfile stay where they are (re-read, so a version that vanished is \
      caught); new references are pinned to their latest version (or the one they name); entries \
      no template uses any more are dropped. --update moves the named pins to the latest \
      version; with templates and no names, the pins those templates read; with neither, all \
      pins. Templates named join those the lockfile records (one \
      that no longer exists leaves it); --only locks the named ones alone. The evaluation \
      inputs the lockfile records are used again, under any flag given. The lockfile holds no \
      value: a keyed fingerprint of each, under a key only the store has.
      """)

  @Argument(help: "Template files; with --update, also names of parameters or secrets to update.")
  var arguments: [String] = []

  @Flag(
    help:
      "Move pins to the store's latest version: the named ones, else those the named templates read, else all."
  )
  var update = false

  @Flag(
    help:
      "Lock only the templates named: the others the lockfile records, and their pins, leave it."
  )
  var only = false

  @Option(help: ArgumentHelp("The lockfile.", valueName: "path"))
  var lock = Lockfile.defaultPath

  @OptionGroup var output: DiagnosticOutputOptions
  @OptionGroup(title: "Store") var storeOptions: StoreOptions
  @OptionGroup(title: "Store") var awsAccess: AWSAccessOptions
  @OptionGroup(title: "Evaluation") var evaluation: EvaluationOptions
  @OptionGroup(title: "Limits") var limitOptions: ParseLimitOptions

  func run() async throws {
    try StandardInputPath.refuse(arguments, command: "lock")
    try storeOptions.refuseAWSAccessFlags(awsAccess)
    // With --update, a positional argument that is not a file names a pin to move.
    let files = update ? arguments.filter { FileManager.default.fileExists(atPath: $0) } : arguments
    var names = update ? arguments.filter { !files.contains($0) } : []
    let environment = ProcessEnvironment.current
    let store = StartedAhead(when: storeOptions.opensUnattended(environment)) {
      [storeOptions, evaluation, awsAccess] in
      try await storeOptions.openForTemplates(
        region: evaluation.region, access: awsAccess, lockPath: lock)
    }
    // Held from reading the lockfile to writing it (see `LockfileWriter`).
    let writer = LockfileWriter(lockPath: lock)
    defer { writer.release() }
    var session: CompileSession
    do {
      session = try CompileSession(
        files: files, lockPath: lock, evaluation: evaluation, limits: limitOptions.limits,
        // One malloc arena here: one parsing thread (`ProcessSetup.oneArena`).
        pipelinedParse: false, keepingRecorded: !only || files.isEmpty,
        // The lock is derived from the templates: an entry a merge left contradicting itself
        // is pinned again here, the one command that can (every other refuses the lock).
        repairingLock: true)
    } catch {
      await store.abandon()
      throw error
    }
    defer { KeptUntilExit.keep(session) }
    // An ARN names every entry the lock records it for (exactly, or as a secret's partial
    // ARN), whatever name the template gave it (`prod/db` and its full ARN are two entries of
    // one secret): the ARN of another region, account or partition names none of them.
    var named: [String] = []
    for name in names {
      guard name.hasPrefix("arn:") else {
        named.append(name)
        continue
      }
      let entries = session.previous?.entries.filter { $0.pin.recordsARN(name) } ?? []
      guard !entries.isEmpty else {
        await store.abandon()
        throw CommandFailure(
          message: "--update names '\(name)', which is not an ARN '\(lock)' records "
            + "(name the parameter or secret, or give the ARN as the lock shows it)")
      }
      for entry in entries where !named.contains(entry.key.name) { named.append(entry.key.name) }
    }
    names = named
    // Templates named and no pin: the pins those templates read move, not every pin of the
    // lock (which other templates share).
    var templateKeys: Set<ResolutionKey>?
    if update, names.isEmpty, !files.isEmpty {
      let chosen = Set(files.map { session.paths.relative($0) })
      let analyses = session.run.analyses.filter {
        chosen.contains(session.paths.relative($0.file.path))
      }
      templateKeys = Set(ReferenceIndex(analyses, pinning: true).keys)
      // A template that did not read (a syntax error) is reported below, as any lock's.
      if templateKeys?.isEmpty == true, analyses.allSatisfy(\.readsAreKnown),
        !session.run.diagnostics.hasErrors
      {
        await store.abandon()
        throw CommandFailure(
          message:
            "--update: \(files.joined(separator: ", ")) \(files.count == 1 ? "reads" : "read") "
            + "nothing to pin; name the pins to move, or none to move them all")
      }
    }
    // A name no template references is a mistyped argument: said before anything is read.
    let known = Set(session.index.keys.map(\.name))
    for name in names where !session.index.keys.contains(where: { $0.isNamed(by: name) }) {
      await store.abandon()
      throw CommandFailure(
        message: "--update names '\(name)', which no template references"
          + NearestName.hint(for: name, among: known))
    }
    let reader = try await store.value().reader(for: session.run.inputs)
    let locker = Locker(resolver: Resolver(store: reader), paths: session.paths)
    let scope: Locker.UpdateScope =
      if let templateKeys { .keys(templateKeys) } else if update {
        names.isEmpty ? .all : .named(names)
      } else { .none }
    var outcome = try await locker.lock(
      session.index, previous: session.previous, update: scope, into: &session.run.diagnostics)
    let failed = session.run.diagnostics.hasErrors
    if !failed {
      outcome.lock.templates = session.recordedTemplates
      outcome.lock.inputs = session.recordedInputs
      // The same text is not written again: a new modification time would wake `make` and
      // file watchers for nothing.
      let text = outcome.lock.serialized()
      if (try? String(contentsOfFile: lock, encoding: .utf8)) != text {
        try AtomicFile.replace(text, at: lock)
      }
      // With a machine format stdout holds the findings alone, for the step that parses it.
      let report = LockReport.render(
        outcome, previous: session.previous, removedTemplates: session.removedTemplates,
        setAside: session.setAside, path: lock)
      if output.format == .human { Output.stdout(report) } else { Output.stderr(report) }
    } else {
      Output.stderr(
        "cinch: '\(lock)' not written: fix the errors \(output.wherePrinted) and run again\n")
    }
    // Findings in human form go to stderr, beside the line that points at them, as plan's do
    // (stdout holds the report of what changed); a machine format stays on stdout, for a CI
    // step that reads it.
    try output.emit(
      session.run.diagnostics, documents: session.run.documents, files: session.templates.count,
      summary: failed, to: output.format == .human ? 2 : 1)
  }
}

/// What `cinch lock` prints: the total and what changed in the file, then one line per pin
/// that changed. "(unchanged)" only when the file is as it was.
enum LockReport {
  static func render(
    _ outcome: Locker.Outcome, previous: Lockfile?, removedTemplates: [String] = [],
    setAside: [SetAsideEntry] = [], path: String
  ) -> String {
    var lines: [String] = []
    for template in removedTemplates {
      lines.append("  - template \(template) (no longer exists: left out)")
    }
    // Entries that contradicted themselves: pinned again as new, and said apart from new ones.
    let repaired = Set(setAside.map(\.key))
    var reasons: [ResolutionKey: [LockfileError]] = [:]
    for item in setAside { reasons[item.key, default: []].append(item.error) }
    let added = outcome.added.filter { !repaired.contains($0.key) }
    for entry in added {
      lines.append("  + \(describe(entry.key)) → \(entry.pin.versionText)")
    }
    for key in reasons.keys.sorted() {
      let why = (reasons[key] ?? []).map(\.description).joined(separator: "; ")
      if let entry = outcome.added.first(where: { $0.key == key }) {
        lines.append("  ! \(describe(key)) → \(entry.pin.versionText): pinned again (\(why))")
      } else {
        // The entry as written asks for what no template asks for (a hand edit or a merge
        // changed what it requests): set aside, and nothing pinned in its place.
        lines.append("  - \(describe(key)) (\(why): set aside; no template asks for it)")
      }
    }
    for (from, to) in outcome.moved {
      lines.append("  ~ \(describe(to.key)) \(from.pin.versionText) → \(to.pin.versionText)")
    }
    for entry in outcome.dropped {
      lines.append("  - \(describe(entry.key)) (no template reads it any more)")
    }
    for (_, entry) in outcome.rewritten {
      lines.append(
        "  ! \(describe(entry.key)) \(entry.pin.versionText): another value at the locked "
          + "version (deleted and created again?)")
    }
    let count = outcome.lock.entries.count
    var summary = "locked \(count) reference\(count == 1 ? "" : "s") in \(path)"
    var changes: [String] = []
    if !added.isEmpty { changes.append("\(added.count) added") }
    if !repaired.isEmpty {
      changes.append(
        "\(repaired.count) \(repaired.count == 1 ? "entry" : "entries") contradicting "
          + "\(repaired.count == 1 ? "itself" : "themselves") set aside and pinned again")
    }
    if !outcome.moved.isEmpty { changes.append("\(outcome.moved.count) moved") }
    if !outcome.dropped.isEmpty { changes.append("\(outcome.dropped.count) dropped") }
    if !outcome.rewritten.isEmpty {
      changes.append("\(outcome.rewritten.count) with another value at the same version")
    }
    if outcome.fingerprintKeyChanged {
      changes.append("fingerprinted again under this store's key")
    } else if let previous, previous.fingerprintKey != outcome.lock.fingerprintKey {
      // A lock from before the key was recorded: the file gains the field.
      changes.append("fingerprint key recorded")
    }
    if let previous {
      let sites = outcome.sitesChanged
      if sites > 0 {
        changes.append("sites of \(sites) reference\(sites == 1 ? "" : "s") changed")
      }
      let details = outcome.detailsChanged
      if details > 0 {
        changes.append("details of \(details) pin\(details == 1 ? "" : "s") read again")
      }
      if previous.templates != outcome.lock.templates { changes.append("templates changed") }
      if previous.inputs != outcome.lock.inputs { changes.append("inputs changed") }
    } else if changes.isEmpty {
      changes.append("created")
    }
    summary += changes.isEmpty ? " (unchanged)" : " (\(changes.joined(separator: ", ")))"
    return ([summary] + lines).joined(separator: "\n") + "\n"
  }

  /// `ssm-secure /myapp/prod/dbpassword (latest)`, `secretsmanager prod/db [password] (AWSCURRENT)`.
  static func describe(_ key: ResolutionKey) -> String {
    var text = "\(key.kind.rawValue) \(key.name)"
    if let jsonKey = key.jsonKey { text += " [\(jsonKey)]" }
    switch key.selector {
    // A reference without a stage reads AWSCURRENT; said apart from one that names it.
    case .latest: text += key.kind == .secretsManager ? " (default AWSCURRENT)" : " (latest)"
    case .version(let version): text += " (version \(version))"
    case .stage(let stage): text += " (\(stage))"
    case .versionId(let id): text += " (id \(id))"
    }
    return text
  }
}
