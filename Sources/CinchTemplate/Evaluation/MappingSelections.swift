/// Which `Mappings` entries a deploy reads: those a live `Fn::FindInMap` picks. A reference
/// written in a mapping's value is resolved only where `Fn::FindInMap` puts it (a resource
/// property, an output); an entry no lookup picks is never read, so it is not resolved,
/// locked or granted. A lookup whose keys are not known yet may pick any entry of its
/// mapping (or of its top-level key).
struct MappingSelections: Sendable {
  /// A live lookup: what it picks (`map/top/second`, or `map/top/*`, `map/*`, `*` where keys
  /// are not known yet) and where it puts the value.
  struct Lookup: Sendable {
    var pick: String
    var node: Node
    /// The value's path (intrinsic functions left out) and the full path.
    var path: TemplatePath
    var syntaxPath: TemplatePath
  }

  private(set) var lookups: [Lookup] = []

  init(_ template: Template, evaluator: inout Evaluator) {
    var scratch = Diagnostics()
    var found: [(node: Node, path: [String], syntax: [String])] = []
    // Inside a function's argument the value path stays where the function is.
    func visit(_ node: Node, _ path: [String], _ syntax: [String], inArgument: Bool) {
      switch node.value {
      case .scalar: break
      case .sequence(let items):
        for (index, item) in items.enumerated() {
          let step = String(index)
          visit(item, inArgument ? path : path + [step], syntax + [step], inArgument: inArgument)
        }
      case .mapping(let entries):
        for entry in entries {
          visit(
            entry.value, inArgument ? path : path + [entry.name], syntax + [entry.name],
            inArgument: inArgument)
        }
      case .intrinsic(let intrinsic):
        if intrinsic.function == .findInMap { found.append((node, path, syntax)) }
        visit(
          intrinsic.argument, path, syntax + [intrinsic.function.rawValue], inArgument: true)
      }
    }
    for resource in template.resources {
      let base = ["Resources", resource.logicalID]
      visit(resource.node, base, base, inArgument: false)
    }
    for output in template.outputs {
      let base = ["Outputs", output.name]
      visit(output.node, base, base, inArgument: false)
    }
    for (node, path, syntax) in found {
      let syntaxPath = TemplatePath(syntax)
      guard evaluator.isLive(syntaxPath, into: &scratch),
        let keys = node.intrinsic?.argument.sequence, keys.count >= 3
      else { continue }
      let values = keys[0..<3].map { evaluator.evaluate($0, into: &scratch).string }
      let pick: String
      if let map = values[0] {
        if let top = values[1] {
          pick = values[2].map { "\(map)/\(top)/\($0)" } ?? "\(map)/\(top)/*"
        } else {
          pick = "\(map)/*"
        }
      } else {
        pick = "*"
      }
      lookups.append(
        Lookup(pick: pick, node: node, path: TemplatePath(path), syntaxPath: syntaxPath))
    }
  }

  /// The live lookups that may put the value at `Mappings/map/top/second/…`.
  func lookups(reading path: TemplatePath) -> [Lookup] {
    let components = path.components
    guard components.count >= 4 else { return [] }
    let (map, top, second) = (components[1], components[2], components[3])
    // A plain `yes:` key is looked up as `true` (`Node.scalarAsRead`); the path keeps the
    // word as written.
    let tops = [top, Node.yaml11Booleans[top]].compactMap { $0 }
    let seconds = [second, Node.yaml11Booleans[second]].compactMap { $0 }
    var picks: Set<String> = ["*", "\(map)/*"]
    for top in tops {
      picks.insert("\(map)/\(top)/*")
      for second in seconds { picks.insert("\(map)/\(top)/\(second)") }
    }
    return lookups.filter { picks.contains($0.pick) }
  }
}
