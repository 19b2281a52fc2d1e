extension TemplateGraph {
  /// Kahn's algorithm, always taking the ready node that comes first in the template, so the
  /// order is stable: the same template gives the same order, and unrelated nodes keep their
  /// template order.
  /// The positions in `nodes` of each edge's two ends (the first node with each id), nil when
  /// either is not a node: looked up once for both the order and the cycles.
  static func endpoints(nodes: [GraphNode], edges: [GraphEdge]) -> [(from: Int, to: Int)?] {
    var index: [String: Int] = [:]
    index.reserveCapacity(nodes.count)
    for (position, node) in nodes.enumerated() where index[node.id] == nil {
      index[node.id] = position
    }
    return edges.map { edge in
      guard let from = index[edge.from], let to = index[edge.to] else { return nil }
      return (from, to)
    }
  }

  static func topologicalOrder(
    nodes: [GraphNode], edges: [GraphEdge], ends: [(from: Int, to: Int)?]
  ) -> [String] {
    // What each node uses, each once: a node uses few others, so a list is searched.
    var dependencies = Array(repeating: [Int](), count: nodes.count)
    var dependents = Array(repeating: [Int](), count: nodes.count)
    for (edge, ends) in zip(edges, ends) where edge.kind.ordersDeploy && edge.isActive {
      guard let (from, to) = ends, !dependencies[from].contains(to) else { continue }
      dependencies[from].append(to)
      dependents[to].append(from)
    }
    var waiting = dependencies.map(\.count)
    var ready = MinHeap(waiting.indices.filter { waiting[$0] == 0 })
    var placed = Array(repeating: false, count: nodes.count)
    var order: [String] = []
    order.reserveCapacity(nodes.count)
    while let next = ready.pop() {
      placed[next] = true
      order.append(nodes[next].id)
      for dependent in dependents[next] {
        waiting[dependent] -= 1
        if waiting[dependent] == 0 { ready.push(dependent) }
      }
    }
    for position in nodes.indices where !placed[position] { order.append(nodes[position].id) }
    return order
  }

  /// Cycles among resources over `Ref`, `Fn::GetAtt`, `Fn::Sub` and `DependsOn` edges, and among
  /// conditions, active edges only: one per strongly connected component (Tarjan), named by the
  /// shortest cycle from its member that comes first in the template. A self-reference is a
  /// cycle of one.
  static func findCycles(
    nodes: [GraphNode], edges: [GraphEdge], ends: [(from: Int, to: Int)?]
  ) -> [GraphCycle] {
    var successors = Array(repeating: [Int](), count: nodes.count)
    var selfLoops = Set<Int>()
    for (edge, ends) in zip(edges, ends) where edge.isActive {
      guard let (from, to) = ends else { continue }
      let kinds = (nodes[from].kind, nodes[to].kind)
      let counts: Bool
      switch kinds {
      case (.resource, .resource):
        counts = [.ref, .getAtt, .sub, .dependsOn].contains(edge.kind)
      case (.condition, .condition):
        counts = edge.kind == .condition
      default:
        counts = false
      }
      guard counts else { continue }
      if from == to { selfLoops.insert(from) }
      if !successors[from].contains(to) { successors[from].append(to) }
    }
    for position in successors.indices { successors[position].sort() }

    // Each cycle with the position of the first node that has its first member's id.
    var cycles: [(place: Int, cycle: GraphCycle)] = []
    for component in StronglyConnected.components(successors) {
      guard component.count > 1 || selfLoops.contains(component[0]) else { continue }
      let members = Set(component)
      let start = component.min() ?? component[0]
      let path = shortestCycle(from: start, within: members, successors: successors)
      let cycle = GraphCycle(members: path.map { nodes[$0].id })
      let place = nodes.firstIndex { $0.id == cycle.members[0] } ?? 0
      cycles.append((place, cycle))
    }
    return cycles.sorted { $0.place < $1.place }.map(\.cycle)
  }

  /// Breadth-first from `start` back to it, successors in template order.
  private static func shortestCycle(from start: Int, within members: Set<Int>, successors: [[Int]])
    -> [Int]
  {
    var previous: [Int: Int] = [:]
    var queue = [start]
    var head = 0
    while head < queue.count {
      let current = queue[head]
      head += 1
      for next in successors[current] where members.contains(next) {
        if next == start {
          var path = [current]
          while let before = previous[path[0]] { path.insert(before, at: 0) }
          return path[0] == start ? path : [start] + path
        }
        if previous[next] == nil, next != start {
          previous[next] = current
          queue.append(next)
        }
      }
    }
    return [start]
  }
}

/// Tarjan's strongly connected components, iterative (a long chain of resources must not
/// overflow the stack). Components come out in reverse topological order.
private enum StronglyConnected {
  static func components(_ successors: [[Int]]) -> [[Int]] {
    let count = successors.count
    var index = Array(repeating: -1, count: count)
    var low = Array(repeating: 0, count: count)
    var onStack = Array(repeating: false, count: count)
    var stack: [Int] = []
    var components: [[Int]] = []
    var next = 0
    for root in 0..<count where index[root] < 0 {
      // Frames: (node, position of the next successor to visit).
      var frames: [(node: Int, child: Int)] = [(root, 0)]
      index[root] = next
      low[root] = next
      next += 1
      stack.append(root)
      onStack[root] = true
      while let frame = frames.last {
        let node = frame.node
        if frame.child < successors[node].count {
          frames[frames.count - 1].child += 1
          let successor = successors[node][frame.child]
          if index[successor] < 0 {
            index[successor] = next
            low[successor] = next
            next += 1
            stack.append(successor)
            onStack[successor] = true
            frames.append((successor, 0))
          } else if onStack[successor] {
            low[node] = min(low[node], index[successor])
          }
          continue
        }
        frames.removeLast()
        if let parent = frames.last?.node { low[parent] = min(low[parent], low[node]) }
        if low[node] == index[node] {
          var component: [Int] = []
          while let member = stack.popLast() {
            onStack[member] = false
            component.append(member)
            if member == node { break }
          }
          components.append(component.sorted())
        }
      }
    }
    return components
  }
}

/// A binary min-heap of node positions: the ready node that comes first in the template.
private struct MinHeap {
  private var items: [Int] = []

  init(_ values: [Int]) { values.forEach { push($0) } }

  mutating func push(_ value: Int) {
    items.append(value)
    var child = items.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard items[child] < items[parent] else { break }
      items.swapAt(child, parent)
      child = parent
    }
  }

  mutating func pop() -> Int? {
    guard let first = items.first else { return nil }
    let last = items.removeLast()
    if !items.isEmpty {
      items[0] = last
      var parent = 0
      while true {
        let left = 2 * parent + 1
        let right = left + 1
        var smallest = parent
        if left < items.count, items[left] < items[smallest] { smallest = left }
        if right < items.count, items[right] < items[smallest] { smallest = right }
        if smallest == parent { break }
        items.swapAt(parent, smallest)
        parent = smallest
      }
    }
    return first
  }
}
