import CinchTemplate

/// The template path of the innermost value that holds a byte offset, as the reference finder
/// writes paths (mapping keys and sequence indexes; intrinsic functions left out), so a finding
/// found in the bytes can be suppressed per resource and shown with a logical location.
enum NodePath {
  static func locate(_ offset: Int, in root: Node) -> TemplatePath {
    var components: [String] = []
    var node = root
    while true {
      var next: Node?
      switch node.value {
      case .mapping(let entries):
        for entry in entries where contains(entry.value, offset) || contains(entry.key, offset) {
          components.append(entry.name)
          next = contains(entry.value, offset) ? entry.value : nil
          break
        }
      case .sequence(let items):
        if let index = items.firstIndex(where: { contains($0, offset) }) {
          components.append(String(index))
          next = items[index]
        }
      case .intrinsic(let intrinsic):
        if contains(intrinsic.argument, offset) { next = intrinsic.argument }
      case .scalar:
        break
      }
      guard let child = next else { return TemplatePath(components) }
      node = child
    }
  }

  private static func contains(_ node: Node, _ offset: Int) -> Bool {
    node.range.start.offset <= offset && offset < node.range.end.offset
  }
}
