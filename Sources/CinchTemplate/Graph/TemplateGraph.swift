/// A template's dependency graph: what uses what, what reads the store and when, the order a
/// deploy follows, and the cycles that stop it. Built by `GraphBuilder`.
public struct TemplateGraph: Sendable {
  public var file: String
  /// Parameters, conditions, mappings, resources and outputs in template order, then store
  /// entries in the order they are first read.
  public var nodes: [GraphNode]
  /// Grouped by `from` in node order, each group in template order.
  public var edges: [GraphEdge]
  /// Every property that reads the store at run time.
  public var runtimeConsumers: [RuntimeConsumer]
  /// The deploy-time reads the graph was built with.
  public var deployReads: [DeployRead]
  /// Node ids, each after everything it uses: the order CloudFormation can create them in. Ties
  /// go to template order. Only active deploy edges count (run-time reads and roles do not order
  /// a deploy); members of a cycle, and what depends on them, come last in template order.
  public var order: [String]
  /// Cycles among resources (`Ref`, `Fn::GetAtt`, `Fn::Sub`, `DependsOn`) and among conditions.
  public var cycles: [GraphCycle]

  public init(
    file: String, nodes: [GraphNode], edges: [GraphEdge], runtimeConsumers: [RuntimeConsumer],
    deployReads: [DeployRead]
  ) {
    self.init(
      file: file, nodes: nodes, edges: edges, runtimeConsumers: runtimeConsumers,
      deployReads: deployReads, ends: Self.endpoints(nodes: nodes, edges: edges))
  }

  /// With each edge's ends already placed in `nodes` (as `endpoints` places them), by a builder
  /// that looked them up anyway.
  init(
    file: String, nodes: [GraphNode], edges: [GraphEdge], runtimeConsumers: [RuntimeConsumer],
    deployReads: [DeployRead], ends: [(from: Int, to: Int)?]
  ) {
    self.file = file
    self.nodes = nodes
    self.edges = edges
    self.runtimeConsumers = runtimeConsumers
    self.deployReads = deployReads
    self.order = Self.topologicalOrder(nodes: nodes, edges: edges, ends: ends)
    self.cycles = Self.findCycles(nodes: nodes, edges: edges, ends: ends)
  }

  public func node(_ id: String) -> GraphNode? { nodes.first { $0.id == id } }

  /// The steps of every cycle, `[from, to]`, for renderers that mark them.
  public var cycleSteps: Set<[String]> {
    var steps = Set<[String]>()
    for cycle in cycles {
      for (index, member) in cycle.members.enumerated() {
        steps.insert([member, cycle.members[(index + 1) % cycle.members.count]])
      }
    }
    return steps
  }

  public func edges(from id: String) -> [GraphEdge] { edges.filter { $0.from == id } }
  public func edges(to id: String) -> [GraphEdge] { edges.filter { $0.to == id } }

  /// The store entries read, in node order.
  public var storeEntries: [StoreEntry] { nodes.compactMap(\.entry) }

  // MARK: Consumers

  /// Every resource and output that reads `entry`, at deploy or at run time, directly or
  /// through a parameter that reads it; matched as AWS would (a name meets its ARN). A secret or
  /// parameter the template creates is read through its resource (`${DbSecret}`, or the `Name`
  /// it is created with), and is named by that name or by its logical ID.
  public func consumers(of entry: StoreEntry) -> [StoreConsumer] {
    var result: [StoreConsumer] = []
    for store in nodes where store.standsFor(entry) {
      let named =
        store.entry
        ?? StoreEntry(kind: entry.kind, name: store.creates?.name ?? entry.name)
      for edge in edges where edge.to == store.id && edge.kind.readsStore {
        guard let reader = node(edge.from) else { continue }
        let timing: StoreConsumer.Timing = edge.kind == .readsAtDeploy ? .deploy : .runtime
        if reader.kind == .parameter {
          result += consumers(through: reader, entry: named)
          continue
        }
        guard reader.kind == .resource || reader.kind == .output else { continue }
        for site in edge.sites {
          let role =
            timing == .runtime
            ? runtimeConsumers.first { $0.resource == reader.name && $0.property == site.path }?
              .role
            : nil
          result.append(
            StoreConsumer(
              file: site.file, node: reader.id, kind: reader.kind, name: reader.name,
              timing: timing, entry: named, path: site.path, range: site.range,
              isActive: site.isActive && reader.isActive, role: role))
        }
      }
    }
    return Self.sorted(result)
  }

  /// Consumers of an entry named by text alone (`cinch consumers NAME-OR-ARN`): an ARN says its
  /// kind; a name may be a parameter or a secret.
  public func consumers(named text: String) -> [StoreConsumer] {
    Self.sorted(Self.candidates(for: text).flatMap { consumers(of: $0) })
  }

  /// Consumers of `entry` across several templates' graphs, in file order.
  public static func consumers(of entry: StoreEntry, in graphs: [TemplateGraph]) -> [StoreConsumer]
  {
    sorted(graphs.flatMap { $0.consumers(of: entry) })
  }

  public static func consumers(named text: String, in graphs: [TemplateGraph]) -> [StoreConsumer] {
    sorted(graphs.flatMap { $0.consumers(named: text) })
  }

  /// The entries a bare name or ARN may mean. A secret is also read as Parameter Store's
  /// `/aws/reference/secretsmanager/ID` (a reference to that path is a parameter entry, an ECS
  /// `ValueFrom` of it the secret's), so either spelling finds both.
  public static func candidates(for text: String) -> [StoreEntry] {
    if let arn = StoreARN(text) { return [StoreEntry(kind: arn.kind, name: text)] }
    if text.hasPrefix("arn:"), text.contains(":secretsmanager:") {
      return [StoreEntry(kind: .secret, name: text)]
    }
    if let behind = StoreEntry.secretBehindParameter(text) {
      return [
        StoreEntry(kind: .parameter, name: StoreEntry.secretsManagerReferencePrefix + behind.id),
        StoreEntry(kind: .secret, name: behind.id),
      ]
    }
    return StoreEntry.Kind.allCases.map { StoreEntry(kind: $0, name: text) } + [
      StoreEntry(kind: .parameter, name: StoreEntry.secretsManagerReferencePrefix + text)
    ]
  }

  /// Resources and outputs that use a parameter that reads the entry.
  private func consumers(through parameter: GraphNode, entry: StoreEntry) -> [StoreConsumer] {
    var result: [StoreConsumer] = []
    for edge in edges where edge.to == parameter.id && (edge.kind == .ref || edge.kind == .sub) {
      guard let user = node(edge.from), user.kind == .resource || user.kind == .output else {
        continue
      }
      for site in edge.sites {
        result.append(
          StoreConsumer(
            file: site.file, node: user.id, kind: user.kind, name: user.name, timing: .deploy,
            entry: entry, path: site.path, range: site.range,
            isActive: site.isActive && user.isActive, via: parameter.name))
      }
    }
    return result
  }

  private static func sorted(_ consumers: [StoreConsumer]) -> [StoreConsumer] {
    var seen = Set<StoreConsumer>()
    return consumers.filter { seen.insert($0).inserted }.sorted {
      ($0.file, $0.range?.start.offset ?? -1, $0.node, $0.timing.rawValue)
        < ($1.file, $1.range?.start.offset ?? -1, $1.node, $1.timing.rawValue)
    }
  }
}
