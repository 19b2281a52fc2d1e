import CinchJSON

/// The syntax tree of a JMESPath expression.
indirect enum JMESPathNode: Sendable {
  case identity
  case current
  case field(String)
  case literal(JSONValue)
  case subexpression([JMESPathNode])
  case indexExpression([JMESPathNode])
  case index(Int)
  case slice(start: Int?, stop: Int?, step: Int?)
  /// Applies `right` to each element of the list `left` evaluates to, dropping nulls.
  case projection(left: JMESPathNode, right: JMESPathNode)
  /// Applies `right` to each value of the object `left` evaluates to, dropping nulls.
  case valueProjection(left: JMESPathNode, right: JMESPathNode)
  case filterProjection(left: JMESPathNode, right: JMESPathNode, condition: JMESPathNode)
  case flatten(JMESPathNode)
  case multiSelectList([JMESPathNode])
  case multiSelectHash([(key: String, value: JMESPathNode)])
  case or(JMESPathNode, JMESPathNode)
  case and(JMESPathNode, JMESPathNode)
  case not(JMESPathNode)
  case pipe(JMESPathNode, JMESPathNode)
  case comparator(JMESPathComparator, JMESPathNode, JMESPathNode)
  case function(name: String, arguments: [JMESPathNode])
  case expref(JMESPathNode)

  var isField: Bool {
    if case .field = self { true } else { false }
  }
}

enum JMESPathComparator: String, Sendable {
  case eq, ne, lt, lte, gt, gte

  var symbol: String {
    switch self {
    case .eq: "=="
    case .ne: "!="
    case .lt: "<"
    case .lte: "<="
    case .gt: ">"
    case .gte: ">="
    }
  }
}
