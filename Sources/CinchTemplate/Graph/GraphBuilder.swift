/// Builds a template's dependency graph: a node for every parameter, condition, mapping,
/// resource and output, and for every store entry read; an edge for every `Ref`, `Fn::GetAtt`,
/// `${…}` in `Fn::Sub`, `DependsOn`, `Condition` (attribute, `Fn::If`, or inside a condition)
/// and `Fn::FindInMap`, for every read of the store at deploy (`reads`, from the reference
/// scanner, and `AWS::SSM::Parameter::Value<…>` parameters) and at run time
/// (`RuntimeConsumerFinder`), and from each run-time reader to its role.
///
/// Edges inside the untaken branch of an `Fn::If`, or in a resource or output whose condition is
/// false, are kept and marked inactive. Reports cycles (E3001), references to nothing (E3002),
/// and parameters (W3003) and mappings (W3004) nothing uses. The graph is the one place that
/// reports cycles and dangling references: the evaluator's own reports of those are dropped, so
/// each appears once.
public enum GraphBuilder {
  public static func build(
    _ template: Template, reads: [DeployRead] = [], inputs: EvaluationInputs = EvaluationInputs(),
    into diagnostics: inout Diagnostics
  ) -> TemplateGraph {
    let evaluator = Evaluator(template: template, inputs: inputs, into: &diagnostics)
    var pending = start(template, evaluator: evaluator)
    return finish(&pending, reads: reads, into: &diagnostics)
  }

  /// A graph built in two steps. The first needs no reference (the template's nodes, the
  /// edges of its own `Ref`s, `Fn::GetAtt`s and `Fn::Sub`s, the run-time consumers: ~40 of the
  /// ~66 M instructions of a 500-resource template), so it can run while another thread finds
  /// and evaluates the references; the second adds what they read and orders the graph.
  public struct Pending: Sendable {
    fileprivate var builder: Builder
    fileprivate var consumers: [RuntimeConsumer]
  }

  /// The first step, on its own copy of `evaluator` (whose reports the second step passes on,
  /// as `build` does; a report the other copy also made is the same diagnostic).
  public static func start(_ template: Template, evaluator: Evaluator) -> Pending {
    var builder = Builder(template: template, evaluator: evaluator)
    let consumers = builder.buildTemplatePart()
    return Pending(builder: builder, consumers: consumers)
  }

  /// The second step: `reads` (from the evaluated references), then the graph's order, cycles
  /// and unused names.
  public static func finish(
    _ pending: inout Pending, reads: [DeployRead], into diagnostics: inout Diagnostics
  ) -> TemplateGraph {
    let graph = pending.builder.finish(reads: reads, consumers: pending.consumers)
    let builder = pending.builder
    for diagnostic in builder.evaluated.items
    where diagnostic.code != .cycle && diagnostic.code != .danglingReference {
      diagnostics.report(diagnostic)
    }
    diagnostics.append(contentsOf: builder.reported)
    return graph
  }

  /// Transforms that consume no parameter behind the template's back; with any other (a macro),
  /// cinch cannot tell whether a parameter is unused.
  static let transparentTransforms: Set<String> = [
    "AWS::Serverless-2016-10-31", "AWS::LanguageExtensions", "AWS::SecretsManager-2020-07-23",
    "AWS::CodeDeployBlueGreen",
  ]
}

/// A path as a chain from its last component back to the section: a child shares its
/// parent's chain, so a level of the walk costs one small object instead of a copy of both
/// paths, and a path value is made only for what gets recorded.
private final class PathLink: Sendable {
  let parent: PathLink?
  let component: String
  /// Whether the component belongs to the property path too (not an intrinsic function's name,
  /// or a key or index inside its argument).
  let isProperty: Bool
  let count: Int
  let propertyCount: Int

  init(parent: PathLink?, component: String, isProperty: Bool) {
    self.parent = parent
    self.component = component
    self.isProperty = isProperty
    self.count = (parent?.count ?? 0) + 1
    self.propertyCount = (parent?.propertyCount ?? 0) + (isProperty ? 1 : 0)
  }

  static func path(_ components: [String]) -> PathLink? {
    var link: PathLink?
    for component in components {
      link = PathLink(parent: link, component: component, isProperty: true)
    }
    return link
  }

  static func components(of link: PathLink?, propertiesOnly: Bool) -> [String] {
    guard let link else { return [] }
    let count = propertiesOnly ? link.propertyCount : link.count
    var components = [String](repeating: "", count: count)
    var slot = count
    var current: PathLink? = link
    while let step = current, slot > 0 {
      if !propertiesOnly || step.isProperty {
        slot -= 1
        components[slot] = step.component
      }
      current = step.parent
    }
    return components
  }
}

/// Where the walk is: the node edges come from (nil while only noting which parameters and
/// mappings are used, in `Rules`, SAM `Globals` and `Fn::ForEach` bodies), the property path
/// (intrinsic functions left out) and the full path.
private struct Position {
  var from: String?
  /// The full path; the components marked as properties make the property path.
  var link: PathLink?
  /// Inside an intrinsic function's argument, where keys and indexes are not properties.
  var inArgument = false
  /// Where `{Condition: Name}` names a condition (a condition's definition, `Fn::And`…).
  var conditionContext = false
  /// Whether the value here is read on deploy: false in a resource or output whose condition is
  /// false and in the untaken branch of an `Fn::If` (what `Evaluator.isLive` says of the path;
  /// debug builds check that it agrees).
  var live = true
  /// Inside an `Fn::If` without three arguments: liveness is asked of `Evaluator.isLive`.
  var liveFromEvaluator = false
  /// The identifiers of the `Fn::ForEach` loops the walk is inside: each names the element of
  /// an iteration, not a parameter or resource.
  var loopIdentifiers: Set<String> = []
  /// The elements of those whose collection is known before deploy.
  var loopElements: [String: [String]] = [:]

  init(from: String?, base: [String]) {
    self.from = from
    self.link = PathLink.path(base)
  }

  /// The path without intrinsic functions.
  var property: TemplatePath { TemplatePath(PathLink.components(of: link, propertiesOnly: true)) }
  /// The full path.
  var syntax: TemplatePath { TemplatePath(PathLink.components(of: link, propertiesOnly: false)) }

  func child(_ component: String) -> Position {
    var next = self
    next.link = PathLink(parent: link, component: component, isProperty: !inArgument)
    return next
  }

  /// A step of the full path only (an `Fn::If` and its branch, the string of an `Fn::Sub`).
  func syntaxChild(_ component: String) -> Position {
    var next = self
    next.link = PathLink(parent: link, component: component, isProperty: false)
    return next
  }

  func entering(_ function: IntrinsicFunction) -> Position {
    var next = syntaxChild(function.rawValue)
    next.inArgument = true
    next.conditionContext = function == .and || function == .or || function == .not
    return next
  }
}

/// What makes two edges one: the same kind of use between the same two nodes.
private struct EdgeKey: Hashable {
  var from: String
  var to: String
  var kind: GraphEdge.Kind
}

private struct Builder {
  let template: Template
  let index: TemplateIndex
  var evaluator: Evaluator
  /// What the evaluator reports while the graph is built.
  var evaluated = Diagnostics()
  /// What the graph reports.
  var reported = Diagnostics()

  private var reportedKeys = Set<String>()
  private var nodes: [GraphNode] = [] {
    didSet { nodeIDs = Set(nodes.map(\.id)) }
  }
  /// The ids of `nodes`, for membership tests made once per reference.
  private var nodeIDs = Set<String>()
  private var storeNodes: [String: GraphNode] = [:]
  private var storeIDs: [String] = []
  private var edges: [GraphEdge] = []
  private var edgeIndex: [EdgeKey: Int] = [:]
  private var usedParameters = Set<String>()
  private var usedMappings = Set<String>()
  private var mappingUseUnknown = false
  private var sawTransform = false
  /// A `Ref` whose name a function computes (`AWS::LanguageExtensions`): it may name any
  /// parameter, so none is called unused.
  private var refByComputedName = false

  init(template: Template, evaluator: Evaluator) {
    self.template = template
    self.index = TemplateIndex(template)
    self.evaluator = evaluator
  }

  private var file: String { template.path }

  /// What needs no reference: the template's nodes and its own edges, the parameters' reads,
  /// and the run-time consumers (returned; their edges come after the deploy reads').
  mutating func buildTemplatePart() -> [RuntimeConsumer] {
    addTemplateNodes()
    walkTemplate()
    addParameterReads()
    return RuntimeConsumerFinder.find(template, evaluator: &evaluator, into: &evaluated)
  }

  mutating func finish(reads: [DeployRead], consumers: [RuntimeConsumer]) -> TemplateGraph {
    for read in reads { addDeployRead(read) }
    for consumer in consumers { addRuntimeRead(consumer) }

    // A store entry only untaken branches read is not read on this deploy.
    // Per entry, whether any of its reads is active (no copy of the edges).
    var readActive: [String: Bool] = [:]
    for edge in edges where edge.kind.readsStore {
      if readActive[edge.to] != true { readActive[edge.to] = edge.isActive }
    }
    for id in storeIDs {
      storeNodes[id]?.isActive = readActive[id] ?? true
    }
    let stores = storeIDs.compactMap { storeNodes[$0] }.enumerated().sorted {
      ($0.element.range?.start.offset ?? Int.max, $0.offset) < (
        $1.element.range?.start.offset ?? Int.max, $1.offset
      )
    }.map(\.element)
    let allNodes = nodes + stores
    let position = Dictionary(
      allNodes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    // Each edge's ends looked up once, for the order of edges and for the graph's order and
    // cycles, not at every comparison.
    let placed = edges.enumerated().map { offset, edge in
      (from: position[edge.from], to: position[edge.to], offset: offset)
    }
    let sorted = placed.sorted { ($0.from ?? Int.max, $0.offset) < ($1.from ?? Int.max, $1.offset) }
    let graph = TemplateGraph(
      file: file, nodes: allNodes, edges: sorted.map { edges[$0.offset] },
      runtimeConsumers: consumers, deployReads: reads,
      ends: sorted.map { item in item.from.flatMap { from in item.to.map { (from, $0) } } })
    reportCycles(graph)
    reportUsesOfResourcesNotCreated(graph)
    reportUnused()
    return graph
  }

  // MARK: Nodes

  private mutating func addTemplateNodes() {
    var located: [(offset: Int, node: GraphNode)] = []
    for parameter in template.parameters {
      located.append(
        (
          parameter.keyRange.start.offset,
          GraphNode(
            id: GraphNode.id(.parameter, parameter.name), kind: .parameter, name: parameter.name,
            type: parameter.type, file: file, range: parameter.keyRange)
        ))
    }
    for condition in template.conditions {
      located.append(
        (
          condition.keyRange.start.offset,
          GraphNode(
            id: GraphNode.id(.condition, condition.name), kind: .condition, name: condition.name,
            file: file, range: condition.keyRange)
        ))
    }
    for mapping in template.mappings {
      located.append(
        (
          mapping.keyRange.start.offset,
          GraphNode(
            id: GraphNode.id(.mapping, mapping.name), kind: .mapping, name: mapping.name,
            file: file,
            range: mapping.keyRange)
        ))
    }
    for resource in template.resources {
      // A loop of `Fn::ForEach` stands for the resources it makes, under its own name and the
      // type its body gives them: what its body reads at deploy, they read.
      located.append(
        (
          resource.keyRange.start.offset,
          GraphNode(
            id: GraphNode.id(.resource, resource.logicalID), kind: .resource,
            name: resource.logicalID, type: resource.madeType,
            isActive: isDeployed(condition: resource.condition), file: file,
            range: resource.keyRange, creates: createdEntry(resource))
        ))
    }
    for output in template.outputs {
      located.append(
        (
          output.keyRange.start.offset,
          GraphNode(
            id: GraphNode.id(.output, output.name), kind: .output, name: output.name,
            isActive: isDeployed(condition: output.condition), file: file, range: output.keyRange)
        ))
    }
    nodes = located.enumerated().sorted {
      ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset)
    }
    .map(\.element.node)
  }

  /// What a secret or parameter resource creates, so that `consumers` finds the reads of it by
  /// the name it creates or by its logical ID.
  private mutating func createdEntry(_ resource: Template.Resource) -> GraphNode.CreatedEntry? {
    let kind: StoreEntry.Kind
    switch resource.type {
    case "AWS::SecretsManager::Secret": kind = .secret
    case "AWS::SSM::Parameter": kind = .parameter
    default: return nil
    }
    var scratch = Diagnostics()
    return GraphNode.CreatedEntry(
      kind: kind, name: resource.createdName(&evaluator, into: &scratch))
  }

  private mutating func isDeployed(condition: String?) -> Bool {
    guard let condition, let value = conditionValue(condition) else { return true }
    return value
  }

  /// The value of a condition the template writes or a loop of `Conditions` makes for a known
  /// element; nil when it is not known, or there is no such condition (a use of it says so).
  private mutating func conditionValue(_ name: String) -> Bool? {
    guard index.definesCondition(name, &evaluator) else { return nil }
    return evaluator.conditionValue(name, into: &evaluated)
  }

  private mutating func storeNode(_ entry: StoreEntry, file: String, range: SourceRange) -> String {
    let id = entry.id
    if var existing = storeNodes[id] {
      if existing.file == file, range.start.offset < (existing.range?.start.offset ?? Int.max) {
        existing.range = range
        storeNodes[id] = existing
      }
      return id
    }
    storeNodes[id] = GraphNode(
      id: id, kind: .store, name: entry.name, type: entry.kind.rawValue, entry: entry, file: file,
      range: range)
    storeIDs.append(id)
    return id
  }

  // MARK: Edges

  private mutating func addEdge(
    from: String, to: String, kind: GraphEdge.Kind, site: GraphEdge.Site
  ) {
    let key = EdgeKey(from: from, to: to, kind: kind)
    // One hash of the key for a new edge (most are): insert, and put back what was there.
    if let index = edgeIndex.updateValue(edges.count, forKey: key) {
      edgeIndex[key] = index
      if !edges[index].sites.contains(site) { edges[index].sites.append(site) }
      return
    }
    edges.append(GraphEdge(from: from, to: to, kind: kind, sites: [site]))
  }

  /// An edge made by the value at `at`, active when that value is read on deploy.
  private mutating func edge(
    _ kind: GraphEdge.Kind, to target: String, range: SourceRange?, at: Position
  ) {
    guard let from = at.from else { return }
    // One of a loop's makings using another (`NatGateway${Id}` the `EIP${Id}` of its
    // iteration) is within the loop, which stands for both: no edge, and no cycle.
    if target == from, Template.isLoop(String(from.drop { $0 != ":" }.dropFirst())) { return }
    let active: Bool
    if at.liveFromEvaluator {
      active = evaluator.isLive(at.syntax, into: &evaluated)
    } else {
      assert(liveAgreesWithEvaluator(at), "liveness of \(at.syntax) differs from Evaluator.isLive")
      active = at.live
    }
    addEdge(
      from: from, to: target, kind: kind,
      site: GraphEdge.Site(file: file, range: range, path: at.property, isActive: active))
  }

  /// What `Evaluator.isLive` says of the position's full path, asked of a copy so that the
  /// check changes nothing.
  private func liveAgreesWithEvaluator(_ at: Position) -> Bool {
    var probe = evaluator
    var ignored = Diagnostics()
    return probe.isLive(at.syntax, into: &ignored) == at.live
  }

  /// `logicalID`: the name where a logical ID or condition is expected. When it is a dynamic
  /// reference, E2027 says so (`PlacementRules`), and a second finding would only repeat it.
  private mutating func dangling(
    _ message: String, range: SourceRange?, at: Position, logicalID: String? = nil
  ) {
    guard at.from != nil else { return }
    if let logicalID, ReferenceScanner.holdsReference(logicalID) { return }
    let key = "\(range?.start.offset ?? -1)|\(message)"
    guard reportedKeys.insert(key).inserted else { return }
    reported.report(
      Diagnostic(
        .danglingReference, message, file: file, range: range, path: at.property))
  }

  // MARK: Walking the template

  private mutating func walkTemplate() {
    for condition in template.conditions {
      let base = ["Conditions", condition.name]
      var at = Position(from: GraphNode.id(.condition, condition.name), base: base)
      at.conditionContext = true
      if Template.isLoop(condition.name) {
        walkConditionLoop(condition.node, at)
      } else {
        walk(condition.node, at)
      }
    }
    for resource in template.resources {
      let base = ["Resources", resource.logicalID]
      if Template.isLoop(resource.logicalID) {
        walkLoop(
          resource.node, Position(from: GraphNode.id(.resource, resource.logicalID), base: base),
          madeAttributes: ["Type", "Condition", "DependsOn"])
        continue
      }
      let id = GraphNode.id(.resource, resource.logicalID)
      var at = Position(from: id, base: base)
      at.live = isDeployed(condition: resource.condition)
      if let condition = resource.node["Condition"], let name = condition.scalar {
        conditionAttribute(
          name, node: condition, at: Position(from: id, base: base + ["Condition"]))
      }
      for (position, dependency) in resource.dependsOn.enumerated() {
        if let target = index.resourceNodeID(dependency.name) {
          edge(
            .dependsOn, to: target, range: dependency.range,
            at: at.child("DependsOn").child(String(position)))
        } else if !template.mayDefineName(dependency.name) {
          // A name an include, a transform or a loop may define is no dangling name, as for
          // `Ref` and `Fn::GetAtt`.
          dangling(
            template.danglingResourceMessage(dependency.name, in: "DependsOn"),
            range: dependency.range, at: at.child("DependsOn"), logicalID: dependency.name)
        }
      }
      for entry in resource.node.mapping ?? []
      where !["Type", "Condition", "DependsOn"].contains(entry.name) {
        walk(entry.value, at.child(entry.name))
      }
    }
    for output in template.outputs {
      let base = ["Outputs", output.name]
      let id = GraphNode.id(.output, output.name)
      if Template.isLoop(output.name) {
        walkLoop(output.node, Position(from: id, base: base), madeAttributes: ["Condition"])
        continue
      }
      if let condition = output.node["Condition"], let name = condition.scalar {
        conditionAttribute(
          name, node: condition, at: Position(from: id, base: base + ["Condition"]))
      }
      var at = Position(from: id, base: base)
      at.live = isDeployed(condition: output.condition)
      for entry in output.node.mapping ?? [] where entry.name != "Condition" {
        walk(entry.value, at.child(entry.name))
      }
    }
    // Sections that use parameters without being nodes of their own.
    for section in ["Rules", "Globals"] {
      if let node = template.document.root?[section] {
        walk(node, Position(from: nil, base: [section]))
      }
    }
  }

  /// An `Fn::ForEach` loop of `Resources` or `Outputs` (`[Identifier, Collection, {Key: Body}]`):
  /// what its bodies use, the loop uses, as the node that stands for what it makes, with its
  /// identifier naming the element and not a parameter or resource. What a body's keys make
  /// per element is not expanded: a name built from the identifier (`!Ref Subnet${Id}`) reaches
  /// the loop's own makings and draws no edge. `madeAttributes`: the attributes of what a body
  /// makes, read as such (`Condition`, a resource's `DependsOn`) rather than walked.
  private mutating func walkLoop(_ node: Node, _ at: Position, madeAttributes: Set<String>) {
    guard let loop = Template.Loop(node), let bodies = loop.body.mapping else {
      // Malformed (the evaluator says so): only the parameters it uses are noted.
      var noting = at
      noting.from = nil
      return walk(node, noting)
    }
    walk(loop.collection, at.child("1"))
    let bodiesAt = inside(loop, at).child("2")
    for body in bodies {
      let bodyAt = bodiesAt.child(body.name)
      if Template.isLoop(body.name) {
        walkLoop(body.value, bodyAt, madeAttributes: madeAttributes)
        continue
      }
      for entry in body.value.mapping ?? [] {
        let entryAt = bodyAt.child(entry.name)
        guard madeAttributes.contains(entry.name) else {
          walk(entry.value, entryAt)
          continue
        }
        switch entry.name {
        case "Condition":
          if let name = entry.value.scalar {
            conditionAttribute(name, node: entry.value, at: entryAt)
          }
        case "DependsOn":
          let names = entry.value.scalar == nil ? entry.value.sequence ?? [] : [entry.value]
          for (position, item) in names.enumerated() {
            guard let name = item.scalar, !bodiesAt.loopIdentifiers.contains(name) else { continue }
            let itemAt = entry.value.scalar == nil ? entryAt.child(String(position)) : entryAt
            // DependsOn takes no function: `Topic${N}` is how a body names what an element makes.
            if madeNameUse(name, kind: .dependsOn, range: item.range, at: itemAt) { continue }
            guard !name.contains("${"), !name.contains("&{") else { continue }
            if let target = index.resourceNodeID(name) {
              edge(.dependsOn, to: target, range: item.range, at: itemAt)
            } else if !template.mayDefineName(name) {
              dangling(
                template.danglingResourceMessage(name, in: "DependsOn"), range: item.range,
                at: itemAt, logicalID: name)
            }
          }
        default:
          continue
        }
      }
    }
  }

  /// `at` with the loop's identifier (or identifiers) in scope, and its elements where its
  /// collection is known before deploy (a written list, a `CommaDelimitedList` parameter with a
  /// value).
  private mutating func inside(_ loop: Template.Loop, _ at: Position) -> Position {
    var inside = at
    guard let identifier = loop.identifier.scalar else {
      let identifiers = (loop.identifier.sequence ?? []).compactMap(\.scalar)
      inside.loopIdentifiers.formUnion(identifiers)
      for identifier in identifiers { inside.loopElements[identifier] = nil }
      return inside
    }
    inside.loopIdentifiers.insert(identifier)
    // An element written with an enclosing loop's identifier differs per iteration of that one.
    if let elements = evaluator.elements(of: loop),
      !elements.contains(where: {
        !LoopPlaceholders.uses(in: $0, where: at.loopIdentifiers.contains).isEmpty
      })
    {
      inside.loopElements[identifier] = elements
    } else {
      inside.loopElements[identifier] = nil
    }
    return inside
  }

  /// An `Fn::ForEach` loop of `Conditions`: what its bodies use, the loop uses, each body's
  /// value a condition, with the loop's identifier naming the element.
  private mutating func walkConditionLoop(_ node: Node, _ at: Position) {
    guard let loop = Template.Loop(node), let bodies = loop.body.mapping else {
      var noting = at
      noting.from = nil
      return walk(node, noting)
    }
    var collectionAt = at.child("1")
    collectionAt.conditionContext = false
    walk(loop.collection, collectionAt)
    let bodiesAt = inside(loop, at).child("2")
    for body in bodies {
      let bodyAt = bodiesAt.child(body.name)
      if Template.isLoop(body.name) {
        walkConditionLoop(body.value, bodyAt)
      } else {
        walk(body.value, bodyAt)
      }
    }
  }

  /// A `Condition` attribute: always evaluated, so its edge is active even when it is false.
  private mutating func conditionAttribute(_ name: String, node: Node, at: Position) {
    guard let from = at.from else { return }
    let path = at.syntax
    for target in conditionTargets(name, range: node.range, at: at) {
      addEdge(
        from: from, to: target, kind: .condition,
        site: GraphEdge.Site(file: file, range: node.range, path: path, isActive: true))
    }
  }

  /// The nodes a use of the condition `name` reaches: the condition, or the loop of
  /// `Conditions` that makes it. Written in a loop's body with the identifiers of the loops
  /// around it (`Condition: Is${N}`), it names each element's condition: the loop whose keys
  /// are written alike when the elements are known only at deploy. A name nothing makes is
  /// dangling (for a name built from an identifier, said of the first element that misses).
  private mutating func conditionTargets(_ name: String, range: SourceRange, at: Position)
    -> [String]
  {
    let names: [String]
    switch madeNames(name, at: at) {
    case nil:
      names = [name]
    case .shape?:
      return index.conditionLoopNodeID(making: name).map { [$0] } ?? []
    case .names(let made)?:
      names = made
    }
    var targets: [String] = []
    var missing: String?
    for each in names {
      if index.conditions.contains(each) {
        targets.append(GraphNode.id(.condition, each))
        continue
      }
      switch evaluator.conditionOrigin(each) {
      case .written:
        targets.append(GraphNode.id(.condition, each))
      case .loop(let loop, _):
        targets.append(GraphNode.id(.condition, loop))
      case .unknown:
        continue
      case .undefined:
        if missing == nil { missing = each }
      }
    }
    if let missing {
      dangling(template.danglingConditionMessage(missing), range: range, at: at, logicalID: missing)
    }
    return targets
  }

  private mutating func walk(_ node: Node, _ at: Position) {
    switch node.value {
    case .scalar:
      return
    case .sequence(let items):
      for (index, item) in items.enumerated() { walk(item, at.child(String(index))) }
    case .mapping(let entries):
      if at.conditionContext, entries.count == 1, entries[0].name == "Condition",
        let name = entries[0].value.scalar
      {
        conditionUse(name, node: entries[0].value, at: at.child("Condition"))
        return
      }
      for entry in entries {
        // A loop among properties (`Fn::ForEach::Tags`) makes them per element, its identifier
        // naming the element in its body.
        if Template.isLoop(entry.name), let loop = Template.Loop(entry.value) {
          let loopAt = at.child(entry.name)
          walk(loop.collection, loopAt.child("1"))
          walk(loop.body, inside(loop, loopAt).child("2"))
        } else {
          walk(entry.value, at.child(entry.name))
        }
      }
    case .intrinsic(let intrinsic):
      walkIntrinsic(intrinsic, node: node, at)
    }
  }

  private mutating func walkIntrinsic(_ intrinsic: Intrinsic, node: Node, _ at: Position) {
    let inside = at.entering(intrinsic.function)
    let argument = intrinsic.argument
    switch intrinsic.function {
    case .ref:
      guard let name = argument.scalar else {
        if argument.intrinsic != nil { refByComputedName = true }
        if let pattern = patternMadePerElement(argument, at: at) {
          madeNameUse(pattern, kind: .ref, range: argument.range, at: at)
        }
        return walk(argument, inside)
      }
      reference(name, kind: .ref, range: argument.range, at: at)

    case .getAtt:
      let name: String
      let range: SourceRange
      if let items = argument.sequence, items.count == 2, let resource = items[0].scalar {
        name = resource
        range = items[0].range
        walk(items[1], inside.child("1"))
      } else if let text = argument.scalar, let dot = text.firstIndex(of: ".") {
        name = String(text[..<dot])
        range = argument.range
      } else {
        if let items = argument.sequence, items.count == 2,
          let pattern = patternMadePerElement(items[0], at: at)
        {
          madeNameUse(pattern, kind: .getAtt, range: items[0].range, at: at)
        }
        return walk(argument, inside)
      }
      if madeNameUse(name, kind: .getAtt, range: range, at: at) { return }
      if let target = index.resourceNodeID(name) {
        edge(.getAtt, to: target, range: range, at: at)
      } else if !template.mayDefineName(name) {
        dangling(
          template.danglingResourceMessage(name, in: "Fn::GetAtt"), range: range, at: at,
          logicalID: name)
      }

    case .sub:
      sub(argument, at: at, inside: inside)

    case .if:
      guard let items = argument.sequence, items.count == 3 else {
        // `Evaluator.isLive` reads the elements after the first as branches all the same.
        var malformed = inside
        malformed.liveFromEvaluator = true
        return walk(argument, malformed)
      }
      if let name = items[0].scalar {
        conditionUse(name, node: items[0], at: inside.child("0"))
      } else {
        walk(items[0], inside.child("0"))
      }
      // The branches continue the structure around the Fn::If.
      let branch = at.syntaxChild(IntrinsicFunction.if.rawValue)
      let value = items[0].scalar.flatMap { conditionValue($0) }
      for position in 1...2 {
        var next = branch.syntaxChild(String(position))
        // The first branch is not taken when the condition is false, the second when it is true.
        next.live = at.live && value != (position == 2)
        walk(items[position], next)
      }

    case .condition:
      guard let name = argument.scalar else { return walk(argument, inside) }
      conditionUse(name, node: argument, at: inside)

    case .findInMap:
      guard let items = argument.sequence, !items.isEmpty else { return walk(argument, inside) }
      if let name = items[0].scalar {
        mappingUse(name, range: items[0].range, at: at)
      } else {
        walk(items[0], inside.child("0"))
        if let name = evaluator.evaluate(items[0], into: &evaluated).string {
          mappingUse(name, range: items[0].range, at: at)
        } else {
          mappingUseUnknown = true
        }
      }
      for index in items.indices.dropFirst() { walk(items[index], inside.child(String(index))) }
      checkLookup(node, keys: items, at: at)

    case .transform:
      sawTransform = true
      walk(argument, inside)

    case .contains, .eachMemberEquals, .eachMemberIn, .refAll, .valueOf, .valueOfAll:
      let property = at.property
      if property.components.first != "Rules" {
        reported.report(
          Diagnostic(
            .malformedIntrinsic,
            "'\(intrinsic.function.rawValue)' is a rule function: CloudFormation accepts it "
              + "only in the Rules section", file: file, range: node.range, path: property))
      }
      // `Fn::ValueOf: [ParameterName, Attribute]` reads a parameter; the others name
      // parameter types or take values.
      if intrinsic.function == .valueOf, let items = argument.sequence,
        let name = items.first?.scalar
      {
        reference(name, kind: .ref, range: items[0].range, at: at)
        for index in items.indices.dropFirst() { walk(items[index], inside.child(String(index))) }
      } else {
        walk(argument, inside)
      }

    default:
      walk(argument, inside)
    }
  }

  /// In a loop's body, the string of `!Ref {Fn::Sub: Subnet${Id}}`, when it uses nothing but
  /// the identifiers of the loops around it: a name made per element.
  private func patternMadePerElement(_ argument: Node, at: Position) -> String? {
    guard !at.loopIdentifiers.isEmpty, let intrinsic = argument.intrinsic,
      intrinsic.function == .sub, let pattern = intrinsic.argument.scalar,
      SubTemplate(pattern).firstUses.allSatisfy({ at.loopIdentifiers.contains($0.name) })
    else { return nil }
    return pattern
  }

  /// What a name written in a loop's body with the identifiers of the loops around it names.
  private enum MadeNames {
    /// The name each iteration gives it, each once, in the collections' order.
    case names([String])
    /// An identifier's elements are known only at deploy: only the name's shape is.
    case shape
  }

  /// The most names a name built from identifiers is read as, the collections multiplied:
  /// past that, it is read by its shape.
  static let maxMadeNames = 1_000

  /// nil when `name` uses no identifier of the loops around `at`.
  private func madeNames(_ name: String, at: Position) -> MadeNames? {
    guard !at.loopIdentifiers.isEmpty else { return nil }
    let uses = LoopPlaceholders.uses(in: name, where: at.loopIdentifiers.contains)
    guard !uses.isEmpty else { return nil }
    var combinations: [[String: String]] = [[:]]
    var identifiers = Set<String>()
    for use in uses where identifiers.insert(use.identifier).inserted {
      guard let elements = at.loopElements[use.identifier],
        combinations.count * elements.count <= Self.maxMadeNames
      else { return .shape }
      combinations = combinations.flatMap { combination in
        elements.map { combination.merging([use.identifier: $0]) { $1 } }
      }
    }
    var seen = Set<String>()
    return .names(
      combinations.map { LoopPlaceholders.substitute(name, $0) }.filter { seen.insert($0).inserted }
    )
  }

  /// A use of a name written in a loop's body with the identifiers of the loops around it
  /// (`DependsOn: Topic${N}`, `!Ref 'Topic${N}'`, `!GetAtt Topic${N}.Arn`, `${Topic${N}.Arn}`):
  /// the language extensions replace them before anything reads the body, so it is an edge to
  /// what makes each element's name (a parameter too, for `Ref` and `${…}`), or, when the
  /// elements are known only at deploy, to the loop whose keys are written alike. A name an
  /// element gives that nothing makes is dangling, said once, of the first. False when the
  /// name uses no identifier. `sub`: for a `${…}`, the attribute after the name, the Sub's own
  /// variables and where the `${…}` is.
  @discardableResult
  private mutating func madeNameUse(
    _ name: String, kind: GraphEdge.Kind, range: SourceRange, at: Position,
    sub: (attribute: Substring, variables: Set<String>, range: SourceRange)? = nil
  ) -> Bool {
    let parameters = kind == .ref || (kind == .sub && sub?.attribute.isEmpty != false)
    switch madeNames(name, at: at) {
    case nil:
      return false
    case .shape?:
      if let target = index.loopNodeID(making: name) {
        edge(kind, to: target, range: range, at: at)
      }
    case .names(let names)?:
      var missing: String?
      for each in names {
        if parameters, index.parameters.contains(each) {
          usedParameters.insert(each)
          edge(kind, to: GraphNode.id(.parameter, each), range: range, at: at)
        } else if parameters, EvaluationInputs.pseudoParameterNames.contains(each) {
          continue
        } else if let target = index.resourceNodeID(each) {
          edge(kind, to: target, range: range, at: at)
        } else if missing == nil, !template.mayDefineName(each) {
          missing = each
        }
      }
      if let missing {
        let message: String
        switch kind {
        case .ref: message = template.danglingRefMessage(missing)
        case .sub:
          message = template.danglingSubVariableMessage(
            missing + (sub?.attribute ?? ""), variables: sub?.variables ?? [])
        case .dependsOn: message = template.danglingResourceMessage(missing, in: "DependsOn")
        default: message = template.danglingResourceMessage(missing, in: "Fn::GetAtt")
        }
        dangling(message, range: sub?.range ?? range, at: at, logicalID: missing)
      }
    }
    return true
  }

  /// `Ref` or a `${Name}` in `Fn::Sub`: a parameter, a pseudo-parameter or a resource.
  private mutating func reference(
    _ name: String, kind: GraphEdge.Kind, range: SourceRange, at: Position
  ) {
    if at.loopIdentifiers.contains(name) { return }
    if madeNameUse(name, kind: kind, range: range, at: at) { return }
    if index.parameters.contains(name) {
      usedParameters.insert(name)
      edge(kind, to: GraphNode.id(.parameter, name), range: range, at: at)
    } else if EvaluationInputs.pseudoParameterNames.contains(name) {
      return
    } else if let target = index.resourceNodeID(name) {
      edge(kind, to: target, range: range, at: at)
    } else if !template.mayDefineName(name) {
      let message =
        kind == .sub
        ? template.danglingSubVariableMessage(name, variables: [])
        : template.danglingRefMessage(name)
      dangling(message, range: range, at: at, logicalID: kind == .sub ? nil : name)
    }
  }

  private mutating func sub(_ argument: Node, at: Position, inside: Position) {
    let templateNode: Node
    var variables = Set<String>()
    var textAt = at
    if let items = argument.sequence {
      guard items.count == 2, items[0].scalar != nil, let entries = items[1].mapping else {
        return walk(argument, inside)
      }
      templateNode = items[0]
      for entry in entries {
        variables.insert(entry.name)
        walk(entry.value, inside.child("1").child(entry.name))
      }
      textAt = at.syntaxChild(IntrinsicFunction.sub.rawValue).syntaxChild("0")
    } else {
      templateNode = argument
    }
    guard var text = templateNode.scalar else { return walk(argument, inside) }
    // In a loop's body its identifiers are replaced before `Fn::Sub` reads the string:
    // `${Topic${N}.TopicName}` is one variable, an attribute of what the element makes.
    if !at.loopIdentifiers.isEmpty { text = LoopPlaceholders.masked(text, at.loopIdentifiers) }
    for (masked, span) in SubTemplate(text).firstUses
    where !variables.contains(masked) && !at.loopIdentifiers.contains(masked) {
      let name = LoopPlaceholders.unmasked(masked)
      let resource = String(name.prefix { $0 != "." })
      if name != masked,
        madeNameUse(
          resource, kind: .sub, range: templateNode.range, at: textAt,
          sub: (
            name.dropFirst(resource.count), variables, template.range(of: span, in: templateNode)
          ))
      {
        continue
      }
      if index.parameters.contains(name) || EvaluationInputs.pseudoParameterNames.contains(name)
        || index.resourceNodeID(name) != nil
      {
        reference(name, kind: .sub, range: templateNode.range, at: textAt)
      } else if let dot = name.firstIndex(of: "."),
        let target = index.resourceNodeID(String(name[..<dot]))
      {
        edge(.sub, to: target, range: templateNode.range, at: textAt)
      } else if !template.mayDefineName(String(name.prefix { $0 != "." })) {
        dangling(
          template.danglingSubVariableMessage(name, variables: variables),
          range: template.range(of: span, in: templateNode), at: textAt)
      }
    }
  }

  private mutating func conditionUse(_ name: String, node: Node, at: Position) {
    for target in conditionTargets(name, range: node.range, at: at) {
      edge(.condition, to: target, range: node.range, at: at)
    }
  }

  /// A lookup whose keys are known and find no entry, with no `DefaultValue`, fails the deploy
  /// ("Unable to get mapping for …"): evaluated where it is read on deploy, so that the
  /// evaluator reports it (E1005) whether or not a reference is in the mapping. A key taken from
  /// a default the deploy may not use (the region, the account when not given) is not known.
  private mutating func checkLookup(_ node: Node, keys: [Node], at: Position) {
    guard at.from != nil, keys.count == 3 else { return }
    var names: [String] = []
    for key in keys { ValueInputs.collect(key, into: &names) }
    guard !names.contains(where: evaluator.inputs.isAssumed) else { return }
    let live = at.liveFromEvaluator ? evaluator.isLive(at.syntax, into: &evaluated) : at.live
    guard live else { return }
    _ = evaluator.evaluate(node, into: &evaluated)
  }

  private mutating func mappingUse(_ name: String, range: SourceRange, at: Position) {
    if index.mappings.contains(name) {
      usedMappings.insert(name)
      edge(.findInMap, to: GraphNode.id(.mapping, name), range: range, at: at)
    } else if !template.mayDefineMappings {
      dangling(template.danglingMappingMessage(name), range: range, at: at)
    }
  }

  // MARK: Store reads

  /// `AWS::SSM::Parameter::Value<…>` parameters: CloudFormation reads the named parameter at
  /// deploy.
  private mutating func addParameterReads() {
    for parameter in template.parameters where parameter.isSSMValueType {
      guard let name = evaluator.ssmParameterName(parameter), !name.isEmpty else { continue }
      let range = parameter.defaultValue?.range ?? parameter.keyRange
      let target = storeNode(StoreEntry(kind: .parameter, name: name), file: file, range: range)
      let path: TemplatePath = ["Parameters", parameter.name]
      addEdge(
        from: GraphNode.id(.parameter, parameter.name), to: target, kind: .readsAtDeploy,
        site: GraphEdge.Site(file: file, range: range, path: path, isActive: true))
    }
  }

  /// A dynamic reference; one whose name is a secret or parameter this template creates
  /// (`{{resolve:secretsmanager:${DbSecret}}}`, or the `Name` of a secret it creates) reads
  /// that resource, not a store entry.
  private mutating func addDeployRead(_ read: DeployRead) {
    let target: String
    if let created = read.createdBy, index.isResource(created) {
      target = GraphNode.id(.resource, created)
    } else if !read.entry.isConcrete, let created = index.storeResource(named: read.entry.name) {
      target = GraphNode.id(.resource, created.logicalID)
    } else {
      target = storeNode(read.entry, file: read.file, range: read.range)
    }
    guard let section = read.path[0], let name = read.path[1] else { return }
    let kind: GraphNode.Kind
    switch section {
    case "Globals":
      addGlobalsRead(read, section: name, to: target)
      return
    case "Resources": kind = .resource
    case "Outputs": kind = .output
    case "Parameters": kind = .parameter
    case "Conditions": kind = .condition
    // A mapping's entry is read where a live lookup picks it: the edge is active then only, so
    // an entry for another region is drawn as not read, as `refs` lists it.
    case "Mappings": kind = .mapping
    default: return
    }
    let from = GraphNode.id(kind, name)
    guard nodeIDs.contains(from) else { return }
    let active = read.isLive ?? evaluator.isLive(read.syntaxPath, into: &evaluated)
    addEdge(
      from: from, to: target, kind: .readsAtDeploy,
      site: GraphEdge.Site(file: read.file, range: read.range, path: read.path, isActive: active))
  }

  /// SAM's `Globals`: what `Globals.Function` (or `Api`, `HttpApi`, …) says, every resource of
  /// that serverless type gets as its own property, and reads at deploy as its own.
  /// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html
  private mutating func addGlobalsRead(_ read: DeployRead, section: String, to target: String) {
    guard template.transforms.contains(where: { $0.hasPrefix("AWS::Serverless") }) else { return }
    let type = "AWS::Serverless::" + section
    let active = read.isLive ?? evaluator.isLive(read.syntaxPath, into: &evaluated)
    // A resource's own value for the property replaces the global one (maps merge key by key,
    // lists are joined: an element of a list replaces nothing).
    let property = TemplatePath(Array(read.path.components.dropFirst(2)))
    let replaceable =
      !property.components.isEmpty && property.components.allSatisfy { Int($0) == nil }
    for resource in template.resources where resource.madeType == type {
      if replaceable, let properties = resource.properties,
        properties.nodes(along: property).count == property.components.count + 1
      {
        continue
      }
      let from = GraphNode.id(.resource, resource.logicalID)
      guard nodeIDs.contains(from) else { continue }
      addEdge(
        from: from, to: target, kind: .readsAtDeploy,
        site: GraphEdge.Site(file: read.file, range: read.range, path: read.path, isActive: active))
    }
  }

  private mutating func addRuntimeRead(_ consumer: RuntimeConsumer) {
    let from = GraphNode.id(.resource, consumer.resource)
    let site = GraphEdge.Site(
      file: consumer.file, range: consumer.range, path: consumer.property, isActive: consumer.isLive
    )
    if let managed = consumer.managedBy {
      addEdge(from: from, to: GraphNode.id(.resource, managed), kind: .readsAtRuntime, site: site)
    } else if let entry = consumer.entry {
      let target = storeNode(entry, file: consumer.file, range: consumer.range)
      addEdge(from: from, to: target, kind: .readsAtRuntime, site: site)
    }
    if let role = consumer.role.logicalID, index.isResource(role) {
      let roleSite = GraphEdge.Site(
        file: consumer.file, range: consumer.roleRange ?? consumer.range,
        path: consumer.roleProperty ?? consumer.property, isActive: consumer.isLive)
      addEdge(from: from, to: GraphNode.id(.resource, role), kind: .runsAs, site: roleSite)
    }
  }

  // MARK: Reports

  private mutating func reportCycles(_ graph: TemplateGraph) {
    for cycle in graph.cycles {
      guard let first = graph.node(cycle.members[0]) else { continue }
      let isResource = first.kind == .resource
      var notes: [Diagnostic.Note] = []
      for (position, member) in cycle.members.enumerated() {
        let next = cycle.members[(position + 1) % cycle.members.count]
        let edge = graph.edges.first {
          $0.from == member && $0.to == next && $0.isActive
            && (isResource
              ? [.ref, .getAtt, .sub, .dependsOn].contains($0.kind) : $0.kind == .condition)
        }
        guard let edge, let site = edge.sites.first(where: \.isActive) else { continue }
        notes.append(
          Diagnostic.Note(
            "'\(Self.name(member))' uses '\(Self.name(next))' (\(Self.spelling(edge.kind)))",
            file: site.file, range: site.range))
      }
      reported.report(
        Diagnostic(
          .cycle, "\(isResource ? "resources" : "conditions") form a cycle: \(cycle)", file: file,
          range: first.range, path: [isResource ? "Resources" : "Conditions", first.name],
          notes: notes))
    }
  }

  private static func name(_ id: String) -> String {
    id.firstIndex(of: ":").map { String(id[id.index(after: $0)...]) } ?? id
  }

  private static func spelling(_ kind: GraphEdge.Kind) -> String {
    switch kind {
    case .ref: "Ref"
    case .getAtt: "Fn::GetAtt"
    case .sub: "Fn::Sub"
    case .dependsOn: "DependsOn"
    case .condition: "Condition"
    case .findInMap: "Fn::FindInMap"
    case .readsAtDeploy: "reads at deploy"
    case .readsAtRuntime: "reads at run time"
    case .runsAs: "runs as"
    }
  }

  /// A resource or output this deploy creates that uses (`Ref`, `Fn::GetAtt`, `${…}`,
  /// `DependsOn`) a resource whose condition leaves it out: CloudFormation fails the deploy
  /// ("Unresolved resource dependencies [B] in the Resources block of the template"). Said only
  /// when the condition is false whatever a defaulted region or account would be.
  private mutating func reportUsesOfResourcesNotCreated(_ graph: TemplateGraph) {
    let notCreated = Set(graph.nodes.lazy.filter { $0.kind == .resource && !$0.isActive }.map(\.id))
    guard !notCreated.isEmpty else { return }
    // Asked only when a default was assumed: whether the condition is false whatever it is.
    var open: Evaluator?
    for edge in graph.edges
    where notCreated.contains(edge.to) && [.ref, .getAtt, .sub, .dependsOn].contains(edge.kind) {
      let target = Self.name(edge.to)
      guard graph.node(edge.from)?.isActive == true,
        let site = edge.sites.first(where: \.isActive),
        let condition = index.resource(target)?.condition
      else { continue }
      let assumed = evaluator.inputs.assumed
      if !assumed.isEmpty {
        var scratch = Diagnostics()
        if open == nil {
          open = Evaluator(
            template: template, inputs: evaluator.inputs.leavingOpen(assumed), into: &scratch)
        }
        guard open?.conditionValue(condition, into: &scratch) == false else { continue }
      }
      reported.report(
        Diagnostic(
          .resourceNotCreated,
          "'\(Self.name(edge.from))' uses resource '\(target)' (\(Self.spelling(edge.kind))), "
            + "which condition '\(condition)' leaves out of this deploy: CloudFormation fails "
            + "it (unresolved resource dependencies [\(target)]); give the use the same "
            + "condition, or an Fn::If on it",
          file: site.file, range: site.range, path: site.path))
    }
  }

  private mutating func reportUnused() {
    guard template.isCloudFormation, !sawTransform,
      template.transforms.allSatisfy(GraphBuilder.transparentTransforms.contains)
    else { return }
    for parameter in template.parameters
    where !refByComputedName && !usedParameters.contains(parameter.name) {
      reported.report(
        Diagnostic(
          .unusedParameter, "parameter '\(parameter.name)' is never used", file: file,
          range: parameter.keyRange, path: ["Parameters", parameter.name]))
    }
    guard !mappingUseUnknown else { return }
    for mapping in template.mappings where !usedMappings.contains(mapping.name) {
      reported.report(
        Diagnostic(
          .unusedMapping, "mapping '\(mapping.name)' is never used", file: file,
          range: mapping.keyRange, path: ["Mappings", mapping.name]))
    }
  }
}
