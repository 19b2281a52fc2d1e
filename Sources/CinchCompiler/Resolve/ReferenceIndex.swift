public import CinchTemplate

/// The concrete references of a set of templates, grouped by what they read: the resolver's
/// work list and the lockfile's sites.
public struct ReferenceIndex: Sendable {
  /// Every key read, with the sites that read it (document order), keys sorted.
  public private(set) var sites: [(key: ResolutionKey, sites: [ReferenceSite])] = []
  /// References whose name waits on an unset parameter: they cannot be resolved.
  public private(set) var unresolvable: [EvaluatedReference] = []
  /// References whose name waits on what only the deploy knows (a resource of the stack, an
  /// import): CloudFormation resolves them, nothing before it can.
  public private(set) var deployOnly: [EvaluatedReference] = []

  /// Keys no lock can pin (`ResolutionKey.throughParameterStore`), with their sites, when the
  /// index was made for pinning; otherwise they are in `sites`, where `check` judges them.
  public private(set) var unpinnable: [(key: ResolutionKey, sites: [ReferenceSite])] = []

  /// `pinning`: for `lock`, `render`, `plan` and `outdated`, which leave out what no lock can
  /// pin (`unpinnable`).
  public init(_ analyses: [TemplateAnalysis], pinning: Bool = false) {
    self.init(references: analyses.map(\.references), pinning: pinning)
  }

  /// `references`: each template's evaluated references.
  public init(references: [[EvaluatedReference]], pinning: Bool = false) {
    var byKey: [ResolutionKey: [ReferenceSite]] = [:]
    for template in references {
      for reference in template {
        switch reference.state {
        case .concrete(let concrete):
          byKey[ResolutionKey(concrete), default: []].append(reference.site)
        case .waiting(let dependencies)
        where dependencies.contains(where: { $0.settableName != nil }):
          unresolvable.append(reference)
        case .waiting:
          // A secret this stack creates is resolved by CloudFormation itself.
          deployOnly.append(reference)
        case .inactive, .invalid:
          // Untaken branches are not read; invalid references were reported by the front end.
          break
        }
      }
    }
    for (key, allSites) in byKey.sorted(by: { $0.key < $1.key }) {
      // Text a YAML alias repeats is one site, at its anchor: read once, reported once.
      var seen = Set<SiteLocation>()
      let keySites =
        allSites.count == 1
        ? allSites
        : allSites.filter { seen.insert(SiteLocation(file: $0.file, range: $0.range)).inserted }
      if pinning, key.throughParameterStore != nil {
        unpinnable.append((key, keySites))
      } else {
        sites.append((key, keySites))
      }
    }
  }

  private struct SiteLocation: Hashable {
    var file: String
    var range: SourceRange
  }

  /// For each key no lock can pin, why, at each of its sites: a warning where the reference
  /// deploys as written (and is left so), an error where it cannot deploy.
  public func reportUnpinnable(into diagnostics: inout Diagnostics) {
    for (key, sites) in unpinnable {
      guard let failure = key.throughParameterStore else { continue }
      let written = failure.deploysAsWritten
      diagnostics.report(
        failure.code, written ? "\(failure); it is left as written" : failure.description,
        at: sites, severity: written ? .warning : nil)
    }
  }

  public var keys: [ResolutionKey] { sites.map(\.key) }

  public func sites(for key: ResolutionKey) -> [ReferenceSite] {
    sites.sortedElement(withKey: key, \.key)?.sites ?? []
  }

  /// E4010 for each reference that waits on a parameter.
  public func reportUnresolvable(into diagnostics: inout Diagnostics) {
    for reference in unresolvable {
      guard case .waiting(let dependencies) = reference.state else { continue }
      let names = dependencies.filter { $0.settableName != nil }.map(\.description)
      diagnostics.report(
        Diagnostic(
          .referenceNotLockable,
          "reference '\(reference.site.reference.text)' cannot be resolved: it waits on \(names.joined(separator: ", "))",
          file: reference.site.file, range: reference.site.range, path: reference.site.path))
    }
  }

  /// W5004 for each reference only the deploy can name, where values replace references
  /// (`render --mode inline`): it is left as written.
  public func reportDeployOnly(into diagnostics: inout Diagnostics) {
    for reference in deployOnly {
      guard case .waiting(let dependencies) = reference.state else { continue }
      let names = dependencies.map(\.description).joined(separator: ", ")
      diagnostics.report(
        Diagnostic(
          .leftForTheDeploy,
          "reference '\(reference.site.reference.text)' is left as written: its name waits on \(names), so it has no value before the stack is deployed",
          file: reference.site.file, range: reference.site.range, path: reference.site.path))
    }
  }

  /// E4007 for each reference whose name waits on the variable of an `Fn::ForEach` loop, where
  /// only pinned references may be written (`render --frozen`): no lock pins what each
  /// iteration reads, so the artifact would read the latest versions at deploy.
  public static func reportLoopReads(
    _ analyses: [TemplateAnalysis], lock: String, into diagnostics: inout Diagnostics
  ) {
    for reference in analyses.lazy.flatMap(\.references) {
      guard case .waiting(let dependencies) = reference.state,
        let loop = dependencies.first(where: {
          if case .loopVariable = $0 { true } else { false }
        })
      else { continue }
      let site = reference.site
      diagnostics.report(
        Diagnostic(
          .notInLock,
          "reference '\(site.reference.text)' is not pinned in '\(lock)': its name waits on "
            + "\(loop), which cinch does not expand, and --frozen takes only pinned references",
          file: site.file, range: site.range, path: site.path))
    }
  }

  /// One diagnostic per failed key, at its first site, with the other sites as notes; under
  /// the failure's own code, or `code` (at `severity`, else that code's) where a command
  /// reports the failure as another finding (render: a key the lock lacks, E4007). `pinned`:
  /// the failure is of the lock's pin, not of what the reference asks for, and the message says
  /// so and how to move the pin when its version is gone.
  public func report(
    _ failure: ResolutionFailure, for key: ResolutionKey, into diagnostics: inout Diagnostics,
    pinned: Bool = false, as code: DiagnosticCode? = nil, severity: Severity? = nil
  ) {
    let code = code ?? failure.code
    let all = sites(for: key)
    let prefix = pinned ? "pinned " : ""
    let advice = pinned && failure.isVersionGone ? " (\(key.repinAdvice))" : ""
    guard let first = all.first else {
      diagnostics.report(
        Diagnostic(code, "\(prefix)\(key): \(failure)\(advice)", severity: severity))
      return
    }
    diagnostics.report(
      Diagnostic(
        code,
        "\(prefix)reference '\(first.reference.text)': \(failure.described(at: all))\(advice)",
        file: first.file,
        range: first.range, path: first.path,
        notes: all.dropFirst().map { .init("also read here", file: $0.file, range: $0.range) },
        severity: severity))
  }
}
