/// Strict RFC 8259 JSON, composed into the same located `Node`s as YAML.
///
/// Strings become `.doubleQuoted` scalars holding the decoded text; numbers, `true`, `false`
/// and `null` become `.plain` scalars holding their exact source text (numbers stay text:
/// `1.50` is not `1.5`); objects and arrays are `.flow` mappings and sequences, and every object
/// goes through `IntrinsicNormalizer`, so `{"Ref": "X"}` is the same intrinsic as `Ref: X`.
///
/// The first syntax error stops the parse (nil is returned) with a located `.jsonSyntax`
/// diagnostic; so does exceeding a `ParseLimits` budget. A duplicate key is reported and the
/// parse goes on, keeping the first value. Nesting is handled with an explicit stack, so no
/// input can exhaust the call stack.
public enum JSONParser {
  public static func parse(
    _ file: SourceFile, limits: ParseLimits = .default, into diagnostics: inout Diagnostics
  ) -> Node? {
    parseDocument(file, limits: limits, into: &diagnostics).root
  }

  /// The root, and whether any `Fn::If` was made.
  static func parseDocument(
    _ file: SourceFile, limits: ParseLimits = .default, into diagnostics: inout Diagnostics
  ) -> (root: Node?, sawChoice: Bool) {
    let (root, found, sawChoice) = file.bytes.withUnsafeBufferPointer { buffer in
      var reader = JSONReader(buffer, file: file, limits: limits)
      let root = reader.read()
      return (root, reader.diagnostics, reader.sawChoice)
    }
    diagnostics.append(contentsOf: found)
    return (root, sawChoice)
  }
}
