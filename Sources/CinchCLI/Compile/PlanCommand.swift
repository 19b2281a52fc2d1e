import ArgumentParser
import CinchCompiler
import CinchTemplate
import Foundation

/// `cinch plan`: what a deploy of the templates as they are would read, against the lock.
struct PlanCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Show which references a deploy would read at other versions than the lock pins.",
    discussion: """
      Resolves every reference at what it asks for (the latest version unless it names one) and \
      compares with the lockfile: old → new version, whether the value changed (by keyed \
      fingerprint) and, for a value that is not a secret, its length. Never a value, nor a \
      secret's length. --format markdown suits a pull-request comment; \
      --exit-code exits 1 when a deploy would read anything other than the lock pins.
      """)

  @Argument(help: "Template files (default: the lockfile's).")
  var files: [String] = []

  @OptionGroup var lockfile: LockfileOption

  @Option(help: ArgumentHelp("Compare with this lockfile instead.", valueName: "path"))
  var against: String?

  @Option(help: "human, json or markdown.")
  var format: Format = .human

  @Flag(
    help: "Exit 1 when a reference would move, be added or dropped, or cannot be read (for CI).")
  var exitCode = false

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case human, json, markdown
  }

  @OptionGroup(title: "Store") var storeOptions: StoreOptions
  @OptionGroup(title: "Store") var awsAccess: AWSAccessOptions
  @OptionGroup(title: "Evaluation") var evaluation: EvaluationOptions
  @OptionGroup(title: "Limits") var limitOptions: ParseLimitOptions

  func run() async throws {
    try StandardInputPath.refuse(files, command: "plan")
    try storeOptions.refuseAWSAccessFlags(awsAccess)
    try lockfile.requireNamed()
    let lock = lockfile.path
    var session = try CompileSession(
      files: files, lockPath: lock, evaluation: evaluation, limits: limitOptions.limits)
    let basePath = against ?? lock
    let base: Lockfile
    if let against {
      guard let other = try CompileSession.readLock(against) else {
        throw CommandFailure(message: "\(against): no such lockfile")
      }
      base = other
    } else {
      base = session.previous ?? Lockfile()
    }
    // Another region's or account's pins are versions of another store: compared with this
    // target's, every entry would read as unchanged or moved for no reason.
    if let conflict = base.targetConflict(
      region: session.run.inputs.region, accountID: session.run.inputs.accountID,
      lockPath: basePath,
      advice: "plan against a lock made for this target (--lock or --against)")
    {
      throw conflict
    }
    let reader = try await storeOptions.openForTemplates(
      region: evaluation.region, access: awsAccess, lockPath: lock
    ).reader(
      for: session.run.inputs)
    let loaded = Set(session.loadedTemplates)
    var plan = try await Planner(resolver: Resolver(store: reader), paths: session.paths).plan(
      session.index, planned: session.templatesReadKnown,
      unloaded: session.templates.filter { !loaded.contains($0) }, against: base,
      named: basePath, into: &session.run.diagnostics)
    // Sites as the user names the files from here (the lock keeps them relative to itself).
    var named: [String: String] = [:]
    for index in plan.changes.indices {
      plan.changes[index].sites = session.paths.fromLock(sites: plan.changes[index].sites, &named)
    }
    Output.stdout(
      PlanRenderer(format: PlanRenderer.Format(rawValue: format.rawValue) ?? .human).render(plan))
    try session.run.reportToStandardError()
    if exitCode, plan.changes.contains(where: { $0.status != .unchanged }) {
      throw ExitCode(ExitStatus.findings)
    }
  }
}

/// `cinch outdated`: pins behind the store.
struct OutdatedCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "outdated",
    abstract: "List pins that are behind the store (metadata only; no value is read).",
    discussion: """
      A pin is behind when a newer version exists (for a reference that asks for the latest), \
      when the secret's staging label moved, when the pinned version is gone, or when it is \
      within 10 writes of Parameter Store's 100-version roll-off. --exit-code exits 1 when any is. \
      A pin no deploy can read (its version, parameter or secret gone, or the secret scheduled \
      for deletion) exits 1 always.
      """)

  @Option(help: ArgumentHelp("The lockfile.", valueName: "path"))
  var lock = Lockfile.defaultPath

  @Flag(help: "Exit 1 when any pin is behind (for CI).")
  var exitCode = false

  @Option(help: "table or json.")
  var format: Format = .table

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, json
  }

  @OptionGroup(title: "Store") var storeOptions: StoreOptions
  @OptionGroup(title: "Store") var awsAccess: AWSAccessOptions

  /// The first site and how many more (`--format json` lists them all).
  static func usedAt(_ sites: [String]) -> String {
    guard let first = sites.first else { return "-" }
    return sites.count == 1 ? first : "\(first) (+\(sites.count - 1) more)"
  }

  func run() async throws {
    try storeOptions.refuseAWSAccessFlags(awsAccess)
    guard let lockfile = try CompileSession.readLock(lock) else {
      throw CommandFailure(message: "\(lock): no such lockfile (run 'cinch lock' first)")
    }
    // The deploy the lock was made for (its recorded region and account).
    let recorded = EvaluationSettings(
      region: lockfile.inputs.region, accountID: lockfile.inputs.accountID)
    let environment = ProcessEnvironment.current
    let deploy = recorded.deployTarget(environment)
    let reader = try await storeOptions.openForTemplates(
      region: lockfile.inputs.region, access: awsAccess
    )
    .reader(
      region: deploy.region, accountID: deploy.accountID,
      regionGiven: recorded.givenRegion(environment) != nil)
    var diagnostics = Diagnostics()
    var findings = try await OutdatedChecker(store: reader).check(
      lockfile, named: lock, into: &diagnostics)
    // Sites as the user names the files from here (the lock keeps them relative to itself).
    let paths = SitePaths(lockPath: lock)
    var named: [String: String] = [:]
    for index in findings.indices {
      findings[index].entry.sites = paths.fromLock(sites: findings[index].entry.sites, &named)
    }
    switch format {
    case .table:
      if findings.isEmpty {
        let count = lockfile.entries.count
        Output.stdout(
          "every pin in \(lock) is current (\(count) reference\(count == 1 ? "" : "s"))\n")
      } else {
        let rows = findings.map { finding in
          [
            LockReport.describe(finding.entry.key), finding.message,
            Self.usedAt(finding.entry.sites),
          ]
        }
        Output.stdout(TextTable.render(header: ["REFERENCE", "STATUS", "USED AT"], rows: rows))
      }
    case .json:
      Output.stdout(OutdatedJSON.render(findings))
    }
    if !diagnostics.isEmpty {
      Output.stderr(HumanDiagnosticRenderer().render(diagnostics.sorted, sources: [:]) + "\n")
    }
    if diagnostics.hasErrors || findings.contains(where: \.breaksDeploy) {
      throw ExitCode(ExitStatus.findings)
    }
    if exitCode, !findings.isEmpty { throw ExitCode(ExitStatus.findings) }
  }
}
