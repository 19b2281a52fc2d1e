/// `--explain`: for every statement, what it grants and the template lines that need each of
/// its resources.
public struct PolicyExplanationRenderer: Sendable {
  public init() {}

  public func render(_ set: PolicySet) -> String {
    var output = ""
    for document in set.documents {
      output += "\(document.name)"
      if let role = document.role { output += " (\(role))" }
      output += "\n"
      for statement in document.statements {
        output += "  \(statement.sid): \(statement.purpose.summary)\n"
        output += "    \(statement.actions.joined(separator: ", "))\n"
        for condition in statement.conditions {
          output +=
            "    when \(condition.test) \(condition.key) = \(condition.values.joined(separator: " | "))\n"
        }
        for resource in statement.resources {
          output += "    on \(resource)\n"
          for reason in statement.reasons[resource] ?? [] {
            let what = reason.path.map { "\($0) = \(reason.detail)" } ?? reason.detail
            output += "      \(reason.location): \(what)\n"
          }
        }
      }
    }
    return output
  }
}
