import CinchAWS
import CinchCompiler
import CinchStore
import CinchTemplate
import Foundation

/// What `lock`, `render`, `plan` and `outdated` share: the lockfile, the templates (named on
/// the command line, or the lock's), the evaluation inputs (the flags given, or the lock's), and
/// the analysis of every template.
struct CompileSession {
  let lockPath: String
  let paths: SitePaths
  let previous: Lockfile?
  /// Entries of the lockfile that contradict themselves, left out of `previous` to be pinned
  /// again (`repairingLock`, for `lock`).
  let setAside: [SetAsideEntry]
  let templates: [String]
  /// Templates the lock records that no longer exist (`keepingRecorded`): left out.
  let removedTemplates: [String]
  let settings: EvaluationSettings
  var run: TemplateAnalysisRun
  /// What the templates leave out of their findings (`Metadata: cinch: ignore`), and how many
  /// of the analysis's findings that removed.
  let suppressions: Suppressions
  let suppressedCount: Int

  /// `keepingRecorded` (`lock`): the templates named join those the lock records, and a
  /// recorded one that no longer exists leaves it (`removedTemplates`), so naming a new
  /// template never drops the others' pins. Without it, the templates named are all there is.
  init(
    files: [String], lockPath: String, evaluation: EvaluationOptions, limits: ParseLimits,
    graph: Bool = false, purpose: String = "compile", pipelinedParse: Bool = true,
    keepingRecorded: Bool = false, repairingLock: Bool = false,
    referencesKnown: ([TemplateAnalyzer.Started], EvaluationInputs) -> Void = { _, _ in }
  ) throws {
    self.lockPath = lockPath
    self.paths = SitePaths(lockPath: lockPath)
    let (previous, setAside) = try Self.readLock(lockPath, settingAside: repairingLock)
    self.previous = previous
    self.setAside = setAside
    var removed: [String] = []
    if keepingRecorded, let previous, !previous.templates.isEmpty {
      let recorded = previous.templates.map(paths.fromLock)
      let present = recorded.filter { FileManager.default.fileExists(atPath: $0) }
      removed = recorded.filter { !present.contains($0) }
      templates = TemplateAnalysisRun.distinct(present + files)
      if templates.isEmpty {
        throw CommandFailure(
          message: "none of the templates '\(lockPath)' records exists any more "
            + "(\(removed.joined(separator: ", "))); name the templates to \(purpose)")
      }
    } else if files.isEmpty {
      guard let previous, !previous.templates.isEmpty else {
        throw CommandFailure(
          message: "name the templates to \(purpose) (no '\(lockPath)' records any)")
      }
      templates = previous.templates.map(paths.fromLock)
    } else {
      templates = TemplateAnalysisRun.distinct(files)
    }
    removedTemplates = removed
    var settings = Self.settings(try evaluation.settings(), over: previous?.inputs, paths: paths)
    if let previous {
      settings.recordedIn = lockPath
      settings.recordedOverrides = Set(previous.inputs.parameterOverrides).intersection(
        settings.parameterOverrides)
      settings.parameterFilesRecorded =
        evaluation.parameterFiles.isEmpty && !previous.inputs.parameterFiles.isEmpty
    }
    self.settings = settings
    run = try TemplateAnalysisRun(
      files: templates, limits: limits, settings: settings, graph: graph,
      pipelinedParse: pipelinedParse, referencesKnown: referencesKnown)
    if files.isEmpty, !keepingRecorded {
      // A template the lock records that is gone: said where it comes from, and how to drop it.
      let recorded = Set(templates)
      run.diagnostics = run.diagnostics.mapping { diagnostic in
        guard diagnostic.code == .fileUnreadable, let file = diagnostic.file,
          recorded.contains(file), !FileManager.default.fileExists(atPath: file)
        else { return diagnostic }
        var noted = diagnostic
        noted.notes.append(
          .init(
            "'\(lockPath)' records this template; 'cinch lock' leaves out a template that no "
              + "longer exists, or name the templates to \(purpose)"))
        return noted
      }
    }
    suppressions = run.suppressions
    suppressedCount = run.suppressedCount
  }

  /// The flags given, over the inputs the lock records: a flag replaces the recorded input of
  /// its kind (`--parameters` the recorded files, `--region` the region, …). A value given now
  /// beats a recorded one: `--parameter-overrides` replace recorded overrides of the same keys
  /// (in place, so the lockfile's list does not churn), and so do the keys of `--parameters`
  /// files given (a recorded override would otherwise still win over them, as overrides win
  /// over files). `lock --region eu-west-1` re-locks the same templates with the same
  /// parameters in another region.
  static func settings(
    _ given: EvaluationSettings, over recorded: RecordedInputs?, paths: SitePaths,
    keysIn: (String) -> Set<String> = EvaluationSettings.parameterKeys(in:)
  ) -> EvaluationSettings {
    guard let recorded else { return given }
    func key(_ pair: String) -> Substring { pair.prefix { $0 != "=" } }
    let givenOverrides = Dictionary(
      given.parameterOverrides.map { (key($0), $0) }, uniquingKeysWith: { $1 })
    // Read only when a recorded override could give way to a file given (it is read again
    // for the inputs).
    let givenFileKeys =
      recorded.parameterOverrides.isEmpty
      ? []
      : given.parameterFiles.reduce(into: Set<String>()) {
        $0.formUnion(keysIn($1))
      }
    var overrides: [String] = []
    var placed = Set<Substring>()
    for pair in recorded.parameterOverrides {
      let name = key(pair)
      if let replacement = givenOverrides[name] {
        if placed.insert(name).inserted { overrides.append(replacement) }
      } else if !givenFileKeys.contains(String(name)) {
        overrides.append(pair)
      }
    }
    overrides += given.parameterOverrides.filter { !placed.contains(key($0)) }
    return EvaluationSettings(
      parameterFiles: given.parameterFiles.isEmpty
        ? recorded.parameterFiles.map(paths.fromLock) : given.parameterFiles,
      parameterOverrides: overrides,
      region: given.region ?? recorded.region, accountID: given.accountID ?? recorded.accountID,
      stackName: given.stackName ?? recorded.stackName)
  }

  /// Whether parameter values recorded in the lock (its files or overrides) are among the
  /// inputs: they serve all the lock's templates, so one template alone need not declare them.
  var readsRecordedParameters: Bool {
    settings.parameterFilesRecorded || !settings.recordedOverrides.isEmpty
  }

  static func readLock(_ path: String) throws -> Lockfile? {
    try readLock(path, settingAside: false).lock
  }

  /// `settingAside`: entries that contradict themselves are returned apart, not refused
  /// (`Lockfile.parse(_:path:settingAside:)`).
  static func readLock(_ path: String, settingAside: Bool) throws -> (
    lock: Lockfile?, setAside: [SetAsideEntry]
  ) {
    guard FileManager.default.fileExists(atPath: path) else { return (nil, []) }
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
      throw CommandFailure(message: "\(path): cannot read the lockfile: it is a folder")
    }
    let bytes: [UInt8]
    do {
      bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    } catch {
      let reason = (error as NSError).localizedFailureReason ?? "\(error.localizedDescription)"
      throw CommandFailure(message: "\(path): cannot read the lockfile: \(reason)")
    }
    if String(validating: bytes, as: UTF8.self) == nil {
      throw CommandFailure(
        message: "\(path): cannot read the lockfile: it is not UTF-8 text")
    }
    let text = String(decoding: bytes, as: UTF8.self)
    do {
      return try Lockfile.parse(text, path: path, settingAside: settingAside)
    } catch {
      throw CommandFailure(
        message: error.description,
        place: error.line.flatMap { line in
          error.column.map { .init(file: path, line: line, column: $0, reason: error.reason) }
        })
    }
  }

  /// The inputs to record in a new lock: paths relative to the lock, the region and account
  /// given (a default is not recorded: read back as given, it would silence W2015 for the
  /// names built from it), and no override of a `NoEcho` parameter. Overrides are recorded one
  /// per parameter (the last given wins, as it does in the run) in the parameters' order, so
  /// the same inputs given in another order write the same lock.
  var recordedInputs: RecordedInputs {
    let noEcho = Set(run.analyses.flatMap { $0.template.parameters.filter(\.noEcho).map(\.name) })
    var byParameter: [String: String] = [:]
    for pair in settings.parameterOverrides {
      let name = String(pair.prefix { $0 != "=" })
      if !noEcho.contains(name) { byParameter[name] = pair }
    }
    let overrides = byParameter.sorted { $0.key < $1.key }.map(\.value)
    let inputs = run.inputs
    return RecordedInputs(
      parameterFiles: settings.parameterFiles.map(paths.relative), parameterOverrides: overrides,
      region: inputs.assumed.contains("AWS::Region") ? nil : inputs.region,
      accountID: inputs.assumed.contains("AWS::AccountId") ? nil : inputs.accountID,
      stackName: inputs.stackName)
  }

  /// A lock made for another region or account than this run's (`--region`, `--account-id`
  /// given otherwise): its pins and keys belong to that store, so using them would write, check
  /// or grant another region's versions. `advice` says how to go on.
  func lockTargetConflict(advice: String) -> CommandFailure? {
    previous.flatMap {
      $0.targetConflict(
        region: run.inputs.region, accountID: run.inputs.accountID, lockPath: lockPath,
        advice: advice)
    }
  }

  /// Sorted, so naming the same templates in another order leaves the lockfile as it was.
  var recordedTemplates: [String] { templates.map(paths.relative).sorted() }

  /// The templates that were read and parsed (a missing or malformed one has no document).
  var loadedTemplates: [String] {
    run.analyses.filter { $0.document.root != nil }.map(\.file.path)
  }

  /// The templates whose every read is known (`TemplateAnalysis.readsAreKnown`).
  var templatesReadKnown: [String] { run.analyses.filter(\.readsAreKnown).map(\.file.path) }

  /// What lock, render, plan and outdated pin (and what no lock can, `unpinnable`).
  var index: ReferenceIndex { ReferenceIndex(run.analyses, pinning: true) }
}

extension Lockfile {
  /// The refusal when this lock records another region or account than `region` and
  /// `accountID` (a lock that records none fits every target).
  func targetConflict(region: String, accountID: String, lockPath: String, advice: String)
    -> CommandFailure?
  {
    let differences = [("region", inputs.region, region), ("account", inputs.accountID, accountID)]
      .compactMap { name, locked, given -> String? in
        guard let locked, locked != given else { return nil }
        return "\(name) \(locked), not \(given)"
      }
    guard !differences.isEmpty else { return nil }
    return CommandFailure(
      message: "\(lockPath) was made for \(differences.joined(separator: " and ")): its pins and "
        + "keys belong to that store; \(advice)")
  }
}

extension SitePaths {
  /// Lockfile sites (`file:line:column`, files relative to the lock) with their files as the
  /// user names them from the current folder; `named` keeps each file's answer.
  func fromLock(sites: [String], _ named: inout [String: String]) -> [String] {
    sites.map { site in
      LockEntry.site(site) { file in
        if let known = named[file] { return known }
        let path = fromLock(file)
        named[file] = path
        return path
      }
    }
  }

  /// A path recorded in the lock (relative to its folder), as the user would name it from the
  /// current folder.
  func fromLock(_ recorded: String) -> String {
    let absolute = base.appendingPathComponent(recorded).standardizedFileURL
    let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
    let here = SitePaths(lockPath: cwd.appendingPathComponent("x").path, workingDirectory: cwd.path)
    return here.relative(absolute.path)
  }
}

extension OpenStore {
  /// The store as the compiler reads it for a deploy to `region` in `accountID`
  /// (`deployed(region:accountID:)`): the embedded file (its own fingerprint key), or AWS for
  /// `aws://` (fingerprints under the project's fingerprint key, see `FingerprintKey`).
  func reader(region: String, accountID: String, regionGiven: Bool = true) throws -> StoreReader {
    try deployed(region: region, accountID: accountID, regionGiven: regionGiven).compilerReader()
  }

  /// `deployed(region:accountID:regionGiven:)` for the deploy the templates were evaluated
  /// for: a region they were given, not AWS's default assumed for them, moves a bare `aws://`.
  func deployed(for inputs: EvaluationInputs) throws -> OpenStore {
    try deployed(
      region: inputs.region, accountID: inputs.accountID,
      regionGiven: !inputs.assumed.contains("AWS::Region"))
  }

  /// `reader(region:accountID:)` for the deploy the templates were evaluated for.
  func reader(for inputs: EvaluationInputs) throws -> StoreReader {
    try deployed(for: inputs).compilerReader()
  }

  /// This store (already `deployed`) as the compiler reads it.
  private func compilerReader() throws -> StoreReader {
    switch self {
    case .embedded(let store):
      return StoreReader(
        parameters: store, secrets: store, fingerprinter: store,
        publicParameters: publicParameters)
    case .aws(let store):
      do {
        let key = try FingerprintKey.load(
          environment: ProcessEnvironment.current,
          directory: FileManager.default.currentDirectoryPath)
        return StoreReader(
          parameters: store, secrets: store, fingerprinter: key,
          publicParameters: publicParameters)
      } catch let error as FingerprintKeyError {
        throw CommandFailure(message: "\(error)")
      }
    }
  }

}

extension StoreOptions {
  /// `refuseAWSOnlyFlags` as the template commands report it (exit 2), before they read
  /// anything: a flag for AWS beside the embedded store (or none) is refused even when the run
  /// turns out to need no store, or a check meant for an endpoint would pass without reaching
  /// it. Every caller of `openForTemplates` has called it.
  func refuseAWSAccessFlags(_ access: AWSAccessOptions) throws {
    do {
      try refuseAWSOnlyFlags(endpointURL: access.endpointURL, profile: access.profile)
    } catch {
      throw CommandFailure(message: "\(error)")
    }
  }

  /// `openAny` for the template commands (`lock`, `render`, `plan`, `outdated`, `check`,
  /// `policy`): either kind of store, and a store that cannot be opened or reached is a
  /// `CommandFailure` naming it (exit 2).
  ///
  /// A bare `aws://` with no region of its own (no `--region`, `AWS_REGION` or profile) reads in
  /// the region the lock at `lockPath` records (Docs/AWS.md), as it would once the templates'
  /// inputs are known: the store is opened before them, so the lock is asked here, only then.
  func openForTemplates(
    region: String?, access: AWSAccessOptions, lockPath: String? = nil
  ) async throws -> OpenStore {
    let flags = access.flags(region: region)
    do {
      do {
        return try await openAny(flags, connector: .process())
      } catch AWSClientError.noRegion where flags.region == nil {
        guard let lockPath, let region = try? CompileSession.readLock(lockPath)?.inputs.region
        else { throw AWSClientError.noRegion }
        var recorded = flags
        recorded.region = region
        return try await openAny(recorded, connector: .process())
      }
    } catch let error as StoreAccessError {
      throw CommandFailure(message: "\(error)")
    } catch let error as StoreLocationError {
      throw CommandFailure(message: "\(error)")
    } catch let error as AWSClientError {
      throw CommandFailure(message: "\(error)")
    }
  }
}
