/// Which `Mappings` entries a deploy reads: those a live `Fn::FindInMap` picks. A reference
/// written in a mapping's value is resolved only where `Fn::FindInMap` puts it (a resource
/// property, an output); an entry no lookup picks is never read, so it is not resolved,
/// locked or granted. A lookup whose keys are not known yet may pick any entry of its
/// mapping (or of its top-level key).
struct MappingSelections {
  /// `map/top/second` for a known pick, `map/top/*` or `map/*` when keys are unknown.
  private var picked: Set<String> = []

  init(_ template: Template, evaluator: inout Evaluator) {
    var scratch = Diagnostics()
    var lookups: [(node: Node, path: [String])] = []
    func visit(_ node: Node, _ path: [String]) {
      switch node.value {
      case .scalar: break
      case .sequence(let items):
        for (index, item) in items.enumerated() { visit(item, path + [String(index)]) }
      case .mapping(let entries):
        for entry in entries { visit(entry.value, path + [entry.name]) }
      case .intrinsic(let intrinsic):
        if intrinsic.function == .findInMap { lookups.append((node, path)) }
        visit(intrinsic.argument, path + [intrinsic.function.rawValue])
      }
    }
    for resource in template.resources { visit(resource.node, ["Resources", resource.logicalID]) }
    for output in template.outputs { visit(output.node, ["Outputs", output.name]) }
    for (node, path) in lookups {
      guard evaluator.isLive(TemplatePath(path), into: &scratch),
        let keys = node.intrinsic?.argument.sequence, keys.count >= 3
      else { continue }
      let values = keys[0..<3].map { evaluator.evaluate($0, into: &scratch).string }
      guard let map = values[0] else {
        picked.insert("*")
        continue
      }
      guard let top = values[1] else {
        picked.insert("\(map)/*")
        continue
      }
      guard let second = values[2] else {
        picked.insert("\(map)/\(top)/*")
        continue
      }
      picked.insert("\(map)/\(top)/\(second)")
    }
  }

  /// Whether a place under `Mappings/map/top/second/…` is read on this deploy.
  func reads(_ path: TemplatePath) -> Bool {
    let components = path.components
    guard components.count >= 4 else { return false }
    let (map, top, second) = (components[1], components[2], components[3])
    return picked.contains("*") || picked.contains("\(map)/*")
      || picked.contains("\(map)/\(top)/*") || picked.contains("\(map)/\(top)/\(second)")
  }
}
