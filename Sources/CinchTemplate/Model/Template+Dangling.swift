/// The messages for a name that names nothing in the template, each with the nearest name of
/// the right kind when there is one. The evaluator and the graph builder both report them (the
/// graph's findings replace the evaluator's), so they are written once, here.
extension Template {
  /// `Ref` to a name that is no parameter, pseudo-parameter or resource.
  func danglingRefMessage(_ name: String) -> String {
    "'\(name)' is not a parameter, pseudo-parameter or resource of this template"
      + NearestName.hint(for: name, among: referableNames)
  }

  /// A `${Name}` of `Fn::Sub` that is no variable of its map, parameter, pseudo-parameter or
  /// resource (nor a resource's attribute).
  func danglingSubVariableMessage(_ name: String, variables: some Sequence<String>) -> String {
    "'${\(name)}' names no variable, parameter, pseudo-parameter or resource"
      + NearestName.hint(for: name, among: referableNames.union(variables))
  }

  /// `Fn::GetAtt` or `DependsOn` naming something that is not a resource.
  func danglingResourceMessage(_ name: String, in function: String) -> String {
    "'\(function)' names '\(name)', which is not a resource"
      + NearestName.hint(for: name, among: resources.lazy.map(\.logicalID))
  }

  func danglingConditionMessage(_ name: String) -> String {
    "condition '\(name)' is not defined"
      + NearestName.hint(for: name, among: conditions.lazy.map(\.name))
  }

  func danglingMappingMessage(_ name: String) -> String {
    "'Fn::FindInMap' names '\(name)', which is not a mapping"
      + NearestName.hint(for: name, among: mappings.lazy.map(\.name))
  }

  /// What a `Ref` may name.
  private var referableNames: Set<String> {
    Set(parameters.map(\.name)).union(resources.lazy.map(\.logicalID)).union(
      EvaluationInputs.pseudoParameterNames)
  }

  /// Where `span` of a scalar's text is in the file; the whole node without a span or when the
  /// text cannot be mapped back.
  func range(of span: Range<Int>?, in node: Node) -> SourceRange {
    guard let span, let text = node.scalar else { return node.range }
    var locator = ScalarLocator(node: node, text: text, in: document)
    return locator.range(span)
  }
}
