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
          let values = condition.values + condition.expressions.map(\.description)
          output +=
            "    when \(condition.test) \(condition.key) = \(values.joined(separator: " | "))\n"
        }
        // A resource by what it names: an ARN written in a template and made from a name are
        // one line, with the reasons of both.
        var printed = Set<String>()
        for resource in statement.resources where printed.insert(resource.description).inserted {
          output += "    on \(resource)\n"
          let same = statement.resources.filter { $0.description == resource.description }
          let reasons = same.flatMap { statement.reasons[$0] ?? [] }.sorted {
            ($0.file, $0.range?.start.offset ?? -1) < ($1.file, $1.range?.start.offset ?? -1)
          }
          for reason in reasons {
            let what = reason.path.map { "\($0) = \(reason.detail)" } ?? reason.detail
            output += "      \(reason.location): \(what)\n"
          }
        }
      }
    }
    return output
  }
}
