public import CinchTemplate

/// The concrete references of a set of templates, grouped by what they read: the resolver's
/// work list and the lockfile's sites.
public struct ReferenceIndex: Sendable {
  /// Every key read, with the sites that read it (document order), keys sorted.
  public private(set) var sites: [(key: ResolutionKey, sites: [ReferenceSite])] = []
  /// References whose name waits on an unset parameter: they cannot be resolved.
  public private(set) var unresolvable: [EvaluatedReference] = []

  public init(_ analyses: [TemplateAnalysis]) {
    self.init(references: analyses.map(\.references))
  }

  /// `references`: each template's evaluated references.
  public init(references: [[EvaluatedReference]]) {
    var byKey: [ResolutionKey: [ReferenceSite]] = [:]
    for template in references {
      for reference in template {
        switch reference.state {
        case .concrete(let concrete):
          byKey[ResolutionKey(concrete), default: []].append(reference.site)
        case .waiting(let dependencies)
        where dependencies.contains(where: { $0.settableName != nil }):
          unresolvable.append(reference)
        case .waiting, .inactive, .invalid:
          // A secret this stack creates is resolved by CloudFormation itself; untaken branches
          // are not read; invalid references were reported by the front end.
          break
        }
      }
    }
    sites = byKey.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
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

  /// One diagnostic per failed key, at its first site, with the other sites as notes.
  public func report(
    _ failure: ResolutionFailure, for key: ResolutionKey, into diagnostics: inout Diagnostics,
    prefix: String = ""
  ) {
    let all = sites(for: key)
    guard let first = all.first else {
      diagnostics.report(Diagnostic(failure.code, "\(prefix)\(key): \(failure)"))
      return
    }
    diagnostics.report(
      Diagnostic(
        failure.code, "\(prefix)reference '\(first.reference.text)': \(failure.described(at: all))",
        file: first.file,
        range: first.range, path: first.path,
        notes: all.dropFirst().map { .init("also read here", file: $0.file, range: $0.range) }))
  }
}
