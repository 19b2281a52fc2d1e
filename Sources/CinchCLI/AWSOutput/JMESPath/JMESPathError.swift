package import CinchJSON

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
  /// Raised while evaluating: unknown function, wrong argument count, values Python cannot
  /// compare.
  case runtime(String)
  /// A function argument (or an element of it, or a sort key) of the wrong type; `received`
  /// is the type name the reference implementation prints.
  case invalidType(
    function: String, value: String, expected: [String], received: String, shownValue: JSONValue?)

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
    case .invalidType(let function, let value, let expected, let received, _):
      return Self.invalidTypeMessage(function, value, expected, received)
    }
  }

  /// The message without document text: an invalid-type error names the offending value, which
  /// may be a secret (`abs(SecretString)`), so the aws-style commands print it as `<redacted>`:
  /// numbers and booleans too, since a query computes them from the document as readily as it
  /// quotes it (`length(to_number(SecretString))` names a numeric PIN). Only null, which says
  /// nothing the message's `received` does not, still shows.
  package var redactedDescription: String {
    guard case .invalidType(let function, let value, let expected, let received, let shown) = self
    else {
      return description
    }
    let safe: String
    switch shown {
    case .some(.null): safe = value
    default: safe = "<redacted>"
    }
    return Self.invalidTypeMessage(function, safe, expected, received)
  }

  private static func invalidTypeMessage(
    _ function: String, _ value: String, _ expected: [String], _ received: String
  ) -> String {
    "In function \(function)(), invalid type for value: \(value), expected one of: "
      + "\(pythonList(expected)), received: \"\(received)\""
  }
}
