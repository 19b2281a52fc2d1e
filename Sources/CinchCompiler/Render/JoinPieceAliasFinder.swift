import CinchTemplate

/// One piece of one `Fn::Join`: the join's bytes, and the piece's index in its list.
struct JoinPiecePlace: Hashable {
  var join: Range<Int>
  var piece: Int
}

/// Finds where YAML aliases read the text of `Fn::Join` pieces that a rendering changes, outside
/// the pieces that change is asked for.
///
/// An alias is its anchor's node, bytes and all, and `aws cloudformation package` or SAM
/// expand it to the text at the anchor (W0016): a change written into a piece is read wherever
/// an alias repeats the piece, or a node inside it. The piece's text is reference text only as
/// that piece of that join (`Name: *close` reads `}}`, not a reference), so each place that
/// reads it must be one the change is asked for. A whole join an alias repeats reads the same
/// pieces at the same indexes: every place of the join is one of its places, as every use of a
/// reference scalar an alias repeats reads the same reference.
struct JoinPieceAliasFinder {
  /// Text that one change rewrites: the nodes holding it, and the pieces where it is asked for.
  struct Check {
    var nodes: [Node]
    var places: Set<JoinPiecePlace>
  }

  /// A node by its bytes and its kind (a block mapping starts where its first key does).
  private struct NodeKey: Hashable {
    var bytes: Range<Int>
    var kind: UInt8

    init(_ node: Node) {
      bytes = node.range.bytes
      kind =
        switch node.value {
        case .scalar: 0
        case .sequence: 1
        case .mapping: 2
        case .intrinsic: 3
        }
    }
  }

  private var watched: [NodeKey: [Int]] = [:]
  /// The checks each join's pieces are asked for, by the join's bytes and the piece's index.
  private var asked: [Range<Int>: [(piece: Int, check: Int)]] = [:]
  private var found: [Int: TemplatePath] = [:]
  private let count: Int
  private var path: [String] = []

  /// For each check that some alias reads elsewhere, the syntax path of the first such place in
  /// document order.
  static func find(_ checks: [Check], in root: Node) -> [Int: TemplatePath] {
    var finder = Self(checks)
    finder.visit(root, covered: [])
    return finder.found
  }

  private init(_ checks: [Check]) {
    count = checks.count
    for (index, check) in checks.enumerated() {
      for node in check.nodes { watched[NodeKey(node), default: []].append(index) }
      for place in check.places { asked[place.join, default: []].append((place.piece, index)) }
    }
  }

  /// `covered`: the checks asked for at this place.
  private mutating func visit(_ node: Node, covered: [Int]) {
    guard found.count < count else { return }
    look(at: node, covered: covered)
    switch node.value {
    case .scalar:
      return
    case .sequence(let items):
      for (index, item) in items.enumerated() {
        descend(String(index)) { $0.visit(item, covered: covered) }
      }
    case .mapping(let entries):
      // A long form inside a short form (`!Base64 {Fn::Join: …}`) stays a mapping.
      if entries.count == 1, entries[0].name == IntrinsicFunction.join.rawValue,
        let pieces = asked[node.range.bytes]
      {
        descend(entries[0].name) { $0.visitJoin(entries[0].value, pieces, covered: covered) }
        return
      }
      for entry in entries {
        descend(entry.name) { finder in
          finder.visit(entry.key, covered: covered)
          finder.visit(entry.value, covered: covered)
        }
      }
    case .intrinsic(let intrinsic):
      let pieces = intrinsic.function == .join ? asked[node.range.bytes] : nil
      descend(intrinsic.function.rawValue) { finder in
        if let pieces {
          finder.visitJoin(intrinsic.argument, pieces, covered: covered)
        } else {
          finder.visit(intrinsic.argument, covered: covered)
        }
      }
    }
  }

  /// `[delimiter, [pieces…]]` of a join some checks are asked for: each piece is visited with
  /// the checks asked for at its index.
  private mutating func visitJoin(
    _ argument: Node, _ pieces: [(piece: Int, check: Int)], covered: [Int]
  ) {
    guard case .sequence(let arguments) = argument.value, arguments.count == 2,
      case .sequence(let list) = arguments[1].value
    else {
      visit(argument, covered: covered)
      return
    }
    look(at: argument, covered: covered)
    descend("0") { $0.visit(arguments[0], covered: covered) }
    descend("1") { finder in
      finder.look(at: arguments[1], covered: covered)
      for (index, piece) in list.enumerated() {
        let asked = pieces.filter { $0.piece == index }.map(\.check)
        finder.descend(String(index)) { $0.visit(piece, covered: covered + asked) }
      }
    }
  }

  /// Notes `node` itself (not what it holds) for each check it belongs to that is not asked
  /// for here.
  private mutating func look(at node: Node, covered: [Int]) {
    guard let checks = watched[NodeKey(node)] else { return }
    for check in checks where found[check] == nil && !covered.contains(check) {
      found[check] = TemplatePath(path)
    }
  }

  private mutating func descend(_ component: String, _ body: (inout Self) -> Void) {
    path.append(component)
    body(&self)
    path.removeLast()
  }
}
