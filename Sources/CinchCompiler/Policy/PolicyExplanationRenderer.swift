/// `--explain`: for every statement, what it grants and the template lines that need each of
/// its resources.
public struct PolicyExplanationRenderer: Sendable {
  /// The output the explanation is of: the JSON documents name resources by ARN and leave out
  /// what only the template can name (`!Ref Secret`, a key's `!GetAtt`), as
  /// `PolicyJSONRenderer` does; the CloudFormation output keeps those.
  public enum Output: Sendable { case json, cloudFormation }

  public let output: Output

  public init(of output: Output = .cloudFormation) { self.output = output }

  public func render(_ set: PolicySet) -> String {
    var text = ""
    for document in set.documents {
      // The statements as the output has them: in JSON (and in the CloudFormation output's
      // deploy and validate policies, which live outside the template), those with an ARN to
      // grant and conditions a policy outside the template can write, numbered as it numbers
      // them.
      let statements =
        output == .cloudFormation && document.profile == .consumers
        ? document.statements : document.statementsOutsideTheTemplate
      guard !statements.isEmpty else { continue }
      text += "\(document.name)"
      if let role = document.role { text += " (\(role))" }
      text += "\n"
      for statement in statements {
        text += "  \(statement.sid): \(statement.purpose.summary)\n"
        text += "    \(statement.actions.joined(separator: ", "))\n"
        let conditions =
          output == .json ? statement.writableConditions ?? [] : statement.conditions
        for condition in conditions {
          let values =
            condition.values
            + (output == .json ? [] : condition.expressions.map(\.description))
          text +=
            "    when \(condition.test) \(condition.key) = \(values.joined(separator: " | "))\n"
        }
        // A resource by what it names: an ARN written in a template and made from a name are
        // one line, with the reasons of both.
        func named(_ resource: PolicyResource) -> String? {
          output == .json ? resource.arn : resource.description
        }
        var printed = Set<String>()
        for resource in statement.resources {
          guard let name = named(resource), printed.insert(name).inserted else { continue }
          text += "    on \(name)\n"
          let same = statement.resources.filter { named($0) == name }
          let reasons = same.flatMap { statement.reasons[$0] ?? [] }.sorted {
            ($0.file, $0.range?.start.offset ?? -1) < ($1.file, $1.range?.start.offset ?? -1)
          }
          for reason in reasons {
            let what = reason.path.map { "\($0) = \(reason.detail)" } ?? reason.detail
            text += "      \(reason.location): \(what)\n"
          }
        }
      }
    }
    return text
  }
}
