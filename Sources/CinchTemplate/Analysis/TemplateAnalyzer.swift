/// Everything the front end and the evaluator learn about one template: its sections, every
/// reference where it is written and what it reads once evaluated, and the dependency graph.
public struct TemplateAnalysis: Sendable {
  public var template: Template
  /// The references after evaluation, `AWS::SSM::Parameter::Value<…>` reads included.
  public var references: [EvaluatedReference]
  public var graph: TemplateGraph?

  /// Every reference as written, in document order: the sites of `references` (which hold
  /// them, one or more evaluated references a site) without the parameter-type reads. Derived
  /// rather than kept: a second array of sites was 7 MB of rendering 10,000 resources.
  public var sites: [ReferenceSite] {
    var sites: [ReferenceSite] = []
    sites.reserveCapacity(references.count)
    for reference in references where reference.isWritten {
      if let last = sites.last, last == reference.site { continue }
      sites.append(reference.site)
    }
    return sites
  }

  public var document: ParsedDocument { template.document }
  public var file: SourceFile { template.file }

  /// Whether every reference it reads is known: it loaded, and no reference waits on an input
  /// not given (a parameter without a value, `--stack-name`, a condition on those). One that
  /// waits may read any lock entry once the input is given, so no entry read from it can be
  /// called unused. (A reference that waits only on the deploy, a resource or an import, can
  /// never be pinned, and leaves nothing unknown for the lock.)
  public var readsAreKnown: Bool {
    guard document.root != nil else { return false }
    return !references.contains { reference in
      guard case .waiting(let dependencies) = reference.state else { return false }
      return dependencies.contains { dependency in
        switch dependency {
        case .parameter, .pseudoParameter, .condition: true
        default: false
        }
      }
    }
  }
}

/// The front half of the compiler as one call (or two, `start` and `finish`, for a command that
/// works on the references while the graph is finished), so every command runs the same
/// pipeline: read → find references → placement rules → evaluate → graph.
public enum TemplateAnalyzer {
  public struct Options: Sendable, Hashable {
    /// Build the dependency graph (cycles, dangling and unused names, consumers).
    public var graph: Bool
    public init(graph: Bool = true) { self.graph = graph }
  }

  /// The first half of an analysis: the template read, its references found, placed and
  /// evaluated, and the graph's first step taken. What needs only the references can start
  /// here, before `finish` completes the graph (`check` asks the store about the references
  /// while the graph is finished).
  public struct Started: Sendable {
    public let template: Template
    /// The references after evaluation: `TemplateAnalysis.references` as `finish` returns it.
    public let references: [EvaluatedReference]
    fileprivate let graph: GraphBuilder.Pending?
    fileprivate let mappingReads: [DeployRead]
    /// The findings so far, reported by `finish` with the graph's.
    fileprivate let diagnostics: Diagnostics
  }

  public static func analyze(
    _ document: ParsedDocument, inputs: EvaluationInputs, options: Options = Options(),
    into diagnostics: inout Diagnostics
  ) -> TemplateAnalysis {
    finish(start(document, inputs: inputs, options: options), into: &diagnostics)
  }

  /// Reads the template, finds, places and evaluates its references, and takes the graph's
  /// first step (on a thread of its own for a large template).
  public static func start(
    _ document: ParsedDocument, inputs: EvaluationInputs, options: Options = Options()
  ) -> Started {
    var local = Diagnostics()
    let template = TemplateReader.read(document, into: &local)
    var references: [EvaluatedReference]
    var pending: GraphBuilder.Pending?
    var mappingReads: [DeployRead] = []
    if template.isCloudFormation {
      // The parameters' checks are reported after the references' findings, as they were when
      // the evaluator was made after those.
      var checks = Diagnostics()
      let evaluator = Evaluator(template: template, inputs: inputs, into: &checks)
      let parameterChecks = checks
      // The graph's first step needs no reference: it runs while this thread finds, places
      // and evaluates them (`GraphBuilder.Pending`).
      let findAndEvaluate = {
        @Sendable () -> (
          references: [EvaluatedReference], mappingReads: [DeployRead], diagnostics: Diagnostics
        ) in
        var found = Diagnostics()
        var evaluator = evaluator
        let sites = ReferenceFinder.find(in: document, intrinsicShapes: true, into: &found)
        PlacementRules.check(template, sites: sites, into: &found)
        LoopKeyRules.check(template, evaluator: evaluator, into: &found)
        found.append(contentsOf: parameterChecks)
        var references = ReferenceEvaluator.parameterTypeReads(
          in: template, evaluator: evaluator, into: &found)
        let evaluated = ReferenceEvaluator.evaluate(
          sites, in: template, evaluator: &evaluator, into: &found)
        // Most templates have no `AWS::SSM::Parameter::Value<…>` parameter: no copy then.
        if references.isEmpty { references = evaluated } else { references += evaluated }
        let mappingReads = Self.mappingReads(references, evaluator: &evaluator)
        return (references, mappingReads, found)
      }
      let found:
        (references: [EvaluatedReference], mappingReads: [DeployRead], diagnostics: Diagnostics)
      if !options.graph {
        found = findAndEvaluate()
      } else if template.resources.count < graphThreadMinimumResources {
        found = findAndEvaluate()
        pending = GraphBuilder.start(template, evaluator: evaluator)
      } else {
        (found, pending) = inParallel(findAndEvaluate) {
          GraphBuilder.start(template, evaluator: evaluator)
        }
      }
      references = found.references
      mappingReads = found.mappingReads
      local.append(contentsOf: found.diagnostics)
      ReferenceEvaluator.reportRegionalLimits(references, inputs: inputs, into: &local)
      reportWaiting(references, into: &local)
      // Evaluation settles every composed reference: concrete, or waiting (reported above).
      local = local.filtering { $0.code != .composedReference }
    } else {
      let sites = ReferenceFinder.find(in: document, into: &local)
      // Any YAML or JSON file may hold references; only CloudFormation has intrinsics to fold.
      references = sites.map { site in
        EvaluatedReference(
          site: site, state: site.needsEvaluation ? .invalid : .concrete(site.reference))
      }
    }
    return Started(
      template: template, references: references, graph: pending, mappingReads: mappingReads,
      diagnostics: local)
  }

  /// The second half: the graph's reads, order, cycles and unused names; then every finding
  /// of the analysis, each once.
  public static func finish(_ started: Started, into diagnostics: inout Diagnostics)
    -> TemplateAnalysis
  {
    var local = started.diagnostics
    var graph: TemplateGraph?
    if var pending = started.graph {
      graph = GraphBuilder.finish(
        &pending, reads: started.references.compactMap(DeployRead.init) + started.mappingReads,
        into: &local)
    }
    local.removeDuplicates()
    diagnostics.append(contentsOf: local)
    return TemplateAnalysis(
      template: started.template, references: started.references, graph: graph)
  }

  /// Below this many resources the graph's first step runs on the calling thread: a thread of
  /// its own costs more than the step (`check` of the 207 small templates of `templates/` and
  /// the test fixtures, each split: 51.5 → 58.7 ms, the system time +7 ms).
  static let graphThreadMinimumResources = 50

  /// A reference written in a mapping is read where `Fn::FindInMap` puts it: the resource or
  /// output of each live lookup that picks its entry reads it there.
  /// The evaluator is the one that decided those references live, so the lookups are found once.
  static func mappingReads(_ references: [EvaluatedReference], evaluator: inout Evaluator)
    -> [DeployRead]
  {
    var reads: [DeployRead] = []
    for reference in references
    where reference.concrete != nil && reference.site.path.components.first == "Mappings" {
      guard let read = DeployRead(reference) else { continue }
      for lookup in evaluator.mappingLookups(reading: reference.site.path) {
        reads.append(
          DeployRead(
            entry: read.entry, file: read.file, range: lookup.node.range, path: lookup.path,
            syntaxPath: lookup.syntaxPath, createdBy: read.createdBy))
      }
    }
    return reads
  }

  /// A reference whose name waits on a parameter is a warning that names it. One that waits only
  /// on what a deploy creates (a secret of this stack, an import) is correct as written and is
  /// not reported; `cinch refs` shows what it waits on.
  static func reportWaiting(_ references: [EvaluatedReference], into diagnostics: inout Diagnostics)
  {
    for reference in references {
      guard case .waiting(let dependencies) = reference.state else { continue }
      let hints = dependencies.commandLineHints
      let names = dependencies.map(\.description).joined(separator: ", ")
      let site = reference.site
      // Written with no closer, the reference is one only if the input's value closes it.
      let closer =
        site.reference.isClosedByInput
        ? ", whose value must close it (no '\(site.reference.delimiter.close)' is written)" : ""
      if !hints.isEmpty {
        diagnostics.report(
          Diagnostic(
            .referenceNotEvaluated,
            "reference '\(site.reference.text)' waits on \(names)\(closer); set it with "
              + hints.joined(separator: " "),
            file: site.file, range: site.range, path: site.path))
      }
    }
  }
}

extension DeployRead {
  /// The store entry an evaluated reference reads at deploy (nil when it reads nothing).
  public init?(_ evaluated: EvaluatedReference) {
    let kind: StoreEntry.Kind =
      evaluated.site.reference.kind == .secretsManager ? .secret : .parameter
    let entry: StoreEntry
    var createdBy: String?
    switch evaluated.state {
    case .concrete(let reference):
      entry = StoreEntry(kind: kind, name: reference.name)
    case .waiting(let dependencies):
      let name = evaluated.site.reference.name
      entry = StoreEntry(kind: kind, name: name, isConcrete: false)
      // A name written out that waits on one resource only: the secret this template creates
      // by that name (`ReferenceEvaluator`).
      if !name.contains("${"), dependencies.count == 1, case .resource(let id) = dependencies[0] {
        createdBy = id
      }
    case .inactive:
      // Not read on this deploy, but part of the template: the graph draws the read as not
      // taken.
      let name = evaluated.site.reference.name
      entry = StoreEntry(kind: kind, name: name, isConcrete: !name.contains("${"))
    case .invalid:
      return nil
    }
    // `ReferenceEvaluator.evaluate` settled a reference as written only once the evaluator
    // called it live; the reads a parameter's type makes it did not ask about.
    let isLive: Bool? =
      if !evaluated.isWritten {
        nil
      } else if case .inactive = evaluated.state {
        false
      } else {
        true
      }
    self.init(
      entry: entry, file: evaluated.site.file, range: evaluated.site.range,
      path: evaluated.site.path, syntaxPath: evaluated.site.syntaxPath, isLive: isLive,
      createdBy: createdBy)
  }
}
