import ArgumentParser
import CinchCompiler
import CinchPartitions
import CinchStore
import CinchTemplate
import Foundation

/// `cinch policy FILE…`: least-privilege IAM policies from what the templates read.
struct PolicyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policy",
    abstract: "Generate least-privilege IAM policies for what templates read from the store.",
    discussion: """
      deploy: what the identity that deploys the stack needs to resolve every reference \
      (ssm:GetParameters, secretsmanager:GetSecretValue, kms:Decrypt for customer-managed keys \
      only). validate: the metadata a pull-request job running cinch check reads, never a value. \
      consumers: for each resource that reads the store when it runs (an ECS task, a CodeBuild \
      project, …), what its role needs; --runtime-path adds an application role reading a path. \
      Every ARN is exact unless --collapse-prefix is given, and names the account and region \
      given: policy takes no default for them (--account-id or CINCH_ACCOUNT_ID, --region or \
      AWS_REGION / AWS_DEFAULT_REGION are required, unless the --lock given records them: \
      its parameters, region and account are then the inputs, as for render). Key metadata \
      comes from the store \
      (--store, $CINCH_STORE, or .cinch/store.db when it exists). Notes on what could not be \
      granted go to stderr; --explain prints there, for each statement, the template lines that \
      need it.
      """)

  enum Profile: String, ExpressibleByArgument, CaseIterable {
    case deploy, validate, consumers, all

    var profiles: Set<PolicyProfile> {
      switch self {
      case .deploy: [.deploy]
      case .validate: [.validate]
      case .consumers: [.consumers]
      case .all: Set(PolicyProfile.allCases)
      }
    }
  }

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case json, cloudformation
  }

  @Argument(
    help:
      "Template files (YAML or JSON); - reads one from standard input; with --lock, default: the lockfile's."
  )
  var files: [String] = []

  @Option(help: "deploy, validate, consumers or all.")
  var profile: Profile = .all

  @Option(
    help: "json (IAM policy documents) or cloudformation (AWS::IAM::ManagedPolicy resources, YAML)."
  )
  var format: Format = .json

  @Option(
    help: ArgumentHelp("The partition of the ARNs (default: the region's).", valueName: "partition")
  )
  var partition: String?

  @Option(
    help: ArgumentHelp(
      "A parameter path an application role reads at run time; ROLE= names the role (a logical id of the templates, or a role name). Repeatable.",
      valueName: "[role=]path"))
  var runtimePath: [String] = []

  @Flag(
    help:
      "Replace two or more ARNs under one path level with level/* (wider than the templates need).")
  var collapsePrefix = false

  @Option(
    help: ArgumentHelp(
      "Policies for the templates as rendered from this lockfile: GetSecretValue only for the pinned secret versions, kms:Decrypt for the pinned versions' keys (the keys it records when no store says); a reference it lacks is granted as render pins it, at the store's version (E4007); the inputs it records (parameters, region, account) stand in for flags not given.",
      valueName: "path"))
  var lock: String?

  @Flag(help: "Print, for each statement, the template lines that need it (on stderr).")
  var explain = false

  @OptionGroup(title: "Evaluation") var evaluation: EvaluationOptions
  @OptionGroup(title: "Store") var store: StoreOptions
  // `--profile` is the policy's here: an aws:// store's profile comes from AWS_PROFILE.
  @Option(
    name: .customLong("endpoint-url"),
    help: AWSAccessOptions.endpointHelp(" Its profile is $AWS_PROFILE's."))
  var endpointURL: String?

  var awsAccess: AWSAccessOptions {
    var access = AWSAccessOptions()
    access.profile = nil
    access.endpointURL = endpointURL
    return access
  }
  @OptionGroup(title: "Limits") var limitOptions: ParseLimitOptions

  func validate() throws {
    if files.isEmpty && lock == nil {
      throw ValidationError("Missing expected argument '<files> ...'")
    }
    let environment = ProcessEnvironment.current
    // With a lock, what it records may give them (checked once it is read).
    if lock == nil {
      if let missing = Self.missingTarget(
        accountID: evaluation.accountId, region: evaluation.region, environment: environment)
      {
        throw ValidationError(missing)
      }
    }
    for argument in runtimePath {
      guard let path = PolicyGenerator.RuntimePath(argument: argument) else {
        throw ValidationError(
          "--runtime-path takes [ROLE=]/path/ with a leading '/' and no wildcard; got '\(argument)'"
        )
      }
      if path.path == "/" {
        throw ValidationError(
          "--runtime-path '/' would grant every parameter of the account; name a path")
      }
      // Parameter Store keeps names starting with `aws` or `ssm` (any case) for AWS: only the
      // public parameters under /aws/service/ are there to read.
      if ParameterName.hasReservedPrefix(path.path),
        !PolicyTarget.isPublicParameter(
          path.path.hasSuffix("/") ? String(path.path.dropLast()) : path.path)
      {
        throw ValidationError(
          "--runtime-path '\(path.path)': names starting with 'aws' or 'ssm' are Parameter "
            + "Store's own, and only its public parameters (/aws/service/…) can be read there")
      }
      // A path is a name's first levels: the same alphabet and shape ('${aws:username}' would
      // be an IAM policy variable, '//' an empty level no name has).
      if let problem = ReferenceScanner.nameProblem(
        path.path, isSecret: false, inTemplate: false)
      {
        throw ValidationError("--runtime-path '\(argument)': \(problem)")
      }
    }
    let region =
      evaluation.region ?? environment["AWS_REGION"].flatMap { $0.isEmpty ? nil : $0 }
      ?? environment["AWS_DEFAULT_REGION"] ?? ""
    guard (lock != nil && region.isEmpty) || Partition.isRegionName(region) else {
      throw ValidationError(
        "cinch policy needs a region name such as us-east-1 (lowercase letters, digits and "
          + "hyphens); got '\(region)'")
    }
    if let partition, !Partition.isPartitionName(partition) {
      throw ValidationError(
        "--partition must be a partition name such as aws or aws-cn; got '\(partition)'")
    }
    let known = Partition.of(region: region)
    // A region of a known partition fixes it, and a partition cinch knows has its own regions;
    // --partition is for regions of partitions cinch does not know.
    if let partition, partition != known.name,
      known.name != "aws" || Partition.named(partition) != nil
        || Partition.isStandardRegion(region)
    {
      throw ValidationError(
        "region '\(region)' is in partition '\(known.name)', not '\(partition)'")
    }
    if !runtimePath.isEmpty && !profile.profiles.contains(.consumers) {
      throw ValidationError(
        "--runtime-path adds to the consumers policies: use --profile consumers or all")
    }
  }

  /// What is missing for every ARN to name the deploy target, as the error that says so.
  static func missingTarget(
    accountID: String?, region: String?, environment: [String: String], lock: String? = nil
  ) -> String? {
    let recorded = lock.map { ", and '\($0)' records none" } ?? ""
    if accountID == nil && (environment["CINCH_ACCOUNT_ID"] ?? "").isEmpty {
      return "cinch policy needs --account-id: every ARN names the account\(recorded)"
    }
    if region == nil
      && [environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"]].allSatisfy({
        ($0 ?? "").isEmpty
      })
    {
      return "cinch policy needs --region: every ARN names the region\(recorded)"
    }
    return nil
  }

  func run() async throws {
    try StandardInputPath.checkReadOnce(files)
    try store.refuseAWSAccessFlags(awsAccess)
    // With a lock, the templates and inputs it records stand in for those not given: the
    // policy is for what the rendered templates read.
    var run: TemplateAnalysisRun
    var pins: Lockfile?
    // What the policy is for, as its CloudFormation header names it: the lock's templates when
    // none is named.
    var templates = files.map(StandardInputPath.displayName)
    if let lock {
      guard FileManager.default.fileExists(atPath: lock) else {
        throw CommandFailure(message: "\(lock): no such lockfile (run 'cinch lock' first)")
      }
      let session = try CompileSession(
        files: files, lockPath: lock, evaluation: evaluation, limits: limitOptions.limits,
        graph: true, purpose: "write policies for")
      if let missing = Self.missingTarget(
        accountID: session.settings.accountID, region: session.settings.region,
        environment: ProcessEnvironment.current, lock: lock)
      {
        throw CommandFailure(message: missing)
      }
      run = session.run
      templates = session.templates.map(StandardInputPath.displayName)
      if session.readsRecordedParameters, !files.isEmpty {
        run.diagnostics = run.diagnostics.filtering { $0.code != .undeclaredParameter }
      }
      pins = session.previous
    } else {
      run = try TemplateAnalysisRun(
        files: files, limits: limitOptions.limits, evaluation: evaluation)
    }
    // A policy from the templates that could be read would leave out what the others read and
    // look complete: none is written.
    if run.anInputFailed {
      Output.stderr("cinch: no policy written: an input could not be read (below)\n")
      try run.reportToStandardError()
      throw ExitCode(ExitStatus.failure)
    }
    let inputs = run.inputs
    let target = PolicyTarget(
      region: inputs.region, accountID: inputs.accountID, partition: partition)
    let options = PolicyGenerator.Options(
      profiles: profile.profiles, collapsePrefixes: collapsePrefix,
      runtimePaths: runtimePath.compactMap(PolicyGenerator.RuntimePath.init(argument:)),
      consumersAreManaged: format == .cloudformation, portableNames: format == .cloudformation)

    if let lock, let lockfile = pins {
      // The lock's versions and keys are those of the store it was made from: for another
      // region or account they name versions and keys that do not exist there.
      if let conflict = lockfile.targetConflict(
        region: inputs.region, accountID: inputs.accountID, lockPath: lock,
        advice: "lock for this target, or leave out --lock")
      {
        throw conflict
      }
    }
    let (keys, completed) = try await storeMetadata(
      run.analyses, target: target, inputs: inputs, options: options,
      lock: pins.map { ($0, lock ?? "") })
    let policies = PolicyGenerator.generate(
      run.analyses, target: target, inputs: inputs, options: options, keys: keys,
      pins: completed, into: &run.diagnostics)
    // A read left out because it waits on a parameter has its W6003, which names the parameter
    // too: the analyzer's W2015 at the same place would say it twice.
    let unnamed = run.diagnostics.items.filter { $0.code == .readNotInPolicy }
    run.diagnostics = run.diagnostics.filtering { item in
      item.code != .referenceNotEvaluated
        || !unnamed.contains { $0.file == item.file && $0.range == item.range }
    }

    switch format {
    case .json:
      if profile == .deploy || profile == .validate {
        // One profile, one document: exactly what `aws iam create-policy` takes.
        if let document = policies.documents.first {
          Output.stdout(PolicyJSONRenderer().render(document))
        } else {
          Output.stderr(
            "cinch: "
              + nothingToGrant(
                "the templates read nothing the \(profile.rawValue) identity needs",
                run.diagnostics) + "\n")
        }
      } else {
        Output.stdout(PolicyJSONRenderer().render(policies))
      }
    case .cloudformation:
      if policies.documents.isEmpty {
        Output.stderr(
          "cinch: "
            + nothingToGrant(
              "the templates read nothing from the store: no policy to write", run.diagnostics)
            + "\n")
      } else {
        Output.stdout(
          PolicyCloudFormationRenderer(
            target: target, files: templates,
            usedNames: PolicyCloudFormationRenderer.logicalNames(of: run.analyses.map(\.template))
          ).render(policies))
      }
    }
    if explain {
      Output.stderr(
        PolicyExplanationRenderer(of: format == .json ? .json : .cloudFormation).render(policies))
    }
    try run.reportToStandardError()
  }

  /// Why no policy was written: the templates read nothing, or what they read cannot be named
  /// before deploy (each such read has its W6003 warning, printed after this line).
  private func nothingToGrant(_ readsNothing: String, _ diagnostics: Diagnostics) -> String {
    let unnamed = diagnostics.items.filter { $0.code == .readNotInPolicy }.count
    guard unnamed > 0 else { return readsNothing }
    let (reads, them) = unnamed == 1 ? ("read", "it") : ("\(unnamed) reads", "them")
    return "no policy to write: the templates' \(reads) cannot be named before deploy "
      + "(warnings below); set the inputs \(unnamed == 1 ? "it waits" : "they wait") on, "
      + "or grant \(them) by hand"
  }

  /// The keys of every entry the policies name, from the store when one is configured, and
  /// the lock's pins (`lock`: the lockfile and its path) with, for each secret reference it
  /// lacks, the version the store has now, which `render --lock` pins it to.
  private func storeMetadata(
    _ analyses: [TemplateAnalysis], target: PolicyTarget, inputs: EvaluationInputs,
    options: PolicyGenerator.Options, lock: (file: Lockfile, path: String)?
  ) async throws -> (EncryptionKeys, StoreCompletedPins?) {
    let lockOnly = lock.map { StoreCompletedPins(lock: $0.file, name: $0.path) }
    let environment = ProcessEnvironment.current
    let configured = store.store != nil || !(environment["CINCH_STORE"] ?? "").isEmpty
    guard configured || FileManager.default.fileExists(atPath: StoreOptions.defaultStore) else {
      return (.none, lockOnly)
    }
    // The embedded file, or AWS (`DescribeParameters`, `GetParameterHistory`,
    // `DescribeSecret`, KMS `DescribeKey`).
    let opened: OpenStore
    do {
      // The embedded file's ARNs and keys as the target's region and account (the inputs')
      // see them; a bare `aws://` in the target's region.
      opened = try await store.openForTemplates(region: evaluation.region, access: awsAccess)
        .deployed(
          for: inputs)
    } catch let failure as CommandFailure where !configured {
      // A store named on purpose must open; the default one is only a helper.
      Output.stderr(
        "cinch: note: not reading \(StoreOptions.defaultStore) (\(failure.message)): no key metadata\n"
      )
      return (.none, lockOnly)
    }
    defer { opened.close() }
    // KMS keys are regional: the keys of `aws://REGION` in another region than the stack's
    // are not those that encrypt what the stack reads, and an ARN made from their ids names a
    // key that does not exist there.
    if case .aws(let aws) = opened, aws.region != target.region {
      throw CommandFailure(
        message: "the store is read in \(aws.region), the policy is for \(target.region): its "
          + "keys are not the ones the stack reads there; use --store aws:// (the stack's "
          + "region) or --region \(aws.region)")
    }
    do {
      var pins = lockOnly
      if let lock {
        pins = try await StoreCompletedPins.completing(
          lock.file, name: lock.path, analyses: analyses, catalog: opened.secrets)
      }
      let queries = PolicyGenerator.keyQueries(
        for: analyses, target: target, options: options, pins: pins)
      let resolver = EncryptionKeyResolver(
        sources: [
          ParameterKeySource(catalog: opened.parameters, store: opened.parameters),
          SecretKeySource(catalog: opened.secrets),
        ], keys: opened.keys, target: target)
      return (try await resolver.resolve(queries), pins)
    } catch let error as StoreError {
      throw CommandFailure(message: "reading key metadata from the store: \(error)")
    }
  }
}
