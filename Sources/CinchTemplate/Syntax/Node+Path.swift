extension Node {
  /// The nodes met walking from this node along a syntax path (mapping keys, sequence indexes,
  /// and intrinsic function names as `ReferenceSite.syntaxPath` writes them), this node first.
  /// Stops early where the path leaves the tree.
  public func nodes(along path: TemplatePath) -> [Node] {
    var chain = [self]
    var node = self
    for component in path.components {
      switch node.value {
      case .intrinsic(let intrinsic):
        guard component == intrinsic.function.rawValue || component == intrinsic.function.shortTag
        else { return chain }
        node = intrinsic.argument
      case .mapping:
        guard let child = node[component] else { return chain }
        node = child
      case .sequence(let items):
        guard let index = Int(component), items.indices.contains(index) else { return chain }
        node = items[index]
      case .scalar:
        return chain
      }
      chain.append(node)
    }
    return chain
  }
}
