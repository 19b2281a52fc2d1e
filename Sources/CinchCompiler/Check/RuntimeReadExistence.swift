import CinchStore
import CinchTemplate

/// The existence rules for what resources read when they run, not at deploy: an ECS
/// container's `Secrets`, a CodeBuild `PARAMETER_STORE` variable, a proxy's `SecretArn`… (the
/// run-time consumers of the graph). CloudFormation does not read them, so a name that points
/// at nothing deploys cleanly and fails later: the task does not start, the build stops. Online
/// only, from the same metadata as the references' rules (no lock pins a run-time read):
/// - the parameter exists, with the version or label its name ends with (`/myapp/db:3`);
/// - the secret exists and is not scheduled for deletion, with the version id or stage the
///   property names (`AWSCURRENT` when none); a JSON key is in that version where the store
///   lists its keys without decrypting (the embedded store; AWS's metadata does not say).
///
/// Left out: entries the template creates (`!Ref DbSecret`, or the `Name` of one of its
/// `AWS::SSM::Parameter` or `AWS::SecretsManager::Secret` resources, which exists by the time
/// anything runs), names that wait on an input, reads under a false condition, path reads
/// (`/myapp/*`), and ARNs of another account or region than the deploy's (a shared parameter,
/// a secret whose resource policy lets the reader in): the store stands for the deploy's
/// account and region only. The codes are the references' (E4001, E4002, E4004, E4005), so
/// `--ignore` and suppressions treat both alike.
struct RuntimeReadExistence {
  let inputs: EvaluationInputs

  /// The reads of `analyses` that can be checked, each judged against `catalog`; returns how
  /// many were.
  func check(
    _ analyses: [TemplateAnalysis], in catalog: StoreCatalog, described: inout StoreDescriptions,
    into diagnostics: inout Diagnostics
  ) async throws -> Int {
    let reads = analyses.flatMap { checkableReads($0) }
    guard !reads.isEmpty else { return 0 }
    try await described.describe(
      parameters: reads.compactMap {
        $0.kind == .parameter ? ParameterVersionSelector.split($0.name).name : nil
      },
      secrets: reads.compactMap { $0.kind == .secret ? $0.name : nil }, in: catalog)
    for read in reads {
      if read.kind == .secret, case .success(let list)? = described.secrets[read.name],
        let warning = StoreExistence.partialARNLikeComplete(read.name, list)
      {
        diagnostics.report(
          Diagnostic(
            .partialARNLikeComplete, "\(warning); '\(read.resource)' reads it when it runs",
            file: read.file, range: read.range, path: read.property))
      }
      guard let failure = judge(read, described: described) else { continue }
      let message: String
      if case .store = failure {
        // The store did not answer cinch (throttled, denied): nothing is known of the read.
        message =
          "cannot check \(read.kind == .secret ? "secret" : "parameter") '\(read.name)', which "
          + "'\(read.resource)' reads when it runs: \(failure)"
      } else {
        message =
          "\(failure); '\(read.resource)' reads it when it runs, so the deploy succeeds and the "
          + "read fails"
      }
      diagnostics.report(
        Diagnostic(
          failure.code, message, file: read.file, range: read.range, path: read.property))
    }
    return reads.count
  }

  /// The live reads of concrete names, in the deploy's account and region, of entries the
  /// template does not create.
  func checkableReads(_ analysis: TemplateAnalysis) -> [RuntimeConsumer] {
    guard analysis.template.isCloudFormation, let graph = analysis.graph else { return [] }
    let created = createdEntries(analysis.template)
    return graph.runtimeConsumers.filter { consumer in
      guard consumer.isLive, consumer.isConcrete, let kind = consumer.kind,
        consumer.managedBy == nil, !consumer.name.contains(where: { $0 == "*" || $0 == "?" })
      else { return false }
      let name =
        kind == .parameter ? ParameterVersionSelector.split(consumer.name).name : consumer.name
      if let arn = StoreARN(name),
        arn.account != inputs.accountID || arn.region != inputs.region
          || arn.partition != inputs.partition
      {
        return false
      }
      let entry = StoreEntry(kind: kind, name: name)
      return !created.contains { $0.matches(entry) }
    }
  }

  /// The parameters and secrets the template creates under a name it gives.
  private func createdEntries(_ template: Template) -> [StoreEntry] {
    let stores = template.resources.compactMap {
      resource -> (StoreEntry.Kind, Template.Resource)? in
      switch resource.type {
      case "AWS::SSM::Parameter": (.parameter, resource)
      case "AWS::SecretsManager::Secret": (.secret, resource)
      default: nil
      }
    }
    guard !stores.isEmpty else { return [] }
    var scratch = Diagnostics()
    var evaluator = Evaluator(template: template, inputs: inputs, into: &scratch)
    return stores.compactMap { kind, resource in
      resource.createdName(&evaluator, into: &scratch).map { StoreEntry(kind: kind, name: $0) }
    }
  }

  private func judge(_ read: RuntimeConsumer, described: StoreDescriptions) -> ResolutionFailure? {
    switch read.kind {
    case .parameter?:
      let (name, selector) = ParameterVersionSelector.split(read.name)
      switch described.parameters[name] {
      case .failure(let failure)?: return failure
      case .success(let list)?: return Self.failure(in: list, name: name, selector: selector)
      case nil: return nil
      }
    case .secret?:
      if read.throughParameterStore, !read.decrypts {
        return .secretThroughParameterStoreUndecrypted(secretID: read.name)
      }
      switch described.secrets[read.name] {
      case .failure(let failure)?: return failure
      case .success(let list)?:
        var (stage, id) = (read.versionStage, read.versionID)
        if read.throughParameterStore, let selector = stage ?? id {
          // Parameter Store's `:SELECTOR` is a version id or a staging label, whichever the
          // secret has (`StoreEntry.secretBehindParameter` only guesses from its shape; with
          // neither, the guess is what the finding names).
          if list.version(id: selector) != nil {
            (stage, id) = (nil, selector)
          } else if list.version(staged: selector) != nil {
            (stage, id) = (selector, nil)
          }
        }
        return list.readFailure(
          id: read.name, versionStage: stage, versionID: id, jsonKey: read.jsonKey)
      case nil: return nil
      }
    case nil:
      return nil
    }
  }

  /// `GetParameter`'s answer to the name with its selector: the latest version, the version,
  /// or the version holding the label.
  static func failure(
    in list: ParameterVersionList, name: String, selector: ParameterVersionSelector?
  )
    -> ResolutionFailure?
  {
    switch selector {
    case nil:
      return nil
    case .version(let version):
      guard list.versions.contains(where: { $0.version == version }) else {
        return .parameterVersionNotFound(name: name, version: version, latest: list.latest?.version)
      }
      return nil
    case .label(let label):
      guard list.versions.contains(where: { $0.labels.contains(label) }) else {
        return .parameterLabelNotFound(name: name, label: label)
      }
      return nil
    }
  }
}
