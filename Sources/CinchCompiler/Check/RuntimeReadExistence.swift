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
/// Left out: entries the template creates, names that wait on an input, reads under a false
/// condition, and path reads (`/myapp/*`). The codes are the references' (E4001, E4002,
/// E4004, E4005), so `--ignore` and suppressions treat both alike.
struct RuntimeReadExistence {
  let catalog: StoreCatalog

  /// The reads of `analyses` that can be checked, each judged; returns how many were.
  func check(
    _ analyses: [TemplateAnalysis], described: inout StoreDescriptions,
    into diagnostics: inout Diagnostics
  ) async throws -> Int {
    let reads = analyses.flatMap(Self.checkableReads)
    guard !reads.isEmpty else { return 0 }
    try await described.describe(
      parameters: reads.compactMap {
        $0.kind == .parameter ? ParameterVersionSelector.split($0.name).name : nil
      },
      secrets: reads.compactMap { $0.kind == .secret ? $0.name : nil }, in: catalog)
    for read in reads {
      guard let failure = judge(read, described: described) else { continue }
      diagnostics.report(
        Diagnostic(
          failure.code,
          "\(failure); '\(read.resource)' reads it when it runs, so the deploy succeeds and "
            + "the read fails", file: read.file, range: read.range, path: read.property))
    }
    return reads.count
  }

  /// The live reads of concrete names of entries the template does not create.
  static func checkableReads(_ analysis: TemplateAnalysis) -> [RuntimeConsumer] {
    guard analysis.template.isCloudFormation, let graph = analysis.graph else { return [] }
    return graph.runtimeConsumers.filter { consumer in
      consumer.isLive && consumer.isConcrete && consumer.kind != nil
        && consumer.managedBy == nil && !consumer.name.contains(where: { $0 == "*" || $0 == "?" })
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
      switch described.secrets[read.name] {
      case .failure(let failure)?: return failure
      case .success(let list)?:
        return list.readFailure(
          id: read.name, versionStage: read.versionStage, versionID: read.versionID,
          jsonKey: read.jsonKey)
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
