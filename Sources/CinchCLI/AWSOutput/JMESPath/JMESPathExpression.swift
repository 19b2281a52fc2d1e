package import CinchJSON

/// A compiled JMESPath expression (jmespath.org/specification), as `--query` takes it.
///
/// ```swift
/// let query = try JMESPathExpression("Parameters[?Type=='SecureString'].Name | sort(@)")
/// let names = try query.search(response)
/// ```
/// Syntax errors are thrown by `init` and evaluation errors (unknown function, wrong argument
/// type) by `search`, both with the reference implementation's messages.
package struct JMESPathExpression: Sendable {
  package let source: String
  let root: JMESPathNode

  package init(_ source: String) throws(JMESPathError) {
    self.source = source
    root = try JMESPathParser.parse(source)
  }

  package func search(_ document: JSONValue) throws(JMESPathError) -> JSONValue {
    try JMESPathInterpreter().evaluate(root, document)
  }
}
