import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchTemplate

/// Random acyclic templates (resources using each other through `Ref`, `Fn::GetAtt`, `Fn::Sub`
/// and `DependsOn`, declared in random order): the graph holds exactly the edges written, the
/// order puts every resource after what it uses and reports nothing; one edge added against the
/// grain makes exactly one cycle diagnostic, and the cycle it names runs through that edge.
///
/// Inputs come from fixed seeds (`seededCheck`), the same on every run and machine.
@Suite struct GraphPropertyTests {
  static let seeds = Gen<UInt64>.value(in: .min ... .max)

  enum Use: CaseIterable {
    case ref, getAtt, sub, dependsOn

    var kind: GraphEdge.Kind {
      switch self {
      case .ref: .ref
      case .getAtt: .getAtt
      case .sub: .sub
      case .dependsOn: .dependsOn
      }
    }
  }

  struct Edge: Hashable {
    var from: Int
    var to: Int
    var use: Use
  }

  /// A random DAG: resource `i` has a random rank and uses only resources of lower rank.
  static func randomDAG(seed: UInt64) -> (count: Int, edges: [Edge]) {
    var random = Xoshiro(seed: (seed, 1, 2, 3))
    let count = Int.random(in: 2...14, using: &random)
    let rank = Array(0..<count).shuffled(using: &random)
    var edges = Set<Edge>()
    for from in 0..<count {
      for to in 0..<count where rank[to] < rank[from] && Int.random(in: 0..<4, using: &random) == 0
      {
        edges.insert(
          Edge(from: from, to: to, use: Use.allCases.randomElement(using: &random) ?? .ref))
      }
    }
    if edges.isEmpty {
      let from = rank.firstIndex(of: count - 1) ?? 0
      let to = rank.firstIndex(of: 0) ?? 0
      edges.insert(Edge(from: from, to: to, use: .ref))
    }
    return (count, edges.sorted { ($0.from, $0.to, "\($0.use)") < ($1.from, $1.to, "\($1.use)") })
  }

  static func template(count: Int, edges: [Edge]) -> String {
    var text = "Resources:\n"
    for index in 0..<count {
      let mine = edges.filter { $0.from == index }
      text += "  R\(index):\n    Type: AWS::SNS::Topic\n"
      let dependsOn = mine.filter { $0.use == .dependsOn }.map { "R\($0.to)" }
      if !dependsOn.isEmpty { text += "    DependsOn: [\(dependsOn.joined(separator: ", "))]\n" }
      let properties = mine.filter { $0.use != .dependsOn }
      guard !properties.isEmpty else { continue }
      text += "    Properties:\n      Tags:\n"
      for edge in properties {
        let value =
          switch edge.use {
          case .ref: "!Ref R\(edge.to)"
          case .getAtt: "!GetAtt R\(edge.to).TopicName"
          case .sub: "!Sub 'topic-${R\(edge.to).TopicArn}-${AWS::Region}'"
          case .dependsOn: ""
          }
        text += "        - {Key: k\(edge.to), Value: \(value)}\n"
      }
    }
    return text
  }

  static func graph(_ text: String) -> (TemplateGraph, Diagnostics) {
    var diagnostics = Diagnostics()
    let file = SourceFile(path: "random.yaml", text: text)
    let template = TemplateReader.read(
      TemplateParser.parse(file, into: &diagnostics), into: &diagnostics)
    let graph = GraphBuilder.build(template, into: &diagnostics)
    return (graph, diagnostics)
  }

  @Test func orderRespectsEveryEdge() {
    seededCheck(Self.seeds, count: 300, seed: (11, 2, 3, 4)) { seed in
      let (count, edges) = Self.randomDAG(seed: seed)
      let text = Self.template(count: count, edges: edges)
      let (graph, diagnostics) = Self.graph(text)
      #expect(diagnostics.isEmpty, "\(DiagnosticLines.render(diagnostics))\(text)")
      #expect(graph.cycles.isEmpty)

      let written = Set(edges.map { "R\($0.from)>R\($0.to)>\($0.use.kind.rawValue)" })
      let built = Set(
        graph.edges.map { "\($0.from.dropFirst(9))>\($0.to.dropFirst(9))>\($0.kind.rawValue)" })
      #expect(built == written, "\(text)")

      #expect(graph.order.count == count && Set(graph.order).count == count)
      let position = Dictionary(uniqueKeysWithValues: graph.order.enumerated().map { ($1, $0) })
      for edge in graph.edges {
        #expect(
          (position[edge.to] ?? .max) < (position[edge.from] ?? .min),
          "'\(edge.from)' is ordered before '\(edge.to)', which it uses\n\(text)")
      }
    }
  }

  @Test func oneBackEdgeMakesOneCycleThroughIt() {
    seededCheck(Self.seeds, count: 300, seed: (12, 2, 3, 4)) { seed in
      let (count, edges) = Self.randomDAG(seed: seed)
      var random = Xoshiro(seed: (seed, 4, 5, 6))
      // Pairs (a, b) where a uses b, directly or not; the back edge b → a closes a cycle.
      var reaches = Array(repeating: Set<Int>(), count: count)
      for _ in 0..<count {
        for edge in edges { reaches[edge.from].formUnion(reaches[edge.to].union([edge.to])) }
      }
      let pairs = (0..<count).flatMap { a in reaches[a].sorted().map { (a, $0) } }
      guard let (a, b) = pairs.randomElement(using: &random) else {
        Issue.record("a random DAG without edges")
        return
      }
      let back = Edge(from: b, to: a, use: Use.allCases.randomElement(using: &random) ?? .ref)
      let all = edges + [back]
      let text = Self.template(count: count, edges: all)
      let (graph, diagnostics) = Self.graph(text)

      let cycles = diagnostics.items.filter { $0.code == .cycle }
      #expect(
        cycles.count == 1 && diagnostics.count == 1, "\(DiagnosticLines.render(diagnostics))\(text)"
      )
      #expect(graph.cycles.count == 1)
      guard let diagnostic = cycles.first, let cycle = graph.cycles.first else { return }

      // The message names the members in order, the first repeated at the end.
      let prefix = "resources form a cycle: "
      #expect(diagnostic.message.hasPrefix(prefix))
      let named = diagnostic.message.dropFirst(prefix.count).components(separatedBy: " → ")
      let members = cycle.members.map { String($0.dropFirst("resource:".count)) }
      #expect(named == members + [members[0]], "\(diagnostic.message)")

      // Every step is an edge of the template, one step is the back edge, and the cycle starts
      // at its member that comes first in the template.
      let steps = Set(all.map { "R\($0.from)>R\($0.to)" })
      for (index, member) in members.enumerated() {
        let next = members[(index + 1) % members.count]
        #expect(steps.contains("\(member)>\(next)"), "\(member) → \(next) is no edge\n\(text)")
      }
      let pairsInCycle = members.indices.map {
        "\(members[$0])>\(members[($0 + 1) % members.count])"
      }
      #expect(pairsInCycle.contains("R\(b)>R\(a)"), "\(diagnostic.message) misses R\(b) → R\(a)")
      let indexes = members.compactMap { Int($0.dropFirst()) }
      #expect(indexes.first == indexes.min())
      #expect(diagnostic.range == graph.node(cycle.members[0])?.range)
      #expect(Set(graph.order).count == count)
    }
  }
}
