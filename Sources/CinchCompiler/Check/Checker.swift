public import CinchTemplate

/// `cinch check` past the front end: whether what each reference reads exists, answered by the
/// store's metadata (online) or by the lockfile alone (offline), and whether the lock is fresh.
/// Never a value: online it holds only a `StoreCatalog`, which cannot read one.
///
/// | code  | rule |
/// |-------|------|
/// | E4001 | the parameter or secret exists |
/// | E4002 | the pinned or requested version, version id or stage exists |
/// | E4003 | the parameter's type fits the reference kind (`ssm` ↔ String/StringList, `ssm-secure` ↔ SecureString) |
/// | E4004 | the secret is not scheduled for deletion |
/// | I4011 | a JSON key is vouched for by the lock (only a value shows it, and check reads none) |
/// | E4007 | the reference is in the lock (offline or `--frozen`: an error; online: a warning) |
/// | W4008 | every lock entry is still used (an error with `--frozen`) |
/// | W4009 | no pin is behind the store (an error with `--frozen`) |
/// | E4001, E4002, E4004, E4005 | what a resource reads when it runs exists (`RuntimeReadExistence`) |
/// | E6007 | a role a resource reads the store as allows the read (`IAMCoverageRules`) |
/// | W6008 | no statement allows reading every secret or parameter |
public struct Checker: Sendable {
  /// Where existence is answered.
  public enum Source: Sendable {
    /// The store's metadata; the lock, when there is one, supplies the pins.
    case store(StoreCatalog)
    /// The lockfile alone (`--offline`, or no store configured).
    case lock
  }

  public struct Options: Sendable, Hashable {
    /// Lock rules are errors, not warnings.
    public var frozen: Bool
    /// `--ignore`: codes left out wherever they are found.
    public var ignored: Set<DiagnosticCode>
    /// `--warnings-as-errors`.
    public var warningsAsErrors: Bool

    public init(
      frozen: Bool = false, ignored: Set<DiagnosticCode> = [], warningsAsErrors: Bool = false
    ) {
      self.frozen = frozen
      self.ignored = ignored
      self.warningsAsErrors = warningsAsErrors
    }
  }

  /// What was checked, for the summary line.
  public struct Report: Sendable, Hashable {
    /// Reference sites whose existence was answered (by the store or the lock), found or not.
    public var referencesChecked = 0
    /// Every concrete reference site.
    public var references = 0
    /// Reads by resources when they run (`RuntimeReadExistence`) answered by the store.
    public var runtimeReadsChecked = 0
    /// Reads by resources when they run that only a store could have answered (offline).
    public var runtimeReadsUnchecked = 0
    /// Findings left out by `--ignore` or a template's `Metadata` suppression.
    public var suppressed = 0

    public init() {}
  }

  /// How one key stood.
  enum Verdict {
    case exists
    case failed
  }

  /// nil: no store and no lock, so only the template rules run.
  public let source: Source?
  public let lock: CheckedLock?
  public let options: Options
  /// The deploy's parameters, region and account: the IAM rules evaluate ARNs with them, as
  /// the front end evaluated the templates.
  public let inputs: EvaluationInputs

  public init(
    source: Source?, lock: CheckedLock?, options: Options = Options(),
    inputs: EvaluationInputs = EvaluationInputs()
  ) {
    self.source = source
    self.lock = lock
    self.options = options
    self.inputs = inputs
  }

  /// Runs the rules `check` adds to the front end's over `analyses`, then filters everything in
  /// `diagnostics` (the front end's findings too): `--ignore`, the templates' suppressions,
  /// `--warnings-as-errors`. `checkedFiles` are the templates named (a lock entry read only
  /// from other templates is not called unused); one that could not be read or parsed (no
  /// analysis of it, or one without a document) was not checked. `suppressions` are read from
  /// `analyses` when not given.
  /// `prepared`: what `prepare` did ahead, for these analyses (with the catalog of `source`,
  /// when it was given one).
  public func check(
    _ analyses: [TemplateAnalysis], checkedFiles: [String], suppressions: Suppressions? = nil,
    prepared: Prepared? = nil, into diagnostics: inout Diagnostics
  ) async throws -> Report {
    // The template rules read only the analyses; the existence rules wait on the store. The
    // two run side by side, and their findings join in the order they always had.
    // Made from other analyses, it would answer for other references: done again here then.
    let prepared = prepared.flatMap { $0.templates.count == analyses.count ? $0 : nil }
    async let templateFindings = TemplateRules.check(
      analyses, ahead: prepared?.templates, inputs: inputs)
    let index = prepared?.index ?? ReferenceIndex(analyses)
    // A template that did not load, or whose references wait on an input, has references no
    // one knows: the lock entries read from it are not unused (Docs/Check.md: only when every
    // template that read an entry was checked).
    let loaded = Set(analyses.lazy.filter(\.readsAreKnown).map(\.file.path))
    var referenceFindings = Diagnostics()
    var described = prepared?.described ?? StoreDescriptions()
    var report = try await checkReferences(
      index, checkedFiles: checkedFiles.filter(loaded.contains), described: &described,
      into: &referenceFindings)
    let runtimeReads = RuntimeReadExistence(inputs: inputs)
    if case .store(let catalog)? = source {
      report.runtimeReadsChecked = try await runtimeReads.check(
        analyses, in: catalog, described: &described, into: &referenceFindings)
    } else {
      // No lock pins them: only a store can say whether they exist.
      report.runtimeReadsUnchecked = analyses.reduce(0) {
        $0 + runtimeReads.checkableReads($1).count
      }
    }
    diagnostics.append(contentsOf: await templateFindings)
    diagnostics.append(contentsOf: referenceFindings)
    // Read once: a caller that already read them (and reported a bad entry) passes them in.
    let suppressions = suppressions ?? Suppressions(analyses, into: &diagnostics)
    let outcome = FindingFilter(
      ignored: options.ignored, suppressions: suppressions,
      warningsAsErrors: options.warningsAsErrors
    ).apply(diagnostics)
    diagnostics = outcome.kept
    report.suppressed = outcome.suppressed
    return report
  }

  /// What `check` can do before the templates' graphs are finished: the references grouped by
  /// what they read, the store's description of each entry, and the template rules that need
  /// no graph.
  public struct Prepared: Sendable {
    let index: ReferenceIndex
    let described: StoreDescriptions
    /// One for each template, in order.
    let templates: [TemplateRules.Ahead]
  }

  /// Does what needs only each template's evaluated references, not its graph: a command
  /// starts it as soon as the references are known (`TemplateAnalyzer.Started`), while the
  /// graphs are finished, and gives it to `check`. With a `catalog`, every entry read is
  /// described (all the existence rules ask of the store). `inputs` as for `Checker.init`.
  public static func prepare(
    _ templates: [TemplateAnalyzer.Started], inputs: EvaluationInputs, catalog: StoreCatalog?
  ) async throws -> Prepared {
    // The rules use the processor while the store is asked (a store's own work, or the wait
    // for AWS's answers).
    async let ahead = templates.map {
      TemplateRules.ahead($0.template, references: $0.references, inputs: inputs)
    }
    let index = ReferenceIndex(references: templates.map(\.references))
    var described = StoreDescriptions()
    if let catalog { try await described.describe(index.sites.lazy.map(\.key), in: catalog) }
    return Prepared(index: index, described: described, templates: await ahead)
  }

  /// The existence and lock rules over the concrete references of `index`.
  public func checkReferences(
    _ index: ReferenceIndex, checkedFiles: [String], into diagnostics: inout Diagnostics
  ) async throws -> Report {
    var described = StoreDescriptions()
    return try await checkReferences(
      index, checkedFiles: checkedFiles, described: &described, into: &diagnostics)
  }

  /// `described`: entries already described; the rest are described here, and added, so the
  /// run-time reads of the same entries ask the store nothing more.
  func checkReferences(
    _ index: ReferenceIndex, checkedFiles: [String], described: inout StoreDescriptions,
    into diagnostics: inout Diagnostics
  ) async throws -> Report {
    var report = Report()
    report.references = index.sites.reduce(0) { $0 + $1.sites.count }
    var findings = Diagnostics()
    // Keys found missing or unfit: a lock cannot pin them, so "not in the lock" would only
    // repeat the finding.
    var failed = Set<ResolutionKey>()
    switch source {
    case .store(let catalog)?:
      var existence = StoreExistence(
        catalog: catalog, lock: lock, options: options, described: described)
      try await existence.prefetch(index.sites.lazy.map(\.key))
      for (key, sites) in index.sites {
        switch try await existence.check(key, sites: sites, into: &findings) {
        case .exists: break
        case .failed: failed.insert(key)
        }
        report.referencesChecked += sites.count
      }
      described = existence.described
    case nil:
      break
    case .lock?:
      guard let lock else { break }
      let existence = LockExistence(lock: lock)
      for (key, sites) in index.sites {
        _ = existence.check(key, sites: sites, into: &findings)
        report.referencesChecked += sites.count
      }
    }
    if let lock, source != nil {
      LockRules(lock: lock, options: options, online: isOnline).check(
        index, checkedFiles: checkedFiles, skipping: failed, into: &findings)
    }
    diagnostics.append(contentsOf: findings)
    return report
  }

  var isOnline: Bool {
    if case .store? = source { return true }
    return false
  }
}

/// The lockfile as `check` reads it: its entries, where it is, and (when its text could be
/// parsed) where each entry sits in it, so findings about an entry point at its lines.
public struct CheckedLock: Sendable {
  public var lockfile: Lockfile
  /// The lockfile's path as the user named it.
  public var path: String
  public var paths: SitePaths
  /// Each entry's span in the lockfile's text.
  public var ranges: [ResolutionKey: SourceRange]

  public init(lockfile: Lockfile, path: String, document: ParsedDocument? = nil) {
    self.lockfile = lockfile
    self.path = path
    self.paths = SitePaths(lockPath: path)
    self.ranges = document.map(LockfileLocator.ranges) ?? [:]
  }

  /// The lockfile's name for messages: `cinch.lock`, or the path given.
  public var name: String { path }
}

extension ReferenceSite {
  /// How a finding names the place that reads an entry: the reference as written, or the
  /// template parameter whose type makes CloudFormation read it.
  var described: String {
    if case .parameterType(let parameter) = context {
      return "parameter '\(parameter)' names '\(reference.name)'"
    }
    return "reference '\(reference.text)'"
  }
}

extension Diagnostics {
  /// One finding per site that reads the entry, so each place (and each file of a pull
  /// request) carries its own annotation.
  mutating func report(
    _ code: DiagnosticCode, _ message: String, at sites: [ReferenceSite],
    severity: Severity? = nil, notes: [Diagnostic.Note] = []
  ) {
    for site in sites {
      report(
        Diagnostic(
          code, "\(site.described): \(message)", file: site.file, range: site.range,
          path: site.path, notes: notes, severity: severity))
    }
  }
}
