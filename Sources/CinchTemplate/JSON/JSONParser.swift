/// Strict RFC 8259 JSON, composed into the same located `Node`s as YAML.
public enum JSONParser {
  public static func parse(
    _ file: SourceFile, limits: ParseLimits = .default, into diagnostics: inout Diagnostics
  ) -> Node? {
    nil  // being written (issue 2)
  }
}
