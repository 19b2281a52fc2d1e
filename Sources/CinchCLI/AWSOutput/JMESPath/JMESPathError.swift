/// The errors of a JMESPath expression, with the messages of the Python `jmespath` package the
/// aws CLI uses, so `--query` failures read the same.
package enum JMESPathError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The expression is empty.
  case emptyExpression
  /// A character sequence that is no token; `position` counts Unicode scalars.
  case lexer(position: Int, message: String, expression: String)
  /// A token where the grammar allows none.
  case parse(
    position: Int, tokenValue: String, tokenType: String, message: String, expression: String)
  /// The expression ended where more was needed.
  case incomplete(expression: String)
  /// Raised while evaluating: unknown function, wrong argument count or type, values Python
  /// cannot compare.
  case runtime(String)

  /// Syntax errors are found when the expression is compiled; runtime errors when it is
  /// applied to a document.
  package var isSyntaxError: Bool {
    if case .runtime = self { false } else { true }
  }

  package var description: String {
    switch self {
    case .emptyExpression:
      return "Invalid JMESPath expression: cannot be empty."
    case .lexer(let position, let message, let expression):
      return "Bad jmespath expression: \(message):\n\(expression)\n"
        + String(repeating: " ", count: position) + "^"
    case .parse(let position, let value, let type, let message, let expression):
      return
        "\(message): Parse error at column \(position), token \"\(value)\" (\(type.uppercased())), "
        + "for expression:\n\"\(expression)\"\n" + String(repeating: " ", count: position + 1) + "^"
    case .incomplete(let expression):
      return "Invalid jmespath expression: Incomplete expression:\n\"\(expression)\"\n"
        + String(repeating: " ", count: expression.unicodeScalars.count + 1) + "^"
    case .runtime(let message):
      return message
    }
  }
}
