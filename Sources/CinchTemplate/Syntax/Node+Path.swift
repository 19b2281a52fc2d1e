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

extension Template {
  /// `document.root.nodes(along:)`, with a resource's node found by its index rather than by
  /// walking the `Resources` mapping: this runs for references in `Fn::Sub` and `Fn::Join`, and
  /// a walk through 10,000 resources per reference made large templates quadratic.
  public func nodes(along path: TemplatePath) -> [Node] {
    guard let root = document.root else { return [] }
    let components = path.components
    guard components.count >= 2, components[0] == "Resources",
      let resource = resourcePosition(components[1]), let section = root["Resources"]
    else { return root.nodes(along: path) }
    return [root, section]
      + resources[resource].node.nodes(along: TemplatePath(Array(components.dropFirst(2))))
  }
}
