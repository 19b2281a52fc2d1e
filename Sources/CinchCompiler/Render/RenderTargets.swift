import CinchTemplate

/// A scalar that holds text to change, with what its source position implies for writing it.
struct ScalarTarget {
  let node: Node
  /// Inside a flow collection (`[…]`, `{…}`): plain scalars may not hold `,[]{}`, and no block
  /// scalar can be written there.
  let flow: Bool
}

/// An `Fn::Join` whose pieces assemble a reference.
struct JoinTarget {
  let node: Node
  let delimiter: String
  let pieces: [Node]
  /// The pieces sit in a flow collection.
  let flow: Bool
}

/// The nodes the substitutions point at, found in one walk of the tree in document order.
///
/// Nodes are matched by their bytes, not by path: an alias repeats its anchor's node (and its
/// range), and the first visit, at the anchor, is the one whose surroundings are the scalar's
/// real surroundings in the file. Subtrees that hold no site are skipped.
struct RenderTargets {
  private(set) var scalars: [ScalarTarget] = []
  private(set) var joins: [Range<Int>: JoinTarget] = [:]
  private let starts: [Int]
  private let joinRanges: Set<Range<Int>>
  private var recorded: Set<Int> = []

  /// `starts`: the first byte of every site; `joinRanges`: the ranges of composed sites.
  init(root: Node, starts: [Int], joinRanges: Set<Range<Int>>) {
    self.starts = starts.sorted()
    self.joinRanges = joinRanges
    visit(root, flow: false)
    scalars.sort { $0.node.range.start.offset < $1.node.range.start.offset }
  }

  /// The scalar whose bytes contain `range`.
  func scalar(containing range: Range<Int>) -> ScalarTarget? {
    var low = 0
    var high = scalars.count
    while low < high {
      let mid = (low + high) / 2
      if scalars[mid].node.range.start.offset <= range.lowerBound {
        low = mid + 1
      } else {
        high = mid
      }
    }
    guard low > 0 else { return nil }
    let candidate = scalars[low - 1]
    return candidate.node.range.bytes.upperBound >= range.upperBound ? candidate : nil
  }

  private func holdsSite(_ range: Range<Int>) -> Bool {
    var low = 0
    var high = starts.count
    while low < high {
      let mid = (low + high) / 2
      if starts[mid] < range.lowerBound { low = mid + 1 } else { high = mid }
    }
    return low < starts.count && starts[low] < range.upperBound
  }

  private mutating func visit(_ node: Node, flow: Bool) {
    let bytes = node.range.bytes
    guard holdsSite(bytes) else { return }
    let inner = flow || node.style == .flow
    switch node.value {
    case .scalar:
      if recorded.insert(bytes.lowerBound).inserted {
        scalars.append(ScalarTarget(node: node, flow: flow))
      }
    case .sequence(let items):
      for index in items.indices where holdsSite(items[index].range.bytes) {
        visit(items[index], flow: inner)
      }
    case .mapping(let entries):
      // A long form inside a short form (`!Base64 {Fn::Join: …}`) stays a mapping.
      if joinRanges.contains(bytes), entries.count == 1, entries[0].name == "Fn::Join" {
        recordJoin(node, argument: entries[0].value, flow: inner)
      }
      for index in entries.indices where holdsSite(entries[index].value.range.bytes) {
        visit(entries[index].value, flow: inner)
      }
    case .intrinsic(let intrinsic):
      if intrinsic.function == .join, joinRanges.contains(bytes) {
        recordJoin(node, argument: intrinsic.argument, flow: inner)
      }
      visit(intrinsic.argument, flow: inner)
    }
  }

  private mutating func recordJoin(_ node: Node, argument: Node, flow: Bool) {
    guard joins[node.range.bytes] == nil, case .sequence(let arguments) = argument.value,
      arguments.count == 2, case .scalar(let delimiter) = arguments[0].value,
      case .sequence(let pieces) = arguments[1].value
    else { return }
    let piecesFlow = flow || argument.style == .flow || arguments[1].style == .flow
    joins[node.range.bytes] = JoinTarget(
      node: node, delimiter: delimiter, pieces: pieces, flow: piecesFlow)
  }
}
