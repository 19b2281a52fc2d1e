import ArgumentParser
import CinchCompiler
import CinchStore
import CinchTemplate
import Foundation

/// `cinch check FILE…`: every rule, for editors and pull requests. The template rules always;
/// the existence rules against the store's metadata (online) or the lockfile alone (offline);
/// the lock rules whenever there is a lock. Never a value, never a decryption.
struct CheckCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract:
      "Check templates: syntax, references, placement, plain-text secrets, IAM roles, existence in the store or the lock.",
    discussion: """
      Online (a store is named by --store or CINCH_STORE, or .cinch/store.db exists), each \
      reference is checked against the store's metadata: the parameter or secret exists, the \
      pinned or requested version, version id or stage exists, the parameter's type fits the \
      reference, the secret is not scheduled for deletion, and no pin in the lock is behind. \
      No value is read and nothing is decrypted, so a role that may only describe entries \
      suffices. Offline (--offline, or no store), the same questions are answered from the \
      lockfile alone, so a pull request from a fork is still checked. A JSON key is verified \
      by 'cinch lock', which records it, and check trusts the lock for it; without a lock \
      entry, the embedded store's list of a value's keys answers (AWS keeps none). Online, what a \
      resource reads when it runs (an ECS container's Secrets, a CodeBuild variable, an RDS \
      proxy's SecretArn) must exist too, with the version, label or stage it names.

      A role of the template that a resource reads the store as when it runs (an ECS task's \
      execution role, a CodeBuild project's service role) must allow the read: the actions and \
      ARNs 'cinch policy --profile consumers' would grant (E6007). The template's statements \
      count, and those of the AWS managed policies cinch knows (AmazonECSTaskExecutionRolePolicy, \
      AmazonSSMManagedInstanceCore and a few others, Docs/Check.md lists them); a role with any \
      other policy from outside the template, or whatever the template does not settle, is \
      never reported. A statement of the template allowing GetSecretValue or \
      ssm:GetParameter* on every secret or parameter is a warning (W6008).

      Findings can be left out with --ignore CODE (an id or a name, repeatable or \
      comma-separated), or in a template's Metadata, for the whole file or one resource:
        Metadata:
          cinch:
            ignore: [E2032, pin-behind]

      Exit status: 0 when no finding is an error, 1 when one is, 2 when a file or the store \
      cannot be read or the command line is wrong.
      """)

  @Argument(
    help:
      "Template files (YAML or JSON); - reads one from standard input; default: the lockfile's templates."
  )
  var files: [String] = []

  @Flag(help: "Answer from the lockfile alone, even when a store is configured.")
  var offline = false

  @OptionGroup var lockfile: LockfileOption
  var lock: String { lockfile.path }

  @Flag(
    help:
      "The lock must be complete and current: its warnings become errors, and a missing lock fails."
  )
  var frozen = false

  @Option(
    name: .customLong("ignore"),
    help: ArgumentHelp(
      "Leave out findings with this code or name (E2020, pin-behind); repeatable, or comma-separated.",
      valueName: "code"))
  var ignore: [String] = []

  @Flag(help: "Report warnings as errors (and exit 1 on any).")
  var warningsAsErrors = false

  @OptionGroup var output: DiagnosticOutputOptions
  @OptionGroup(title: "Store") var storeOptions: StoreOptions
  @OptionGroup(title: "Store") var awsAccess: AWSAccessOptions
  @OptionGroup(title: "Evaluation") var evaluation: EvaluationOptions
  @OptionGroup(title: "Limits") var limitOptions: ParseLimitOptions

  /// `--ignore` as codes: each entry may hold several, comma-separated.
  var ignoredCodes: Set<DiagnosticCode> {
    get throws {
      var codes = Set<DiagnosticCode>()
      for item in ignore.flatMap({ $0.split(separator: ",") }) {
        let text = item.trimmingCharacters(in: .whitespaces)
        guard let code = DiagnosticCode.named(text) else {
          throw ValidationError(
            "--ignore: '\(text)' is not a diagnostic code or name (see 'Docs/Diagnostics.md')")
        }
        guard code.canBeSuppressed else {
          throw ValidationError(
            "--ignore: \(code.id) (\(code.name)) is an input error and cannot be ignored: a file "
              + "that is not read as written is not checked")
        }
        codes.insert(code)
      }
      return codes
    }
  }

  func validate() throws {
    _ = try ignoredCodes
  }

  func run() async throws {
    do {
      try await check()
    } catch let failure as CommandFailure where output.format != .human {
      // A CI job uploads what check prints: a check that could not run is still a SARIF log
      // (a run that did not succeed, its notification saying why), a JSON list, an
      // annotation, never an empty file. The one-line error follows on stderr, exit 2.
      var diagnostics = Diagnostics()
      diagnostics.report(failure.diagnostic(.checkNotRun))
      try? output.emit(diagnostics, documents: [], summary: false)
      throw failure
    }
  }

  private func check() async throws {
    try StandardInputPath.checkReadOnce(files)
    try storeOptions.refuseAWSAccessFlags(awsAccess)
    try lockfile.requireNamed()
    let environment = ProcessEnvironment.current
    let online = !offline && storeOptions.isConfigured(environment)
    // A store that opens without a prompt is opened while the templates are parsed, and asked
    // about the references while their graphs are finished (`Checker.prepare`).
    let ahead = online && storeOptions.opensUnattended(environment)
    let store = StartedAhead(when: ahead) {
      [storeOptions, evaluation, awsAccess] in
      try await storeOptions.openForTemplates(
        region: evaluation.region, access: awsAccess, lockPath: lock)
    }
    var prepared: Task<Checker.Prepared, any Error>?
    var session: CompileSession
    do {
      session = try CompileSession(
        files: files, lockPath: lock, evaluation: evaluation, limits: limitOptions.limits,
        graph: true, purpose: "check"
      ) { templates, inputs in
        prepared = Task.detached {
          try await Checker.prepare(
            templates, inputs: inputs, catalog: ahead ? store.value().catalog(for: inputs) : nil)
        }
      }
      // The lock's answers (offline) and pins (the lock rules) are another store's.
      if let conflict = session.lockTargetConflict(
        advice: "check with a lock made for this target (--lock)")
      {
        throw conflict
      }
      if session.previous == nil, frozen || offline {
        throw CommandFailure(
          message:
            "\(frozen ? "--frozen" : "--offline") needs the lockfile '\(lock)', which does not exist (run 'cinch lock')"
        )
      }
    } catch {
      _ = await prepared?.result
      await store.abandon()
      throw error
    }
    defer { KeptUntilExit.keep(session) }
    var documents = session.run.documents
    var checkedLock: CheckedLock?
    if let lockfile = session.previous {
      var ignored = Diagnostics()
      let document = (try? SourceFile(path: lock)).map { TemplateParser.parse($0, into: &ignored) }
      if let document { documents.append(document) }
      checkedLock = CheckedLock(lockfile: lockfile, path: lock, document: document)
    }

    // Inputs recorded in the lock serve all its templates; checking some of them, a value
    // for another template's parameter is expected, not a typo.
    if session.readsRecordedParameters, !files.isEmpty {
      session.run.diagnostics = session.run.diagnostics.filtering {
        $0.code != .undeclaredParameter
      }
    }
    let source: Checker.Source?
    var openedStore: OpenStore?
    if online {
      let opened = try await store.value()
      openedStore = opened
      source = .store(try opened.catalog(for: session.run.inputs))
    } else {
      source = checkedLock == nil ? nil : .lock
    }
    // What `render --frozen` refuses to write unpinned, `check --frozen` fails on too: a name
    // that differs in each iteration of an `Fn::ForEach` loop, which no lock pins.
    if frozen {
      ReferenceIndex.reportLoopReads(
        session.run.analyses, lock: lock, into: &session.run.diagnostics)
    }
    let checker = Checker(
      source: source, lock: checkedLock,
      options: .init(frozen: frozen, ignored: try ignoredCodes, warningsAsErrors: warningsAsErrors),
      inputs: session.run.inputs)
    var report: Checker.Report
    do {
      report = try await checker.check(
        session.run.analyses, checkedFiles: session.templates, suppressions: session.suppressions,
        prepared: prepared?.value, into: &session.run.diagnostics)
      report.suppressed += session.suppressedCount
    } catch let failure as CommandFailure {
      throw failure
    } catch {
      throw CommandFailure(message: "the store could not be read: \(error)")
    }
    if let openedStore, let lockfile = session.previous {
      sayWhenTheLockIsAnotherStores(lockfile, store: openedStore, into: &session.run.diagnostics)
    }
    try output.emit(
      session.run.diagnostics, documents: documents, files: session.templates.count,
      detail: detail(
        report, online: online, locked: checkedLock != nil,
        allRead: !session.run.anInputFailed,
        written: session.run.analyses.reduce(0) { $0 + $1.references.count },
        waiting: session.run.analyses.reduce(0) { total, analysis in
          total + analysis.references.count { if case .waiting = $0.state { true } else { false } }
        },
        malformed: session.run.diagnostics.items.count { Self.syntaxCodes.contains($0.code) }),
      credentialsScanned: Set(session.run.analyses.map(\.file.path)))
  }

  /// Pins this store lacks, in a lock fingerprinted under another key than this embedded
  /// store's: the lock was most likely made against another store (a CI job pointed at the
  /// wrong one), and "the version is gone" would send the user to move pins that are fine
  /// where they were made. Said once, beside those findings (W4012). AWS stores are left out:
  /// their key is the project's, whose file reading it would create.
  private func sayWhenTheLockIsAnotherStores(
    _ lockfile: Lockfile, store: OpenStore, into diagnostics: inout Diagnostics
  ) {
    guard case .embedded(let sqlite) = store, let recorded = lockfile.fingerprintKey,
      diagnostics.items.contains(where: {
        $0.severity == .error && ($0.code == .versionNotFound || $0.code == .entryNotFound)
      })
    else { return }
    let keyID = StoreReader(parameters: sqlite, secrets: sqlite, fingerprinter: sqlite)
      .fingerprintKeyID
    guard recorded != keyID else { return }
    diagnostics.report(
      Diagnostic(
        .fingerprintKeyMismatch,
        "'\(lock)' was fingerprinted under another key than this store's: it was most likely "
          + "made against another store, so pins this one lacks may be fine there; check "
          + "against the store it was made with (--store), or lock again here",
        file: lock, range: nil, severity: .warning))
  }

  /// The findings of a reference that is not valid as written (E2001–E2013): no reference is
  /// read from it, but the template has one.
  static let syntaxCodes: [DiagnosticCode] = [
    .unknownService, .invalidName, .versionNotANumber, .tooManySegments, .emptyName,
    .secretStringSegment, .stageAndVersionId, .nestedReference, .spacesInReference,
    .trailingBackslash, .unterminatedReference, .emptyVersion, .invalidSecretARN,
  ]

  /// What the summary line adds: what the references were checked against, and how many
  /// findings were left out.
  private func detail(
    _ report: Checker.Report, online: Bool, locked: Bool, allRead: Bool, written: Int,
    waiting: Int, malformed: Int
  ) -> String {
    var parts: [String] = []
    func references(_ count: Int) -> String { count == 1 ? "1 reference" : "\(count) references" }
    func reads(_ count: Int) -> String {
      count == 1 ? "1 run-time read" : "\(count) run-time reads"
    }
    if report.references > 0, !online, !locked {
      parts.append("\(references(report.references)) not checked: no store and no '\(lock)'")
    } else if report.references > 0 {
      let runtime =
        report.runtimeReadsChecked > 0 ? " and \(reads(report.runtimeReadsChecked))" : ""
      parts.append(
        "\(references(report.referencesChecked))\(runtime) checked against \(online ? "the store" : "'\(lock)'")"
      )
    } else if report.runtimeReadsChecked > 0 {
      parts.append("\(reads(report.runtimeReadsChecked)) checked against the store")
    } else if written > waiting {
      // Written, but not read as it stands: under a false condition, or not a valid name (or
      // named only at deploy, said below).
      let unread = written - waiting
      parts.append(
        "\(references(written)) written, "
          + (unread == written ? "none read on this deploy" : "\(unread) not read on this deploy"))
    } else if written > 0 {
      // All named only at deploy: said below.
    } else if malformed > 0 {
      parts.append(malformed == 1 ? "1 reference not valid" : "\(malformed) references not valid")
    } else if allRead {
      // Said even for one clean file: a check that prints nothing looks like it did nothing.
      parts.append("no dynamic references")
    }
    if report.runtimeReadsUnchecked > 0 {
      parts.append("\(reads(report.runtimeReadsUnchecked)) not checked: only a store knows them")
    }
    if waiting > 0 {
      // Names that wait on a resource, an import or an input not given: read on deploy, but
      // nothing before it knows what.
      parts.append("\(references(waiting)) named only at deploy, not checked")
    }
    if report.suppressed > 0 { parts.append("\(report.suppressed) suppressed") }
    return parts.joined(separator: "; ")
  }
}

extension OpenStore {
  /// The store's metadata, for `check`: the catalog protocols only, never the resolver. The
  /// embedded file as read from the deploy's region and account (`deployed`), or AWS
  /// (`DescribeParameters`, `GetParameterHistory`, `DescribeSecret`, `ListSecretVersionIds`).
  func catalog(for inputs: EvaluationInputs) throws -> StoreCatalog {
    let store = try deployed(for: inputs)
    return StoreCatalog(
      parameters: store.parameters, secrets: store.secrets,
      publicParameters: store.publicParameters)
  }
}

extension StoreOptions {
  /// Whether a store is named (`--store`, `CINCH_STORE`) or the default one exists: `check`
  /// goes online only then, and answers from the lockfile otherwise.
  func isConfigured(_ environment: [String: String]) -> Bool {
    if store != nil { return true }
    if let named = environment["CINCH_STORE"], !named.isEmpty { return true }
    return FileManager.default.fileExists(atPath: Self.defaultStore)
  }
}
